"""The reconciliation service in the W3C Entity Reconciliation API shape, over the real project in a real store."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from ecosystem_graph.config import Settings
from ecosystem_graph.drafting.reconcile import Catalogue

from ..conftest import REPO
from ..support.server import running_server
from .conftest import BASE

SECHENOV = BASE + "id/organization/sechenov-university"


@pytest.fixture(scope="module")
def server(full_store) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A real server on loopback over the whole project."""
    with running_server(Settings(project_dir=REPO, backend="memory"), full_store) as url:
        yield url


def client(url: str) -> httpx.Client:
    return httpx.Client(base_url=url, timeout=30)


def test_manifest(server: str) -> None:
    with client(server) as c:
        body = c.get("/reconcile").json()
    assert body["versions"] == ["0.2"] and body["identifierSpace"] == BASE + "id/"
    assert {t["name"] for t in body["defaultTypes"]} == {"Organization", "Person"}


def test_openrefine_query_puts_the_right_iri_first(server: str) -> None:
    queries = {"q0": {"query": "Сеченовский университет"}, "q1": {"query": "Сеченовского университета"},
               "q2": {"query": "Первый МГМУ им. И.М. Сеченова"}, "q3": {"query": "Газпромбанка"},
               "q4": {"query": "Владимиром Зайцевым", "type": BASE + "ontology#Person"}}
    with client(server) as c:
        got = c.get("/reconcile", params={"queries": json.dumps(queries)}).json()
        posted = c.post("/reconcile", data={"queries": json.dumps({"q0": queries["q0"]})}).json()
    for qid in ("q0", "q1", "q2"):
        assert got[qid]["result"][0]["id"] == SECHENOV, got[qid]
        assert got[qid]["result"][0]["match"] is True
    assert got["q3"]["result"][0]["id"] == BASE + "id/organization/gazprombank"
    assert got["q4"]["result"][0]["id"] == BASE + "id/person/vladimir-zaytsev"
    assert posted["q0"]["result"][0]["id"] == SECHENOV


def test_bad_queries_are_400(server: str) -> None:
    with client(server) as c:
        assert c.get("/reconcile", params={"queries": "{not json"}).status_code == 400
        assert c.get("/reconcile", params={"queries": json.dumps({"q0": {"nope": 1}})}).status_code == 400


def test_uncertain_matches_are_not_marked_as_matches(full_store) -> None:  # type: ignore[no-untyped-def]
    links = Catalogue.read(full_store, BASE).match("Технопарк университета")
    assert (links and not links[0].certain) or links[0].iri.endswith("technopark")
