"""Query worker processes: a runaway query is really stopped, and the others keep being answered."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator

import pytest

from ecosystem_graph.config import Settings
from ecosystem_graph.errors import QueryError, QueryTimeout
from ecosystem_graph.store import GraphStore, QueryRequest

from .conftest import RUNAWAY, embedded_with

CHEAP = "ASK { ?s a ?class FILTER(isIRI(?class)) }"  # a filter: answered by a worker, not inline


@pytest.fixture
def store(mini_settings: Settings) -> Iterator[GraphStore]:
    triples = "".join(f'<https://example.org/s{i}> <https://example.org/p> "{i}" .\n' for i in range(3000))
    with embedded_with(mini_settings, triples, query_workers=2) as graph_store:
        yield graph_store


def test_runaway_query_is_stopped_while_cheap_queries_are_answered(store: GraphStore) -> None:
    outcome: dict[str, object] = {}

    def runaway() -> None:
        started = time.monotonic()
        try:
            store.query(QueryRequest(RUNAWAY, timeout=1.0))
        except QueryTimeout as error:
            outcome["error"] = error
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=runaway)
    thread.start()
    answered = 0
    while thread.is_alive():
        assert store.ask(CHEAP, timeout=5.0)
        answered += 1
    thread.join()
    assert isinstance(outcome["error"], QueryTimeout)
    assert answered > 0
    # the pool is whole again: both workers answer
    assert all(store.ask(CHEAP) for _ in range(4))


def test_async_callers_get_the_same_guarantees(store: GraphStore) -> None:
    async def scenario() -> tuple[BaseException | None, list[bool]]:
        slow = asyncio.ensure_future(store.aquery(QueryRequest(RUNAWAY, timeout=1.0)))
        answers = []
        while not slow.done():
            answers.append((await store.aquery(QueryRequest(CHEAP))).boolean())
        return slow.exception(), answers

    error, answers = asyncio.run(scenario())
    assert isinstance(error, QueryTimeout)
    assert answers and all(answers)


def test_errors_cross_the_process_boundary_with_their_type(store: GraphStore) -> None:
    with pytest.raises(QueryError, match="1:"):
        store.query(QueryRequest("SELECT * WHERE { ?s ?p }"))


@pytest.mark.parametrize("loop", ["asyncio", "uvloop"])
def test_async_results_larger_than_a_pipe_buffer_arrive_whole(store: GraphStore, loop: str) -> None:
    query = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 20000"

    async def both() -> tuple[int, int]:
        big = await store.aquery(QueryRequest(query, accept=["text/csv"]))
        rows = (await store.aquery(QueryRequest(query, accept=["application/sparql-results+json"]))).rows()
        return len(big.body), len(rows)

    if loop == "uvloop":  # what uvicorn[standard] runs the server on
        uvloop = pytest.importorskip("uvloop")
        size, rows = uvloop.run(both())
    else:
        size, rows = asyncio.run(both())
    assert size > 1 << 20
    assert rows == 20000
    assert len(store.query(QueryRequest(query, accept=["text/csv"])).body) == size  # blocking path still works


def test_a_query_given_up_half_way_does_not_hand_its_answer_to_the_next(store: GraphStore) -> None:
    """A caller cancelled while its worker still runs (a client gone, a server shutting down): the worker is
    replaced, so the answer it was computing is never read as the answer to someone else's query."""
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"  # seconds, then a count
    labels = "SELECT (COUNT(*) AS ?n) WHERE { ?s <https://example.org/p> ?o }"

    async def scenario() -> list[str]:
        answers = []
        for _ in range(2):  # as many times as there are workers: each would hold a stale answer
            pending = asyncio.ensure_future(store.aquery(QueryRequest(slow, timeout=30)))
            await asyncio.sleep(0.3)
            pending.cancel()
            with pytest.raises(asyncio.CancelledError):
                await pending
        for _ in range(4):
            output = await store.aquery(QueryRequest(labels, accept=["application/sparql-results+json"]))
            answers.append(output.rows()[0]["n"]["value"])
        return answers

    assert asyncio.run(scenario()) == ["3000"] * 4
