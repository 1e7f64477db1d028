"""The remote store against a real ``oxigraph serve``: what the contract suite cannot show on its own.

Atomic switches under concurrent readers, hidden bookkeeping graphs, blank nodes across graphs, servers
without the Graph Store Protocol or with fewer result formats, failures, and the web endpoint on top.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from ecosystem_graph.config import Settings
from ecosystem_graph.errors import ConfigError, QueryError, QueryTimeout, StoreUnavailable
from ecosystem_graph.pipeline import load as loader
from ecosystem_graph.store import QueryRequest
from ecosystem_graph.store.remote import RemoteStore
from ecosystem_graph.store.remote_generation import Names, register_staging
from ecosystem_graph.store.remote_http import SparqlHttp

from ..support.server import free_port, running_server
from ..support.sparql_servers import Endpoints, oxigraph_server
from .conftest import open_for_test
from .test_store_contract import ECO, ORG, PREFIXES, canonical

pytestmark = pytest.mark.timeout(120)  # a hung server fails the test, not the run
JSON = "application/sparql-results+json"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def build(settings: Settings) -> RemoteStore:
    store = open_for_test(settings)
    assert isinstance(store, RemoteStore)
    loader.build(store, settings)
    return store


def memory_twin(settings: Settings) -> list[str]:
    """What the memory backend holds for the same project: the reference."""
    memory_settings = settings.model_copy(update={"backend": "memory"})
    memory = open_for_test(memory_settings)
    loader.build(memory, memory_settings)
    return canonical(memory)


def server_graphs(endpoints: Endpoints) -> set[str]:
    """Every graph on the server, asked directly (not through the store)."""
    answer = httpx.post(endpoints.query, data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
                        headers={"Accept": JSON})
    return {row["g"]["value"] for row in answer.json()["results"]["bindings"]}


# --- atomic publication ----------------------------------------------------------------------------------
def _publish(store: RemoteStore, generation: dict[str, str]) -> None:
    with store.new_generation() as builder:
        for name, marker in generation.items():
            triples = "".join(f'<urn:s{i}> <urn:marker> "{marker}" .\n' for i in range(500))
            builder.load(triples.encode(), "application/n-triples", graph=store.base_iri + "graph/" + name)
        builder.commit()


def check_readers_see_the_old_or_the_new_generation(settings: Settings) -> None:
    """Readers in threads while generations are published: every answer is wholly one or the other. The two
    generations differ in their graph names too, so a reader with a stale graph list would see half."""
    old, new = {"one": "A", "two": "A"}, {"one": "B", "three": "B", "four": "B"}
    expected = {(("A", 1000),), (("B", 1500),)}
    writer = open_for_test(settings)
    assert isinstance(writer, RemoteStore)
    _publish(writer, old)
    seen: list[tuple] = []
    done = threading.Event()
    failures: list[BaseException] = []

    def read() -> None:
        reader = open_for_test(settings)
        try:
            while not done.is_set():
                rows = reader.select("SELECT ?m (COUNT(*) AS ?n) WHERE { ?s <urn:marker> ?m } GROUP BY ?m")
                seen.append(tuple(sorted((r["m"]["value"], int(r["n"]["value"])) for r in rows)))
        except BaseException as error:  # reported by the main thread
            failures.append(error)
        finally:
            reader.close()

    readers = [threading.Thread(target=read) for _ in range(3)]
    for thread in readers:
        thread.start()
    try:
        for generation in (new, old, new, old, new):
            _publish(writer, generation)
    finally:
        done.set()
        for thread in readers:
            thread.join(30)
    assert not failures
    assert seen
    assert set(seen) <= expected, set(seen) - expected
    assert writer.graph_sizes() == {writer.base_iri + "graph/" + name: 500 for name in new}


def test_readers_see_the_old_or_the_new_generation_never_half(oxigraph_settings: Settings) -> None:
    check_readers_see_the_old_or_the_new_generation(oxigraph_settings)


def test_bookkeeping_graphs_stay_hidden_and_a_dead_load_is_cleaned_up(oxigraph_settings: Settings,
                                                                       oxigraph_endpoints: Endpoints) -> None:
    store = build(oxigraph_settings)
    names = Names(oxigraph_settings.base_iri)
    # What a load killed between upload and switch leaves behind: a registered, filled staging graph.
    dead = names.staging("dead", 0)
    http = SparqlHttp(oxigraph_endpoints.query, oxigraph_endpoints.update, oxigraph_endpoints.graph_store)
    http.update(register_staging(names, [dead]))
    http.post_graph(dead, f"<{ORG}ghost> <{RDF_TYPE}> <{ECO}Organization> .\n".encode())
    assert {names.control, dead} <= server_graphs(oxigraph_endpoints)

    in_store = store.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert {row["g"]["value"] for row in in_store} == set(store.graph_sizes())
    assert not any(g.startswith(oxigraph_settings.base_iri + "store/") for g in store.graph_sizes())
    assert store.select(f"SELECT * WHERE {{ <{names.control}> ?p ?o }}") == []
    assert store.select(PREFIXES + f"SELECT * WHERE {{ <{ORG}ghost> ?p ?o }}") == []

    loader.build(store, oxigraph_settings, full=True)
    left = server_graphs(oxigraph_endpoints)
    assert dead not in left
    assert {g for g in left if g.startswith(oxigraph_settings.base_iri)} == {*store.graph_sizes(), names.control}
    http.close()


# --- blank nodes and protocols -------------------------------------------------------------------------------
ANONYMOUS = f"""@prefix eco: <{ECO}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
[] a eco:University ; rdfs:label "Anonymous"@en .
"""


def check_blank_nodes_keep_their_identity_across_graphs(settings: Settings) -> None:
    (settings.project_dir / "data" / "anonymous.ttl").write_text(ANONYMOUS)
    store = build(settings)
    # its label is asserted in data/anonymous, its being an Organization inferred: one node across two graphs
    query = 'SELECT ?x WHERE { ?x a eco:Organization ; rdfs:label "Anonymous"@en }'
    assert len(store.select(PREFIXES + query)) == 1
    assert canonical(store) == memory_twin(settings)
    with store.new_generation(copy_current=True) as builder:  # and the round trip through a copy keeps it
        builder.commit()
    assert len(store.select(PREFIXES + query)) == 1
    assert canonical(store) == memory_twin(settings)


@pytest.mark.parametrize("graph_store", [True, False], ids=["graph-store-protocol", "update-only"])
def test_blank_nodes_keep_their_identity_across_graphs(oxigraph_settings: Settings, graph_store: bool) -> None:
    check_blank_nodes_keep_their_identity_across_graphs(
        oxigraph_settings if graph_store else oxigraph_settings.model_copy(update={"remote_graph_store_url": None}))


class _OnlyFallbackFormats(BaseHTTPRequestHandler):
    """A proxy to the Oxigraph server that keeps only the last type of each Accept list: a server that writes
    JSON results and N-Triples but nothing else."""

    upstream = ""

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        accept = self.headers.get("Accept", "*/*").split(",")[-1].split(";")[0].strip()
        answer = httpx.post(self.upstream + self.path, content=body, headers={
            "Content-Type": self.headers["Content-Type"], "Accept": accept})
        self.send_response(answer.status_code)
        for name in ("Content-Type", "Server"):
            if name.lower() in answer.headers:
                self.send_header(name, answer.headers[name.lower()])
        self.send_header("Content-Length", str(len(answer.content)))
        self.end_headers()
        self.wfile.write(answer.content)

    def log_message(self, *args) -> None:
        pass


@contextmanager
def limited_proxy(upstream: str) -> Iterator[str]:
    handler = type("Handler", (_OnlyFallbackFormats,), {"upstream": upstream})
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_formats_the_server_cannot_write_are_made_locally(oxigraph_settings: Settings,
                                                          oxigraph_endpoints: Endpoints) -> None:
    build(oxigraph_settings)
    upstream = oxigraph_endpoints.query.removesuffix("/query")
    with limited_proxy(upstream) as proxy:
        store = open_for_test(oxigraph_settings.model_copy(update={"remote_query_url": proxy + "/query"}))
        construct = PREFIXES + "CONSTRUCT { ?o rdfs:label ?l } WHERE { ?o a eco:Organization ; rdfs:label ?l }"
        for media_type in ("text/turtle", "application/rdf+xml", "application/trig"):
            output = store.query(QueryRequest(construct, accept=[media_type]))
            assert output.media_type == media_type
            assert len(list(ox.parse(output.body, format=ox.RdfFormat.from_media_type(media_type)))) == 4
        select = PREFIXES + "SELECT ?o WHERE { ?o a eco:University }"
        output = store.query(QueryRequest(select, accept=["application/sparql-results+xml"]))
        assert output.body.startswith(b"<?xml")
        assert [s["o"].value for s in ox.parse_query_results(output.body, format=ox.QueryResultsFormat.XML)] == [
            ORG + "sechenov-university"]


# --- failures ------------------------------------------------------------------------------------------------
def test_an_unreachable_server_or_no_url_is_reported(mini_settings: Settings) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}/query"
    store = open_for_test(mini_settings.model_copy(update={"backend": "remote", "remote_query_url": nowhere}))
    with pytest.raises(StoreUnavailable):
        store.is_empty()
    with pytest.raises(StoreUnavailable):
        store.select("SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(ConfigError):
        open_for_test(mini_settings.model_copy(update={"backend": "remote"}))


def test_terms_that_could_break_out_are_refused(oxigraph_settings: Settings) -> None:
    store = build(oxigraph_settings)
    for term in ({"type": "uri", "value": "urn:x> } ; DROP ALL ; SELECT * { <urn:y"},
                 {"type": "literal", "value": "x", "xml:lang": "en } ; DROP ALL"},
                 {"type": "literal", "value": "1", "datatype": "urn:int> . }"},
                 {"type": "bnode", "value": "b0"}):
        with pytest.raises(QueryError):
            store.select("SELECT ?x WHERE { ?x ?p ?o }", substitutions={"x": term})
    with pytest.raises(QueryError):
        store.select("SELECT ?x WHERE { ?x ?p ?o }", substitutions={"x) {} } DROP ALL; #": {"type": "uri",
                                                                                          "value": "urn:x"}})
    assert store.graph_sizes()


def test_a_query_the_server_stops_itself_is_a_timeout(mini_settings: Settings, tmp_path: Path) -> None:
    with oxigraph_server(tmp_path / "quick", timeout_s=1) as endpoints:
        settings = mini_settings.model_copy(update=endpoints.settings())
        store = build(settings)
        product = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l "
                   "FILTER(STR(?c) != STR(?l)) }")
        with pytest.raises(QueryTimeout):  # the client would wait 20 s; the server gives up after 1 s
            store.query(QueryRequest(product, accept=[JSON], timeout=20))
        store.close()


# --- the web layer on top ----------------------------------------------------------------------------------
def test_the_sparql_endpoint_serves_the_remote_store(oxigraph_settings: Settings) -> None:
    store = build(oxigraph_settings)
    with running_server(oxigraph_settings, store) as url:
        answer = httpx.get(url + "sparql", params={"query": PREFIXES + "SELECT ?o WHERE { ?o a eco:Organization }"},
                           headers={"Accept": JSON}, timeout=30)
        assert answer.status_code == 200, answer.text
        assert sorted(b["o"]["value"] for b in answer.json()["results"]["bindings"]) == [
            ORG + "sechenov-university", ORG + "zelenograd-development-corporation"]
        broken = httpx.get(url + "sparql", params={"query": "SELECT * WHERE {"}, timeout=30)
        assert broken.status_code == 400
