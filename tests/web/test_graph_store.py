"""Graph Store Protocol and SPARQL Update on a live server: reads, token-guarded writes, the load gate on
every write (a rejected write changes nothing) and re-materialised inferences."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from rdflib import Graph, Literal, URIRef

from ..support.endpoint import Service, serve_project

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
TURTLE = {"Content-Type": "text/turtle"}
BASE = "https://w3id.org/ecosystem-graph/"
ECO = BASE + "ontology#"
ORGS_GRAPH = BASE + "graph/data/orgs"
UPDATES_GRAPH = BASE + "graph/updates"
INFERRED_GRAPH = BASE + "graph/inferred"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def university(slug: str, label: str | None = "A university") -> bytes:
    labelled = f' ; <{LABEL}> "{label}"@en' if label else ""
    return f"<{BASE}id/organization/{slug}> a <{ECO}University>{labelled} .\n".encode()


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    with serve_project(tmp_path_factory.mktemp("gsp"), api_token=TOKEN) as running:
        yield running


@pytest.fixture(scope="module")
def read_only(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    with serve_project(tmp_path_factory.mktemp("gsp-ro")) as running:
        yield running


@pytest.fixture
def client(writable: Service) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=writable.url, timeout=30) as client:
        yield client


def ask(client: httpx.Client, query: str, **params: str) -> bool:
    response = client.get("sparql", params={"query": query, **params})
    assert response.status_code == 200, response.text
    return response.json()["boolean"]


def is_a(client: httpx.Client, slug: str, cls: str) -> bool:
    return ask(client, f"ASK {{ <{BASE}id/organization/{slug}> a <{ECO}{cls}> }}")


# --- reads ---------------------------------------------------------------------------------------------------

def test_get_and_head_a_named_graph(client: httpx.Client, writable: Service) -> None:
    response = client.get("rdf-graph-store", params={"graph": ORGS_GRAPH}, headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/n-triples")
    assert len(Graph().parse(data=response.content, format="nt")) == writable.store.graph_sizes()[ORGS_GRAPH]
    head = client.head("rdf-graph-store", params={"graph": ORGS_GRAPH}, headers={"Accept": "text/turtle"})
    assert head.status_code == 200 and head.headers["content-type"].startswith("text/turtle") and not head.content


def test_get_default_graph_is_the_union(client: httpx.Client, writable: Service) -> None:
    union = Graph().parse(data=client.get("rdf-graph-store?default").content, format="turtle")
    asserted = Graph().parse(data=client.get("rdf-graph-store?default&inference=false").content, format="turtle")
    sizes = writable.store.graph_sizes()
    assert len(asserted) == sum(n for g, n in sizes.items() if g != INFERRED_GRAPH)
    assert len(union) > len(asserted)


@pytest.mark.parametrize(("path", "headers", "status"), [
    ("rdf-graph-store?graph=http%3A%2F%2Fexample.org%2Fmissing", {}, 404),
    ("rdf-graph-store", {}, 400),
    (f"rdf-graph-store?default&graph={ORGS_GRAPH}", {}, 400),
    ("rdf-graph-store?graph=not-an-iri", {}, 400),
    (f"rdf-graph-store?graph={ORGS_GRAPH}", {"Accept": "application/sparql-results+json"}, 406),
])
def test_read_errors(client: httpx.Client, path: str, headers: dict, status: int) -> None:
    assert client.get(path, headers=headers).status_code == status
    assert client.head(path, headers=headers).status_code == status


# --- authorisation -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong-token!"}, {"Authorization": "Bearer s3cret"},
                                     {"Authorization": f"Basic {TOKEN}"}, {"Authorization": "Bearer"}])
def test_writes_need_the_right_token(client: httpx.Client, headers: dict) -> None:
    graph = {"graph": "http://example.org/unauthorised"}
    attempts = [
        client.put("rdf-graph-store", params=graph, content=university("x"), headers={**TURTLE, **headers}),
        client.post("rdf-graph-store", params=graph, content=university("x"), headers={**TURTLE, **headers}),
        client.delete("rdf-graph-store", params={"graph": ORGS_GRAPH}, headers=headers),
        client.post("sparql", content=b"CLEAR ALL", headers={"Content-Type": "application/sparql-update", **headers}),
        client.post("sparql", data={"update": "CLEAR ALL"}, headers=headers),
    ]
    assert [a.status_code for a in attempts] == [403] * 5
    assert all(a.headers["www-authenticate"].startswith("Bearer") for a in attempts)
    assert client.get("rdf-graph-store", params={"graph": ORGS_GRAPH}).status_code == 200


def test_without_a_configured_token_the_server_is_read_only(read_only: Service) -> None:
    with httpx.Client(base_url=read_only.url) as client:
        put = client.put("rdf-graph-store", params={"graph": "http://example.org/g"}, content=university("x"),
                         headers={**TURTLE, **AUTH})
        update = client.post("sparql", data={"update": "CLEAR ALL"}, headers=AUTH)
        assert (put.status_code, update.status_code) == (403, 403)
        assert "read-only" in put.text


# --- writes --------------------------------------------------------------------------------------------------

def test_put_post_delete_cycle_rematerialises_inferences(client: httpx.Client) -> None:
    graph = {"graph": "http://example.org/graphs/cycle"}
    created = client.put("rdf-graph-store", params=graph, content=university("cycle-u"), headers={**TURTLE, **AUTH})
    assert created.status_code == 201
    assert is_a(client, "cycle-u", "Organization")  # eco:University rdfs:subClassOf eco:Organization, inferred
    replaced = client.put("rdf-graph-store", params=graph, content=university("cycle-v"), headers={**TURTLE, **AUTH})
    assert replaced.status_code == 204
    assert not is_a(client, "cycle-u", "University") and not is_a(client, "cycle-u", "Organization")
    merged = client.post("rdf-graph-store", params=graph, content=university("cycle-w"), headers={**TURTLE, **AUTH})
    assert merged.status_code == 204
    assert is_a(client, "cycle-v", "Organization") and is_a(client, "cycle-w", "Organization")
    assert client.delete("rdf-graph-store", params=graph, headers=AUTH).status_code == 204
    assert not is_a(client, "cycle-w", "Organization")
    assert client.get("rdf-graph-store", params=graph).status_code == 404
    assert client.delete("rdf-graph-store", params=graph, headers=AUTH).status_code == 404


def test_post_to_the_store_creates_a_graph(client: httpx.Client) -> None:
    response = client.post("rdf-graph-store", content=university("created"), headers={**TURTLE, **AUTH})
    assert response.status_code == 201
    location = response.headers["location"]
    assert location.startswith(BASE + "graph/uploads/")
    body = client.get("rdf-graph-store", params={"graph": location}).content
    assert (URIRef(BASE + "id/organization/created"), URIRef(LABEL), Literal("A university", lang="en")) in \
        Graph().parse(data=body, format="turtle")


def test_direct_graph_identification(client: httpx.Client, writable: Service) -> None:
    assert client.put("rdf-graph-store/people/direct.ttl", content=university("direct"),
                      headers={**TURTLE, **AUTH}).status_code == 201
    iri = writable.url + "rdf-graph-store/people/direct.ttl"
    assert client.get("rdf-graph-store", params={"graph": iri}).status_code == 200
    assert client.delete("rdf-graph-store/people/direct.ttl", headers=AUTH).status_code == 204


def test_rejected_writes_change_nothing(client: httpx.Client, writable: Service) -> None:
    before = writable.store.graph_sizes()
    no_label = client.put("rdf-graph-store", params={"graph": ORGS_GRAPH}, content=university("bad", label=None),
                          headers={**TURTLE, **AUTH})
    assert no_label.status_code == 400
    assert "an organisation needs a label" in no_label.text and "organization/bad" in no_label.text
    broken = client.put("rdf-graph-store", params={"graph": ORGS_GRAPH}, content=b"<a:s> <a:p> <a:o> .\n<a> <b> .\n",
                        headers={**TURTLE, **AUTH})
    assert broken.status_code == 400 and ":2:9: . is not a valid RDF object" in broken.text
    bad_date = client.post("sparql", headers={"Content-Type": "application/sparql-update", **AUTH}, content=(
        f'INSERT DATA {{ GRAPH <{ORGS_GRAPH}> {{ <{BASE}id/organization/sechenov-university> <{ECO}founded> "soon" '
        "} }").encode())
    assert bad_date.status_code == 400 and "founding dates are xsd:date" in bad_date.text
    wrong_type = client.put("rdf-graph-store", params={"graph": ORGS_GRAPH}, content=b"<a> <b> <c> .",
                            headers={"Content-Type": "text/html", **AUTH})
    assert wrong_type.status_code == 415
    quads = client.put("rdf-graph-store", params={"graph": ORGS_GRAPH}, content=b"",
                       headers={"Content-Type": "application/trig", **AUTH})
    assert quads.status_code == 415
    inferred = client.put("rdf-graph-store", params={"graph": INFERRED_GRAPH}, content=university("i"),
                          headers={**TURTLE, **AUTH})
    assert inferred.status_code == 400
    assert writable.store.graph_sizes() == before


def test_sparql_update_with_the_token(client: httpx.Client) -> None:
    update = {"Content-Type": "application/sparql-update", **AUTH}
    inserted = client.post("sparql", headers=update, content=university("by-update").replace(b" .\n", b" }")
                           .replace(b"<", b"INSERT DATA { <", 1))
    assert inserted.status_code == 204, inserted.text
    assert ask(client, f"ASK {{ GRAPH <{UPDATES_GRAPH}> {{ <{BASE}id/organization/by-update> ?p ?o }} }}")
    assert is_a(client, "by-update", "Organization")
    deleted = client.post("sparql", headers=AUTH, data={
        "update": f"DELETE WHERE {{ GRAPH ?g {{ <{BASE}id/organization/by-update> ?p ?o }} }}"})
    assert deleted.status_code == 204, deleted.text
    assert not ask(client, f"ASK {{ <{BASE}id/organization/by-update> ?p ?o }}")


def test_update_errors(client: httpx.Client) -> None:
    update = {"Content-Type": "application/sparql-update", **AUTH}
    syntax = client.post("sparql", headers=update, content=b"CLEAR XYZ")
    assert syntax.status_code == 400 and "error at 1:" in syntax.text  # the client's own line, not ours
    service = client.post("sparql", headers=update,
                          content=b"INSERT { <a:s> <a:p> ?o } WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    assert service.status_code == 400 and "SERVICE" in service.text
    conflict = client.post("sparql", params={"using-graph-uri": ORGS_GRAPH}, headers=update,
                           content=b"WITH <a:g> INSERT { <a:s> <a:p> ?o } WHERE { ?s ?p ?o }")
    assert conflict.status_code == 400
