"""Each named query rewritten for speed answers exactly as the text it replaced, kept in
tests/fixtures/named-queries-before/: on the real store, with the inferences and without, for every value of its
parameter that the project data has (and unbound). Both are run as one page over the whole answer, whose order is
total (sources/paging.py), so the rows must come in the same order too."""

from __future__ import annotations

from collections import Counter

import pytest

from ecosystem_graph.sources.paging import Page, paged
from ecosystem_graph.sources.queries import QueryCatalogue, parse_query_file
from ecosystem_graph.store import GraphStore, QueryRequest

from .conftest import REPO

BEFORE = REPO / "tests" / "fixtures" / "named-queries-before"
CATALOGUE = QueryCatalogue(REPO / "sparql")
#: the parameter of each rewritten query, and the query that lists its values in the project data
PREFIXES = ("PREFIX eco: <https://w3id.org/ecosystem-graph/ontology#> "
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> ")
VALUES = {
    "cq05-cluster-company-count": ("cluster", PREFIXES + "SELECT ?v WHERE { ?v a/rdfs:subClassOf* eco:Cluster }"),
    "cq09-fields": ("field", PREFIXES + "SELECT DISTINCT ?v WHERE { ?t eco:hasField ?v }"),
}


def answer(store: GraphStore, sparql: str, bindings: dict, inferred: bool) -> list[str]:
    output = store.query(QueryRequest(sparql, accept=["text/tab-separated-values"], substitutions=bindings,
                                      include_inferred=inferred))
    return output.body.decode().splitlines()


def test_every_rewrite_keeps_its_old_text() -> None:
    assert sorted(p.stem for p in BEFORE.glob("*.rq")) == sorted(VALUES)


@pytest.mark.parametrize("inferred", [True, False], ids=["inferred", "asserted"])
@pytest.mark.parametrize("name", sorted(VALUES))
def test_the_rewrite_answers_as_before(project_store: GraphStore, name: str, inferred: bool) -> None:
    old, new = parse_query_file(BEFORE / f"{name}.rq"), CATALOGUE.get(name)
    parameter, listing = VALUES[name]
    found = [row["v"]["value"] for row in project_store.select(listing)]
    assert found, f"the project data has no {parameter} to bind"
    for value in (None, *found):
        given = {} if value is None else {parameter: value}
        bindings = new.bindings(given)
        assert old.bindings(given) == bindings
        before = answer(project_store, paged(old.sparql, Page()), bindings, inferred)
        after = answer(project_store, paged(new.sparql, Page()), bindings, inferred)
        assert len(before) > 1, f"{name} {given}: nothing to compare"
        assert after == before, f"{name} {given}"
        assert Counter(answer(project_store, new.sparql, bindings, inferred)) == \
            Counter(answer(project_store, old.sparql, bindings, inferred))
