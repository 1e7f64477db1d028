"""Materialise entailments into the inferred named graph, set-at-a-time inside the store, to a fixpoint."""

from __future__ import annotations

import logging

from .store import GenerationBuilder, QueryRequest
from .vocab import inferred_graph_iri

log = logging.getLogger(__name__)

_PROLOGUE = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""

#: rule name -> CONSTRUCT producing its conclusions from the union of all graphs (the inferred one included).
RULES: dict[str, str] = {
    "cax-sco (rdfs:subClassOf)": "CONSTRUCT { ?x a ?super } WHERE { ?c rdfs:subClassOf ?super . ?x a ?c . "
    "FILTER(isIRI(?super)) }",
    "prp-spo1 (rdfs:subPropertyOf)": "CONSTRUCT { ?s ?super ?o } WHERE { ?p rdfs:subPropertyOf ?super . "
    "?s ?p ?o . FILTER(isIRI(?super)) }",
}

_MAX_ROUNDS = 64


def materialise(generation: GenerationBuilder, base_iri: str) -> dict[str, int]:
    """Apply :data:`RULES` until nothing new is derived; return the new triples each rule added.

    :raises RuntimeError: if no fixpoint is reached within a bounded number of rounds.
    """
    graph = inferred_graph_iri(base_iri)
    added = dict.fromkeys(RULES, 0)
    size = _inferred_size(generation, graph)
    for _round in range(_MAX_ROUNDS):
        grown = False
        for name, construct in RULES.items():
            body = generation.query(QueryRequest(
                _PROLOGUE + construct, accept=["application/n-triples"],
            )).body
            if not body:
                continue
            generation.load(body, "application/n-triples", graph=graph)
            new_size = _inferred_size(generation, graph)
            added[name] += new_size - size
            grown = grown or new_size > size
            size = new_size
        if not grown:
            _drop_asserted_duplicates(generation, graph)
            log.info("materialised %d inferred triples", sum(added.values()))
            return added
    raise RuntimeError(f"no fixpoint after {_MAX_ROUNDS} rounds of materialisation")


def _inferred_size(generation: GenerationBuilder, graph: str) -> int:
    rows = generation.query(QueryRequest(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
        accept=["application/sparql-results+json"],
    )).rows()
    return int(rows[0]["n"]["value"])


def _drop_asserted_duplicates(generation: GenerationBuilder, graph: str) -> None:
    """The inferred graph holds only what is not asserted elsewhere."""
    generation.update(
        f"DELETE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} "
        f"GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{graph}>) }}"
    )
