"""Check the files the way Protégé opens them: each data document on its own, its ``owl:imports`` resolved
offline through the ``catalog-v001.xml`` beside it (Protégé reads the catalog of the folder it opens a file
from), then the merged release alone. ``ecosystem-graph check`` runs both after its merged profile check.

A data file without an ``owl:Ontology`` header fails: opened alone, every property it uses would be read as
an annotation property (illegal punning), and none of its individuals would be typed.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Settings
from ..sources.files import SourceFile
from .checks import CATALOG
from .owlapi import OntologyLoadError, check_profile
from .owlapi.catalog import ontology_iris

log = logging.getLogger(__name__)

CATALOG_NAME = "catalog-v001.xml"
#: data formats the OWL API opens as an ontology document
_DOCUMENT_FORMATS = frozenset({"text/turtle", "application/rdf+xml"})


@dataclass(frozen=True)
class DocumentOutcome:
    """One document opened alone: what failed (nothing when ``ok``)."""

    file: Path
    label: str
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    def format(self) -> str:
        head = f"{'ok  ' if self.ok else 'FAIL'} {self.label} opened alone, as in Protégé ({self.seconds:.1f} s)"
        return "\n".join([head, *(f"       {p}" for p in self.problems[:20])])


def catalog_for(settings: Settings, document: Path) -> Path:
    """The catalog Protégé uses for ``document``: the one in its folder, else the ontology's."""
    beside = document.parent / CATALOG_NAME
    return beside if beside.is_file() else settings.resolve(CATALOG)


def check_document(document: Path, catalog: Path, *, label: str | None = None, timeout: float = 120) -> DocumentOutcome:
    """Open ``document`` alone with the OWL API, imports through ``catalog``; every problem is named."""
    label = label or str(document)
    started = time.monotonic()
    if not ontology_iris(document):
        return DocumentOutcome(document, label, [
            f"{label}: no owl:Ontology header; opened alone (Protégé, the OWL API) its properties are read as "
            "annotation properties and its individuals are untyped. Add the header of data/TEMPLATE.ttl.example "
            "(ontology IRI, owl:versionIRI, owl:imports) and map it in the catalog."], time.monotonic() - started)
    try:
        report = check_profile(document, catalog, timeout=timeout)
    except OntologyLoadError as exc:
        return DocumentOutcome(document, label, [f"{label}: {exc}"], time.monotonic() - started)
    problems = [f"{label}: {p.kind}: {p.message}" for p in report.problems]
    return DocumentOutcome(document, label, problems, time.monotonic() - started)


def check_documents(settings: Settings, files: Iterable[SourceFile]) -> list[DocumentOutcome]:
    """Every data file in a format the OWL API opens, each alone."""
    outcomes = []
    for source in files:
        if source.is_ontology or source.media_type not in _DOCUMENT_FORMATS:
            continue
        outcome = check_document(source.path, catalog_for(settings, source.path), label=str(source.relative))
        log.info("%s alone: %s in %.1f s", source.relative, "ok" if outcome.ok else "failed", outcome.seconds)
        outcomes.append(outcome)
    return outcomes


def check_release(settings: Settings) -> DocumentOutcome:
    """Write the merged release into a temporary folder and open it alone, with the release's catalog."""
    from .release import write_release

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="ecosystem-graph-release-") as folder:
        release = write_release(settings, folder=Path(folder), with_owlxml=False)
        merged = release.of("merged", "application/rdf+xml")
        outcome = check_document(merged.path, Path(folder) / CATALOG_NAME, label=f"release {release.version} (merged)")
    return DocumentOutcome(outcome.file, outcome.label, outcome.problems, time.monotonic() - started)
