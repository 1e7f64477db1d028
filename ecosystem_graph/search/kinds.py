"""What kind of thing a resource is (organisation, person, agreement, ...), decided from its classes.

Shared by the search index, the graph view and the timeline, so that every page styles and groups a
resource the same way. The kind comes from the first root class (in :data:`KIND_ROOTS` order) that one of
the resource's classes is a subclass of; the subclass closure is read from the ontology graphs, so this
works whether or not inferences were materialised.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from ..errors import QueryError, ResultTooLarge
from ..store import QueryOutput, QueryRequest, Term
from ..vocab import FOAF, ORG, OWL, RDF, RDFS, SKOS, ontology_ns

#: kind -> the classes (local names in the ontology namespace, or full IRIs) whose instances have it.
#: Order matters: the first match wins (a post is an n-ary node, but we call it a post).
KIND_ROOTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("organisation", ("Organization", ORG + "Organization", FOAF + "Organization")),
    ("person", ("Person", FOAF + "Person")),
    ("agreement", ("Agreement",)),
    ("event", ("Event",)),
    ("site", ("Site", ORG + "Site")),
    ("post", ("Post", ORG + "Post")),
    ("project", ("Project",)),
    ("source", ("SourceDocument",)),
    ("quotation", ("Quotation",)),
    ("relationship", ("Relationship",)),
    ("period", ("Period",)),
    ("quantity", ("Quantity",)),
    ("concept", (SKOS + "Concept", SKOS + "ConceptScheme", "Role")),
    ("term", (OWL + "Class", OWL + "ObjectProperty", OWL + "DatatypeProperty", OWL + "AnnotationProperty",
              OWL + "Ontology", RDF + "Property", RDFS + "Class")),
)

#: Kinds drawn as nodes of the ecosystem overview.
MAIN_KINDS = ("organisation", "person", "agreement", "event", "site")
#: Kinds of the nodes that stand for an n-ary fact: the graph view expands them with their neighbour.
NARY_KINDS = ("post", "relationship", "period", "quantity")
#: Rank of each kind when ties must be broken (ecosystem entities before vocabulary and ontology terms).
KIND_ORDER = {kind: rank for rank, (kind, _roots) in enumerate(KIND_ROOTS)} | {"other": len(KIND_ROOTS)}

log = logging.getLogger(__name__)

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]*$")


class Queryable(Protocol):
    """A store or a generation under construction: anything that runs a :class:`QueryRequest`."""

    def query(self, request: QueryRequest) -> QueryOutput: ...


def select(target: Queryable, sparql: str, *, include_inferred: bool = True,
           substitutions: dict[str, Term] | None = None) -> list[dict[str, Term]]:
    """The rows of a SELECT on a store or a generation builder."""
    request = QueryRequest(sparql, accept=["application/sparql-results+json"], include_inferred=include_inferred,
                           substitutions=substitutions or {})
    return target.query(request).rows()


def select_all(target: Queryable, sparql: str, *, page: int = 200_000,
               include_inferred: bool = True, paged: bool = False) -> Iterator[dict[str, Term]]:
    """All rows of a SELECT: in one answer when it fits the store's result limit, else (or always, with ``paged``:
    a whole answer and its rows in memory at once would be the largest thing a load holds) ``page`` rows at a time.

    Pages are read with LIMIT/OFFSET and no ORDER BY (sorting a million rows per page costs more than the rest):
    a published generation never changes, and the same query over it is evaluated in the same order.
    """
    if not paged:
        try:
            yield from select(target, sparql, include_inferred=include_inferred)
            return
        except ResultTooLarge:
            log.info("result too large for one answer; reading it %d rows at a time", page)
    offset = 0
    while True:
        rows = select(target, f"{sparql}\nLIMIT {page} OFFSET {offset}", include_inferred=include_inferred)
        yield from rows
        if len(rows) < page:
            return
        offset += page


def check_iri(value: str) -> str:
    """``value`` if it is an absolute IRI that can be written as ``<value>``. :raises QueryError: otherwise."""
    if not _IRI.match(value):
        raise QueryError(f"not an absolute IRI: {value!r}")
    return value


def values_block(variable: str, iris: Iterable[str]) -> str:
    """``VALUES ?variable { <a> <b> }`` from checked IRIs (never from unchecked text)."""
    return f"VALUES ?{variable} {{ " + " ".join(f"<{check_iri(i)}>" for i in iris) + " }"


def local_name(iri: str) -> str:
    """The last segment of an IRI, for display when it has no label."""
    return re.split(r"[#/]", iri.rstrip("/#"))[-1] or iri


@dataclass(frozen=True)
class Classifier:
    """Kinds and most specific classes of resources, from the class hierarchy of one dataset."""

    base_iri: str
    superclasses: dict[str, frozenset[str]]  # class -> every (strict) superclass

    @classmethod
    def load(cls, target: Queryable, base_iri: str) -> Classifier:
        """Read the subclass closure (one query)."""
        closure: dict[str, set[str]] = defaultdict(set)
        rows = select(target, f"SELECT ?c ?sup WHERE {{ ?c <{RDFS}subClassOf>+ ?sup . "
                              "FILTER(isIRI(?c) && isIRI(?sup) && ?c != ?sup) }")
        for row in rows:
            closure[row["c"]["value"]].add(row["sup"]["value"])
        return cls(base_iri, {c: frozenset(s) for c, s in closure.items()})

    def _roots(self) -> list[tuple[str, frozenset[str]]]:
        ns = ontology_ns(self.base_iri)
        return [(kind, frozenset(r if ":" in r else ns + r for r in roots)) for kind, roots in KIND_ROOTS]

    def kind(self, classes: Iterable[str]) -> str:
        """The kind of a resource with these classes; ``other`` when none of the roots applies."""
        reach: set[str] = set()
        for c in classes:
            reach.add(c)
            reach |= self.superclasses.get(c, frozenset())
        for kind, roots in self._roots():
            if reach & roots:
                return kind
        return "other"

    def most_specific(self, classes: Iterable[str]) -> str | None:
        """The class no other of ``classes`` is a subclass of (ontology classes preferred); None if none."""
        given = set(classes)
        candidates = [c for c in given
                      if not any(c in self.superclasses.get(other, frozenset()) for other in given if other != c)]
        if not candidates:
            return None
        ns = ontology_ns(self.base_iri)
        return min(candidates, key=lambda c: (not c.startswith(ns), -len(self.superclasses.get(c, ())), c))
