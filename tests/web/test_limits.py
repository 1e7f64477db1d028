"""Limits on a live server: a runaway query is stopped (503) while other queries are answered, results and
request bodies over their maximum are refused (413)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from ..support.endpoint import MINI, Service, serve_project

TRIPLES = 2_000
#: a cartesian product over the generated graph: 2000^3 rows to count, hours of work
RUNAWAY = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/ecosystem-graph/graph/data/generated> "
           "{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } }")
QUICK = "ASK { <https://w3id.org/ecosystem-graph/id/organization/sechenov-university> ?p ?o }"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    root = tmp_path_factory.mktemp("limits")
    project = root / "source"
    shutil.copytree(MINI, project)
    lines = (f"<http://example.org/thing/{i}> <http://example.org/next> <http://example.org/thing/{i + 1}> .\n"
             for i in range(TRIPLES))
    (project / "data" / "generated.nt").write_text("".join(lines))
    with serve_project(root / "served", project, query_timeout=6, query_workers=2, max_result_bytes=20_000,
                       max_body_bytes=4096) as running:
        with ThreadPoolExecutor(2) as pool:  # start both query processes before the tests watch the clock
            list(pool.map(lambda _: httpx.get(running.url + "sparql", params={"query": QUICK}, timeout=60), range(2)))
        yield running


@pytest.fixture
def client(service: Service) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=service.url, timeout=60) as client:
        yield client


def test_runaway_query_is_stopped_while_others_are_answered(service: Service, client: httpx.Client) -> None:
    with ThreadPoolExecutor(1) as pool, httpx.Client(base_url=service.url, timeout=60) as other:
        runaway = pool.submit(other.get, "sparql", params={"query": RUNAWAY})
        answered_meanwhile, seen = False, []
        while not runaway.done() and not answered_meanwhile:
            quick = client.get("sparql", params={"query": QUICK})
            seen.append(f"{quick.status_code} {quick.text[:80]}")
            answered_meanwhile = quick.status_code == 200 and quick.json()["boolean"] is True \
                and not runaway.done()
        assert answered_meanwhile, f"no other query was answered while the runaway query ran: {seen}"
        stopped = runaway.result()
    assert stopped.status_code == 503
    assert "ran longer than 6 s and was stopped" in stopped.text
    again = client.get("sparql", params={"query": QUICK})  # the stopped worker was replaced
    assert again.status_code == 200 and again.json()["boolean"] is True


def test_result_over_the_maximum_is_413(client: httpx.Client) -> None:
    response = client.get("sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 413 and "larger than 20000 bytes" in response.text
    small = client.get("sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 10"})
    assert small.status_code == 200 and len(small.json()["results"]["bindings"]) == 10


def test_request_body_over_the_maximum_is_413(client: httpx.Client) -> None:
    padding = "#" + "x" * 5000 + "\n"
    big = (padding + QUICK).encode()
    declared = client.post("sparql", content=big, headers={"Content-Type": "application/sparql-query"})
    assert declared.status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit is applied while the body streams in
        for start in range(0, len(big), 1000):
            yield big[start:start + 1000]

    streamed = client.post("sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"})
    assert streamed.status_code == 413
    assert "larger than 4096 bytes" in streamed.text
    fine = client.post("sparql", content=QUICK.encode(), headers={"Content-Type": "application/sparql-query"})
    assert fine.status_code == 200


def test_generated_graph_is_loaded(service: Service) -> None:
    """The runaway query above is slow because of its shape, not because the data is missing."""
    sizes = service.store.graph_sizes()
    assert sizes["https://w3id.org/ecosystem-graph/graph/data/generated"] == TRIPLES
    assert Path(service.settings.project_dir, "data", "generated.nt").exists()
