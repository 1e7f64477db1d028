"""``/``: the YASGUI query editor, served from local files, with the project prefixes and the named queries."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

from ..views.words import editor_translations
from ..vocab import sparql_prologue
from .deps import SettingsDep
from .named_queries import CatalogueDep, describe
from .views import UI_DIR, LanguageDep, render

router = APIRouter(tags=["web UI"])

DEFAULT_QUERY = "SELECT ?s ?p ?o WHERE {\n  ?s ?p ?o\n}\nLIMIT 25\n"


def editor_config(base_iri: str, root: str, catalogue: CatalogueDep, lang: str = "en") -> dict[str, Any]:
    """What ui/js/editor.js needs: the endpoint, the default query with every project prefix, the examples, and
    the Russian for YASGUI's own words (on a Russian page)."""
    return {
        "endpoint": root + "sparql",
        "method": "POST",
        "persistenceId": "ecosystem-graph-yasgui",
        "defaultQuery": sparql_prologue(base_iri) + "\n" + DEFAULT_QUERY,
        "queries": [describe(query, root, lang) for query in catalogue],
        "lang": lang,
        "translations": editor_translations(lang),
        "pagePrefix": base_iri + "id/",
        "ontologyPrefix": base_iri + "ontology",
    }


@router.get("/", response_class=HTMLResponse, summary="The SPARQL query editor (YASGUI)")
def editor(request: Request, settings: SettingsDep, catalogue: CatalogueDep, lang: LanguageDep) -> HTMLResponse:
    config = editor_config(settings.base_iri, str(request.base_url), catalogue, lang)
    return render(request, "editor.html", lang=lang, config=config, queries=config["queries"],
                  endpoint=config["endpoint"])


@router.get("/favicon.svg", include_in_schema=False)
@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> FileResponse:
    """The site icon (browsers ask for /favicon.ico on every page that names none)."""
    return FileResponse(UI_DIR / "favicon.svg", media_type="image/svg+xml")
