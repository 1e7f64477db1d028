"""Quality checks that gate a release: ``sparql/checks/*-violation.rq`` must return no rows (the OBO
Ontology Development Kit's convention), plus the OWL 2 DL profile check of the OWL API.

The queries run over the asserted triples only: a violation must point at something a curator wrote.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from ..config import Settings
from ..sources.files import SourceFile
from ..sources.queries import parse_query_file
from ..store import GraphStore, QueryRequest, Term

log = logging.getLogger(__name__)

#: The ontology edit file and its XML catalog, relative to the project folder (see DESIGN.md).
EDIT_FILE = Path("ontology/ecosystem.ttl")
CATALOG = Path("ontology/catalog-v001.xml")


@dataclass(frozen=True)
class CheckOutcome:
    """One violation query and the rows it returned (none when the check passes)."""

    name: str
    title: str
    path: Path
    rows: list[dict[str, Term]]

    @property
    def ok(self) -> bool:
        return not self.rows


def violation_queries(settings: Settings) -> list[Path]:
    """Every ``*-violation.rq`` below ``{queries_dir}/checks``, sorted."""
    folder = settings.queries_path / "checks"
    return sorted(folder.glob("*-violation.rq")) if folder.is_dir() else []


def run_violation_queries(store: GraphStore, paths: list[Path]) -> list[CheckOutcome]:
    """Run each query over the asserted triples.

    :raises SourceError: a query file has a malformed header.
    :raises QueryError: a query is not valid SPARQL.
    """
    outcomes = []
    for path in paths:
        query = parse_query_file(path)
        rows = store.query(QueryRequest(query.sparql, accept=["application/sparql-results+json"],
                                        include_inferred=False)).rows()
        log.debug("%s: %d row(s)", query.name, len(rows))
        outcomes.append(CheckOutcome(query.name, query.title, path, rows))
    return outcomes


#: data formats the OWL API reads as an ontology document
_OWLAPI_FORMATS = frozenset({"text/turtle", "application/n-triples", "application/rdf+xml"})


def owl_inputs(settings: Settings, files: list[SourceFile]) -> tuple[list[Path], list[Path]]:
    """(ontology files, data files) for the DL reasoner: every source file but the SHACL shapes."""
    ontology = [f.path for f in files if f.is_ontology and f.path != settings.shapes_path]
    return ontology, [f.path for f in files if not f.is_ontology]


def profile_inputs(settings: Settings, files: list[SourceFile]) -> tuple[Path, Path, list[Path]] | None:
    """(edit file, catalog, data files) for the OWL API check, or None when the project has no catalog.

    Data files in formats the OWL API does not read (TriG, N-Quads, JSON-LD) are left out, with a warning.
    """
    edit, catalog = settings.resolve(EDIT_FILE), settings.resolve(CATALOG)
    if not (edit.is_file() and catalog.is_file()):
        return None
    data = [f for f in files if not f.is_ontology]
    skipped = [str(f.relative) for f in data if f.media_type not in _OWLAPI_FORMATS]
    if skipped:
        log.warning("not in the OWL API profile check (format): %s", ", ".join(skipped))
    return edit, catalog, [f.path for f in data if f.media_type in _OWLAPI_FORMATS]
