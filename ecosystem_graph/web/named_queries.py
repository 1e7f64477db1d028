"""The named-query catalogue over HTTP: ``/queries`` lists ``sparql/*.rq`` (JSON, or an HTML page for browsers);
``/queries/{name}`` runs one, its declared parameters taken from the query string, typed and bound by
substitution (never pasted into the text), in any SPARQL result format; ``limit`` and ``offset`` ask for one page of
the answer (:mod:`..sources.paging`). A browser (``Accept`` naming ``text/html`` first) gets the query's page
instead: its form, the answer as a table, and download links."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from ..errors import NotAcceptable
from ..sources.paging import MAX_LIMIT, MAX_OFFSET, Page, paged
from ..sources.queries import NamedQuery, QueryCatalogue
from ..store import formats
from ..syntax import protocol
from ..views import query_page
from .deps import SettingsDep, StoreDep
from .negotiation import SPARQL_MEDIA_TYPES, negotiate
from .sparql import run_query
from .views import IndexDep, LanguageDep, linker, render

router = APIRouter(tags=["named queries"])

HTML = "text/html"
#: query-string parameters of the endpoint and the pages, never bound to a query variable.
#: ``limit`` and ``offset`` ask for one page of the answer (sources/paging.py).
RESERVED = frozenset({"format", "output", "inference", "include-inferred", "lang", "limit", "offset"})

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

#: the paging parameters in the OpenAPI page (the query's own parameters vary by query, so they are not listed)
_PAGE_PARAMETERS = [
    {"name": "limit", "in": "query", "required": False,
     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
     "description": "at most this many rows: one page of the answer, in a total order (docs/endpoint.md)"},
    {"name": "offset", "in": "query", "required": False,
     "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET},
     "description": "the rows of the answer to skip before the page"},
]


def describe(query: NamedQuery, root: str, lang: str | None = None) -> dict[str, Any]:
    """A query's catalogue entry; ``title`` and ``description`` in ``lang`` when given (else as written)."""
    entry: dict[str, Any] = {
        "name": query.name,
        "title": query.title_in(lang) if lang else query.title,
        "description": query.description_in(lang) if lang else query.description,
        "url": f"{root}queries/{quote(query.name)}",
        "parameters": [{"name": p.name, "type": p.type, "default": p.default} for p in query.parameters],
        "sparql": query.sparql,
    }
    if query.titles:
        entry["titles"] = {"en": query.title, **query.titles}
    return entry


def _wants_page(request: Request) -> bool:
    """A browser: ``text/html`` named and preferred to every result format (``*/*`` alone means data)."""
    accept = request.headers.get("accept") or ""
    if "text/html" not in accept or "format" in request.query_params or "output" in request.query_params:
        return False
    return negotiate(accept, (*SPARQL_MEDIA_TYPES, HTML)) == HTML


@router.get("/queries", summary="The named-query catalogue",
            responses={200: {"content": {"application/json": {}, "text/html": {}}}})
def list_queries(request: Request, catalogue: CatalogueDep, lang: LanguageDep) -> Response:
    media_type = negotiate(request.headers.get("accept"), ("application/json", HTML))
    if media_type is None:
        raise NotAcceptable("the catalogue is served as application/json or text/html")
    if media_type == HTML:
        response = render(request, "queries.html", lang=lang, queries=query_page.catalogue_view(catalogue, lang=lang))
        response.headers["Vary"] = "Accept, Accept-Language"
        return response
    entries = [describe(q, str(request.base_url)) for q in catalogue]
    return JSONResponse({"queries": entries}, headers={"Vary": "Accept"})


@router.get("/queries/{name}", summary="Run a named query; its parameters come from the query string",
            responses={200: {"content": {HTML: {}, **{m: {} for m in SPARQL_MEDIA_TYPES}}},
                       400: {"description": "Unknown parameter, a value of the wrong type, or a bad limit/offset"},
                       404: {"description": "No such query"}, 406: {"description": "No acceptable format"}},
            openapi_extra={"parameters": _PAGE_PARAMETERS})
async def run_named_query(name: str, request: Request, store: StoreDep, settings: SettingsDep,
                          catalogue: CatalogueDep, index: IndexDep, lang: LanguageDep) -> Response:
    query = catalogue.get(name)
    params = list(request.query_params.multi_items())
    given = {key: value for key, value in params if key not in RESERVED}
    if _wants_page(request):
        view = await run_in_threadpool(query_page.run, store, index, query, given, lang=lang,
                                       href=linker(settings.base_iri, lang).href, timeout=settings.query_timeout)
        page = render(request, "queries.html", lang=lang, queries=[view], single=True)
        page.headers["Vary"] = "Accept, Accept-Language"
        return page
    wanted = Page.from_params(request.query_params.get("limit"), request.query_params.get("offset"))
    sparql = query.sparql if wanted is None else paged(query.sparql, wanted)
    response = await run_query(request, store, settings, sparql, params=params,
                               substitutions=query.bindings({k: v for k, v in given.items() if v != ""}),
                               include_inferred=protocol.wants_inferred(params))
    media_type = (response.media_type or "").split(";")[0]
    disposition = "attachment" if "format" in request.query_params else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{name}.{formats.extension(media_type)}"'
    response.headers["Vary"] = "Accept"
    return response
