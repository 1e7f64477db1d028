"""Answering one SPARQL query: check it, run it, and put the result in the negotiated format.

Starlette alone, no FastAPI: the fast lane (web/fast_lane.py) answers with this before the rest of the web
application has been imported, which is what lets ``serve`` answer its first query within a moment of its start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool

from ..config import Settings
from ..search import text_query
from ..store import GraphStore, QueryOutput, QueryRequest, Term
from ..syntax import protocol
from ..syntax.bounded import is_bounded
from ..syntax.reading import is_read
from .negotiation import sparql_media_types

if TYPE_CHECKING:
    from starlette.responses import Response


def result_response(output: QueryOutput) -> Response:
    from starlette.responses import Response  # the fast lane sends without it (result_start)

    return Response(output.body, media_type=output.media_type, headers={"Vary": "Accept"})


async def answer_query(store: GraphStore, settings: Settings, sparql: str, *, accept: str | None,
                       params: list[tuple[str, str]], default_graphs: list[str] | None = None,
                       named_graphs: list[str] | None = None, include_inferred: bool = True,
                       substitutions: dict[str, Term] | None = None) -> Response:
    """Check, run and answer one query given the request's ``Accept`` header and parameters (the SPARQL routes
    and the named queries answer with this)."""
    return result_response(await query_output(
        store, settings, sparql, accept=accept, params=params, default_graphs=default_graphs,
        named_graphs=named_graphs, include_inferred=include_inferred, substitutions=substitutions))


async def query_output(store: GraphStore, settings: Settings, sparql: str, *, accept: str | None,
                       params: list[tuple[str, str]], default_graphs: list[str] | None = None,
                       named_graphs: list[str] | None = None, include_inferred: bool = True,
                       substitutions: dict[str, Term] | None = None) -> QueryOutput:
    """:func:`answer_query`'s result before it becomes a response (the fast lane sends it itself)."""
    if text_query.LOCAL_NAME in sparql:  # eco:textSearch patterns become the label index's hits
        sparql = await run_in_threadpool(text_query.served, sparql, store, settings, substitutions)
    if is_bounded(sparql) or is_read(sparql):  # a single pattern, or a text read before: no parse to wait for
        sparql = protocol.checked_query(sparql, allow_service=settings.allow_service)
    else:  # the parse runs beside the event loop, so that other requests are answered meanwhile
        sparql = await run_in_threadpool(protocol.checked_query, sparql, allow_service=settings.allow_service)
    format_name = next((v for k, v in reversed(params) if k in ("format", "output")), None)
    query = QueryRequest(
        sparql, accept=sparql_media_types(accept, format_name),
        default_graphs=default_graphs, named_graphs=named_graphs, include_inferred=include_inferred,
        substitutions=substitutions or {}, base_iri=settings.base_iri, timeout=settings.query_timeout,
    )
    return await store.aquery(query)


def result_start(output: QueryOutput) -> dict[str, Any]:
    """The ``http.response.start`` message :func:`result_response` sends for ``output`` (the same headers:
    Starlette's ``charset`` on text types, the length, ``Vary``), built without a Response object."""
    media_type = output.media_type
    if media_type.startswith("text/") and "charset=" not in media_type.lower():
        media_type += "; charset=utf-8"
    return {"type": "http.response.start", "status": 200,
            "headers": [(b"vary", b"Accept"), (b"content-length", str(len(output.body)).encode("latin-1")),
                        (b"content-type", media_type.encode("latin-1"))]}
