"""SPARQL 1.1 Graph Store HTTP Protocol at ``/rdf-graph-store``.

Graphs are named indirectly (``?graph=IRI``, ``?default``) or directly (``/rdf-graph-store/<path>`` is the
graph whose IRI is that URL). ``GET``/``HEAD`` read; ``PUT``/``POST``/``DELETE`` need the API token and go
through the load gate (:mod:`ecosystem_graph.writes`). ``POST`` to the store itself creates a graph and
answers ``201`` with its IRI in ``Location``. The default graph reads as the union of all graphs and is
written as ``{base}graph/updates``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ..errors import NotAcceptable, QueryError
from ..pipeline import writes
from ..pipeline.writer import writer_for
from ..store.formats import GRAPH_MEDIA_TYPES
from ..syntax import protocol
from ..views import graphs
from .auth import WriterDep
from .deps import SettingsDep, StoreDep
from .negotiation import negotiate
from .service import GRAPH_STORE_PATH

router = APIRouter(tags=["graph store"])

_READ_TYPES = tuple(m for m in GRAPH_MEDIA_TYPES if m not in ("application/trig", "application/n-quads"))


@dataclass(frozen=True)
class Target:
    """The graph a request is about: a named graph, the default graph, or (neither) the store itself."""

    graph: str | None = None
    default: bool = False

    @property
    def is_store(self) -> bool:
        return self.graph is None and not self.default


async def target(request: Request) -> Target:
    """:raises QueryError: both ``graph`` and ``default``, or a malformed graph IRI."""
    path = request.path_params.get("path")
    if path:
        return Target(graph=str(request.url.replace(query="", fragment="")).rstrip("?"))
    params = request.query_params
    if "graph" in params and "default" in params:
        raise QueryError("name either ?graph=IRI or ?default, not both")
    if "default" in params:
        return Target(default=True)
    if "graph" in params:
        return Target(graph=protocol.check_iri(params["graph"], parameter="graph"))
    return Target()


TargetDep = Annotated[Target, Depends(target)]


def _need_graph(where: Target) -> None:
    if where.is_store:
        raise QueryError("name a graph with ?graph=IRI or ?default")


async def get_graph(request: Request, store: StoreDep, where: TargetDep) -> Response:
    _need_graph(where)
    media_type = negotiate(request.headers.get("accept"), _READ_TYPES)
    if media_type is None:
        raise NotAcceptable(f"a graph is written as {', '.join(_READ_TYPES)}")
    body = await run_in_threadpool(graphs.read_graph, store, where.graph, media_type,
                                   include_inferred=protocol.wants_inferred(request.query_params.multi_items()))
    headers = {"Vary": "Accept", "Content-Length": str(len(body))}
    if request.method == "HEAD":
        return Response(media_type=media_type, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


async def put_graph(request: Request, store: StoreDep, settings: SettingsDep, where: TargetDep,
                    _writer: WriterDep) -> Response:
    _need_graph(where)
    media_type = writes.body_media_type(request.headers.get("content-type"))
    body = await request.body()
    created = await writer_for(store, settings).run("replace_graph", where.graph, body, media_type)
    return Response(status_code=201 if created else 204)


async def post_graph(request: Request, store: StoreDep, settings: SettingsDep, where: TargetDep,
                     _writer: WriterDep) -> Response:
    bodies = await _bodies(request)
    graph = writes.new_graph_iri(settings.base_iri) if where.is_store else where.graph
    created = await writer_for(store, settings).run("add_to_graph", graph, bodies)
    if where.is_store:
        return Response(status_code=201, headers={"Location": str(graph)})
    return Response(status_code=201 if created else 204)


async def delete_graph(store: StoreDep, settings: SettingsDep, where: TargetDep, _writer: WriterDep) -> Response:
    _need_graph(where)
    await writer_for(store, settings).run("drop_graph", where.graph)
    return Response(status_code=204)


async def _bodies(request: Request) -> list[tuple[bytes, str]]:
    """The RDF a POST carries: its body, or each file of a ``multipart/form-data`` body."""
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        media_type = writes.body_media_type(content_type)
        return [(await request.body(), media_type)]
    await request.body()  # read under the body limit before the form parser sees it
    async with request.form() as form:  # closes the parts' spooled temporary files
        parts = [part for _name, part in form.multi_items() if isinstance(part, UploadFile)]
        if not parts:
            raise QueryError("the multipart body holds no files")
        return [(await part.read(), writes.body_media_type(part.content_type)) for part in parts]


_Responses = dict[int | str, dict[str, Any]]
_NO_GRAPH: _Responses = {400: {"description": "No graph named, both ?graph and ?default, or not an absolute IRI"}}
_BAD_BODY: _Responses = {
    400: {"description": "No graph named, a malformed IRI, a body that does not parse or breaks the contract"},
    403: {"description": "No or wrong token"}, 413: {"description": "Body over the configured size"},
    415: {"description": "Not an RDF graph format"}}
_DOCS: dict[str, tuple[str, _Responses]] = {
    "GET": ("Read a graph (?graph=IRI or ?default)", {200: {"content": {m: {} for m in _READ_TYPES}},
                                                     **_NO_GRAPH, 404: {"description": "No such graph"},
                                                     406: {"description": "No acceptable format"}}),
    "PUT": ("Replace a graph (API token)", {201: {"description": "Created"}, 204: {"description": "Replaced"},
                                            **_BAD_BODY}),
    "POST": ("Add to a graph, or create one when no graph is named (API token)",
             {201: {"description": "Created; Location names the graph"}, 204: {"description": "Merged"},
              **_BAD_BODY}),
    "DELETE": ("Delete a graph (API token)", {204: {"description": "Deleted"}, **_NO_GRAPH,
                                             403: {"description": "No or wrong token"},
                                             404: {"description": "No such graph"}}),
}
#: the indirect graph identification of the Graph Store Protocol, declared for clients and fuzzers
_TARGET_PARAMETERS = [
    {"name": "graph", "in": "query", "schema": {"type": "string"}, "description": "The graph's IRI"},
    {"name": "default", "in": "query", "schema": {"type": "string"}, "allowEmptyValue": True,
     "description": "Present (with any value): the default graph"},
]
_BODY = {"content": {m: {"schema": {"type": ["object", "array"]} if m == "application/ld+json" else {"type": "string"}}
                     for m in writes.GRAPH_BODY_TYPES}}
_EXTRA: dict[str, dict[str, Any]] = {
    "GET": {"parameters": _TARGET_PARAMETERS}, "HEAD": {"parameters": _TARGET_PARAMETERS},
          "DELETE": {"parameters": _TARGET_PARAMETERS},
          "PUT": {"parameters": _TARGET_PARAMETERS, "requestBody": {"required": True, **_BODY}},
          "POST": {"parameters": _TARGET_PARAMETERS, "requestBody": {"required": True, **_BODY}}}
_DOCS["HEAD"] = ("Headers of a graph read", _DOCS["GET"][1])
_HANDLERS: dict[str, Callable[..., Any]] = {"GET": get_graph, "HEAD": get_graph, "PUT": put_graph,
                                            "POST": post_graph, "DELETE": delete_graph}

for _path in (GRAPH_STORE_PATH, GRAPH_STORE_PATH + "/{path:path}"):
    for _method, _handler in _HANDLERS.items():
        _summary, _responses = _DOCS[_method]
        router.add_api_route(_path, _handler, methods=[_method], summary=_summary, responses=_responses,
                             include_in_schema=_path == GRAPH_STORE_PATH, openapi_extra=_EXTRA[_method],
                             name=f"graph_store_{_method.lower()}" + ("_direct" if "{" in _path else ""))
