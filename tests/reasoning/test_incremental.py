"""Incremental reasoning after a change equals a full materialisation of the changed data: random small
ontologies, random facts, random insertions and deletions (hypothesis), and the project data."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecosystem_graph.reasoning.incremental import apply_delta
from ecosystem_graph.store.embedded import MemoryStore
from ecosystem_graph.vocab import inferred_graph_iri

from .test_materialise_owlrl import _CLASSES, _NODES, _PROPS, _RDF, BASE, _axiom, materialised

DATA, ADDED, REMOVED = BASE + "graph/data", "urn:x-test:added", "urn:x-test:removed"
INFERRED = inferred_graph_iri(BASE)


def _fact(draw: st.DrawFn) -> str:
    s, o = draw(st.sampled_from(_NODES)), draw(st.sampled_from(_NODES))
    if draw(st.booleans()):
        return f"{s} <{_RDF}type> {draw(st.sampled_from(_CLASSES))}"
    return f"{s} {draw(st.sampled_from(_PROPS))} {o}"


@st.composite
def changes(draw: st.DrawFn) -> tuple[list[str], set[str], set[str], set[str]]:
    """(schema lines, facts before, facts removed, facts added), the last two effective (disjoint, real)."""
    schema = [line for number in range(draw(st.integers(1, 8))) for line in _axiom(draw, number)]
    before = {_fact(draw) for _ in range(draw(st.integers(1, 14)))}
    removed = {f for f in before if draw(st.booleans())}
    added = {_fact(draw) for _ in range(draw(st.integers(0, 6)))} - before
    return schema, before, removed, added


def quads(lines: set[str] | list[str], graph: str) -> bytes:
    return "".join(f"{line.rstrip(' .')} <{graph}> .\n" for line in lines).encode()


def inferred_triples(store: MemoryStore) -> set[str]:
    rows = store.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{INFERRED}> {{ ?s ?p ?o }} }}")
    return {" ".join(_term(row[v]) for v in ("s", "p", "o")) for row in rows}


def _term(term: dict) -> str:
    return f"<{term['value']}>" if term["type"] == "uri" else f"_:{term['value']}" if term["type"] == "bnode" \
        else repr(term)


def incrementally(schema: list[str], before: set[str], removed: set[str], added: set[str]) -> MemoryStore:
    store, _ = materialised(quads(schema, BASE + "graph/schema") + quads(before, DATA))
    with store.new_generation(copy_current=True) as generation:
        if removed:
            generation.update(f"DELETE DATA {{ GRAPH <{DATA}> {{ {' . '.join(removed)} }} }}")
            generation.load(quads(removed, REMOVED), "application/n-quads")
        if added:
            generation.load(quads(added, DATA) + quads(added, ADDED), "application/n-quads")
        apply_delta(generation, BASE, added=ADDED, removed=REMOVED)
        generation.update(f"DROP SILENT GRAPH <{ADDED}> ; DROP SILENT GRAPH <{REMOVED}>")
        generation.commit()
    return store


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes())
def test_incremental_equals_full_on_random_changes(change: tuple[list[str], set[str], set[str], set[str]]) -> None:
    schema, before, removed, added = change
    expected, _ = materialised(quads(schema, BASE + "graph/schema") + quads((before - removed) | added, DATA))
    assert inferred_triples(incrementally(schema, before, removed, added)) == inferred_triples(expected)


def test_a_deleted_premise_takes_its_conclusions_but_not_the_ones_derived_otherwise() -> None:
    """n0 is a C0 twice over (asserted C1, and asserted C2); removing C1 keeps C0 through C2; removing the
    p0 edge of a chain takes the transitive conclusion with it."""
    c0, c1, c2 = _CLASSES[:3]
    p0 = _PROPS[0]
    n0, n1, n2 = _NODES[:3]
    schema = [f"{c1} <http://www.w3.org/2000/01/rdf-schema#subClassOf> {c0} .",
              f"{c2} <http://www.w3.org/2000/01/rdf-schema#subClassOf> {c0} .",
              f"{p0} <{_RDF}type> <http://www.w3.org/2002/07/owl#TransitiveProperty> ."]
    before = {f"{n0} <{_RDF}type> {c1}", f"{n0} <{_RDF}type> {c2}", f"{n0} {p0} {n1}", f"{n1} {p0} {n2}"}
    store = incrementally(schema, before, {f"{n0} <{_RDF}type> {c1}", f"{n1} {p0} {n2}"}, set())
    assert inferred_triples(store) == {f"{n0} <{_RDF}type> {c0}"}


def test_a_change_no_rule_reads_skips_the_rules_but_not_what_a_removal_makes_derivable() -> None:
    """p1 is a sub-property of p0: a p0 triple is only ever concluded, never read by a rule. Adding one changes
    nothing inferred (it just stops being inferred); removing an asserted p0 triple that p1 still derives makes it
    an inferred one. A p2 triple (no axiom names p2) is neither read nor concluded."""
    p0, p1, p2 = _PROPS[:3]
    n0, n1, n2 = _NODES[:3]
    schema = [f"{p1} <http://www.w3.org/2000/01/rdf-schema#subPropertyOf> {p0} ."]
    before = {f"{n0} {p1} {n1}", f"{n0} {p0} {n1}", f"{n1} {p2} {n2}"}
    removed_derivable = incrementally(schema, before, {f"{n0} {p0} {n1}"}, set())
    assert inferred_triples(removed_derivable) == {f"{n0} {p0} {n1}"}
    added_concluded = incrementally(schema, before - {f"{n0} {p0} {n1}"}, set(), {f"{n0} {p0} {n1}", f"{n2} {p0} {n0}"})
    assert inferred_triples(added_concluded) == set()  # the asserted triple is not also an inferred one
    unrelated = incrementally(schema, before, {f"{n1} {p2} {n2}"}, {f"{n2} {p2} {n0}"})
    assert inferred_triples(unrelated) == set()
