"""Fixtures for the store tests: real SPARQL servers (session-wide) and settings that point at them."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from ecosystem_graph.config import Settings
from ecosystem_graph.pipeline import load as loader
from ecosystem_graph.store import GraphStore, open_store

from ..conftest import require, require_tool
from ..support.sparql_servers import Endpoints, oxigraph_server, virtuoso_server

#: a query that runs far past any test's timeout (a four-way cross product), to occupy a query worker
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="session")
def oxigraph_endpoints(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Endpoints]:
    """``oxigraph serve`` on a free loopback port (it stops a query itself after 5 s)."""
    require_tool("oxigraph")
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph") / "data", timeout_s=5) as endpoints:
        yield endpoints


@pytest.fixture(scope="session")
def virtuoso_endpoints(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Endpoints]:
    """Virtuoso 7 started by ``scripts/virtuoso.sh`` on free loopback ports."""
    require(shutil.which("virtuoso-t") is not None and shutil.which("isql-vt") is not None,
            "virtuoso-t is not installed (apt-get install virtuoso-opensource)")
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as endpoints:
        yield endpoints


def remote_settings(settings: Settings, endpoints: Endpoints) -> Settings:
    """``settings`` pointed at ``endpoints``, after dropping what earlier tests left below its base IRI."""
    endpoints.wipe(settings.base_iri)
    return settings.model_copy(update=endpoints.settings())


@pytest.fixture
def oxigraph_settings(mini_settings: Settings, oxigraph_endpoints: Endpoints) -> Settings:
    return remote_settings(mini_settings, oxigraph_endpoints)


@pytest.fixture
def virtuoso_settings(mini_settings: Settings, virtuoso_endpoints: Endpoints) -> Settings:
    return remote_settings(mini_settings, virtuoso_endpoints)


@contextmanager
def embedded_with(settings: Settings, n_triples: str, *, query_workers: int) -> Iterator[GraphStore]:
    """The mini project plus ``data/many.nt`` holding ``n_triples``, built into an embedded store with
    ``query_workers`` worker processes and no result cache (every query is evaluated)."""
    (settings.project_dir / "data" / "many.nt").write_text(n_triples)
    settings = settings.model_copy(update={"query_workers": query_workers, "result_cache_entries": 0})
    graph_store = open_store(settings)
    loader.build(graph_store, settings)
    try:
        yield graph_store
    finally:
        graph_store.close()


_OPENED: list[GraphStore] = []


def open_for_test(settings: Settings) -> GraphStore:
    """:func:`open_store`, closed when the test ends (a remote store's pooled HTTP connections with it)."""
    graph_store = open_store(settings)
    _OPENED.append(graph_store)
    return graph_store


@pytest.fixture(autouse=True)
def _close_the_stores_a_test_opened() -> Iterator[None]:
    yield
    while _OPENED:
        _OPENED.pop().close()
