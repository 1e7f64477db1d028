"""The W3C Entity Reconciliation API (the protocol OpenRefine speaks): the service manifest, and batches of
queries answered with the graph's IRIs, best first. Matching is by lemmatised labels (``drafting.reconcile``)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from starlette.concurrency import run_in_threadpool

from ..drafting import reconcile
from ..errors import QueryError
from .deps import SettingsDep, StoreDep

router = APIRouter(tags=["reconciliation"])


def _queries(text: str) -> dict[str, Any]:
    try:
        queries = json.loads(text)
    except ValueError as error:
        raise QueryError(f"queries is not JSON: {error}") from None
    if not isinstance(queries, dict):
        raise QueryError('queries must be a JSON object: {"q0": {"query": "..."}}')
    return queries


async def _answer(request: Request, store: Any, settings: Any, queries: str | None) -> dict[str, Any]:
    if not queries:
        return reconcile.manifest(settings.base_iri, str(request.url_for("reconcile_get")))
    batch = _queries(queries)

    def run() -> dict[str, Any]:
        catalogue = reconcile.catalogue_for(store, settings.base_iri)
        try:
            return reconcile.answer(catalogue, settings.base_iri, batch)
        except ValueError as error:
            raise QueryError(str(error)) from None

    return await run_in_threadpool(run)


@router.get("/reconcile", name="reconcile_get", summary="Reconciliation service: manifest, or a batch of queries")
async def reconcile_get(request: Request, store: StoreDep, settings: SettingsDep,
                        queries: Annotated[str | None, Query(max_length=100_000)] = None) -> dict[str, Any]:
    return await _answer(request, store, settings, queries)


@router.post("/reconcile", summary="Reconciliation service: a batch of queries as a form (OpenRefine)")
async def reconcile_post(request: Request, store: StoreDep, settings: SettingsDep,
                         queries: Annotated[str | None, Form(max_length=100_000)] = None) -> dict[str, Any]:
    return await _answer(request, store, settings, queries)
