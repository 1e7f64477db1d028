"""The SPARQL fast lane (web/fast_lane.py) in front of a stand-in for the rest of the app: queries are answered
by the lane from the real store, everything else reaches the app with the request body intact."""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode

import httpx
import pytest
from starlette.types import Message, Receive, Scope, Send

from ecosystem_graph.config import Settings
from ecosystem_graph.store import GraphStore
from ecosystem_graph.web.fast_lane import SparqlFastLane

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
JSON = {"Accept": "application/sparql-results+json"}


class App:
    """The downstream ASGI app: records what reaches it and answers 299 with the body it read."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, bytes]] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = b""
        while True:
            message: Message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        self.seen.append((scope["method"], scope["path"], body))
        await send({"type": "http.response.start", "status": 299, "headers": []})
        await send({"type": "http.response.body", "body": body})


def call(lane: SparqlFastLane, method: str, url: str, **kwargs) -> httpx.Response:
    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=lane), base_url="http://test") as client:
            return await client.request(method, url, **kwargs)
    return asyncio.run(go())


@pytest.fixture
def lane(mini_settings: Settings, mini_store: GraphStore) -> tuple[SparqlFastLane, App]:
    app = App()
    return SparqlFastLane(app, store=mini_store, settings=mini_settings), app


def count(response: httpx.Response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_queries_by_get_and_post_are_answered_by_the_lane(lane, mini_store: GraphStore) -> None:
    fast, app = lane
    expected = int(mini_store.select(COUNT)[0]["n"]["value"])
    assert expected > 0
    answers = [
        call(fast, "GET", "/sparql?" + urlencode({"query": COUNT}), headers=JSON),
        call(fast, "POST", "/sparql", content=COUNT, headers={**JSON, "Content-Type": "application/sparql-query"}),
        call(fast, "POST", "/sparql", content=urlencode({"query": COUNT}),
             headers={**JSON, "Content-Type": "application/x-www-form-urlencoded"}),
    ]
    assert [count(r) for r in answers] == [expected] * 3
    assert all(r.headers["vary"] == "Accept" for r in answers)
    assert app.seen == []


def test_dataset_parameters_and_inference_flag_are_honoured(lane, mini_store: GraphStore) -> None:
    fast, _app = lane
    graph = next(iter(mini_store.graph_sizes()))
    one = call(fast, "GET", "/sparql?" + urlencode({"query": COUNT, "default-graph-uri": graph}), headers=JSON)
    assert count(one) == mini_store.graph_sizes()[graph]
    everything = count(call(fast, "GET", "/sparql?" + urlencode({"query": COUNT}), headers=JSON))
    asserted = count(call(fast, "GET", "/sparql?" + urlencode({"query": COUNT, "inference": "false"}), headers=JSON))
    assert asserted < everything


def test_errors_are_answered_with_status_and_cause(lane) -> None:
    fast, app = lane
    broken = call(fast, "GET", "/sparql?" + urlencode({"query": "SELECT * WHERE { ?s ?p }"}))
    assert broken.status_code == 400 and broken.text.startswith("400 QueryError:")
    refused = call(fast, "GET", "/sparql?" + urlencode({"query": COUNT}), headers={"Accept": "image/png"})
    assert refused.status_code == 406 and "NotAcceptable" in refused.text
    wrong_type = call(fast, "POST", "/sparql", content=COUNT, headers={"Content-Type": "text/plain"})
    assert wrong_type.status_code == 415
    two = call(fast, "GET", "/sparql?" + urlencode([("query", COUNT), ("query", COUNT)]))
    assert two.status_code == 400 and "more than one query" in two.text
    assert app.seen == []


def test_everything_else_reaches_the_app_with_its_body(lane) -> None:
    fast, app = lane
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    form = urlencode({"update": update})
    assert call(fast, "POST", "/sparql", content=form,
                headers={"Content-Type": "application/x-www-form-urlencoded"}).status_code == 299
    assert call(fast, "POST", "/sparql", content=update,
                headers={"Content-Type": "application/sparql-update"}).status_code == 299
    assert call(fast, "GET", "/sparql").status_code == 299  # no query: the service description
    assert call(fast, "GET", "/queries").status_code == 299
    assert call(fast, "PUT", "/sparql", content=b"x").status_code == 299
    assert app.seen == [("POST", "/sparql", form.encode()), ("POST", "/sparql", update.encode()),
                        ("GET", "/sparql", b""), ("GET", "/queries", b""), ("PUT", "/sparql", b"x")]
