"""A SPARQL user who knows only FOAF, W3C ORG, schema.org or PROV finds every person, organisation, event, site
and agreement of the curated data, without writing inference into the query.

The expected sets come from the data itself: the instances of the eco: classes (and their eco: subclasses) in the
asserted triples. Each standard class is asked for by a query without a single eco: term, with the default
dataset (inferences included); a missing alignment or a missing rule makes it fail.
"""

from __future__ import annotations

import pytest

from ecosystem_graph.store import GraphStore
from ecosystem_graph.vocab import FOAF, ORG, PROV, SCHEMA, ontology_ns

ECO = ontology_ns("https://w3id.org/ecosystem-graph/")
RDFS = "http://www.w3.org/2000/01/rdf-schema#"

#: kind of thing (its eco: class) -> the standard classes that must find all of them
STANDARD_CLASSES = {
    "Person": [FOAF + "Person", SCHEMA + "Person", PROV + "Person", FOAF + "Agent", PROV + "Agent"],
    "Organization": [ORG + "Organization", FOAF + "Organization", SCHEMA + "Organization", PROV + "Organization",
                     FOAF + "Agent"],
    "Event": [SCHEMA + "Event", PROV + "Activity"],
    "Site": [ORG + "Site", SCHEMA + "Place"],
    "Agreement": [PROV + "Entity", SCHEMA + "CreativeWork"],
}


def curated(store: GraphStore, kind: str) -> set[str]:
    """Instances of eco:{kind} or an eco: subclass of it, in the asserted triples only."""
    rows = store.select(f"SELECT DISTINCT ?x WHERE {{ ?x a ?class . ?class <{RDFS}subClassOf>* <{ECO}{kind}> . "
                        f"FILTER(STRSTARTS(STR(?class), \"{ECO}\")) }}", include_inferred=False)
    return {row["x"]["value"] for row in rows}


@pytest.mark.parametrize(("kind", "standard_class"),
                         [(kind, cls) for kind, classes in STANDARD_CLASSES.items() for cls in classes])
def test_standard_class_finds_every_curated_instance(project_store: GraphStore, kind: str,
                                                     standard_class: str) -> None:
    expected = curated(project_store, kind)
    assert expected, f"the curated data has no eco:{kind}"
    query = f"SELECT DISTINCT ?x WHERE {{ ?x a <{standard_class}> }}"
    assert "ecosystem-graph" not in query
    found = {row["x"]["value"] for row in project_store.select(query)}
    assert expected <= found, f"{standard_class} misses: {sorted(expected - found)}"


def test_org_transitive_sub_organization_covers_the_structure(project_store: GraphStore) -> None:
    """org:transitiveSubOrganizationOf gives the whole structure: every chain of eco:withinStructureOf links and
    its sub-properties (unit of, subordinate to, ...), closed in Python from the asserted triples."""
    rows = project_store.select(
        f"SELECT ?a ?b WHERE {{ ?a ?p ?b . ?p <{RDFS}subPropertyOf>* <{ECO}withinStructureOf> }}",
        include_inferred=False)
    links = {(r["a"]["value"], r["b"]["value"]) for r in rows}
    assert links, "the curated data has no organisational structure"
    closure = set(links)
    while True:
        longer = {(a, d) for a, b in closure for c, d in links if b == c} - closure
        if not longer:
            break
        closure |= longer
    found = project_store.select(f"SELECT ?a ?b WHERE {{ ?a <{ORG}transitiveSubOrganizationOf> ?b }}")
    assert closure <= {(r["a"]["value"], r["b"]["value"]) for r in found}
