"""Dereferenceable IRIs, following the W3C note "Cool URIs for the Semantic Web".

Individuals ``{base}id/{kind}/{slug}`` are things, not documents: ``/id/...`` answers ``303 See Other`` (with
``Vary: Accept``) to the document the client asked for — ``/page/{kind}/{slug}`` (HTML, Russian or English)
or ``/data/{kind}/{slug}.ttl|.jsonld|.nt|.rdf``. The ontology uses hash IRIs (``{base}ontology#Term``), so
``/ontology`` is itself the document and negotiates directly (``Vary: Accept, Accept-Language``, with
``Content-Location`` naming ``/ontology.html`` or ``/ontology.ttl``...). Module and version IRIs below
``{base}ontology/`` are 303-redirected to it. See docs/linked-data.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ..errors import NotAcceptable, NotFound
from ..views import describe
from .deps import SettingsDep, StoreDep
from .negotiation import negotiate
from .views import LANGUAGES, IndexDep, LanguageDep, linker, render

router = APIRouter(tags=["linked data"])
Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])

HTML = "text/html"
#: what a resource or the ontology can be had as, the server's preference first (browsers and */* get HTML).
OFFERED: tuple[str, ...] = (HTML, *describe.RDF_FORMATS)
#: header values that stand for one of OFFERED when dereferencing.
ALIASES = {
    "application/xhtml+xml": HTML,
    "application/json": "application/ld+json",
    "application/xml": "application/rdf+xml",
    "text/xml": "application/rdf+xml",
    "application/x-turtle": "text/turtle",
    "text/plain": "application/n-triples",
}
EXTENSION_OF = {media_type: ext for ext, media_type in describe.EXTENSIONS.items()}
FORMAT_NAMES = {"ttl": "Turtle", "jsonld": "JSON-LD", "nt": "N-Triples", "rdf": "RDF/XML"}

Slug = Annotated[str, Path(description="{kind}/{slug} of an individual's IRI", pattern=r"^[^/]+/.+$")]
LangParam = Annotated[str | None, Query(description="ru or en: the page language, else Accept-Language")]
_ERRORS = {404: {"description": "Nothing is known about this IRI"},
           406: {"description": "None of the acceptable media types is offered"}}


def _get_and_head(path: str, **options: Any) -> Callable[[Endpoint], Endpoint]:
    """Register an endpoint for GET and for HEAD as two routes: FastAPI gives one route of several methods one
    operationId for all of them, which the OpenAPI forbids (and schemathesis would test only one)."""

    def register(endpoint: Endpoint) -> Endpoint:
        for method in ("GET", "HEAD"):
            router.add_api_route(path, endpoint, methods=[method], **options)
        return endpoint

    return register


def _negotiate(request: Request) -> str:
    """:raises NotAcceptable: the client accepts none of :data:`OFFERED`."""
    media_type = negotiate(request.headers.get("accept"), OFFERED, aliases=ALIASES)
    if media_type is None:
        raise NotAcceptable(f"this resource can be had as {', '.join(OFFERED)}")
    return media_type


def _query(lang: str | None) -> str:
    return f"?lang={lang}" if lang in LANGUAGES else ""


@_get_and_head("/id/{path:path}", status_code=303,
                  summary="An individual's IRI: 303 See Other to its page or data document",
                  responses={303: {"description": "See the document in the negotiated format"}, **_ERRORS})
async def resource(path: Slug, request: Request, store: StoreDep, settings: SettingsDep,
                   lang: LangParam = None) -> Response:
    media_type = _negotiate(request)
    iri = f"{settings.base_iri}id/{path}"
    if not await run_in_threadpool(describe.exists, store, iri, timeout=settings.query_timeout):
        raise NotFound(f"nothing is known about <{iri}>")
    target = f"/page/{quote(path)}{_query(lang)}" if media_type == HTML \
        else f"/data/{quote(path)}.{EXTENSION_OF[media_type]}"
    return RedirectResponse(request.scope.get("root_path", "") + target, status_code=303, headers={"Vary": "Accept"})


@_get_and_head("/page/{path:path}", response_class=HTMLResponse,
                  summary="The HTML page of an individual, in Russian or English", responses=_ERRORS)
async def resource_page(path: Slug, request: Request, store: StoreDep, settings: SettingsDep, index: IndexDep,
                        lang: LanguageDep) -> HTMLResponse:
    view = await run_in_threadpool(_page, store, f"{settings.base_iri}id/{path}", lang=lang,
                                   linker=linker(settings.base_iri, lang), timeout=settings.query_timeout,
                                   index=index, texts=settings.texts_path)
    formats = [{"name": FORMAT_NAMES[ext], "media_type": media_type, "href": f"/data/{quote(path)}.{ext}"}
               for ext, media_type in describe.EXTENSIONS.items()]
    return render(request, "resource.html", lang=lang, view=view, formats=formats)


def _page(*args: Any, **kwargs: Any) -> Any:
    """:func:`.resource_view.page`, imported (with rdflib) at the first page rather than at start-up."""
    from ..views.resource_page import page

    return page(*args, **kwargs)


@_get_and_head("/data/{path:path}",
                  summary="The RDF description of an individual: .ttl, .jsonld, .nt or .rdf",
                  responses={200: {"content": {m: {} for m in describe.RDF_FORMATS}}, **_ERRORS})
async def resource_data(path: Slug, store: StoreDep, settings: SettingsDep) -> Response:
    stem, _, ext = path.rpartition(".")
    media_type = describe.EXTENSIONS.get(ext)
    if not stem or media_type is None:
        raise NotFound(f"/data/{path}: a description document ends in .{', .'.join(describe.EXTENSIONS)}")
    body = await run_in_threadpool(describe.document, store, f"{settings.base_iri}id/{stem}", media_type,
                                   timeout=settings.query_timeout)
    return Response(body, media_type=media_type)


async def _ontology(request: Request, store: StoreDep, settings: SettingsDep, lang: str, media_type: str) -> Response:
    from ..views import (
        ontology_reference as ontology_docs,  # rdflib and jinja2: imported at the first ontology page, not at start-up
    )

    if media_type == HTML:
        switch = {code: f"{request.url.path}?lang={code}" for code in LANGUAGES}
        html = await run_in_threadpool(ontology_docs.reference_html, settings, lang=lang, languages=switch)
        return HTMLResponse(html, headers={"Content-Location": "/ontology.html"})
    graphs = [f.graph for f in ontology_docs.ontology_files(settings)]
    body = await run_in_threadpool(describe.ontology_document, store, graphs, media_type,
                                   timeout=settings.query_timeout)
    return Response(body, media_type=media_type,
                    headers={"Content-Location": f"/ontology.{EXTENSION_OF[media_type]}"})


@_get_and_head("/ontology", summary="The ontology (and every term IRI ontology#Term)",
                  responses={200: {"content": {m: {} for m in OFFERED}}, **_ERRORS})
async def ontology(request: Request, store: StoreDep, settings: SettingsDep, lang: LanguageDep) -> Response:
    response = await _ontology(request, store, settings, lang, _negotiate(request))
    response.headers["Vary"] = "Accept, Accept-Language"
    return response


@_get_and_head("/ontology.{ext}", summary="The ontology in one format",
                  responses={200: {"content": {m: {} for m in OFFERED}}, 404: _ERRORS[404]})
async def ontology_file(ext: str, request: Request, store: StoreDep, settings: SettingsDep,
                        lang: LanguageDep) -> Response:
    media_type = HTML if ext == "html" else describe.EXTENSIONS.get(ext)
    if media_type is None:
        raise NotFound(f"/ontology.{ext}: the ontology is at /ontology.html, .{', .'.join(describe.EXTENSIONS)}")
    return await _ontology(request, store, settings, lang, media_type)


@_get_and_head("/ontology/{path:path}", status_code=303,
                  summary="A module or version IRI of the ontology: 303 See Other to the ontology",
                  responses={303: {"description": "See /ontology"}, 404: _ERRORS[404]})
async def ontology_module(path: str, request: Request, store: StoreDep, settings: SettingsDep,
                          lang: LangParam = None) -> Response:
    iri = f"{settings.base_iri}ontology/{path}"
    if not await run_in_threadpool(describe.exists, store, iri, timeout=settings.query_timeout):
        raise NotFound(f"nothing is known about <{iri}>")
    return RedirectResponse(request.scope.get("root_path", "") + "/ontology" + _query(lang), status_code=303)
