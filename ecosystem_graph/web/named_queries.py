"""The named-query catalogue over HTTP: ``/queries`` lists ``sparql/*.rq`` (JSON, or HTML for browsers);
``/queries/{name}`` runs one, its declared parameters taken from the query string, typed and bound by
substitution (never pasted into the text), in any SPARQL result format."""

from __future__ import annotations

import html
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from ..errors import NotAcceptable
from ..sources.queries import NamedQuery, QueryCatalogue
from ..syntax import protocol
from .deps import SettingsDep, StoreDep
from .negotiation import SPARQL_MEDIA_TYPES, negotiate
from .sparql import run_query

router = APIRouter(tags=["named queries"])

#: query-string parameters of the endpoint itself, never bound to a query variable.
RESERVED = frozenset({"format", "output", "inference", "include-inferred"})


async def get_catalogue(request: Request, settings: SettingsDep) -> QueryCatalogue:
    """The catalogue, read again only when a query file is added, removed or edited."""
    folder = settings.queries_path
    signature = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.rq"))) if folder.is_dir() else ()
    cached = getattr(request.app.state, "query_catalogue", None)
    if cached is None or cached[0] != signature:
        cached = (signature, QueryCatalogue(folder))
        request.app.state.query_catalogue = cached
    return cached[1]


CatalogueDep = Annotated[QueryCatalogue, Depends(get_catalogue)]


def describe(query: NamedQuery, root: str) -> dict[str, Any]:
    return {
        "name": query.name,
        "title": query.title,
        "description": query.description,
        "url": f"{root}queries/{quote(query.name)}",
        "parameters": [{"name": p.name, "type": p.type, "default": p.default} for p in query.parameters],
        "sparql": query.sparql,
    }


@router.get("/queries", summary="The named-query catalogue",
            responses={200: {"content": {"application/json": {}, "text/html": {}}}})
def list_queries(request: Request, catalogue: CatalogueDep) -> Response:
    media_type = negotiate(request.headers.get("accept"), ("application/json", "text/html"))
    if media_type is None:
        raise NotAcceptable("the catalogue is served as application/json or text/html")
    entries = [describe(q, str(request.base_url)) for q in catalogue]
    if media_type == "text/html":
        return HTMLResponse(_page(entries), headers={"Vary": "Accept"})
    return JSONResponse({"queries": entries}, headers={"Vary": "Accept"})


@router.get("/queries/{name}", summary="Run a named query; its parameters come from the query string",
            responses={200: {"content": {m: {} for m in SPARQL_MEDIA_TYPES}},
                       400: {"description": "Unknown parameter or a value of the wrong type"},
                       404: {"description": "No such query"}, 406: {"description": "No acceptable format"}})
async def run_named_query(name: str, request: Request, store: StoreDep, settings: SettingsDep,
                          catalogue: CatalogueDep) -> Response:
    query = catalogue.get(name)
    params = list(request.query_params.multi_items())
    given = {key: value for key, value in params if key not in RESERVED}
    return await run_query(request, store, settings, query.sparql, params=params,
                           substitutions=query.bindings(given),
                           include_inferred=protocol.wants_inferred(params))


def _page(entries: list[dict[str, Any]]) -> str:
    items = []
    for entry in entries:
        params = ", ".join(f"{p['name']}: {p['type']}" + (f" = {p['default']}" if p["default"] else "")
                           for p in entry["parameters"])
        items.append(
            f"<li><h2><a href=\"{html.escape(entry['url'])}\">{html.escape(entry['title'])}</a></h2>"
            f"<p>{html.escape(entry['description'])}</p>"
            + (f"<p>Parameters: <code>{html.escape(params)}</code></p>" if params else "")
            + f"<details><summary>SPARQL</summary><pre>{html.escape(entry['sparql'])}</pre></details></li>"
        )
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Named queries</title></head>"
            f"<body><h1>Named queries</h1><ul>{''.join(items)}</ul></body></html>")
