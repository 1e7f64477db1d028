"""The endpoint over the real project (ontology/, data/, sparql/ of this repository): every named query runs
over HTTP with its default parameters, and the self-descriptions cover the real graphs."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from rdflib import Graph, Namespace, URIRef

from ecosystem_graph.config import Settings
from ecosystem_graph.sources.queries import QueryCatalogue
from ecosystem_graph.store import GraphStore

from ..conftest import REPO
from ..support.server import running_server

VOID = Namespace("http://rdfs.org/ns/void#")
CATALOGUE = sorted(q.name for q in QueryCatalogue(REPO / "sparql"))


@pytest.fixture(scope="module")
def client(project_settings: Settings, project_store: GraphStore) -> Iterator[httpx.Client]:
    with running_server(project_settings, project_store) as url, httpx.Client(base_url=url, timeout=60) as client:
        yield client


def test_catalogue_is_served(client: httpx.Client) -> None:
    assert sorted(q["name"] for q in client.get("queries").json()["queries"]) == CATALOGUE


@pytest.mark.parametrize("name", CATALOGUE)
def test_named_query_runs_with_defaults(client: httpx.Client, name: str) -> None:
    response = client.get(f"queries/{name}", headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert "boolean" in body or isinstance(body["results"]["bindings"], list)


def test_void_and_service_description_cover_the_real_graphs(client: httpx.Client,
                                                            project_store: GraphStore) -> None:
    sizes = project_store.graph_sizes()
    void = Graph().parse(data=client.get(".well-known/void").content, format="turtle")
    for name, size in sizes.items():
        assert void.value(URIRef(name), VOID.triples).toPython() == size
    assert len(set(void.objects(None, VOID.exampleResource))) == 5
    described = Graph().parse(data=client.get("sparql", headers={"Accept": "application/n-triples"}).content,
                              format="nt")
    names = {str(o) for o in described.objects(None, URIRef("http://www.w3.org/ns/sparql-service-description#name"))}
    assert names == set(sizes)
