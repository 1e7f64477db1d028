"""Binding parameters into SPARQL text for remote servers: every query form, hostile values, evaluated for real."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from ecosystem_graph.errors import QueryError
from ecosystem_graph.store import sparql_text

from .test_store_contract import HOSTILE

DATA = b"""<urn:a> <urn:p> "x" .
<urn:b> <urn:p> "y" .
<urn:a> <urn:q> <urn:b> .
"""


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    store.load(DATA, format=ox.RdfFormat.N_TRIPLES)
    return store


def run(store: ox.Store, sparql: str, bindings: dict) -> object:
    result = store.query(sparql_text.bind(sparql, bindings))
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QueryTriples):
        return sorted(str(t) for t in result)
    return [{v.value: str(s[v]) if s[v] is not None else None for v in result.variables} for s in result]


A = {"s": {"type": "uri", "value": "urn:a"}}


@pytest.mark.parametrize("sparql, expected", [
    ("SELECT ?o WHERE { ?s <urn:p> ?o }", [{"o": '"x"'}]),
    ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", [{"n": '"2"^^<http://www.w3.org/2001/XMLSchema#integer>'}]),
    ("SELECT ?o { ?s <urn:p> ?o OPTIONAL { ?s <urn:q> ?x } } ORDER BY ?o", [{"o": '"x"'}]),
    ("SELECT * WHERE { SELECT ?s ?o WHERE { ?s <urn:p> ?o } }", [{"s": "<urn:a>", "o": '"x"'}]),
    ("ASK { ?s <urn:q> <urn:b> }", True),
    ("CONSTRUCT { ?s <urn:r> ?o } WHERE { ?s <urn:p> ?o }", ['<urn:a> <urn:r> "x"']),
    ("CONSTRUCT WHERE { ?s <urn:p> ?o }", ['<urn:a> <urn:p> "x"']),
    ("DESCRIBE ?s", ['<urn:a> <urn:p> "x"', "<urn:a> <urn:q> <urn:b>"]),
    ("PREFIX select: <urn:> # { a comment with a brace\nSELECT ?o WHERE { ?s select:p ?o FILTER(?o != \"}\") }",
     [{"o": '"x"'}]),
])
def test_a_bound_variable_means_that_term_in_every_query_form(store: ox.Store, sparql: str, expected: object) -> None:
    assert run(store, sparql, A) == expected


def test_hostile_strings_stay_strings(store: ox.Store) -> None:
    for value in (HOSTILE, "\\", '"', "\n\r\t\b\f", "\\u0022", "'''", "é ё 𝔘"):
        bound = sparql_text.bind("SELECT ?v WHERE { }", {"v": {"type": "literal", "value": value}})
        assert [solution["v"] for solution in store.query(bound)] == [ox.Literal(value)]
    tagged = {"type": "literal", "value": 'a"b', "xml:lang": "en-GB"}
    assert sparql_text.term(tagged) == '"a\\"b"@en-GB'


def test_the_query_form_and_malformed_input(store: ox.Store) -> None:
    assert sparql_text.query_kind("PREFIX ask: <urn:>\n# SELECT\nCONSTRUCT { } WHERE { }") == "graph"
    assert sparql_text.query_kind("select * {}") == "select"
    with pytest.raises(QueryError):
        sparql_text.query_kind("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises(QueryError):
        sparql_text.bind("SELECT * WHERE { ?s ?p ?o ", A)
    with pytest.raises(QueryError):
        sparql_text.term({"type": "uri", "value": "relative/iri"})
