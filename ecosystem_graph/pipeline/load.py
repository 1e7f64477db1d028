"""Build a new store generation from the source files, check it, and swap it in atomically."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from ..config import Settings
from ..reasoning.materialise import stats_graph_iri
from ..search.index import build_index
from ..sources.files import SourceFile, discover
from ..store import GenerationBuilder, GraphStore, QueryRequest
from ..vocab import inferred_graph_iri, updates_graph_iri
from .delta import Delta
from .journal import Journal, Replayed, replay
from .publish import Progress, gate_and_reason, no_progress

log = logging.getLogger(__name__)


@dataclass
class LoadReport:
    files: list[SourceFile]
    graph_sizes: dict[str, int] = field(default_factory=dict)
    inferred: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    committed: bool = False
    replayed: Replayed | None = None

    @property
    def triples(self) -> int:
        return sum(self.graph_sizes.values())


def build(store: GraphStore, settings: Settings, *, commit: bool = True,
          progress: Progress = no_progress) -> LoadReport:
    """Parse, validate and (optionally) reason over every source file, then publish the new generation.

    With ``commit=False`` nothing is published: that is ``ecosystem-graph validate``.

    :raises SourceError: a file cannot be parsed (names file, line and column).
    :raises ValidationFailed: the data breaks the SHACL contract.
    """
    files = discover(settings.source_paths, project_dir=settings.project_dir, base_iri=settings.base_iri)
    report = LoadReport(files=files)
    with store.new_generation() as generation:
        started = time.perf_counter()
        for done, source in enumerate(files):
            progress(f"parse {source.relative}", done, len(files))
            generation.load(None, source.media_type, path=str(source.path), graph=source.graph,
                            base_iri=settings.base_iri)
        progress("parsed", len(files), len(files))
        report.seconds["parse+store"] = time.perf_counter() - started
        journal = Journal(settings.changes_dir)
        if journal.entries():
            started = time.perf_counter()
            progress("replay the recorded writes", 0, 1)
            delta = Delta(excluded=(inferred_graph_iri(settings.base_iri), stats_graph_iri(settings.base_iri)))
            report.replayed = replay(journal, generation, delta)
            delta.drop(generation)
            generation.update(f"ADD SILENT DEFAULT TO <{updates_graph_iri(settings.base_iri)}> ; "
                              "CLEAR SILENT DEFAULT")
            report.seconds["replay writes"] = time.perf_counter() - started

        report.inferred = gate_and_reason(generation, files, settings, seconds=report.seconds, progress=progress)

        if commit:
            started = time.perf_counter()
            progress("index labels for search", 0, 1)
            build_index(store, generation, settings)
            report.seconds["search index"] = time.perf_counter() - started

        report.graph_sizes = _graph_sizes(generation)
        if commit:
            generation.commit()
            report.committed = True
        else:
            generation.abort()
    progress("done", 1, 1)
    log.info("built %d triples from %d files (%s)", report.triples, len(files),
             ", ".join(f"{k} {v:.2f}s" for k, v in report.seconds.items()))
    return report


def _graph_sizes(generation: GenerationBuilder) -> dict[str, int]:
    rows = generation.query(QueryRequest(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        accept=["application/sparql-results+json"],
    )).rows()
    return {r["g"]["value"]: int(r["n"]["value"]) for r in rows}


def is_stale(store: GraphStore, files: list[SourceFile]) -> bool:
    """True when the store is empty or older than any source file (``serve`` then builds it first)."""
    built = store.built_at()
    if built is None or store.is_empty():
        return True
    return any(f.mtime > built for f in files)  # journal entries are written before the write's generation
