"""Read the W3C SPARQL 1.1 Protocol and Graph Store Protocol test manifests and run their HTTP exchanges.

The manifests describe each test as a list of ``ht:Request`` records (method, path, headers, body) with
the expected ``ht:Response``: ``mf:expectedStatus`` (an exact code or a class like ``StatusCode2xx``),
``mf:expectedFormat`` ("boolean", "tabular", "RDF"), ``mf:expectedBoolean``, response headers, an RDF body
that must be isomorphic to the answer, and ``mf:expectedLocation`` (a template variable to fill in later
requests with the ``Location`` header).
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

import httpx
from rdflib import RDF, RDFS, Graph, Namespace
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.term import Node

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#"

#: the named codes the manifests use (http://www.w3.org/2011/http-statusCodes)
NAMED_STATUS = {"OK": 200, "Created": 201, "NoContent": 204, "NotFound": 404, "BadRequest": 400}
RESULT_TYPES = {"application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values"}
RDF_PARSERS = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml",
               "application/ld+json": "json-ld", "application/trig": "trig", "application/n-quads": "nquads"}
SPARQL_XML = "{http://www.w3.org/2005/sparql-results#}"


@dataclass
class Exchange:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: list[str]
    expected_format: str | None = None
    expected_boolean: bool | None = None
    expected_headers: dict[str, str] = field(default_factory=dict)
    expected_body: str | None = None
    location_variable: str | None = None


@dataclass
class ManifestTest:
    name: str
    title: str
    requires: list[str]
    graph_data: list[tuple[str, Path]]  # (graph IRI, file)
    exchanges: list[Exchange]


def _list(graph: Graph, head: Node | None) -> list[Node]:
    return list(Collection(graph, head)) if head is not None else []


def _file(iri: Node | None) -> Path:
    return Path(unquote(urlparse(str(iri)).path))


def read_manifest(path: Path) -> list[ManifestTest]:
    """Every test of a manifest and of the manifests it includes, in manifest order."""
    graph = Graph().parse(path, format="turtle")
    tests: list[ManifestTest] = []
    for manifest in graph.subjects(RDF.type, MF.Manifest):
        for included in _list(graph, graph.value(manifest, MF.include)):
            tests += read_manifest(_file(included))
        for entry in _list(graph, graph.value(manifest, MF.entries)):
            tests.append(_test(graph, entry))
    return tests


def _test(graph: Graph, entry: Node) -> ManifestTest:
    data = [(str(graph.value(node, RDFS.label)), _file(graph.value(node, UT.graph)))
            for node in graph.objects(entry, UT.graphData)]
    action = graph.value(entry, MF.action)
    exchanges = [_exchange(graph, request) for request in _list(graph, graph.value(action, HT.requests))]
    return ManifestTest(name=str(entry).rsplit("#", 1)[-1], title=str(graph.value(entry, MF.name)),
                        requires=sorted(str(r).rsplit("#", 1)[-1] for r in graph.objects(entry, MF.requires)),
                        graph_data=sorted(data), exchanges=exchanges)


def _headers(graph: Graph, node: Node | None) -> dict[str, str]:
    return {str(graph.value(h, HT.fieldName)).lower(): str(graph.value(h, HT.fieldValue))
            for h in _list(graph, graph.value(node, HT.headers))} if node is not None else {}


def _exchange(graph: Graph, request: Node) -> Exchange:
    body_node = graph.value(request, HT.body)
    body = None
    if body_node is not None:
        encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
        body = str(graph.value(body_node, CNT.chars)).encode(encoding)
    response = graph.value(request, HT.resp)
    boolean = graph.value(response, MF.expectedBoolean)
    expected_format = graph.value(response, MF.expectedFormat)
    response_body = graph.value(response, HT.body)
    location = graph.value(response, MF.expectedLocation)
    return Exchange(
        method=str(graph.value(request, HT.methodName)),
        path=str(graph.value(request, HT.absolutePath)),
        headers=_headers(graph, request),
        body=body,
        statuses=sorted(str(s).removeprefix(HTS) for s in graph.objects(response, MF.expectedStatus)),
        expected_format=str(expected_format) if expected_format is not None else None,
        expected_boolean=bool(boolean.toPython()) if boolean is not None else None,
        expected_headers=_headers(graph, response),
        expected_body=str(graph.value(response_body, CNT.chars)) if response_body is not None else None,
        location_variable=str(location) if location is not None else None,
    )


def status_ok(code: int, expected: list[str]) -> bool:
    for name in expected:
        if name.startswith("StatusCode") and name.endswith("xx"):
            if code // 100 == int(name[len("StatusCode")]):
                return True
        elif NAMED_STATUS.get(name) == code:
            return True
    return False


def media_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


def read_boolean(response: httpx.Response) -> bool:
    kind = media_type(response)
    if kind == "application/sparql-results+json":
        return bool(response.json()["boolean"])
    assert kind == "application/sparql-results+xml", kind
    element = ET.fromstring(response.content).find(f"{SPARQL_XML}boolean")
    assert element is not None and element.text in ("true", "false")
    return element.text == "true"


def check_format(response: httpx.Response, expected: str) -> None:
    """The body is a well-formed result of the expected kind."""
    kind = media_type(response)
    if expected == "boolean":
        read_boolean(response)
    elif expected == "tabular":
        assert kind in RESULT_TYPES, kind
        if kind == "application/sparql-results+json":
            assert "vars" in response.json()["head"]
        elif kind == "application/sparql-results+xml":
            assert ET.fromstring(response.content).find(f"{SPARQL_XML}results") is not None
        else:
            assert list(csv.reader(io.StringIO(response.text), delimiter="," if kind == "text/csv" else "\t"))
    elif expected == "RDF":
        assert kind in RDF_PARSERS, kind
        Graph().parse(data=response.content, format=RDF_PARSERS[kind])
    else:
        raise AssertionError(f"unknown expected format {expected}")


def same_graph(response: httpx.Response, expected_turtle: str) -> bool:
    got = Graph().parse(data=response.content, format=RDF_PARSERS[media_type(response)])
    return isomorphic(got, Graph().parse(data=expected_turtle, format="turtle"))


def run_exchanges(client: httpx.Client, test: ManifestTest, *, rewrite: dict[str, str],
                  extra_headers: dict[str, str]) -> None:
    """Send each request of ``test`` in order and assert its expected response."""
    variables: dict[str, str] = {}
    for number, exchange in enumerate(test.exchanges, start=1):
        path, body = exchange.path, exchange.body
        for name, value in variables.items():
            path = path.replace(name, value)
            body = body.replace(name.encode(), value.encode()) if body is not None else None
        for old, new in rewrite.items():
            if path.startswith(old):
                path = new + path[len(old):]
                break
        response = client.request(exchange.method, path, headers={**exchange.headers, **extra_headers},
                                  content=body)
        where = f"{test.name} request {number} ({exchange.method} {path})"
        assert status_ok(response.status_code, exchange.statuses), \
            f"{where}: status {response.status_code} not in {exchange.statuses}: {response.text[:500]}"
        if exchange.expected_format:
            check_format(response, exchange.expected_format)
        if exchange.expected_boolean is not None:
            assert read_boolean(response) is exchange.expected_boolean, f"{where}: {response.text}"
        if "content-type" in exchange.expected_headers:
            assert media_type(response) == exchange.expected_headers["content-type"].split(";")[0].strip(), where
        if exchange.expected_body is not None:
            assert same_graph(response, exchange.expected_body), f"{where}: got\n{response.text}"
        if exchange.location_variable:
            assert "location" in response.headers, f"{where}: no Location header"
            variables[exchange.location_variable] = response.headers["location"]
