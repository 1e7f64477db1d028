"""Graphs to draw: the neighbourhood of one resource, and an overview of the whole ecosystem.

Both come out as plain data (``{"nodes": [...], "edges": [...]}``) that the web page hands to Cytoscape.js.
Edges are the asserted IRI-to-IRI triples (no ``rdf:type``, nothing from the inferred graph, which would repeat
each edge under every super-property); node kinds and labels come from the search index, so a graph costs one
SPARQL query per level however many nodes it has.

Nodes that stand for an n-ary fact (a post, a signature, a party to an agreement, a status and its period)
are expanded together with their neighbour, so that "Sechenov University" at depth 1 already shows the
agreement it is a party to. Hubs (source documents, vocabulary concepts) are drawn but not expanded unless
asked for, or the whole graph would hang off them. The overview draws organisations, people, agreements,
events and sites; an n-ary fact between them becomes an edge labelled with the fact's class.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from ..errors import NotFound
from ..search.index import Entry, SearchIndex
from ..search.kinds import MAIN_KINDS, NARY_KINDS, check_iri, local_name, select, values_block
from ..store import GraphStore
from ..vocab import RDF

MAX_DEPTH = 3
MAX_NODES = 200
OVERVIEW_NODES = 400
#: kinds drawn but not expanded (unless they are the resource asked for)
HUB_KINDS = ("source", "concept", "term")

_INCIDENT = """SELECT ?s ?p ?o WHERE {{
  {{ {values} ?node ?p ?o . BIND(?node AS ?s) FILTER(isIRI(?o)) }}
  UNION {{ {values} ?s ?p ?node . BIND(?node AS ?o) }}
  FILTER(?p != <{type}>)
}}"""

Triple = tuple[str, str, str]


def incident_triples(store: GraphStore, iris: list[str], *, timeout: float | None = None) -> set[Triple]:
    """Asserted triples between IRIs that have one of ``iris`` as subject or object (``rdf:type`` left out)."""
    out: set[Triple] = set()
    for start in range(0, len(iris), 200):
        values = values_block("node", iris[start:start + 200])
        rows = select(store, _INCIDENT.format(values=values, type=RDF + "type"), include_inferred=False)
        out.update((r["s"]["value"], r["p"]["value"], r["o"]["value"]) for r in rows)
    return out


@dataclass
class _Drawing:
    """Nodes and edges collected so far, then laid out as plain data in one language."""

    index: SearchIndex
    lang: str
    max_nodes: int
    nodes: dict[str, Entry | None] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], str | None] = field(default_factory=dict)  # (s, p, o) -> label override
    truncated: bool = False

    def add_nodes(self, iris: set[str]) -> list[str]:
        """Add what fits under the cap; return the IRIs that were new."""
        fresh = sorted(iris - self.nodes.keys())
        known = self.index.entries(fresh)
        added = []
        for iri in fresh:
            entry = known.get(iri)
            if entry is not None and entry.kind == "term":
                continue  # ontology terms are the vocabulary, not the ecosystem
            if len(self.nodes) >= self.max_nodes:
                self.truncated = True
                break
            self.nodes[iri] = entry
            added.append(iri)
        return added

    def kind(self, iri: str) -> str:
        entry = self.nodes.get(iri)
        return entry.kind if entry else "other"

    def add_edges(self, triples: set[Triple]) -> None:
        for s, p, o in triples:
            if s in self.nodes and o in self.nodes and s != o:
                self.edges.setdefault((s, p, o), None)

    def as_data(self, center: str | None) -> dict[str, Any]:
        properties = self.index.entries(sorted({p for _s, p, _o in self.edges}))
        nodes = []
        for iri, entry in self.nodes.items():
            nodes.append({
                "id": iri,
                "label": entry.label(self.lang) if entry else local_name(iri),
                "kind": entry.kind if entry else "other",
                "class": entry.class_label(self.lang) if entry else None,
            })
        edges = []
        for number, ((s, p, o), override) in enumerate(sorted(self.edges.items())):
            entry = properties.get(p)
            label = override or (entry.label(self.lang) if entry else local_name(p))
            edges.append({"id": f"e{number}", "source": s, "target": o, "property": p, "label": label})
        return {"center": center, "nodes": nodes, "edges": edges, "truncated": self.truncated}


def neighbourhood(store: GraphStore, index: SearchIndex, iri: str, *, depth: int = 1, lang: str = "ru",
                  max_nodes: int = MAX_NODES) -> dict[str, Any]:
    """The resource, what it links to and what links to it, ``depth`` steps out (n-ary facts for free).

    :raises QueryError: ``iri`` is not an IRI.
    :raises NotFound: nothing is known about ``iri`` (a resource without links is drawn alone).
    """
    check_iri(iri)
    depth = max(1, min(depth, MAX_DEPTH))
    drawing = _Drawing(index, lang, max(1, max_nodes))
    drawing.add_nodes({iri})
    if iri not in drawing.nodes:  # an ontology term: still draw it when asked for
        drawing.nodes[iri] = index.entries([iri]).get(iri)
    frontier, expanded = [iri], set()
    for _level in range(depth):
        triples = incident_triples(store, frontier)
        if not triples and frontier == [iri] and drawing.nodes[iri] is None:
            raise NotFound(f"nothing is known about {iri}")  # no links, no label, no class
        expanded.update(frontier)
        new = drawing.add_nodes({t for s, _p, o in triples for t in (s, o)})
        drawing.add_edges(triples)
        facts = [n for n in new if drawing.kind(n) in NARY_KINDS]
        if facts:  # a fact node is drawn with its other ends
            fact_triples = incident_triples(store, facts)
            expanded.update(facts)
            new += drawing.add_nodes({t for s, _p, o in fact_triples for t in (s, o)})
            drawing.add_edges(fact_triples)
        frontier = [n for n in new if n not in expanded and drawing.kind(n) not in HUB_KINDS]
        if not frontier or drawing.truncated:
            break
    return drawing.as_data(iri)


def overview(store: GraphStore, index: SearchIndex, *, lang: str = "ru",
             max_nodes: int = OVERVIEW_NODES) -> dict[str, Any]:
    """Organisations, people, agreements, events and sites, and the relations between them (at most
    ``max_nodes`` nodes): direct links, and an edge for each n-ary fact that joins two of them."""
    entries = index.of_kinds(MAIN_KINDS, limit=max_nodes + 1)
    drawing = _Drawing(index, lang, max(1, max_nodes))
    drawing.add_nodes({e.iri for e in entries})
    drawing.truncated = len(entries) > max_nodes
    triples = incident_triples(store, list(drawing.nodes))
    drawing.add_edges(triples)
    around: dict[str, set[str]] = defaultdict(set)  # fact node -> the drawn nodes it links
    for s, _p, o in triples:
        if s in drawing.nodes and o not in drawing.nodes:
            around[o].add(s)
        elif o in drawing.nodes and s not in drawing.nodes:
            around[s].add(o)
    facts = index.entries(sorted(around))
    for fact, ends in around.items():
        entry = facts.get(fact)
        if entry is None or entry.kind not in NARY_KINDS or len(ends) < 2:
            continue
        label = entry.class_label(lang) or local_name(fact)
        for a, b in combinations(sorted(ends), 2):
            drawing.edges.setdefault((a, fact, b), label)
    return drawing.as_data(None)
