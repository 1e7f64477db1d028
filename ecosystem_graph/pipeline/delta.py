"""A write as the quads it removes and adds, applied to a generation so that what follows costs what changed.

A write that states its change (``INSERT DATA`` / ``DELETE DATA`` operations, a Graph Store POST, PUT or DELETE) is
applied here step by step, and the generation keeps two scratch graphs of the asserted change as the union of the
graphs sees it: the triples that were in no asserted graph and now are (:attr:`Delta.added`) and the ones that
were and now are in none (:attr:`Delta.removed`). The SHACL gate then checks only the nodes those triples touch
(:meth:`Delta.focus_nodes`) and the reasoner follows them (:mod:`..reasoning.incremental`). The same steps, as
quads, are what the journal records (:mod:`.journal`).

An update of any other form (``DELETE … WHERE``, ``CLEAR``, ``ADD`` …) does not state its change; it runs as
it is, and the gate and the reasoner look at everything, as a load does.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ..errors import QueryError
from ..store import GenerationBuilder, QueryRequest

if TYPE_CHECKING:
    from ..gate.sparql_engine import Sensitivity
from ..store.sparql_text import term as sparql_term

SCRATCH = "urn:x-ecosystem-graph:delta:"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#: a change to these changes the class hierarchy, and so which nodes every shape targets
_HIERARCHY = ("http://www.w3.org/2000/01/rdf-schema#subClassOf", "http://www.w3.org/2002/07/owl#equivalentClass")
_JSON = ["application/sparql-results+json"]
#: more focus nodes than this and the gate checks everything (a VALUES list that long costs more than it saves)
MAX_FOCUS = 20_000

Action = Literal["add", "remove", "drop", "remove-matching"]
#: one quad in N-Quads form: subject, predicate, object, graph (N-Triples terms)
Quad = tuple[str, str, str, str]


@dataclass(frozen=True)
class Step:
    """``add`` or ``remove`` these quads, ``drop`` the graph ``graph`` (all its triples), or ``remove-matching``:
    remove the quads the pattern ``quads`` (with variables) matches, as ``DELETE WHERE`` does."""

    action: Action
    quads: tuple[Quad, ...] = ()
    graph: str | None = None


class NotStated(Exception):
    """The change cannot be stated as quads (a ``DELETE WHERE`` matched blank nodes): run the update as it is."""


@dataclass
class Delta:
    """The scratch graphs of one write's asserted change inside a generation."""

    excluded: tuple[str, ...]  # graphs that are not asserted data (the inferred graph and its statistics)
    #: the generation this change is made on (its id), when it is a copy of one that passed gate and reasoning
    based_on: str | None = None
    added: str = SCRATCH + "added"
    removed: str = SCRATCH + "removed"
    #: the effective change per graph, in order: ("A" or "D", graph, N-Triples of the triples added or removed)
    records: list[tuple[str, str, bytes]] = field(default_factory=list)

    def apply(self, generation: GenerationBuilder, steps: Iterable[Step]) -> None:
        """Apply ``steps`` in order, keeping :attr:`added` and :attr:`removed` right."""
        for step in steps:
            if step.action == "drop":
                assert step.graph is not None
                self._remove_graph(generation, step.graph)
            elif step.action == "remove-matching":
                self.apply(generation, [Step("remove", _matches(generation, step.quads, self.excluded))])
            elif step.quads:
                for graph_term in sorted({q[3] for q in step.quads}):
                    part = tuple(q for q in step.quads if q[3] == graph_term)
                    graph = graph_term[1:-1]  # <iri>
                    if step.action == "add":
                        self._add(generation, graph, part)
                    else:
                        self._remove(generation, graph, part)

    def _asserted_elsewhere(self) -> str:
        excluded = ", ".join(f"<{g}>" for g in self.excluded)
        return (f"GRAPH ?_g {{ ?s ?p ?o }} FILTER(?_g NOT IN ({excluded}) "
                f"&& !STRSTARTS(STR(?_g), \"urn:x-ecosystem-graph:\"))")

    def _add(self, generation: GenerationBuilder, graph: str, quads: tuple[Quad, ...]) -> None:
        # one document, so that a blank node label names one node across the step's quads
        body = "".join(f"{s} {p} {o} .\n" for s, p, o, _g in quads).encode()
        self.add_document(generation, body, "application/n-triples", graph=graph)

    def add_document(self, generation: GenerationBuilder, data: bytes, media_type: str, *, graph: str,
                     base_iri: str | None = None) -> None:
        """Add the triples of an RDF document to ``graph``.

        :raises SourceError: the document does not parse (nothing of it is added).
        """
        scratch = SCRATCH + "in"
        generation.load(data, media_type, graph=scratch, base_iri=base_iri)
        self._merge(generation, scratch, graph)

    def _merge(self, generation: GenerationBuilder, scratch: str, graph: str) -> None:
        """Move the triples of ``scratch`` into ``graph``; those new to every asserted graph go to :attr:`added`."""
        generation.update(f"DELETE {{ GRAPH <{scratch}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{scratch}> {{ ?s ?p ?o }} "
                          f"GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        self._record("A", generation, scratch, graph)
        generation.update(
            f"INSERT {{ GRAPH <{self.added}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{scratch}> {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ {self._asserted_elsewhere()} }} }} ; "
            f"DELETE {{ GRAPH <{self.removed}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{scratch}> {{ ?s ?p ?o }} "
            f"GRAPH <{self.removed}> {{ ?s ?p ?o }} }} ; "
            f"ADD SILENT <{scratch}> TO <{graph}> ; DROP SILENT GRAPH <{scratch}>")

    def _remove(self, generation: GenerationBuilder, graph: str, quads: tuple[Quad, ...]) -> None:
        self.remove_document(generation, "".join(f"{s} {p} {o} .\n" for s, p, o, _g in quads).encode(), graph=graph)

    def remove_document(self, generation: GenerationBuilder, triples: bytes, *, graph: str) -> None:
        """Remove the triples of an N-Triples document from ``graph`` (those it holds)."""
        scratch = SCRATCH + "out"
        generation.load(triples, "application/n-triples", graph=scratch)
        self._take_out(generation, scratch, graph)

    def replace_graph(self, generation: GenerationBuilder, graph: str, new: str) -> None:
        """Make ``graph`` hold exactly the triples of the graph ``new`` (which is then dropped), as a change: only
        the triples that differ pass through :attr:`added` and :attr:`removed`."""
        leaving, coming = SCRATCH + "out", SCRATCH + "in"
        generation.update(
            f"INSERT {{ GRAPH <{leaving}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH <{new}> {{ ?s ?p ?o }} }} }} ; "
            f"INSERT {{ GRAPH <{coming}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{new}> {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} }} ; DROP SILENT GRAPH <{new}>")
        self._take_out(generation, leaving, graph)
        self._merge(generation, coming, graph)

    def _remove_graph(self, generation: GenerationBuilder, graph: str) -> None:
        scratch = SCRATCH + "out"
        generation.update(f"COPY SILENT <{graph}> TO <{scratch}>")
        self._take_out(generation, scratch, graph)

    def _take_out(self, generation: GenerationBuilder, scratch: str, graph: str) -> None:
        """Remove the triples of ``scratch`` from ``graph``; those now in no asserted graph go to :attr:`removed`."""
        generation.update(f"DELETE {{ GRAPH <{scratch}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{scratch}> {{ ?s ?p ?o }} "
                          f"FILTER NOT EXISTS {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} }}")
        self._record("D", generation, scratch, graph)
        generation.update(
            f"DELETE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{scratch}> {{ ?s ?p ?o }} }} ; "
            f"INSERT {{ GRAPH <{self.removed}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{scratch}> {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ {self._asserted_elsewhere()} }} }} ; "
            f"DELETE {{ GRAPH <{self.added}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{scratch}> {{ ?s ?p ?o }} "
            f"GRAPH <{self.added}> {{ ?s ?p ?o }} }} ; DROP SILENT GRAPH <{scratch}>")

    def _record(self, kind: str, generation: GenerationBuilder, scratch: str, graph: str) -> None:
        triples = generation.export("application/n-triples", graphs=[scratch])
        if triples.strip():
            self.records.append((kind, graph, triples))
            generation.note_change(graph, triples)  # exactly what the graph gained or lost

    def is_empty(self, generation: GenerationBuilder) -> bool:
        return not generation.query(QueryRequest(
            f"ASK {{ {{ GRAPH <{self.added}> {{ ?s ?p ?o }} }} UNION {{ GRAPH <{self.removed}> {{ ?s ?p ?o }} }} }}",
            accept=_JSON)).boolean()

    def focus_nodes(self, generation: GenerationBuilder, through: Sensitivity | None) -> list[str] | None:
        """The nodes whose SHACL results the change can alter, in N-Triples form, or None (check everything) when
        there are more than :data:`MAX_FOCUS` or a blank node is among them: the subjects and objects of the
        changed triples, and the nodes that point at a changed node through a predicate whose constraints read the
        value's type (when a type changed) or its other properties (``through``; None: any predicate)."""
        changed = generation.query(QueryRequest(
            f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?_d {{ <{self.added}> <{self.removed}> }} "
            f"GRAPH ?_d {{ ?s ?p ?o }} }} LIMIT {MAX_FOCUS + 1}", accept=_JSON)).rows()
        terms = [row[v] for row in changed for v in ("s", "o")]
        if len(changed) > MAX_FOCUS or any(term["type"] == "bnode" for term in terms):
            return None  # a blank node cannot be named in a query
        if any(row["p"]["value"] in _HIERARCHY for row in changed):
            return None  # a new class hierarchy can change any node's targets
        nodes = {sparql_term(term) for term in terms if term["type"] != "literal"}
        # the nodes that point at a changed node through a predicate whose constraints read what changed
        branches = []
        if through is None:
            branches.append(("?n ?q ?c", {sparql_term(row["s"]) for row in changed}))
        else:
            typed = {sparql_term(row["s"]) for row in changed if row["p"]["value"] == _RDF + "type"}
            branches += [(_pointing(step), typed) for step in sorted(through.types)]
            branches += [(_pointing(step), {sparql_term(row["s"]) for row in changed if row["p"]["value"] in read})
                         for step, read in sorted(through.properties.items())]
        union = " UNION ".join(f"{{ VALUES ?c {{ {' '.join(sorted(subjects))} }} GRAPH ?_any {{ {pattern} }} }}"
                               for pattern, subjects in branches if subjects)
        if union:
            rows = generation.query(QueryRequest(f"SELECT DISTINCT ?n WHERE {{ {union} }} LIMIT {MAX_FOCUS + 1}",
                                                 accept=_JSON)).rows()
            if len(rows) > MAX_FOCUS or any(row["n"]["type"] == "bnode" for row in rows):
                return None
            nodes |= {sparql_term(row["n"]) for row in rows}
        return sorted(nodes) if len(nodes) <= MAX_FOCUS else None

    def drop(self, generation: GenerationBuilder) -> None:
        generation.update(f"DROP SILENT GRAPH <{self.added}> ; DROP SILENT GRAPH <{self.removed}>")


def _matches(generation: GenerationBuilder, pattern: tuple[Quad, ...], computed: tuple[str, ...]) -> tuple[Quad, ...]:
    """The quads ``pattern`` (terms and ``?variables``, every graph named or a variable) matches in the asserted
    graphs (the computed ones are derived again from those anyway).

    :raises NotStated: a match binds a blank node, which no quad written as text can name.
    """
    group = " ".join(f"GRAPH {g} {{ {s} {p} {o} }}" for s, p, o, g in pattern)
    excluded = ", ".join(f"<{g}>" for g in computed)
    group += "".join(f' FILTER({g} NOT IN ({excluded}) && !STRSTARTS(STR({g}), "urn:x-ecosystem-graph:"))'
                     for g in sorted({q[3] for q in pattern if q[3].startswith("?")}))
    rows = generation.query(QueryRequest(f"SELECT * WHERE {{ {group} }}", accept=_JSON)).rows()
    found = set()
    for row in rows:
        if any(value["type"] == "bnode" for value in row.values()):
            raise NotStated("DELETE WHERE matched a blank node")
        found |= {tuple(sparql_term(row[t[1:]]) if t.startswith("?") else t for t in quad) for quad in pattern}
    return tuple(sorted(found))  # type: ignore[arg-type]


def _pointing(step: str) -> str:
    """The pattern of a node ?n that reaches ?c in one step of a shape's path (``^p``: ?c points at ?n)."""
    return f"?c <{step[1:]}> ?n" if step.startswith("^") else f"?n <{step}> ?c"


# --- the change an update states ------------------------------------------------------------------------------
_PARSING = threading.Lock()  # rdflib's literal normalisation is a module flag: off while we parse


def data_steps(sparql: str, *, default_graph: str, base_iri: str | None = None,
               algebra: Any = None) -> list[Step] | None:
    """The steps of an update made only of ``INSERT DATA`` and ``DELETE DATA`` operations (triples outside a
    ``GRAPH`` go to ``default_graph``), or of one ``DELETE WHERE`` whose patterns all name their graph, or None for
    an update of any other form.

    Read by the SPARQL grammar (rdflib's parser), with literals kept as written. An update this parser does not
    read is None too: it then runs in the engine, which reports its syntax errors with their positions.
    ``algebra``: the update already translated (:attr:`..syntax.reading.Reading.algebra`, same base), not parsed again.
    """
    import rdflib
    from rdflib.plugins.sparql.algebra import translateUpdate
    from rdflib.plugins.sparql.parser import parseUpdate

    update = algebra
    if update is None:
        with _PARSING:
            normalise, rdflib.NORMALIZE_LITERALS = rdflib.NORMALIZE_LITERALS, False
            try:
                update = translateUpdate(parseUpdate(sparql), base=base_iri)
            except Exception:  # pyparsing and rdflib raise several types for a malformed update
                return None
            finally:
                rdflib.NORMALIZE_LITERALS = normalise
    steps: list[Step] = []
    for operation in getattr(update, "algebra", None) or []:  # an empty update translates to a bare list
        if operation.name == "DeleteWhere" and not operation.get("triples") and len(update.algebra) == 1:
            pattern = tuple((_n3(s), _n3(p), _n3(o), _n3(graph)) for graph, triples in operation["quads"].items()
                            for s, p, o in triples)
            steps.append(Step("remove-matching", pattern))
            continue
        if operation.name not in ("InsertData", "DeleteData"):
            return None
        quads = [(*triple, None) for triple in operation.get("triples") or []]
        quads += [(*triple, graph) for graph, triples in (operation.get("quads") or {}).items() for triple in triples]
        written = tuple((_n3(s), _n3(p), _n3(o), f"<{graph}>" if graph is not None else f"<{default_graph}>")
                        for s, p, o, graph in quads)
        steps.append(Step("add" if operation.name == "InsertData" else "remove", written))
    return steps


def _n3(node: Any) -> str:
    """An rdflib term in N-Triples form (through the SPARQL-JSON form, whose writer escapes everything)."""
    from rdflib import BNode, URIRef, Variable
    from rdflib import Literal as RdfLiteral

    if isinstance(node, Variable):
        return f"?{node}"
    if isinstance(node, URIRef):
        return sparql_term({"type": "uri", "value": str(node)})
    if isinstance(node, BNode):
        return f"_:b{node}"
    if isinstance(node, RdfLiteral):
        value: dict[str, str] = {"type": "literal", "value": str(node)}
        if node.language:
            value["xml:lang"] = node.language
        elif node.datatype is not None:
            value["datatype"] = str(node.datatype)
        return sparql_term(value)
    raise QueryError(f"not a term of RDF data: {node!r}")
