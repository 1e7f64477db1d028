"""``search-labels`` asks the label index for its resources (``?resource eco:textSearch ?q``) instead of scanning
every label; on a live server over the real project it answers as the scan it replaced
(tests/fixtures/named-queries-before/search-labels.rq), row for row and in the same order, for texts taken from
the project's own labels: whole labels, words, prefixes and pieces from inside words, in other cases.

Where the two may differ is documented in the query's description and docs/endpoint.md, and pinned here: a text
matching more than 50 resources (the index's most; the rows then come from its best 50), and a text of one or
two letters (the index finds a word that starts with it, not letters inside a word)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ecosystem_graph.search.index import normalise
from ecosystem_graph.sources.queries import QueryCatalogue, parse_query_file
from ecosystem_graph.store import GraphStore

REPO = Path(__file__).resolve().parents[2]
BEFORE = parse_query_file(REPO / "tests" / "fixtures" / "named-queries-before" / "search-labels.rq")
JSON = {"Accept": "application/sparql-results+json"}
LABELS = ("SELECT DISTINCT ?l WHERE { VALUES ?p { <http://www.w3.org/2000/01/rdf-schema#label> "
          "<http://www.w3.org/2004/02/skos/core#prefLabel> <http://www.w3.org/2004/02/skos/core#altLabel> "
          "<http://xmlns.com/foaf/0.1/name> } ?s ?p ?l FILTER(isIRI(?s) && isLiteral(?l)) } ORDER BY ?l")
ORDER = "ORDER BY ?rank STRLEN(?label) ?resource ?label"
#: the most resources the index gives one search (search/index.py, MAX_LIMIT)
MOST = 50


@pytest.fixture(scope="module")
def client(project_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=project_server, timeout=60) as client:
        yield client


def texts(store: GraphStore) -> list[str]:
    """Texts a user would type, from every 7th label of the project: the label, in upper case, its first word,
    a prefix of a longer word, and three letters from inside one."""
    labels = [row["l"]["value"] for row in store.select(LABELS)][::7]
    found = {"Сечен", "СЕЧЕН", "сечёнов", "Sechenov", "университет", "кластер"}
    for label in labels:
        words = [word for word in label.split() if word.isalpha()]
        found |= {label, label.upper()}
        if words:
            found.add(words[0])
            longest = max(words, key=len)
            if len(longest) >= 6:
                found |= {longest[:4], longest[1:4].upper(), longest[2:5]}
    return sorted(found)


def old_answer(store: GraphStore, q: str) -> tuple[list[dict], int]:
    """The scan's rows, and how many resources have a label that contains ``q`` (its LIMIT aside). Its order left
    ties between the properties of one label; the new text breaks them by ?property, and so does this run."""
    bindings = BEFORE.bindings({"q": q})
    ordered = BEFORE.sparql.replace(ORDER, ORDER + " ?property")
    assert ordered != BEFORE.sparql
    rows = store.select(ordered, substitutions=bindings)
    every = store.select(ordered.replace("LIMIT 50", ""), substitutions=bindings)
    return rows, len({row["resource"]["value"] for row in every})


def new_answer(client: httpx.Client, q: str) -> list[dict]:
    response = client.get("queries/search-labels", params={"q": q}, headers=JSON)
    assert response.status_code == 200, response.text
    return response.json()["results"]["bindings"]


def test_the_index_answers_as_the_scan_did(client: httpx.Client, project_store: GraphStore) -> None:
    compared = 0
    for q in texts(project_store):
        before, matching = old_answer(project_store, q)
        if matching > MOST or len(normalise(q)) < 3:
            continue
        assert new_answer(client, q) == before, q
        compared += bool(before)
    assert compared > 100  # texts that find something, of every kind


def test_the_default_text_finds_the_same_rows(client: httpx.Client, project_store: GraphStore) -> None:
    query = QueryCatalogue(REPO / "sparql").get("search-labels")
    assert query.parameters == BEFORE.parameters
    rows = new_answer(client, "Сечен")
    assert len(rows) > 7 and rows == old_answer(project_store, "Сечен")[0]
    assert rows == client.get("queries/search-labels", headers=JSON).json()["results"]["bindings"]


def test_a_text_of_two_letters_finds_only_resources_with_a_word_that_starts_with_it(
        client: httpx.Client, project_store: GraphStore) -> None:
    """The index reads one or two letters as the start of a word (search/index.py): "ов" inside words is not
    found, where the scan found it; what is found is among the scan's rows."""
    assert new_answer(client, "ов") == [] and old_answer(project_store, "ов")[0]
    rows = new_answer(client, "а")
    every = store_rows(project_store, "а")
    assert rows and all(row in every for row in rows)


def store_rows(store: GraphStore, q: str) -> list[dict]:
    """Every row of the scan (no LIMIT)."""
    ordered = BEFORE.sparql.replace(ORDER, ORDER + " ?property").replace("LIMIT 50", "")
    return store.select(ordered, substitutions=BEFORE.bindings({"q": q}))
