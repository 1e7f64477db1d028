"""Real SPARQL clients against a live server: SPARQLWrapper, rdflib's SPARQLStore and Apache Jena, each
issuing SELECT, ASK, CONSTRUCT and DESCRIBE by GET and by POST; every answer is parsed and checked against
the mini fixture data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, N3, POST, RDFXML, TURTLE, XML, SPARQLWrapper

from ..support import jena
from ..support.endpoint import Service, serve_project

ECO = Namespace("https://w3id.org/ecosystem-graph/ontology#")
ORG = Namespace("https://w3id.org/ecosystem-graph/id/organization/")
LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
SECHENOV = ORG["sechenov-university"]

SELECT = ("PREFIX eco: <https://w3id.org/ecosystem-graph/ontology#> "
          "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
          "SELECT ?org ?label WHERE { ?org a eco:Organization ; rdfs:label ?label FILTER(lang(?label) = 'en') } "
          "ORDER BY ?org")
EXPECTED_ROWS = [(str(SECHENOV), "Sechenov University"),
                 (str(ORG["zelenograd-development-corporation"]), "Zelenograd Development Corporation")]
ASK_TRUE = f"ASK {{ <{SECHENOV}> a <{ECO.University}> }}"
ASK_FALSE = f"ASK {{ <{SECHENOV}> a <{ECO.Person}> }}"
CONSTRUCT = ("PREFIX eco: <https://w3id.org/ecosystem-graph/ontology#> "
             "CONSTRUCT { ?org a eco:Organization } WHERE { ?org a eco:Organization }")
DESCRIBE = f"DESCRIBE <{SECHENOV}>"
METHODS = ["GET", "POST"]


def check_constructed(graph: Graph) -> None:
    assert set(graph) == {(URIRef(org), RDF.type, ECO.Organization) for org, _label in EXPECTED_ROWS}


def check_described(graph: Graph) -> None:
    assert (SECHENOV, LABEL, Literal("Sechenov University", lang="en")) in graph
    assert (SECHENOV, LABEL, Literal("Сеченовский университет", lang="ru")) in graph
    assert (SECHENOV, ECO.founded, Literal("1758-01-25", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))) \
        in graph
    assert {s for s, _p, _o in graph} == {SECHENOV}


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    with serve_project(tmp_path_factory.mktemp("clients")) as running:
        yield running


@pytest.fixture(scope="module")
def endpoint(service: Service) -> str:
    return service.url + "sparql"


# --- SPARQLWrapper -------------------------------------------------------------------------------------------

def wrapper(endpoint: str, method: str, query: str, return_format: str) -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint)
    client.setMethod(method)
    client.setQuery(query)
    client.setReturnFormat(return_format)
    return client


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("return_format", [JSON, XML])
def test_sparqlwrapper_select(endpoint: str, method: str, return_format: str) -> None:
    result = wrapper(endpoint, method, SELECT, return_format).query().convert()
    if return_format == JSON:
        rows = [(b["org"]["value"], b["label"]["value"]) for b in result["results"]["bindings"]]
    else:
        rows = []
        for binding in result.getElementsByTagName("result"):
            values = {b.getAttribute("name"): b.firstChild.firstChild.data
                      for b in binding.getElementsByTagName("binding")}
            rows.append((values["org"], values["label"]))
    assert rows == EXPECTED_ROWS


@pytest.mark.parametrize("method", METHODS)
def test_sparqlwrapper_ask(endpoint: str, method: str) -> None:
    assert wrapper(endpoint, method, ASK_TRUE, JSON).query().convert()["boolean"] is True
    assert wrapper(endpoint, method, ASK_FALSE, XML).query().convert().getElementsByTagName("boolean")[0] \
        .firstChild.data == "false"


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("return_format", [TURTLE, RDFXML, N3])
def test_sparqlwrapper_construct_and_describe(endpoint: str, method: str, return_format: str) -> None:
    constructed = wrapper(endpoint, method, CONSTRUCT, return_format).query().convert()
    described = wrapper(endpoint, method, DESCRIBE, return_format).query().convert()
    if return_format == RDFXML:
        assert isinstance(constructed, Graph) and isinstance(described, Graph)
    else:  # Turtle and N3 come back as bytes
        constructed = Graph().parse(data=constructed, format="turtle")
        described = Graph().parse(data=described, format="turtle")
    check_constructed(constructed)
    check_described(described)


def test_sparqlwrapper_post_directly(endpoint: str) -> None:
    client = wrapper(endpoint, POST, SELECT, JSON)
    client.setRequestMethod("postdirectly")
    rows = client.query().convert()["results"]["bindings"]
    assert [(b["org"]["value"], b["label"]["value"]) for b in rows] == EXPECTED_ROWS


# --- rdflib SPARQLStore --------------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
def test_rdflib_sparqlstore(endpoint: str, method: str) -> None:
    graph = Graph(SPARQLStore(query_endpoint=endpoint, method=method))
    assert [(str(r.org), str(r.label)) for r in graph.query(SELECT)] == EXPECTED_ROWS
    assert graph.query(ASK_TRUE).askAnswer is True
    assert graph.query(ASK_FALSE).askAnswer is False
    check_constructed(graph.query(CONSTRUCT).graph)
    check_described(graph.query(DESCRIBE).graph)
    assert (SECHENOV, RDF.type, ECO.University) in graph  # triple patterns through the store API


# --- Apache Jena ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def jena_client(tmp_path_factory: pytest.TempPathFactory) -> str:
    workdir = tmp_path_factory.mktemp("jena")
    return jena.compile_client(jena.classpath(workdir), workdir)


def test_jena(endpoint: str, jena_client: str, tmp_path: Path) -> None:
    """GET, POST of application/sparql-query and POST of a form, each for the four query forms."""
    queries = {"select": SELECT, "ask_true": ASK_TRUE, "ask_false": ASK_FALSE, "construct": CONSTRUCT,
               "describe": DESCRIBE}
    for name, text in queries.items():
        (tmp_path / f"{name}.rq").write_text(text)
    modes = ("GET", "POST", "FORM")
    runs = [(mode, tmp_path / f"{name}.rq") for name in queries for mode in modes]
    answers = jena.run_queries(jena_client, endpoint, runs, tmp_path / "answers")
    for mode in modes:
        rows = json.loads(answers["select", mode])["results"]["bindings"]
        assert [(b["org"]["value"], b["label"]["value"]) for b in rows] == EXPECTED_ROWS
        assert json.loads(answers["ask_true", mode])["boolean"] is True
        assert json.loads(answers["ask_false", mode])["boolean"] is False
        check_constructed(Graph().parse(data=answers["construct", mode], format="nt"))
        check_described(Graph().parse(data=answers["describe", mode], format="nt"))
