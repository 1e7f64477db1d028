"""Search by label: JSON suggestions for the search box, and a results page (one index, one ranking:
search/index.py; word forms and transliteration as docs/ui.md, "Search", says)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from ..search.index import MAX_LIMIT, Hit
from .deps import SettingsDep
from .views import IndexDep, LanguageDep, linker, render

router = APIRouter(tags=["explore"])

QueryText = Annotated[str, Query(max_length=200, description="Any label or part of it, Russian or English; word "
                                  "forms (Зайцева, Сеченовском) and the other script (Zaytsev, Зайцев) match too")]


def _result(hit: Hit, lang: str, href: str | None) -> dict[str, Any]:
    entry = hit.entry
    return {
        "iri": entry.iri,
        "label": entry.label(lang),
        "matched": hit.matched,
        "matched_lang": hit.matched_lang or None,
        "kind": entry.kind,
        "class": {"iri": entry.class_iri, "label": entry.class_label(lang)} if entry.class_iri else None,
        "labels": {code: text for code, text in entry.labels.items() if code},
        "href": href,
    }


@router.get("/api/search", summary="Find resources by any label (suggestions as you type)")
async def search_api(index: IndexDep, settings: SettingsDep, lang: LanguageDep, q: QueryText = "",
                     limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 10) -> dict[str, Any]:
    hits = await run_in_threadpool(index.search, q, lang=lang, limit=limit)
    links = linker(settings.base_iri, lang)
    return {"query": q, "lang": lang, "results": [_result(h, lang, links.href(h.entry.iri)) for h in hits]}


@router.get("/search", response_class=HTMLResponse, summary="Search results page")
async def search_page(request: Request, index: IndexDep, settings: SettingsDep, lang: LanguageDep,
                      q: QueryText = "") -> HTMLResponse:
    hits = await run_in_threadpool(index.search, q, lang=lang, limit=MAX_LIMIT)
    links = linker(settings.base_iri, lang)
    return render(request, "search.html", lang=lang, query=q,
                  results=[_result(h, lang, links.href(h.entry.iri)) for h in hits])
