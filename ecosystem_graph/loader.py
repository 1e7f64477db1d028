"""Build a new store generation from the source files, check it, and swap it in atomically."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import reasoning, search
from .config import Settings
from .errors import ValidationFailed
from .sources import SourceFile, discover
from .store import GenerationBuilder, GraphStore, QueryRequest

if TYPE_CHECKING:
    from . import validation

log = logging.getLogger(__name__)

#: progress(step, done, total)
Progress = Callable[[str, int, int], None]


@dataclass
class LoadReport:
    files: list[SourceFile]
    graph_sizes: dict[str, int] = field(default_factory=dict)
    inferred: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    committed: bool = False

    @property
    def triples(self) -> int:
        return sum(self.graph_sizes.values())


def _noop(step: str, done: int, total: int) -> None:
    pass


def build(store: GraphStore, settings: Settings, *, commit: bool = True, progress: Progress = _noop) -> LoadReport:
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

        if settings.validate_shapes:
            started = time.perf_counter()
            progress("validate (SHACL)", 0, 1)
            check_generation(generation, files, settings.shapes_path, engine=settings.shacl_engine)
            report.seconds["validate"] = time.perf_counter() - started

        if settings.reasoning:
            started = time.perf_counter()
            progress("materialise inferences", 0, 1)
            report.inferred = reasoning.materialise(generation, settings.base_iri)
            report.seconds["reason"] = time.perf_counter() - started

        if commit:
            started = time.perf_counter()
            progress("index labels for search", 0, 1)
            search.build_index(store, generation, settings)
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


def check_generation(generation: GenerationBuilder, files: list[SourceFile], shapes_path: Path, *,
                     engine: str = "sparql") -> None:
    """Run the SHACL gate on a generation under construction: by default as SPARQL inside the store
    (:mod:`.shacl_sparql`, pySHACL for the shapes it cannot translate), or all with pySHACL (``engine="pyshacl"``).

    :raises ValidationFailed: with one readable line per violation, naming node, constraint and file.
    """
    from . import shacl_sparql, validation  # pySHACL and rdflib: imported by what checks, not by what serves

    data_graphs = [f.graph for f in files if not f.is_ontology]
    ontology_graphs = [f.graph for f in files if f.is_ontology and f.path != shapes_path]
    if not data_graphs:
        return
    shapes = validation.load_shapes(shapes_path)

    def with_pyshacl(shapes_graph):
        return validation.check_shapes(generation.export("application/n-triples", graphs=data_graphs),
                                       generation.export("application/n-triples", graphs=ontology_graphs),
                                       shapes_graph)

    if engine == "pyshacl":
        result = with_pyshacl(shapes)
    else:
        select = shacl_sparql.selector(generation, data_graphs + ontology_graphs)
        result = shacl_sparql.check(shapes, select, fallback=with_pyshacl)
    if result.conforms:
        return
    by_graph = {f.graph: str(f.relative) for f in files}
    violations = [_with_files(generation, v, by_graph) for v in result.violations]
    lines = [str(v) for v in violations]
    raise ValidationFailed(f"{len(lines)} SHACL violation(s):\n" + "\n".join(lines), lines)


def _with_files(generation: GenerationBuilder, violation: validation.Violation,
                by_graph: dict[str, str]) -> validation.Violation:
    """Name the files in which the offending node is described."""
    if violation.focus_node.startswith("_:") or " " in violation.focus_node:
        return violation
    rows = generation.query(QueryRequest(
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?node ?p ?o } }",
        accept=["application/sparql-results+json"],
        substitutions={"node": {"type": "uri", "value": violation.focus_node}},
    )).rows()
    files = tuple(sorted(by_graph.get(r["g"]["value"], r["g"]["value"]) for r in rows))
    return type(violation)(**{**violation.__dict__, "files": files})


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
    return any(f.mtime > built for f in files)
