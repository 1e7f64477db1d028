"""The query pool starts in the background: it answers once its first process is ready, while the others are still
starting, and queries that arrive while it starts wait for it rather than fail or start a second pool."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

from ecosystem_graph.config import Settings
from ecosystem_graph.errors import QueryTimeout
from ecosystem_graph.store import GraphStore, QueryRequest, open_store
from ecosystem_graph.store.workers import QueryWorkers
from ecosystem_graph.vocab import inferred_graph_iri

ASK = "ASK { ?s a <http://xmlns.com/foaf/0.1/Person> }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o }"


def test_the_pool_answers_while_its_other_processes_are_still_starting(mini_store: GraphStore,
                                                                       mini_settings: Settings) -> None:
    path = mini_store.current_path()  # type: ignore[attr-defined]
    asked: list[str] = []
    go_on = threading.Event()

    def generation() -> str:
        """Called as each process starts: the second one waits until the first has answered."""
        asked.append(path)
        if len(asked) > 1:
            go_on.wait(60)
        return path

    pool = QueryWorkers(2, inferred_graph=inferred_graph_iri(mini_settings.base_iri), max_bytes=1 << 20,
                        generation=generation)
    try:
        assert pool.run(path, QueryRequest(ASK), 10).boolean()
        assert asyncio.run(pool.arun(path, QueryRequest(ASK), 10)).boolean()
        assert not go_on.is_set()  # all of the above while the second process was held back
        go_on.set()
        # now both serve: two runaways at once each get a process of their own (neither waits for the other)
        with ThreadPoolExecutor(2) as threads:
            outcomes = list(threads.map(lambda _: _stopped(pool, path), range(2)))
        assert outcomes == ["the query ran longer than 3 s and was stopped"] * 2
        assert pool.run(path, QueryRequest(ASK), 10).boolean()
    finally:
        pool.close()


def _stopped(pool: QueryWorkers, path: str) -> str:
    try:
        pool.run(path, QueryRequest(RUNAWAY), 3)
    except QueryTimeout as error:
        return str(error)
    return "answered"


def test_queries_sent_while_the_pool_starts_wait_for_it(mini_store: GraphStore, mini_settings: Settings) -> None:
    """A fresh store, two query processes: the first queries (blocking and async, at once) all get answers."""
    store = open_store(mini_settings.model_copy(update={"query_workers": 2, "result_cache_entries": 0}))
    try:
        store.warm_up()
        store.warm_up()  # once started, it is not started again

        async def at_once() -> list[bool]:
            found = await asyncio.gather(*(store.aquery(QueryRequest(ASK)) for _ in range(6)))
            return [result.boolean() for result in found]

        with ThreadPoolExecutor(3) as threads:
            blocking = [threads.submit(store.ask, ASK) for _ in range(3)]
            assert asyncio.run(at_once()) == [True] * 6
            assert [future.result() for future in blocking] == [True] * 3
        store.close()
        assert store.ask(ASK)  # a closed store starts its pool again when asked
    finally:
        store.close()
