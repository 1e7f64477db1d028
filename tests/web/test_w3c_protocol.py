"""The W3C SPARQL 1.1 Protocol and Graph Store Protocol test suites, run against a live server.

Each manifest entry becomes one test: the store is emptied (``DROP ALL`` over the protocol, with the API
token), the entry's ``ut:graphData`` is loaded with Graph Store PUTs, and its requests are sent in order,
each response checked as the manifest states. Every entry runs with the token configured and sent, since the
update and Graph Store write entries need one (without it they are refused with 403: see test_graph_store).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ..conftest import require, shared_dir
from ..support.endpoint import serve_project
from ..support.w3c_manifest import ManifestTest, read_manifest, run_exchanges

TOKEN = "w3c-suite-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SUPPORTED = {"DirectGraphIdentification", "IndirectGraphIdentification", "POSTGraphCreation"}
PROTOCOL = shared_dir() / "w3c-protocol" / "protocol" / "manifest.ttl"
GRAPH_STORE = shared_dir() / "w3c-protocol" / "graph-store-protocol" / "manifest.ttl"


def _tests(manifest: Path) -> list[ManifestTest | None]:
    return read_manifest(manifest) if manifest.exists() else [None]


def _ids(tests: list[ManifestTest | None]) -> list[str]:
    return [t.name if t else "manifest-missing" for t in tests]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # Without reasoning: materialisation adds its own provenance triples, which the suite cannot expect. The suite
    # resets the store with DROP ALL between tests: graph management is allowed here.
    with serve_project(tmp_path_factory.mktemp("w3c"), api_token=TOKEN, reasoning=False,
                       allow_graph_management=True) as service:
        yield service.url


@pytest.fixture
def client(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.rstrip("/"), timeout=30) as client:
        yield client


def _prepare(client: httpx.Client, test: ManifestTest | None, manifest: Path) -> ManifestTest:
    require(test is not None, f"W3C manifest not found: {manifest} (set ECOSYSTEM_GRAPH_SHARED_DIR)")
    assert test is not None
    unsupported = set(test.requires) - SUPPORTED
    assert not unsupported, f"{test.name} needs {unsupported}"
    reset = client.post("/sparql", content="DROP ALL", headers={"Content-Type": "application/sparql-update", **AUTH})
    assert reset.status_code == 204, reset.text
    for graph, path in test.graph_data:
        put = client.put("/rdf-graph-store", params={"graph": graph}, content=path.read_bytes(),
                         headers={"Content-Type": "application/n-triples", **AUTH})
        assert put.status_code == 201, put.text
    return test


PROTOCOL_TESTS = _tests(PROTOCOL)
GRAPH_STORE_TESTS = _tests(GRAPH_STORE)


def test_manifests_are_complete() -> None:
    """The suites are what W3C publishes: 34 protocol entries, 13 graph store entries."""
    require(PROTOCOL.exists() and GRAPH_STORE.exists(), "W3C manifests not found")
    assert len(PROTOCOL_TESTS) == 34
    assert len(GRAPH_STORE_TESTS) == 13
    assert all(t and t.exchanges for t in PROTOCOL_TESTS + GRAPH_STORE_TESTS)


@pytest.mark.parametrize("test", PROTOCOL_TESTS, ids=_ids(PROTOCOL_TESTS))
def test_sparql_protocol(client: httpx.Client, test: ManifestTest | None) -> None:
    test = _prepare(client, test, PROTOCOL)
    run_exchanges(client, test, rewrite={"/sparql/": "/sparql"}, extra_headers=AUTH)


@pytest.mark.parametrize("test", GRAPH_STORE_TESTS, ids=_ids(GRAPH_STORE_TESTS))
def test_graph_store_protocol(client: httpx.Client, test: ManifestTest | None) -> None:
    test = _prepare(client, test, GRAPH_STORE)
    run_exchanges(client, test, rewrite={"/gsp": "/rdf-graph-store"}, extra_headers=AUTH)
