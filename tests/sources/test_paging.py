"""The text of one page of a SELECT (sources/paging.py), run on a real store: the query's own LIMIT and OFFSET
still bound the answer, a trailing VALUES block stays, and only SELECT queries are paged."""

from __future__ import annotations

import pytest

from ecosystem_graph.errors import QueryError
from ecosystem_graph.sources.paging import Page, paged
from ecosystem_graph.store import GraphStore, QueryRequest

LABELS = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }"


def answer(store: GraphStore, sparql: str) -> list[tuple[str, str]]:
    rows = store.query(QueryRequest(sparql, accept=["application/sparql-results+json"])).rows()
    return [(r["s"]["value"], r["label"]["value"]) for r in rows]


def test_pages_of_a_query_with_its_own_limit_and_offset(mini_store: GraphStore) -> None:
    everything = answer(mini_store, paged(LABELS, Page()))
    assert len(everything) >= 4 and everything == sorted(everything)  # no ORDER BY: every projected column
    own = LABELS + " LIMIT 3 OFFSET 1"
    assert answer(mini_store, paged(own, Page())) == everything[1:4]
    assert answer(mini_store, paged(own, Page(limit=2, offset=2))) == everything[3:4]
    assert answer(mini_store, paged(own, Page(offset=5))) == []


def test_own_order_first_then_the_projected_columns(mini_store: GraphStore) -> None:
    text = paged(LABELS + " ORDER BY DESC(STR(?label)) VALUES ?s { <urn:nothing> }", Page(limit=2))
    assert text.endswith("ORDER BY DESC(STR(?label)) ?s ?label LIMIT 2 VALUES ?s { <urn:nothing> }")
    assert answer(mini_store, text) == []


@pytest.mark.parametrize("sparql", ["ASK { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"])
def test_only_select_queries_are_paged(sparql: str) -> None:
    with pytest.raises(QueryError, match="SELECT"):
        paged(sparql, Page(limit=1))


@pytest.mark.parametrize(("limit", "offset"), [("0", None), ("-1", None), ("2.0", None), (None, "-1"), (None, "")])
def test_bad_numbers(limit: str | None, offset: str | None) -> None:
    with pytest.raises(QueryError, match="whole number"):
        Page.from_params(limit, offset)
    assert Page.from_params(None, None) is None
