"""What the human-facing pages share: the reader's language, the search index of the current generation,
links to resource pages, and rendering a Jinja2 template from ``web/templates``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Query, Request
from fastapi.responses import HTMLResponse

from ..search.index import SearchIndex, index_for
from .deps import SettingsDep, StoreDep
from .negotiation import negotiate_language

if TYPE_CHECKING:
    from jinja2 import Environment

    from ..views.resource_page import Linker

LANGUAGES = ("ru", "en")
#: static assets (vendored libraries, the explore pages' scripts), served at /ui
UI_DIR = Path(__file__).parent / "ui"

#: interface text of the explore pages, per language
MESSAGES: dict[str, dict[str, str]] = {
    "ru": {
        "search": "Поиск", "search_placeholder": "Организация, человек, событие…", "graph": "Граф",
        "timeline": "Хронология", "sparql": "SPARQL", "overview": "Вся экосистема", "no_results": "Ничего не найдено",
        "results_for": "Результаты поиска", "open_page": "Открыть страницу", "expand": "Раскрыть связи",
        "show_graph": "Показать на графе", "graph_hint": "Щелчок по узлу раскрывает его связи, двойной щелчок "
        "открывает страницу.", "period": "период", "part_of": "в рамках", "truncated": "показана часть графа",
        "kind.organisation": "организация", "kind.person": "персона", "kind.agreement": "соглашение",
        "kind.event": "мероприятие", "kind.site": "площадка", "kind.post": "должность", "kind.project": "проект",
        "kind.source": "источник", "kind.quotation": "цитата", "kind.relationship": "факт",
        "kind.period": "период", "kind.quantity": "величина", "kind.concept": "понятие", "kind.term": "термин",
        "kind.other": "ресурс",
    },
    "en": {
        "search": "Search", "search_placeholder": "Organisation, person, event…", "graph": "Graph",
        "timeline": "Timeline", "sparql": "SPARQL", "overview": "Whole ecosystem", "no_results": "Nothing found",
        "results_for": "Search results", "open_page": "Open page", "expand": "Expand links",
        "show_graph": "Show on the graph", "graph_hint": "Click a node to expand its links, double-click to open "
        "its page.", "period": "period", "part_of": "part of", "truncated": "part of the graph is shown",
        "kind.organisation": "organisation", "kind.person": "person", "kind.agreement": "agreement",
        "kind.event": "event", "kind.site": "site", "kind.post": "post", "kind.project": "project",
        "kind.source": "source", "kind.quotation": "quotation", "kind.relationship": "fact",
        "kind.period": "period", "kind.quantity": "quantity", "kind.concept": "concept", "kind.term": "term",
        "kind.other": "resource",
    },
}


async def language(request: Request, lang: Annotated[str | None, Query(description="ru or en; else Accept-Language")]
             = None) -> str:
    """``?lang=`` when it is one we speak, otherwise the best match for ``Accept-Language`` (Russian first)."""
    if lang in LANGUAGES:
        return lang
    return negotiate_language(request.headers.get("accept-language"), LANGUAGES)


def search_index(store: StoreDep, settings: SettingsDep) -> SearchIndex:
    return index_for(store, settings)


LanguageDep = Annotated[str, Depends(language)]
IndexDep = Annotated[SearchIndex, Depends(search_index)]


def linker(base_iri: str, lang: str) -> Linker:
    from ..views.resource_page import Linker  # and rdflib: at the first page, not at start-up

    return Linker(base_iri, lang=lang)


@lru_cache(maxsize=1)
def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, select_autoescape  # at the first page, not at start-up

    return Environment(loader=PackageLoader("ecosystem_graph.web", "templates"), autoescape=select_autoescape())


def render(request: Request, template: str, *, lang: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page in ``lang``, with the language switcher pointing at the same URL in the other languages."""
    params = dict(request.query_params)
    switch = {code: f"{request.url.path}?{urlencode({**params, 'lang': code})}" for code in LANGUAGES}
    html = _environment().get_template(template).render(
        request=request, lang=lang, t=MESSAGES[lang], languages=switch, **context)
    return HTMLResponse(html, status_code=status_code, headers={"Vary": "Accept-Language"})
