"""Explanations a person can act on, read from the asserted axioms (rdflib only, no reasoner).

For an unsatisfiable class: its asserted superclasses (named and restrictions), the disjointness axioms
among its asserted ancestors, and the unsatisfiable classes it depends on (fix those first). For an
inconsistent ontology: individuals told (by ``rdf:type``, property domains or ranges) to belong to two
disjoint classes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import combinations

import rdflib
from rdflib import OWL, RDF, RDFS, BNode, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

__all__ = ["Axioms", "Explanation", "explain_inconsistency", "explain_unsatisfiable"]

_RESTRICTION_KINDS = {
    OWL.someValuesFrom: "some",
    OWL.allValuesFrom: "only",
    OWL.hasValue: "value",
    OWL.minCardinality: "min",
    OWL.maxCardinality: "max",
    OWL.cardinality: "exactly",
    OWL.minQualifiedCardinality: "min",
    OWL.maxQualifiedCardinality: "max",
    OWL.qualifiedCardinality: "exactly",
}
_BOOLEAN = {OWL.intersectionOf: "and", OWL.unionOf: "or"}


@dataclass(frozen=True)
class Explanation:
    """``subject`` (a class or individual IRI), one-sentence ``text``, the asserted ``axioms`` involved
    (Manchester-like, prefixed names), and ``caused_by``: other unsatisfiable classes it depends on."""

    subject: str
    text: str
    axioms: tuple[str, ...] = ()
    caused_by: tuple[str, ...] = ()


class Axioms:
    """Indexes over the asserted class axioms of one graph."""

    def __init__(self, graph: rdflib.Graph):
        self.graph = graph
        self.disjoint: set[frozenset[Node]] = set()
        for a, b in graph.subject_objects(OWL.disjointWith):
            self.disjoint.add(frozenset((a, b)))
        for node in graph.subjects(RDF.type, OWL.AllDisjointClasses):
            for members in graph.objects(node, OWL.members):
                self.disjoint.update(frozenset(p) for p in combinations(Collection(graph, members), 2))
        for members in graph.objects(None, OWL.disjointUnionOf):
            self.disjoint.update(frozenset(p) for p in combinations(Collection(graph, members), 2))

    def name(self, node: Node) -> str:
        """A prefixed name (or the IRI) for a term; a Manchester-like rendering for a class expression."""
        if isinstance(node, URIRef):
            try:
                return self.graph.namespace_manager.normalizeUri(node)
            except Exception:  # rdflib refuses some IRIs as qnames
                return f"<{node}>"
        if isinstance(node, Literal):
            return repr(str(node))
        return self._expression(node)

    def _expression(self, node: Node) -> str:
        g = self.graph
        prop = g.value(node, OWL.onProperty)
        if prop is not None:
            for predicate, word in _RESTRICTION_KINDS.items():
                value = g.value(node, predicate)
                if value is not None:
                    filler = g.value(node, OWL.onClass) or g.value(node, OWL.onDataRange)
                    tail = f" {self.name(filler)}" if filler is not None else ""
                    return f"({self.name(prop)} {word} {self.name(value)}{tail})"
        for predicate, word in _BOOLEAN.items():
            members = g.value(node, predicate)
            if members is not None:
                return "(" + f" {word} ".join(self.name(m) for m in Collection(g, members)) + ")"
        complement = g.value(node, OWL.complementOf)
        if complement is not None:
            return f"(not {self.name(complement)})"
        return "[anonymous class expression]"

    def parents(self, cls: Node) -> list[Node]:
        """Asserted superclasses, and classes the class is asserted equivalent to (both directions)."""
        out = list(self.graph.objects(cls, RDFS.subClassOf))
        out += self.graph.objects(cls, OWL.equivalentClass)
        out += self.graph.subjects(OWL.equivalentClass, cls)
        for node in list(out):  # an intersection's members are superclasses too
            members = self.graph.value(node, OWL.intersectionOf) if isinstance(node, BNode) else None
            if members is not None:
                out += Collection(self.graph, members)
        return out

    def ancestors(self, cls: Node) -> dict[Node, Node | None]:
        """Every asserted named ancestor (the class included), each with the child it was reached from."""
        seen: dict[Node, Node | None] = {cls: None}
        todo = [cls]
        while todo:
            current = todo.pop()
            for parent in self.parents(current):
                if isinstance(parent, URIRef) and parent not in seen:
                    seen[parent] = current
                    todo.append(parent)
        return seen

    def fillers(self, cls: Node) -> Iterator[Node]:
        """Named classes some existential restriction on ``cls`` or its ancestors requires an instance of."""
        for ancestor in self.ancestors(cls):
            for parent in self.parents(ancestor):
                if isinstance(parent, BNode):
                    filler = self.graph.value(parent, OWL.someValuesFrom) or self.graph.value(parent, OWL.onClass)
                    if isinstance(filler, URIRef):
                        yield filler

    def clashes(self, told: Iterable[Node]) -> list[tuple[Node, Node]]:
        """Pairs of told classes (closed upwards) that are asserted disjoint."""
        closed: set[Node] = set()
        for cls in told:
            closed.update(self.ancestors(cls))
        pairs = [sorted(pair, key=str) for pair in self.disjoint if pair <= closed and len(pair) == 2]
        return sorted(((first, second) for first, second in pairs), key=lambda p: (str(p[0]), str(p[1])))

    def path(self, cls: Node, ancestor: Node) -> str:
        """``cls ⊑ ... ⊑ ancestor`` through the asserted hierarchy."""
        via = self.ancestors(cls)
        chain = [ancestor]
        while via.get(chain[-1]) is not None:
            chain.append(via[chain[-1]])  # type: ignore[arg-type]
        return " ⊑ ".join(self.name(c) for c in reversed(chain))


def explain_unsatisfiable(axioms: Axioms, classes: Iterable[str]) -> Iterator[Explanation]:
    """One explanation per unsatisfiable class, root causes first."""
    unsat = {URIRef(c) for c in classes}
    explanations = []
    for cls in sorted(unsat, key=str):
        ancestors = axioms.ancestors(cls)
        depends = sorted(
            {a for a in ancestors if a in unsat and a != cls} | (set(axioms.fillers(cls)) & unsat), key=str
        )
        lines = [f"{axioms.name(cls)} SubClassOf {axioms.name(p)}" for p in axioms.parents(cls)]
        reasons = []
        for a, b in axioms.clashes([cls]):
            lines.append(f"DisjointClasses({axioms.name(a)}, {axioms.name(b)})")
            reasons.append(
                f"{axioms.path(cls, a)} and {axioms.path(cls, b)}, but {axioms.name(a)} and "
                f"{axioms.name(b)} are disjoint"
            )
        if reasons:
            text = f"{axioms.name(cls)} is unsatisfiable: " + "; ".join(reasons) + "."
            if depends:
                text += (
                    f" It follows from the unsatisfiable {', '.join(axioms.name(d) for d in depends)}: fix that first."
                )
        elif depends:
            text = (
                f"{axioms.name(cls)} is unsatisfiable because it requires the unsatisfiable "
                f"{', '.join(axioms.name(d) for d in depends)}; fix that first."
            )
        else:
            text = (
                f"{axioms.name(cls)} is unsatisfiable; no disjoint pair among its asserted superclasses explains it. "
                "Check the restrictions below against property domains, ranges and cardinalities."
            )
        explanations.append(Explanation(str(cls), text, tuple(dict.fromkeys(lines)), tuple(str(d) for d in depends)))
    explanations.sort(key=lambda e: (bool(e.caused_by), e.subject))
    yield from explanations


def explain_inconsistency(axioms: Axioms) -> Iterator[Explanation]:
    """Individuals told to belong to two disjoint classes, with where each class comes from."""
    g = axioms.graph
    domains = {p: list(g.objects(p, RDFS.domain)) for p in set(g.subjects(RDFS.domain, None))}
    ranges = {p: list(g.objects(p, RDFS.range)) for p in set(g.subjects(RDFS.range, None))}
    object_properties = set(g.subjects(RDF.type, OWL.ObjectProperty))
    told: dict[Node, dict[Node, str]] = {}
    for s, p, o in g:
        if p == RDF.type and not str(o).startswith((str(OWL), str(RDFS), str(RDF))):
            told.setdefault(s, {}).setdefault(o, f"{axioms.name(s)} rdf:type {axioms.name(o)}")
        for cls in domains.get(p, ()):
            told.setdefault(s, {}).setdefault(cls, f"{axioms.name(s)} {axioms.name(p)} … and domain {axioms.name(cls)}")
        if p in object_properties:
            for cls in ranges.get(p, ()):
                told.setdefault(o, {}).setdefault(
                    cls, f"… {axioms.name(p)} {axioms.name(o)} and range {axioms.name(cls)}"
                )
    for individual in sorted(told, key=str):
        reasons = told[individual]
        for a, b in axioms.clashes(c for c in reasons if isinstance(c, URIRef)):
            why = [f"{reasons[c]}" for c in reasons if a in axioms.ancestors(c) or b in axioms.ancestors(c)]
            text = (
                f"{axioms.name(individual)} is told to be both {axioms.name(a)} and {axioms.name(b)}, "
                f"which are disjoint"
            )
            yield Explanation(str(individual), text, (*why, f"DisjointClasses({axioms.name(a)}, {axioms.name(b)})"))
