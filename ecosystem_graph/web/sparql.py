"""The SPARQL 1.1 Protocol endpoint at ``/sparql``.

* query by ``GET ?query=``, by ``POST`` of a form (``query=``) or of ``application/sparql-query``;
  ``default-graph-uri`` / ``named-graph-uri`` name the dataset; ``inference=false`` leaves out the
  inferred graph; ``format=`` overrides ``Accept``;
* update by ``POST`` of a form (``update=``) or of ``application/sparql-update``, with the API token;
* ``GET /sparql`` with neither: the service description.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..config import Settings
from ..errors import QueryError
from ..pipeline.writer import writer_for
from ..store import GraphStore, Term
from ..syntax import protocol
from .answer import answer_query
from .auth import bearer_token, check_token
from .deps import SettingsDep, StoreDep
from .negotiation import SPARQL_MEDIA_TYPES
from .service import describe_service

router = APIRouter(tags=["sparql"])

FORM, QUERY, UPDATE = protocol.FORM, protocol.QUERY, protocol.UPDATE

_RESULTS: dict[str, Any] = {"content": {m: {} for m in SPARQL_MEDIA_TYPES},
                            "description": "The result, in the negotiated format"}
_STATUS_DOCS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Malformed query (the parser's message and position), two operations, bad parameter"},
    403: {"description": "An update without the API token"},
    406: {"description": "No acceptable result format"},
    413: {"description": "Request body or result over the configured size"},
    415: {"description": "POST body of an unsupported type or charset"},
    503: {"description": "The query ran past the timeout and was stopped"},
}
_PARAMETERS = [
    {"name": "query", "in": "query", "schema": {"type": "string"}, "description": "SPARQL 1.1 query"},
    {"name": "default-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
    {"name": "named-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
    {"name": "inference", "in": "query", "schema": {"type": "boolean", "default": True},
     "description": "false leaves the inferred graph out of the default graph"},
    {"name": "format", "in": "query", "schema": {"type": "string"},
     "description": "json, xml, csv, tsv, turtle, nt, rdfxml, jsonld, trig, nq (overrides Accept)"},
]
_POST_BODY = {"required": True, "content": {
    FORM: {"schema": {"type": "object", "properties": {"query": {"type": "string"}, "update": {"type": "string"}}}},
    QUERY: {"schema": {"type": "string"}},
    UPDATE: {"schema": {"type": "string"}},
}}


async def run_query(request: Request, store: GraphStore, settings: Settings, sparql: str, *,
                    params: list[tuple[str, str]], default_graphs: list[str] | None = None,
                    named_graphs: list[str] | None = None, include_inferred: bool = True,
                    substitutions: dict[str, Term] | None = None) -> Response:
    """Check, run and answer one query in the format the request negotiates (shared with named queries)."""
    return await answer_query(store, settings, sparql, accept=request.headers.get("accept"), params=params,
                              default_graphs=default_graphs, named_graphs=named_graphs,
                              include_inferred=include_inferred, substitutions=substitutions)


@router.get("/sparql", summary="SPARQL query by GET; without a query, the service description",
            responses={200: _RESULTS, **_STATUS_DOCS}, openapi_extra={"parameters": _PARAMETERS})
async def sparql_get(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    params = list(request.query_params.multi_items())
    operation = protocol.read_operation(params)
    if operation is None:
        return await describe_service(request, store, settings)
    if operation.is_update:
        raise QueryError("an update must be sent with POST")
    return await _answer(request, store, settings, operation, params)


@router.post("/sparql", summary="SPARQL query or update by POST (form, sparql-query or sparql-update body)",
             responses={200: _RESULTS, 204: {"description": "Update applied"}, **_STATUS_DOCS},
             openapi_extra={"requestBody": _POST_BODY})
async def sparql_post(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    params = list(request.query_params.multi_items())
    operation = protocol.post_operation(request.headers.get("content-type"), await request.body(), params)
    if operation is None:
        raise QueryError("the request carries neither a query nor an update")
    if operation.is_update:
        check_token(settings, bearer_token(request))
        assert operation.update is not None
        await writer_for(store, settings).run("update", operation.update, base_iri=settings.base_iri,
                                              using_graphs=operation.using_graphs,
                                              using_named_graphs=operation.using_named_graphs)
        return Response(status_code=204)
    return await _answer(request, store, settings, operation, params)


async def _answer(request: Request, store: GraphStore, settings: Settings, operation: protocol.Operation,
                  params: list[tuple[str, str]]) -> Response:
    assert operation.query is not None
    return await run_query(request, store, settings, operation.query, params=params,
                           default_graphs=operation.default_graphs, named_graphs=operation.named_graphs,
                           include_inferred=operation.include_inferred)
