"""The graph view and the timeline: JSON APIs and the pages that draw them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from ..views import graph_view as graphview
from ..views.timeline import Item, as_data, timeline
from ..views.words import messages
from .deps import SettingsDep, StoreDep
from .views import IndexDep, LanguageDep, linker, render

router = APIRouter(tags=["explore"])

Iri = Annotated[str, Query(description="The resource's IRI")]
Depth = Annotated[int, Query(ge=1, le=graphview.MAX_DEPTH, description="Steps out from the resource")]


def _with_links(graph: dict[str, Any], base_iri: str, lang: str) -> dict[str, Any]:
    links = linker(base_iri, lang)
    for node in graph["nodes"]:
        node["href"] = links.href(node["id"])
    return graph


@router.get("/api/graph/neighbourhood", summary="A resource's neighbourhood, as nodes and edges",
            responses={400: {"description": "iri is not an absolute IRI"}})
async def neighbourhood_api(store: StoreDep, index: IndexDep, settings: SettingsDep, lang: LanguageDep, iri: Iri,
                            depth: Depth = 1,
                            limit: Annotated[int, Query(ge=1, le=1000)] = graphview.MAX_NODES) -> dict[str, Any]:
    graph = await run_in_threadpool(graphview.neighbourhood, store, index, iri, depth=depth, lang=lang,
                                    max_nodes=limit)
    return _with_links(graph, settings.base_iri, lang)


@router.get("/api/graph/overview", summary="The whole ecosystem: organisations, people, agreements, events, sites")
async def overview_api(store: StoreDep, index: IndexDep, settings: SettingsDep, lang: LanguageDep,
                       limit: Annotated[int, Query(ge=1, le=2000)] = graphview.OVERVIEW_NODES) -> dict[str, Any]:
    graph = await run_in_threadpool(graphview.overview, store, index, lang=lang, max_nodes=limit)
    return _with_links(graph, settings.base_iri, lang)


def clusters(lang: str) -> dict[str, str]:
    """Kind -> the caption of its cluster in the overview."""
    words = messages(lang)
    return {key.removeprefix("cluster."): text for key, text in words.items() if key.startswith("cluster.")}


@router.get("/graph", response_class=HTMLResponse, summary="Interactive graph view")
async def graph_page(request: Request, index: IndexDep, settings: SettingsDep, lang: LanguageDep,
                     iri: str | None = None) -> HTMLResponse:
    entry = index.entries([iri]).get(iri) if iri else None
    title = entry.label(lang) if entry else (iri or None)
    return render(request, "graph.html", lang=lang, iri=iri, title=title,
                  href=linker(settings.base_iri, lang).href(iri) if iri else None, clusters=clusters(lang))


@router.get("/api/timeline", summary="Events, agreements, publications and planned periods, in order")
async def timeline_api(store: StoreDep, index: IndexDep, settings: SettingsDep, lang: LanguageDep) -> dict[str, Any]:
    items = await run_in_threadpool(timeline, store, index, lang=lang)
    data = as_data(items)
    links = linker(settings.base_iri, lang)
    for item in data["items"]:
        item["href"] = links.href(item["iri"])
    return data


@router.get("/timeline", response_class=HTMLResponse, summary="Timeline page")
async def timeline_page(request: Request, store: StoreDep, index: IndexDep, settings: SettingsDep,
                        lang: LanguageDep) -> HTMLResponse:
    items = await run_in_threadpool(timeline, store, index, lang=lang)
    return render(request, "timeline.html", lang=lang, band=band(items), items=items,
                  link=linker(settings.base_iri, lang).href)


# --- the timeline's band: where each item sits on a horizontal axis ------------------------------------------
PX_PER_DAY = 2.4  # a true time scale: the same distance for the same span of time, everywhere on the band
MIN_WIDTH = 900
LABEL_CHARS = 48


def _axis(items: list[Item]) -> tuple[dt.date, dt.date, Any]:
    """A linear time axis from 1 January of the first year to 31 December of the last."""
    first = dt.date.fromisoformat(min(i.start for i in items)).replace(month=1, day=1)
    last = dt.date.fromisoformat(max(i.end for i in items)).replace(month=12, day=31)

    def position(iso: str) -> float:
        return round(20.0 + (dt.date.fromisoformat(iso) - first).days * PX_PER_DAY, 1)

    return first, last, position


def band(items: list[Item]) -> dict[str, Any]:
    """Positions (SVG user units) for a band of periods (bars) over dated items (points), with year ticks."""
    if not items:
        return {"width": MIN_WIDTH, "height": 60, "axis_y": 40, "ticks": [], "bars": [], "points": [],
                "px_per_day": PX_PER_DAY}
    first, last, x = _axis(items)
    bars = [{"item": i, "x": x(i.start), "width": max(4.0, x(i.end) - x(i.start)), "y": 30 + 26 * n}
            for n, i in enumerate(j for j in items if j.precision == "year")]
    top = 40 + 26 * len(bars)
    points: list[dict[str, Any]] = []
    lanes: list[float] = []  # lanes: where the last label of each row ends, to stack labels without overlap
    for i in (j for j in items if j.precision == "day"):
        px = x(i.start)  # items of the same day share the point; their labels go to separate lanes
        lane = next((n for n, end in enumerate(lanes) if end < px), len(lanes))
        lanes[lane:lane + 1] = [px + 12 + 6.6 * min(len(i.label), LABEL_CHARS)]
        text = i.label if len(i.label) <= LABEL_CHARS else i.label[:LABEL_CHARS - 1] + "…"
        points.append({"item": i, "x": px, "y": top + 14, "label_y": top + 40 + 18 * lane, "text": text})
    ticks = [{"x": x(f"{year}-01-01"), "year": year} for year in range(first.year, last.year + 1)]
    months = [{"x": x(f"{year}-{month:02d}-01"), "month": month} for year in range(first.year, last.year + 1)
              for month in range(2, 13)]
    width = max(x(last.isoformat()) + 20, *(end + 20 for end in lanes), MIN_WIDTH)
    return {"width": round(width), "height": top + 60 + 18 * len(lanes), "axis_y": top + 14,
            "ticks": ticks, "months": months, "bars": bars, "points": points, "px_per_day": PX_PER_DAY}
