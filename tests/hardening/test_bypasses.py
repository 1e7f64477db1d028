"""Every known bypass of a second SPARQL reader, sent by every route to a live loopback server holding the API
token, with a listener on 127.0.0.1 as the target: each is refused (400) or, for a join that a line reader took
for one pattern, answered by a query worker under the timeout; nothing connects out; and ``/health`` keeps
answering while the worst of them runs (its latency is printed under "hardening figures")."""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from ..support.endpoint import Service, serve_project
from ..support.listener import Listener, assert_no_connection
from ..syntax.corpus import Case, cases

TOKEN = "bypass-token-0123456789abcdef"
BEARER = {"Authorization": f"Bearer {TOKEN}"}
REFUSED = (400, 403)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    with serve_project(tmp_path_factory.mktemp("bypasses"), api_token=TOKEN, query_timeout=3) as running:
        yield running


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=60) as http:
        yield http


def query_routes(url: str, text: str) -> dict[str, dict]:
    get = {"GET": {"method": "GET", "url": url + "sparql", "params": {"query": text}}} if len(text) < 30_000 else {}
    return {
        **get,  # a longer URL than clients send
        "POST form": {"method": "POST", "url": url + "sparql", "data": {"query": text}},
        "POST body": {"method": "POST", "url": url + "sparql", "content": text.encode(),
                      "headers": {"Content-Type": "application/sparql-query"}},
    }


def update_routes(url: str, text: str) -> dict[str, dict]:
    return {
        "POST form": {"method": "POST", "url": url + "sparql", "data": {"update": text}, "headers": BEARER},
        "POST body": {"method": "POST", "url": url + "sparql", "content": text.encode(),
                      "headers": {"Content-Type": "application/sparql-update", **BEARER}},
    }


@pytest.mark.parametrize("case", [c for c in cases() if c.expect != "unbounded"], ids=lambda c: c.name)
def test_each_bypass_is_refused_by_every_route(service: Service, client: httpx.Client, listener: Listener,
                                               case: Case) -> None:
    text = case.text(listener.url)
    routes = query_routes if case.operation == "query" else update_routes
    for name, request in routes(service.url, text).items():
        answer = client.request(**request)
        assert answer.status_code in REFUSED, f"{name}: {answer.status_code} {answer.text[:200]}"
        assert answer.headers["content-type"].startswith("text/plain"), name
    assert_no_connection(listener)


def test_no_other_route_reaches_out(service: Service, client: httpx.Client, listener: Listener) -> None:
    """Named-query parameters, the Graph Store Protocol and linked-data routes, given the bypasses as values
    and the listener as the graph: data, never a fetch."""
    catalogue = client.get(service.url + "queries", headers={"Accept": "application/json"}).json()["queries"]
    with_parameters = [entry for entry in catalogue if entry["parameters"]]
    assert with_parameters, "the project has a named query with parameters"
    entry = with_parameters[0]
    for case in cases()[:8]:
        value = case.text(listener.url)
        answer = client.get(entry["url"], params={p["name"]: value for p in entry["parameters"]})
        assert answer.status_code < 500, answer.text[:200]
    graph = listener.url + "graph.ttl"
    for method in ("GET", "PUT", "POST", "DELETE"):
        answer = client.request(method, service.url + "rdf-graph-store", params={"graph": graph},
                                content=f"<{graph}> <{graph}> <{graph}> .", headers={
                                    "Content-Type": "text/turtle", **BEARER})
        assert answer.status_code < 500, f"{method}: {answer.text[:200]}"
    assert client.get(service.url + "data/" + graph.replace("://", "/") + ".ttl").status_code < 500
    assert client.get(service.url + "api/search", params={"q": cases()[0].text(listener.url)}).status_code < 500
    assert_no_connection(listener)


def test_invalid_utf8_is_a_400_on_every_route(service: Service, client: httpx.Client) -> None:
    for path in ("sparql?query=ASK%20%7B%7D%FF", "api/search?q=%C3%28", "rdf-graph-store?graph=http://e/%FF",
                 "queries?x=%80"):
        answer = client.get(service.url + path)
        assert answer.status_code == 400, f"{path}: {answer.status_code}"
        assert "UTF-8" in answer.text
    form = client.post(service.url + "sparql", content=b"query=ASK%20%7B%7D%FF",
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert form.status_code == 400 and "UTF-8" in form.text


def test_validation_errors_are_plain_text_as_declared(service: Service, client: httpx.Client) -> None:
    spec = client.get(service.url + "openapi.json").json()
    declared = {content for path in spec["paths"].values() for operation in path.values()
                for status, response in operation["responses"].items() if status[:1] in "45"
                for content in response.get("content", {})}
    assert declared == {"text/plain"}
    answer = client.get(service.url + "api/search", params={"q": "Сеченов", "limit": "not-a-number"})
    assert answer.status_code == 422 and answer.headers["content-type"].startswith("text/plain")
    assert answer.text.startswith("422 RequestValidationError") and "limit" in answer.text


def test_the_server_answers_health_while_the_freeze_runs(service: Service, client: httpx.Client,
                                                         report_figure) -> None:
    """The join behind a CR comment used to run in the HTTP process, where no timeout applies: now a worker
    runs it under the query timeout, and the HTTP process keeps answering."""
    freeze = next(case for case in cases() if case.expect == "unbounded").text()
    answers: list[httpx.Response] = []
    worst = threading.Thread(target=lambda: answers.append(
        client.get(service.url + "sparql", params={"query": freeze}, headers={"Accept": "text/csv"})))
    worst.start()
    latencies = []
    with httpx.Client(timeout=5) as probe:
        while worst.is_alive() and len(latencies) < 200:
            started = time.perf_counter()
            assert probe.get(service.url + "health").status_code == 200
            latencies.append((time.perf_counter() - started) * 1000)
            time.sleep(0.02)
    worst.join(30)
    assert answers and answers[0].status_code in (200, 413, 503), answers[0].text[:200]
    assert latencies, "the query ended before /health was asked"
    report_figure(f"health during the freeze query: {len(latencies)} probes, p50 {statistics.median(latencies):.1f}"
                  f" ms, max {max(latencies):.1f} ms (the query: {answers[0].status_code})")
