"""The remote store against a real Virtuoso 7 (Debian ``virtuoso-opensource``, started by scripts/virtuoso.sh).

The store contract suite runs on Virtuoso too; here is what is Virtuoso's own: its authenticated endpoints
(HTTP digest), and the atomic switch and blank nodes checked on its transaction model and its SPARQL
dialect (no blank nodes in INSERT DATA, ``nodeID://`` labels, 406 on some Accept lists).
"""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from ecosystem_graph.config import Settings
from ecosystem_graph.errors import StoreUnavailable
from ecosystem_graph.pipeline import load as loader

from ..support.sparql_servers import Endpoints
from .conftest import open_for_test
from .test_remote_oxigraph import (
    check_blank_nodes_keep_their_identity_across_graphs,
    check_readers_see_the_old_or_the_new_generation,
)
from .test_store_contract import ECO, ORG, PREFIXES, values

pytestmark = pytest.mark.timeout(120)  # a hung server fails the test, not the run


def test_readers_see_the_old_or_the_new_generation_never_half(virtuoso_settings: Settings) -> None:
    check_readers_see_the_old_or_the_new_generation(virtuoso_settings)


def test_blank_nodes_keep_their_identity_across_graphs(virtuoso_settings: Settings) -> None:
    check_blank_nodes_keep_their_identity_across_graphs(virtuoso_settings)


def authenticated(settings: Settings, endpoints: Endpoints, password: str) -> Settings:
    base = endpoints.query.removesuffix("/sparql")
    return settings.model_copy(update={
        "remote_query_url": base + "/sparql-auth", "remote_update_url": base + "/sparql-auth",
        "remote_graph_store_url": base + "/sparql-graph-crud-auth", "remote_user": "dba",
        "remote_password": SecretStr(password)})


def test_digest_authenticated_endpoints(virtuoso_settings: Settings, virtuoso_endpoints: Endpoints) -> None:
    settings = authenticated(virtuoso_settings, virtuoso_endpoints, "dba")
    store = open_for_test(settings)
    loader.build(store, settings)
    assert values(store, "SELECT ?o WHERE { ?o a eco:University }", "o") == [ORG + "sechenov-university"]
    with store.new_generation(copy_current=True) as builder:
        builder.update(PREFIXES + f'INSERT DATA {{ GRAPH <urn:extra> {{ <{ORG}x> a eco:University }} }}')
        builder.commit()
    assert values(store, "SELECT ?o WHERE { ?o a eco:University }", "o") == [ORG + "sechenov-university",
                                                                             ORG + "x"]
    assert f"{ECO}University" in values(store, "SELECT DISTINCT ?c WHERE { ?s a ?c }", "c")


def test_wrong_credentials_are_reported(virtuoso_settings: Settings, virtuoso_endpoints: Endpoints) -> None:
    store = open_for_test(authenticated(virtuoso_settings, virtuoso_endpoints, "not-the-password"))
    with pytest.raises(StoreUnavailable, match="refused"):
        store.is_empty()
