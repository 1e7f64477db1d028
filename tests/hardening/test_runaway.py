"""Runaway queries through the HTTP endpoint: cartesian products and unbounded property paths on a generated
graph are stopped at the timeout (their query process is killed and replaced), while cheap queries sent at the
same time keep being answered; afterwards the pool is back to full size and the server answers as before.

The graph here is small enough to build in a second or two; the million-triple run is ``benchmarks/load_test.py``.
"""

from __future__ import annotations

import os
import shutil
import statistics
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from ecosystem_graph.config import Settings
from ecosystem_graph.errors import QueryTimeout
from ecosystem_graph.store import GraphStore, QueryRequest

from ..support.endpoint import MINI, Service, serve_project

EX = "https://example.org/runaway/"
NODES = 20_000
TIMEOUT = 2.0  # the endpoint's query timeout, in seconds
WORKERS = 3
CLIENT_TIMEOUT = 60.0  # far above TIMEOUT: a request that takes this long is a hang, and fails the test
#: each of these would run for hours (or days) on the generated graph; COUNT keeps their output tiny, so only
#: the timeout (not the result size limit) can stop them
RUNAWAYS = {
    "cartesian product": f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a <{EX}next> ?b . ?c <{EX}next> ?d . ?e <{EX}next> ?f }}",
    "unbounded path": f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a (<{EX}next>|^<{EX}next>|<{EX}jump>)* ?b }}",
}


def node(i: int) -> str:
    return f"<{EX}n{i % NODES}>"


def write_graph(path: Path) -> int:
    """A ring of NODES nodes with chords: connected, so a path from any node reaches all the others."""
    lines = []
    for i in range(NODES):
        lines.append(f"{node(i)} <{EX}next> {node(i + 1)} .\n")
        lines.append(f"{node(i)} <{EX}jump> {node(i * 7 + 3)} .\n")
        lines.append(f'{node(i)} <{EX}value> "{i}" .\n')
    path.write_text("".join(lines))
    return len(lines)


@pytest.fixture(scope="module")
def runaway_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    root = tmp_path_factory.mktemp("runaway")
    project = root / "source"
    shutil.copytree(MINI, project)
    write_graph(project / "data" / "generated.nt")
    # no SHACL or reasoning over the generated triples: the point is query execution, and the build stays fast
    with serve_project(root / "served", project, query_timeout=TIMEOUT, query_workers=WORKERS,
                       result_cache_entries=0, validate_shapes=False, reasoning=False) as service:
        yield service


def query(client: httpx.Client, url: str, sparql: str) -> httpx.Response:
    return client.post(url + "sparql", data={"query": sparql}, headers={"Accept": "application/sparql-results+json"})


def cheap_query(i: int) -> str:
    """A point lookup, different each time (no result cache can answer it)."""
    return f"SELECT ?v WHERE {{ {node(i * 13)} <{EX}value> ?v }}"


def children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found.update(int(child) for child in (task / "children").read_text().split())
        except FileNotFoundError:
            continue
    return found


def query_workers() -> set[int]:
    """Process ids of the query workers: the children of this process's multiprocessing fork server (the
    service's, and those of any other store still open in this test session, which stay as they are while a
    test here runs)."""
    found = set()
    for pid in children(os.getpid()):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except FileNotFoundError:
            continue
        if b"forkserver" in cmdline:
            found |= children(pid)
    return found


def test_cheap_queries_answer_before_the_runaway_tests(runaway_service: Service) -> None:
    with httpx.Client(timeout=CLIENT_TIMEOUT) as client:
        answer = query(client, runaway_service.url, cheap_query(5))
        assert answer.status_code == 200
        assert answer.json()["results"]["bindings"][0]["v"]["value"] == str(5 * 13)
        count = query(client, runaway_service.url, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{EX}next> ?o }}")
        assert count.json()["results"]["bindings"][0]["n"]["value"] == str(NODES)


@pytest.mark.parametrize("name", RUNAWAYS)
def test_a_runaway_query_is_stopped_and_its_process_replaced(runaway_service: Service, name: str) -> None:
    with httpx.Client(timeout=CLIENT_TIMEOUT) as client:
        query(client, runaway_service.url, cheap_query(1))  # the pool exists
        before = query_workers()
        assert len(before) >= WORKERS
        answer = query(client, runaway_service.url, RUNAWAYS[name])
        assert answer.status_code == 503, answer.text
        assert "stopped" in answer.text and f"{TIMEOUT:g} s" in answer.text
        after = query_workers()
        assert len(after) == len(before), "the pool did not recover its size"
        killed = before - after
        assert len(killed) == 1 and len(after - before) == 1, "exactly the runaway's process is replaced"
        assert not Path(f"/proc/{killed.pop()}").exists(), "the runaway's process still exists"
        assert query(client, runaway_service.url, cheap_query(2)).status_code == 200


def test_cheap_queries_keep_being_answered_during_runaways(runaway_service: Service, report_figure) -> None:
    """Two runaways at once, twice over, on three workers; a client keeps sending point queries meanwhile."""
    done = threading.Event()
    latencies: list[float] = []
    statuses: list[int] = []

    def runaway(sparql: str) -> int:
        with httpx.Client(timeout=CLIENT_TIMEOUT) as client:
            return query(client, runaway_service.url, sparql).status_code

    def rounds() -> list[int]:
        with ThreadPoolExecutor(len(RUNAWAYS)) as pool:
            codes = []
            for _ in range(2):
                codes += pool.map(runaway, RUNAWAYS.values())
        done.set()
        return codes

    with ThreadPoolExecutor(1) as background, httpx.Client(timeout=CLIENT_TIMEOUT) as client:
        query(client, runaway_service.url, cheap_query(0))
        pool_size = len(query_workers())
        runaways = background.submit(rounds)
        deadline = time.monotonic() + 10 * TIMEOUT + 30  # bounded even if the runaways were never stopped
        i = 0
        while not done.is_set() and time.monotonic() < deadline and i < 5000:
            i += 1
            started = time.perf_counter()
            answer = query(client, runaway_service.url, cheap_query(i))
            latencies.append(time.perf_counter() - started)
            statuses.append(answer.status_code)
            if answer.status_code == 200:
                assert answer.json()["results"]["bindings"][0]["v"]["value"] == str(i * 13 % NODES)
        codes = runaways.result(timeout=CLIENT_TIMEOUT)

    assert codes == [503] * len(codes), "every runaway is stopped at the timeout"
    assert len(statuses) >= 10, "too few cheap queries were sent while the runaways ran"
    assert statuses == [200] * len(statuses), f"cheap queries failed during the runaways: {sorted(set(statuses))}"
    assert len(query_workers()) == pool_size
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    report_figure(f"runaway: {len(codes)} runaway queries stopped at {TIMEOUT:g} s; {len(statuses)} cheap queries "
                  f"meanwhile, all answered: p50 {statistics.median(latencies) * 1000:.1f} ms, "
                  f"p99 {p99 * 1000:.1f} ms, max {ordered[-1] * 1000:.1f} ms")


def test_a_huge_result_is_cut_at_the_size_limit_or_the_timeout(runaway_service: Service) -> None:
    """A cartesian product that streams rows: stopped by the result size limit or the timeout, never sent whole."""
    with httpx.Client(timeout=CLIENT_TIMEOUT) as client:
        answer = query(client, runaway_service.url, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }")
        assert answer.status_code in (413, 503), answer.status_code
        assert len(answer.content) < 10_000
        assert query(client, runaway_service.url, cheap_query(3)).status_code == 200


def test_a_timeout_shorter_than_a_process_start_never_starves_the_pool(mini_settings: Settings,
                                                                       mini_store: GraphStore) -> None:
    """A new query process needs a moment to start (interpreter, imports). That moment must not count against
    the timeout of the query it is given: else, with a short timeout on a busy machine, every query would
    time out on a process still starting, whose replacement starts again -- and the pool never answers."""
    assert mini_settings.query_workers == 1
    ask = "ASK {{ ?s ?p {} }}"
    json = ["application/sparql-results+json"]
    mini_store.query(QueryRequest(ask.format(0), accept=json))  # the pool is up
    with pytest.raises(QueryTimeout):  # a runaway: its process is killed and a new one starts
        mini_store.query(QueryRequest("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
                                      "?m ?n ?o . ?p ?q ?r }", accept=json, timeout=0.5))
    outcomes = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and "answered" not in outcomes:
        try:
            mini_store.query(QueryRequest(ask.format(len(outcomes) + 1), accept=json, timeout=0.1))
            outcomes.append("answered")
        except QueryTimeout:
            outcomes.append("timed out")
    assert "answered" in outcomes, f"{len(outcomes)} cheap queries, none answered: the pool starves"
