"""``/``: the YASGUI query editor, served from local files, with the project prefixes and the named queries."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..views.words import messages
from ..vocab import sparql_prologue
from .deps import SettingsDep
from .named_queries import CatalogueDep, describe
from .views import LanguageDep, render

router = APIRouter(tags=["web UI"])

DEFAULT_QUERY = "SELECT ?s ?p ?o WHERE {\n  ?s ?p ?o\n}\nLIMIT 25\n"


def editor_config(base_iri: str, root: str, catalogue: CatalogueDep) -> dict[str, Any]:
    """What ui/js/editor.js needs: the endpoint, the default query with every project prefix, the examples."""
    return {
        "endpoint": root + "sparql",
        "method": "POST",
        "persistenceId": "ecosystem-graph-yasgui",
        "defaultQuery": sparql_prologue(base_iri) + "\n" + DEFAULT_QUERY,
        "queries": [describe(query, root) for query in catalogue],
    }


@router.get("/", response_class=HTMLResponse, summary="The SPARQL query editor (YASGUI)")
def editor(request: Request, settings: SettingsDep, catalogue: CatalogueDep, lang: LanguageDep) -> HTMLResponse:
    config = editor_config(settings.base_iri, str(request.base_url), catalogue)
    return render(request, "editor.html", lang=lang, m=messages(lang), config=config, queries=config["queries"],
                  endpoint=config["endpoint"])
