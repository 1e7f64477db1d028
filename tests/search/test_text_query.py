"""Label search in plain SPARQL (``eco:textSearch``), through a live server over the real project, and answered
by a real SPARQL client (SPARQLWrapper): word forms and the other script find the resource, the pattern joins
with the rest of the query, and a misuse is a 400 that says how to write it."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from SPARQLWrapper import JSON, SPARQLWrapper

from ecosystem_graph.errors import QueryError
from ecosystem_graph.search import text_query
from ecosystem_graph.vocab import ontology_ns

BASE = "https://w3id.org/ecosystem-graph/"
ECO = ontology_ns(BASE)
SECHENOV = BASE + "id/organization/sechenov-university"
PREFIXES = f"PREFIX eco: <{ECO}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"


@pytest.fixture(scope="module")
def client(project_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=project_server, timeout=60) as http:
        yield http


def found(client: httpx.Client, sparql: str) -> list[str]:
    answer = client.get("sparql", params={"query": sparql}, headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200, answer.text
    return [row["s"]["value"] for row in answer.json()["results"]["bindings"]]


@pytest.mark.parametrize("words", ["Сеченовского университета", "Сеченовском", "Sechenov"])
def test_word_forms_and_the_other_script_find_the_university(client: httpx.Client, words: str) -> None:
    assert SECHENOV in found(client, PREFIXES + f'SELECT ?s WHERE {{ ?s eco:textSearch "{words}" }}')


def test_the_hits_join_with_the_rest_of_the_query(client: httpx.Client) -> None:
    universities = found(client, PREFIXES + 'SELECT DISTINCT ?s WHERE { ?s eco:textSearch "Сеченов" . '
                                            "?s a eco:University }")
    assert universities == [SECHENOV]
    assert found(client, PREFIXES + 'SELECT ?s WHERE { ?s eco:textSearch "Сеченов" . ?s a eco:Person }') == []
    assert found(client, PREFIXES + 'SELECT ?s WHERE { ?s eco:textSearch "ничегоподобного" }') == []


def test_a_sparql_client_uses_it_as_any_query(project_server: str) -> None:
    endpoint = SPARQLWrapper(project_server + "sparql")
    endpoint.setQuery(f'SELECT ?s ?label WHERE {{ ?s <{ECO}textSearch> "Зеленоград" . ?s '
                      "<http://www.w3.org/2000/01/rdf-schema#label> ?label }")
    endpoint.setReturnFormat(JSON)
    rows = endpoint.queryAndConvert()["results"]["bindings"]  # type: ignore[index, call-overload]
    labels = {row["s"]["value"]: [] for row in rows}
    for row in rows:
        labels[row["s"]["value"]].append(row["label"]["value"].lower())
    assert labels, "Зеленоград names something in the graph"
    assert all(any("зеленоград" in text or "zelenograd" in text for text in texts) for texts in labels.values()), \
        "every resource found has a label with the word"


@pytest.mark.parametrize("pattern", ['<urn:x> eco:textSearch "Сеченов"', "?s eco:textSearch ?words",
                                     '?s a eco:University ; eco:textSearch "Сеченов"'])
def test_other_uses_are_a_400_that_says_how(client: httpx.Client, pattern: str) -> None:
    answer = client.get("sparql", params={"query": PREFIXES + f"SELECT * WHERE {{ {pattern} }}"})
    assert answer.status_code == 400 and "eco:textSearch" in answer.text


def test_the_words_may_be_a_variable_the_request_binds_to_a_literal() -> None:
    """A named query's parameter (``search-labels``: ``?resource eco:textSearch ?q``) is bound by substitution;
    the words are its value. A variable left unbound, or bound to an IRI, is refused as before."""
    asked: list[str] = []

    def search(text: str, limit: int) -> list[str]:
        asked.append(text)
        return [SECHENOV]

    query = PREFIXES + "SELECT ?s WHERE { ?s eco:textSearch ?q . ?s rdfs:label ?l }"
    expanded = text_query.expand(query, search, ontology=ECO, bound={"q": {"type": "literal", "value": "Сечен"}})
    assert asked == ["Сечен"] and f"VALUES ?s {{ <{SECHENOV}> }}" in expanded and "textSearch" not in expanded
    for bound in ({}, {"q": {"type": "uri", "value": SECHENOV}}, {"other": {"type": "literal", "value": "x"}}):
        with pytest.raises(QueryError, match="eco:textSearch"):
            text_query.expand(query, search, ontology=ECO, bound=bound)
