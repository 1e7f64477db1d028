"""The SPARQL endpoint over HTTP on a live server: operations, formats, negotiation, datasets, status codes,
the service description, VoID, dumps, named queries, CORS and the OpenAPI page."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import httpx
import pytest
from rdflib import RDF, Dataset, Graph, Literal, Namespace, URIRef

from ..support.endpoint import Service, serve_project

ECO = Namespace("https://w3id.org/ecosystem-graph/ontology#")
ORG = "https://w3id.org/ecosystem-graph/id/organization/"
SECHENOV = URIRef(ORG + "sechenov-university")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
ORGS_GRAPH = "https://w3id.org/ecosystem-graph/graph/data/orgs"
PEOPLE_GRAPH = "https://w3id.org/ecosystem-graph/graph/data/people"
XML_NS = "{http://www.w3.org/2005/sparql-results#}"

LABELS = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?label WHERE { "
          f"<{SECHENOV}> rdfs:label ?label }} ORDER BY ?label")
CONSTRUCT = f"CONSTRUCT {{ <{SECHENOV}> ?p ?o }} WHERE {{ <{SECHENOV}> ?p ?o }}"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
DIRECT = {"Content-Type": "application/sparql-query"}
RDF_FORMATS = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml",
               "application/ld+json": "json-ld", "application/trig": "trig", "application/n-quads": "nquads"}


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    with serve_project(tmp_path_factory.mktemp("sparql"), cors_origins=["https://app.example"]) as running:
        yield running


@pytest.fixture
def client(service: Service) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=service.url, timeout=30) as client:
        yield client


def media(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0]


def labels_of(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [row["label"]["value"] for row in response.json()["results"]["bindings"]]


# --- operations ----------------------------------------------------------------------------------------------

def test_query_by_get_post_form_and_post_direct_agree(client: httpx.Client) -> None:
    expected = ["Sechenov University", "Сеченовский университет"]
    assert labels_of(client.get("sparql", params={"query": LABELS})) == expected
    assert labels_of(client.post("sparql", data={"query": LABELS})) == expected
    assert labels_of(client.post("sparql", content=LABELS.encode(), headers=DIRECT)) == expected
    assert labels_of(client.post("sparql", content=LABELS.encode(),
                                 headers={"Content-Type": "application/sparql-query; charset=UTF-8"})) == expected


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml",
                                    "text/csv", "text/tab-separated-values"])
def test_select_in_every_result_format(client: httpx.Client, accept: str) -> None:
    response = client.get("sparql", params={"query": LABELS}, headers={"Accept": accept})
    assert response.status_code == 200 and media(response) == accept
    assert "Accept" in response.headers["vary"]
    if accept.endswith("json"):
        values = [r["label"]["value"] for r in response.json()["results"]["bindings"]]
    elif accept.endswith("xml"):
        root = ET.fromstring(response.content)
        values = [e.text for e in root.iter(f"{XML_NS}literal")]
    elif accept == "text/csv":
        values = [row[0] for row in list(csv.reader(io.StringIO(response.text)))[1:]]
    else:  # TSV writes literals in Turtle syntax
        values = [line.split("\t")[0] for line in response.text.splitlines()[1:]]
        assert values == ['"Sechenov University"@en', '"Сеченовский университет"@ru']
        return
    assert values == ["Sechenov University", "Сеченовский университет"]


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml"])
@pytest.mark.parametrize(("query", "answer"), [(f"ASK {{ <{SECHENOV}> ?p ?o }}", True),
                                               ("ASK { <http://example.org/nothing> ?p ?o }", False)])
def test_ask_in_json_and_xml(client: httpx.Client, accept: str, query: str, answer: bool) -> None:
    response = client.get("sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200 and media(response) == accept
    if accept.endswith("json"):
        assert response.json()["boolean"] is answer
    else:
        assert ET.fromstring(response.content).find(f"{XML_NS}boolean").text == str(answer).lower()


@pytest.mark.parametrize("accept", list(RDF_FORMATS))
@pytest.mark.parametrize("query", [CONSTRUCT, f"DESCRIBE <{SECHENOV}>"])
def test_construct_and_describe_in_every_rdf_format(client: httpx.Client, accept: str, query: str) -> None:
    response = client.post("sparql", data={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200 and media(response) == accept
    if accept in ("application/trig", "application/n-quads"):
        graph = Dataset()
        graph.parse(data=response.content, format=RDF_FORMATS[accept])
        triples = {(s, p, o) for s, p, o, _g in graph.quads()}
    else:
        triples = set(Graph().parse(data=response.content, format=RDF_FORMATS[accept]))
    assert (SECHENOV, RDFS_LABEL, Literal("Sechenov University", lang="en")) in triples
    assert (SECHENOV, RDF.type, ECO.University) in triples


def test_results_larger_than_a_pipe_buffer(client: httpx.Client) -> None:
    """Results cross a process boundary (query workers): a megabyte arrives whole, in every format."""
    query = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 3000"
    for accept in ("application/sparql-results+json", "text/csv"):
        response = client.get("sparql", params={"query": query}, headers={"Accept": accept})
        assert response.status_code == 200, response.text
        assert len(response.content) > 256 * 1024
    assert len(client.get("sparql", params={"query": query}).json()["results"]["bindings"]) == 3000


# --- content negotiation -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("accept", "query", "expected"), [
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", LABELS, "application/sparql-results+xml"),
    ("text/turtle, */*;q=0.1", LABELS, "application/sparql-results+json"),
    ("application/json", CONSTRUCT, "application/ld+json"),
    ("application/xml", CONSTRUCT, "application/rdf+xml"),
    ("text/*", CONSTRUCT, "text/turtle"),
    ("application/n-triples;q=0.2, application/n-quads;q=0.3", CONSTRUCT, "application/n-quads"),
    ("*/*;q=0.8, text/turtle;q=0", CONSTRUCT, "application/n-triples"),
])
def test_negotiation_honours_q_values(client: httpx.Client, accept: str, query: str, expected: str) -> None:
    response = client.get("sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert media(response) == expected


def test_format_parameter_overrides_accept(client: httpx.Client) -> None:
    response = client.get("sparql", params={"query": LABELS, "format": "csv"}, headers={"Accept": "text/turtle"})
    assert media(response) == "text/csv"
    response = client.get("sparql", params={"query": CONSTRUCT, "format": "json"})
    assert media(response) == "application/ld+json"


@pytest.mark.parametrize(("accept", "query"), [("text/turtle", LABELS), ("application/sparql-results+json", CONSTRUCT),
                                               ("image/png", LABELS), ("text/csv;q=0", LABELS)])
def test_nothing_acceptable_is_406(client: httpx.Client, accept: str, query: str) -> None:
    response = client.get("sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 406, response.text


# --- errors --------------------------------------------------------------------------------------------------

def test_malformed_query_is_400_with_message_and_position(client: httpx.Client) -> None:
    response = client.get("sparql", params={"query": "SELECT * WHERE {\n  ?s ?p \n}"})
    assert response.status_code == 400
    assert re.search(r"error at [23]:\d+: .*[Ee]xpected", response.text), response.text


@pytest.mark.parametrize(("method", "kwargs"), [
    ("GET", {"params": [("query", "ASK {}"), ("query", "ASK {}")]}),
    ("POST", {"data": {"query": "ASK {}", "update": "CLEAR ALL"}}),
    ("POST", {"params": {"query": "ASK {}"}, "content": b"ASK {}", "headers": DIRECT}),
    ("GET", {"params": {"update": "CLEAR ALL"}}),
    ("POST", {"data": {"default-graph-uri": ORGS_GRAPH}}),
    ("GET", {"params": {"query": "ASK {}", "default-graph-uri": "not an iri"}}),
    ("GET", {"params": {"query": "ASK {}", "inference": "maybe"}}),
])
def test_bad_requests_are_400(client: httpx.Client, method: str, kwargs: dict) -> None:
    response = client.request(method, "sparql", **kwargs)
    assert response.status_code == 400, response.text


@pytest.mark.parametrize("headers", [{"Content-Type": "text/plain"}, {},
                                     {"Content-Type": "application/sparql-query; charset=UTF-16"}])
def test_unsupported_post_body_is_415(client: httpx.Client, headers: dict) -> None:
    response = client.post("sparql", content=b"ASK {}", headers=headers)
    assert response.status_code == 415, response.text


def test_update_on_a_read_only_endpoint_is_403(client: httpx.Client) -> None:
    for kwargs in ({"data": {"update": "CLEAR ALL"}},
                   {"content": b"CLEAR ALL", "headers": {"Content-Type": "application/sparql-update",
                                                         "Authorization": "Bearer guess"}}):
        response = client.post("sparql", **kwargs)
        assert response.status_code == 403
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert labels_of(client.get("sparql", params={"query": LABELS}))  # nothing was cleared


def test_service_is_refused_unless_allowed(client: httpx.Client) -> None:
    response = client.get("sparql", params={"query": "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"})
    assert response.status_code == 400 and "SERVICE" in response.text
    harmless = client.get("sparql", params={"query": 'SELECT ("SERVICE" AS ?x) {} # SERVICE <x>'})
    assert harmless.status_code == 200


# --- datasets ------------------------------------------------------------------------------------------------

def test_inference_false_leaves_out_the_inferred_graph(client: httpx.Client) -> None:
    query = f"ASK {{ <{SECHENOV}> a <{ECO.Organization}> }}"
    assert client.get("sparql", params={"query": query}).json()["boolean"] is True
    for name in ("inference", "include-inferred"):
        assert client.get("sparql", params={"query": query, name: "false"}).json()["boolean"] is False
    assert client.post("sparql", data={"query": query, "inference": "false"}).json()["boolean"] is False


def test_protocol_dataset(client: httpx.Client) -> None:
    who = "SELECT DISTINCT ?s WHERE { ?s ?p ?o } ORDER BY ?s"
    only_orgs = client.get("sparql", params={"query": who, "default-graph-uri": ORGS_GRAPH}).json()
    assert {r["s"]["value"] for r in only_orgs["results"]["bindings"]} == {
        ORG + "sechenov-university", ORG + "zelenograd-development-corporation"}
    graphs = client.get("sparql", params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                                          "named-graph-uri": [PEOPLE_GRAPH, ORGS_GRAPH]}).json()
    assert {r["g"]["value"] for r in graphs["results"]["bindings"]} == {PEOPLE_GRAPH, ORGS_GRAPH}
    none = client.get("sparql", params={"query": who, "named-graph-uri": ORGS_GRAPH}).json()
    assert none["results"]["bindings"] == []  # named graphs only: the default graph is empty


def test_relative_iris_resolve_against_the_base(client: httpx.Client) -> None:
    response = client.get("sparql", params={"query": "ASK { <id/organization/sechenov-university> ?p ?o }"})
    assert response.json()["boolean"] is True


# --- self-description ----------------------------------------------------------------------------------------

def test_service_description(client: httpx.Client, service: Service) -> None:
    response = client.get("sparql")
    assert response.status_code == 200 and media(response) == "text/turtle"
    graph = Graph().parse(data=response.content, format="turtle")
    endpoint = URIRef(service.url + "sparql")
    assert (endpoint, RDF.type, SD.Service) in graph
    assert (endpoint, SD.endpoint, endpoint) in graph
    assert (endpoint, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (endpoint, SD.supportedLanguage, SD.SPARQL11Update) not in graph  # read-only
    assert (endpoint, SD.feature, SD.UnionDefaultGraph) in graph
    assert len(set(graph.objects(endpoint, SD.resultFormat))) == 10
    names = {str(n) for n in graph.objects(None, SD.name)}
    assert names == set(service.store.graph_sizes())
    as_jsonld = client.get("sparql", headers={"Accept": "application/ld+json"})
    assert media(as_jsonld) == "application/ld+json"
    assert len(Graph().parse(data=as_jsonld.content, format="json-ld")) == len(graph)
    assert client.get("sparql", headers={"Accept": "application/sparql-results+json"}).status_code == 406
    browser = client.get("sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert browser.status_code == 303 and browser.headers["location"] == "/"  # to the query editor


def test_void(client: httpx.Client, service: Service) -> None:
    response = client.get(".well-known/void")
    assert response.status_code == 200 and media(response) == "text/turtle"
    graph = Graph().parse(data=response.content, format="turtle")
    dataset = next(graph.subjects(VOID.sparqlEndpoint, URIRef(service.url + "sparql")))
    sizes = service.store.graph_sizes()
    assert graph.value(dataset, VOID.triples).toPython() == sum(sizes.values())
    for name, size in sizes.items():
        assert (dataset, VOID.subset, URIRef(name)) in graph
        assert graph.value(URIRef(name), VOID.triples).toPython() == size
    universities = next(p for p in graph.objects(dataset, VOID.classPartition)
                        if graph.value(p, VOID["class"]) == ECO.University)
    assert graph.value(universities, VOID.entities).toPython() == 1
    labels = next(p for p in graph.objects(dataset, VOID.propertyPartition)
                  if graph.value(p, VOID.property) == RDFS_LABEL)
    count = service.store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{RDFS_LABEL}> ?o }}")[0]["n"]["value"]
    assert graph.value(labels, VOID.triples).toPython() == int(count) > 6
    assert SECHENOV in set(graph.objects(dataset, VOID.exampleResource))
    dumps = {str(d) for d in graph.objects(dataset, VOID.dataDump)}
    assert dumps == {service.url + "dump.trig", service.url + "dump.nq"}
    for dump in dumps:
        assert client.get(dump).status_code == 200
    subset_dump = graph.value(URIRef(ORGS_GRAPH), VOID.dataDump)
    assert len(Graph().parse(data=client.get(str(subset_dump)).content, format="turtle")) == sizes[ORGS_GRAPH]


@pytest.mark.parametrize(("path", "fmt"), [("dump.trig", "trig"), ("dump.nq", "nquads")])
def test_dumps_hold_the_whole_dataset(client: httpx.Client, service: Service, path: str, fmt: str) -> None:
    with client.stream("GET", path) as response:
        assert response.status_code == 200
        assert "attachment" in response.headers["content-disposition"]
        body = response.read()
    dataset = Dataset()
    dataset.parse(data=body, format=fmt)
    per_graph: dict[str, int] = {}
    for _s, _p, _o, g in dataset.quads():
        per_graph[str(g)] = per_graph.get(str(g), 0) + 1
    assert per_graph == service.store.graph_sizes()


# --- named queries -------------------------------------------------------------------------------------------

def test_catalogue_lists_queries_with_parameters(client: httpx.Client, service: Service) -> None:
    catalogue = client.get("queries").json()["queries"]
    entry = next(q for q in catalogue if q["name"] == "organisations")
    assert entry["title"] == "Organisations by kind"
    assert entry["parameters"] == [{"name": "kind", "type": "iri", "default": str(ECO.Organization)}]
    assert entry["url"] == service.url + "queries/organisations"
    page = client.get("queries", headers={"Accept": "text/html"})  # Russian unless asked otherwise
    assert media(page) == "text/html" and "Организации по видам" in page.text
    english = client.get("queries", headers={"Accept": "text/html", "Accept-Language": "en"})
    assert "Organisations by kind" in english.text


def test_named_query_binds_typed_parameters(client: httpx.Client) -> None:
    everyone = client.get("queries/organisations").json()["results"]["bindings"]
    assert [r["label"]["value"] for r in everyone] == ["Sechenov University", "Zelenograd Development Corporation"]
    universities = client.get("queries/organisations", params={"kind": str(ECO.University)},
                              headers={"Accept": "text/csv"})
    assert universities.text.splitlines() == ["org,label", f"{SECHENOV},Sechenov University"]
    asserted = client.get("queries/organisations", params={"inference": "false"}).json()["results"]["bindings"]
    assert [r["label"]["value"] for r in asserted] == ["Zelenograd Development Corporation"]


@pytest.mark.parametrize(("path", "params", "status"), [
    ("queries/organisations", {"kind": "> } ; DROP ALL #"}, 400),
    ("queries/organisations", {"colour": "red"}, 400),
    ("queries/nothing-here", {}, 404),
    ("queries/organisations", {"format": "png"}, 406),
])
def test_named_query_errors(client: httpx.Client, path: str, params: dict, status: int) -> None:
    assert client.get(path, params=params).status_code == status


# --- CORS, OpenAPI -------------------------------------------------------------------------------------------

def test_cors_only_for_configured_origins(client: httpx.Client) -> None:
    allowed = client.get("sparql", params={"query": "ASK {}"}, headers={"Origin": "https://app.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://app.example"
    other = client.get("sparql", params={"query": "ASK {}"}, headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    preflight = client.options("sparql", headers={"Origin": "https://app.example",
                                                  "Access-Control-Request-Method": "POST",
                                                  "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 200 and "POST" in preflight.headers["access-control-allow-methods"]


def test_openapi_documents_the_endpoint(client: httpx.Client) -> None:
    spec = client.get("openapi.json").json()
    for path in ("/sparql", "/rdf-graph-store", "/queries", "/queries/{name}", "/.well-known/void", "/dump.trig"):
        assert path in spec["paths"], path
    assert set(spec["paths"]["/sparql"]) == {"get", "post"}


def test_docs_page_works_offline(client: httpx.Client) -> None:
    page = client.get("docs")
    assert page.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert assets and all(a.startswith("/") for a in assets), assets  # nothing from another host
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
    assert "/openapi.json" in page.text and "validatorUrl" in page.text
    assert client.get("redoc").status_code == 404
