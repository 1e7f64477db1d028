"""The materialised triples equal what owlrl (the rdflib OWL 2 RL reference) derives for the same rule subset:
on the project data, on the generated dataset and on random small ontologies. The filters that make "the same
rule subset" precise are in tests/support/owlrl_reference.py."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, URIRef

from ecosystem_graph.reasoning import materialise as reasoning
from ecosystem_graph.store import GraphStore
from ecosystem_graph.store.embedded import MemoryStore
from ecosystem_graph.vocab import inferred_graph_iri

from ..support import owlrl_reference as reference
from ..support import reasoning_data

BASE = "https://example.org/synthetic/"


def assert_equals_owlrl(store: GraphStore) -> int:
    """Compare the inferred graph with owlrl's conclusions from the asserted graphs; return their number."""
    graphs = reference.parse_nquads(b"".join(store.dump("application/n-quads")), {})
    ours = graphs.pop(inferred_graph_iri(store.base_iri), set())
    graphs.pop(reasoning.stats_graph_iri(store.base_iri), None)
    expected = reference.owlrl_conclusions(set().union(*graphs.values()))
    missing, extra = expected - ours, ours - expected
    assert not missing and not extra, (f"{len(missing)} triple(s) owlrl derives and we do not:\n"
                                       f"{reference.describe(missing)}\n{len(extra)} triple(s) we derive and "
                                       f"owlrl does not:\n{reference.describe(extra)}")
    return len(expected)


def materialised(nquads: bytes) -> tuple[MemoryStore, dict[str, int]]:
    store = MemoryStore(BASE, inferred_graph_iri(BASE))
    with store.new_generation() as generation:
        generation.load(nquads, "application/n-quads")
        counts = reasoning.materialise(generation, BASE)
        generation.commit()
    return store, counts


def test_project_data_equals_owlrl(project_store: GraphStore) -> None:
    assert assert_equals_owlrl(project_store) > 0


@pytest.mark.parametrize("seed", [1, 2])
def test_generated_dataset_equals_owlrl(seed: int) -> None:
    store, counts = materialised(reasoning_data.dataset(1000, seed=seed))
    assert all(counts.values()), f"every rule must be exercised: {counts}"
    assert assert_equals_owlrl(store) == sum(counts.values())


def test_rule_subset_leaves_out_domain_and_range() -> None:
    """The input filter is not a no-op: on the unfiltered input owlrl also types the subjects of p0 by its
    rdfs:domain C2, which we leave out on purpose (docs/reasoning.md)."""
    store, _ = materialised(reasoning_data.dataset(300))
    graphs = reference.parse_nquads(b"".join(store.dump("application/n-quads")), {})
    ours = graphs.pop(inferred_graph_iri(BASE))
    graphs.pop(reasoning.stats_graph_iri(BASE))
    asserted = set().union(*graphs.values())
    by_domain = {(s, p, o) for s, p, o in reference.owlrl_conclusions(asserted, rule_subset=False) - ours
                 if p == RDF.type and o == URIRef(reasoning_data.NS + "C2")}
    subjects_of_p0 = {s for s, p, _o in asserted | ours if p == URIRef(reasoning_data.NS + "p0")}
    assert by_domain and {s for s, _p, _o in by_domain} <= subjects_of_p0


# Random small ontologies: a handful of classes and properties, every axiom kind of the subset, random facts.
_CLASSES = [f"<{BASE}C{i}>" for i in range(5)]
_PROPS = [f"<{BASE}p{i}>" for i in range(5)]
_NODES = [f"<{BASE}n{i}>" for i in range(6)]
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS, _OWL = "http://www.w3.org/2000/01/rdf-schema#", "http://www.w3.org/2002/07/owl#"


def _axiom(draw: st.DrawFn, number: int) -> list[str]:
    kind = draw(st.sampled_from(["sco", "eqc", "spo", "eqp", "inv", "trp", "symp", "chain"]))
    c1, c2 = draw(st.sampled_from(_CLASSES)), draw(st.sampled_from(_CLASSES))
    p1, p2 = draw(st.sampled_from(_PROPS)), draw(st.sampled_from(_PROPS))
    simple = {"sco": f"{c1} <{_RDFS}subClassOf> {c2} .", "eqc": f"{c1} <{_OWL}equivalentClass> {c2} .",
              "spo": f"{p1} <{_RDFS}subPropertyOf> {p2} .", "eqp": f"{p1} <{_OWL}equivalentProperty> {p2} .",
              "inv": f"{p1} <{_OWL}inverseOf> {p2} .", "trp": f"{p1} <{_RDF}type> <{_OWL}TransitiveProperty> .",
              "symp": f"{p1} <{_RDF}type> <{_OWL}SymmetricProperty> ."}
    if kind in simple:
        return [simple[kind]]
    links = draw(st.lists(st.sampled_from(_PROPS), min_size=2, max_size=3))
    cells = [f"_:list{number}x{i}" for i in range(len(links))]
    lines = [f"{p1} <{_OWL}propertyChainAxiom> {cells[0]} ."]
    for i, link in enumerate(links):
        rest = cells[i + 1] if i + 1 < len(cells) else f"<{_RDF}nil>"
        lines += [f"{cells[i]} <{_RDF}first> {link} .",
                  f"{cells[i]} <{_RDF}rest> {rest} ."]
    return lines


@st.composite
def small_ontologies(draw: st.DrawFn) -> bytes:
    axioms = [line for number in range(draw(st.integers(1, 8))) for line in _axiom(draw, number)]
    facts = []
    for _ in range(draw(st.integers(1, 12))):
        s, o = draw(st.sampled_from(_NODES)), draw(st.sampled_from(_NODES))
        if draw(st.booleans()):
            facts.append(f"{s} <{_RDF}type> {draw(st.sampled_from(_CLASSES))} .")
        else:
            facts.append(f"{s} {draw(st.sampled_from(_PROPS))} {o} .")
    schema = "".join(f"{line[:-1]}<{BASE}graph/schema> .\n" for line in axioms)
    return (schema + "".join(f"{line[:-1]}<{BASE}graph/data> .\n" for line in facts)).encode()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_ontologies())
def test_random_small_ontologies_equal_owlrl(nquads: bytes) -> None:
    store, counts = materialised(nquads)
    assert assert_equals_owlrl(store) == sum(counts.values())

