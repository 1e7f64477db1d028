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
from ..views.words import LANGUAGES, messages
from .deps import SettingsDep, StoreDep
from .negotiation import negotiate_language

if TYPE_CHECKING:
    from jinja2 import Environment

    from ..views.resource_page import Linker

#: static assets (vendored libraries, the explore pages' scripts), served at /ui
UI_DIR = Path(__file__).parent / "ui"


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
    words = messages(lang)
    html = _environment().get_template(template).render(
        request=request, lang=lang, t=words, m=words, languages=switch, **context)
    return HTMLResponse(html, status_code=status_code, headers={"Vary": "Accept-Language"})
