"""Queries bounded by their answer (one triple pattern) are answered in the serving process; the rest, and long
answers, by the query workers."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator

import pytest

from ecosystem_graph.config import Settings
from ecosystem_graph.errors import QueryTimeout
from ecosystem_graph.pipeline import load as loader
from ecosystem_graph.store import GraphStore, QueryRequest
from ecosystem_graph.store.embedded import INLINE_MAX_BYTES
from ecosystem_graph.syntax.bounded import is_bounded

from .conftest import RUNAWAY, embedded_with

P = "https://example.org/p"
JSON = ["application/sparql-results+json"]


@pytest.mark.parametrize("sparql", [
    "SELECT ?p ?o WHERE { <https://example.org/s?a=1> ?p ?o }",
    "PREFIX eco: <https://w3id.org/e#>\nSELECT * { ?s a eco:Company . } LIMIT 10",
    'ASK { ?s <https://example.org/p> "not a } brace"@en }',
    "select ?s where { ?s ?p 42 }",
    "SELECT ?s WHERE { ?s ?p 'x'^^xsd:integer }",
    'SELECT ?s WHERE { ?s ?p "a" } # } ORDER BY ?s',
])
def test_single_patterns_are_bounded(sparql: str) -> None:
    assert is_bounded(sparql)


@pytest.mark.parametrize("sparql", [
    "SELECT ?s WHERE { ?s ?p ?s }",  # a repeated variable filters what it reads
    "SELECT DISTINCT ?p WHERE { ?s ?p ?o }",
    "SELECT ?s WHERE { ?s ?p ?o } OFFSET 100000",
    "SELECT ?s WHERE { ?s ?p ?o } LIMIT 5 OFFSET 2",
    "SELECT ?s WHERE { ?s ?p ?o FILTER(?o > 1) }",
    "SELECT ?s WHERE { ?s ?p ?o . ?o ?q ?r }",
    "SELECT ?s WHERE { ?s <https://example.org/a>/<https://example.org/b> ?o }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?s FROM <https://example.org/g> WHERE { ?s ?p ?o }",
    "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s",
    "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "DESCRIBE <https://example.org/s>",
    "SELECT ?s WHERE { ?s ?p ?o } " + "#" * 5000,  # longer than any single pattern needs
])
def test_anything_else_is_not(sparql: str) -> None:
    assert not is_bounded(sparql)


@pytest.fixture
def store(mini_settings: Settings) -> Iterator[GraphStore]:
    """One query worker, so that a runaway query occupies all of them."""
    triples = "".join(f'<https://example.org/subject/{i:06d}> <{P}> "value number {i}" .\n' for i in range(4000))
    with embedded_with(mini_settings, triples, query_workers=1) as graph_store:
        yield graph_store


def test_a_point_query_is_answered_while_every_worker_is_busy(store: GraphStore) -> None:
    done = threading.Event()

    def runaway() -> None:
        with pytest.raises(QueryTimeout):
            store.query(QueryRequest(RUNAWAY, timeout=3.0))
        done.set()

    thread = threading.Thread(target=runaway)
    thread.start()
    try:
        join = QueryRequest(f"ASK {{ ?s <{P}> ?o . ?s ?q ?o }}", timeout=0.2)
        for _attempt in range(20):  # until the runaway holds the only worker: then a join waits for it in vain
            try:
                store.query(join)
            except QueryTimeout as error:
                assert "no query worker became free" in str(error)
                break
            time.sleep(0.05)  # let the runaway's thread take the worker
        else:
            pytest.fail("the runaway query never occupied the worker")
        point = QueryRequest(f"SELECT ?o WHERE {{ <https://example.org/subject/000007> <{P}> ?o }}", accept=JSON,
                             timeout=0.2)
        assert [row["o"]["value"] for row in store.query(point).rows()] == ["value number 7"]
        assert not done.is_set()  # answered while the worker was still busy
    finally:
        thread.join()


def test_a_bounded_query_with_a_long_answer_is_streamed_whole_by_a_worker(store: GraphStore) -> None:
    request = QueryRequest(f"SELECT ?s ?o WHERE {{ ?s <{P}> ?o }}", accept=JSON)
    output = asyncio.run(store.aquery(request))
    assert len(output.body) > INLINE_MAX_BYTES
    assert len(output.rows()) == 4000


def test_inline_answers_follow_a_new_generation(store: GraphStore, mini_settings: Settings) -> None:
    count = f"SELECT ?o WHERE {{ <https://example.org/subject/000001> <{P}> ?o }}"
    assert [r["o"]["value"] for r in store.select(count)] == ["value number 1"]
    data = mini_settings.project_dir / "data" / "many.nt"
    data.write_text(f'<https://example.org/subject/000001> <{P}> "changed" .\n')
    loader.build(store, mini_settings.model_copy(update={"query_workers": 1, "result_cache_entries": 0}), full=True)
    assert [r["o"]["value"] for r in store.select(count)] == ["changed"]
