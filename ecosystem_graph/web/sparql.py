"""SPARQL 1.1 Protocol endpoint (query by GET; the endpoint issue extends it)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from ..store import QueryRequest
from .deps import SettingsDep, StoreDep

router = APIRouter(tags=["sparql"])


@router.get("/sparql", summary="SPARQL 1.1 query (GET)")
async def sparql_get(
    request: Request, store: StoreDep, settings: SettingsDep,
    query: str = Query(..., description="SPARQL 1.1 query"),
) -> Response:
    accept = [part.split(";")[0].strip() for part in request.headers.get("accept", "").split(",") if part.strip()]
    output = await run_in_threadpool(
        store.query, QueryRequest(query, accept=accept or None, timeout=settings.query_timeout)
    )
    return Response(output.body, media_type=output.media_type)
