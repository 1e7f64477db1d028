"""The SHACL gate: the data contract (``ontology/shapes.ttl``) checked on a generation before it is published.

:func:`check` is the one entry, for loads and writes alike. The default engine runs the shapes as SPARQL inside the
store (:mod:`.sparql_engine`); pySHACL (:mod:`.pyshacl_engine`, the reference) checks the shapes that engine cannot
translate, or all of them with ``engine="pyshacl"``. Both report :class:`.report.Violation` records.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ..errors import ValidationFailed
from ..sources.files import SourceFile
from ..store import GenerationBuilder, QueryRequest
from ..store.memo import SCHEMA_MEMO
from .report import ShapeReport, Violation

if TYPE_CHECKING:
    from rdflib import Graph

    from .sparql_engine import Sensitivity


class Change(Protocol):
    """A change to a generation that passed the gate: it names the nodes whose results it can alter."""

    def focus_nodes(self, generation: GenerationBuilder, through: Sensitivity | None) -> list[str] | None:
        """Those nodes in N-Triples form (None: too many to name, check everything)."""


def check(generation: GenerationBuilder, files: list[SourceFile], shapes_path: Path, *,
          engine: str = "sparql", change: Change | None = None) -> None:
    """Check the data graphs of ``generation`` (the ontology graphs supply the class hierarchy).

    With ``change`` (a write, on a generation that passed the gate before it), only the focus nodes it can affect
    are checked. The pySHACL engine checks everything.

    :raises ValidationFailed: with one readable line per violation, naming node, constraint and file.
    :raises SourceError: the shapes file is missing or malformed.
    """
    # rdflib (and pySHACL, only when a shape needs it): imported by what checks, not by what serves
    from . import sparql_engine
    from .shapes import load_shapes

    data_graphs = [f.graph for f in files if not f.is_ontology]
    ontology_graphs = [f.graph for f in files if f.is_ontology and f.path != shapes_path]
    if not data_graphs:
        return
    shapes = load_shapes(shapes_path)

    def with_pyshacl(shapes_graph: Graph) -> ShapeReport:
        from .pyshacl_engine import check_shapes

        return check_shapes(generation.export("application/n-triples", graphs=data_graphs),
                            generation.export("application/n-triples", graphs=ontology_graphs), shapes_graph)

    if engine == "pyshacl":
        result = with_pyshacl(shapes)
    else:
        select = sparql_engine.selector(generation, data_graphs + ontology_graphs)
        # read once: the change's focus and the check both need it; and once per schema (:mod:`..store.memo`)
        memo_name = "gate-subclasses " + " ".join(sorted(data_graphs + ontology_graphs))
        classes = SCHEMA_MEMO.get(generation.generation_id, memo_name)
        if classes is None:
            classes = sparql_engine.subclasses_of(select)
            SCHEMA_MEMO.put(generation.generation_id, memo_name, classes)
        focus = change.focus_nodes(generation, sparql_engine.sensitivity(shapes, classes)) if change else None
        result = sparql_engine.check(shapes, select, fallback=with_pyshacl, focus=focus, subclasses=classes)
    if result.conforms:
        return
    by_graph = {f.graph: str(f.relative) for f in files}
    lines = [str(_with_files(generation, v, by_graph)) for v in result.violations]
    raise ValidationFailed(f"{len(lines)} SHACL violation(s):\n" + "\n".join(lines), lines)


def _with_files(generation: GenerationBuilder, violation: Violation, by_graph: dict[str, str]) -> Violation:
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
