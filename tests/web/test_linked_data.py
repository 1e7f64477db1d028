"""Dereferencing IRIs on a live server: 303 See Other per format, every RDF format parses and carries the
resource's labels and facts, JSON-LD has a context, HTML follows Accept-Language (and ?lang=), 404 and 406;
the ontology IRI in Turtle and HTML. First on the mini fixture plus tests/fixtures/linked, then on the real
project data."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator

import httpx
import pytest
from markupsafe import escape
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from ecosystem_graph.config import Settings
from ecosystem_graph.pipeline import load as loader
from ecosystem_graph.store import open_store

from ..conftest import MINI, REPO, copy_project
from ..support.server import running_server

BASE = "https://w3id.org/ecosystem-graph/"
ECO = Namespace(BASE + "ontology#")
PERSON = URIRef(BASE + "id/person/andrey-svistunov")
POST = URIRef(BASE + "id/post/svistunov-sechenov-first-vice-rector")
RDFLIB_FORMAT = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt",
                 "application/rdf+xml": "xml"}
EXTENSION = {"text/turtle": "ttl", "application/ld+json": "jsonld", "application/n-triples": "nt",
             "application/rdf+xml": "rdf"}
EVIDENCE = "Со стороны Первого МГМУ им. И.М. Сеченова Соглашение было подписано Первым проректором"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """A live server over the mini project plus n-ary facts, a source document and Russian evidence."""
    root = tmp_path_factory.mktemp("linked")
    project = copy_project(MINI, root / "project")
    shutil.copy(REPO / "tests" / "fixtures" / "linked" / "facts.ttl", project / "data" / "facts.ttl")
    settings = Settings(project_dir=project, store_path=root / "store", backend="embedded", query_workers=1,
                        query_timeout=20)
    store = open_store(settings)
    loader.build(store, settings)
    try:
        with running_server(settings, store) as url, httpx.Client(base_url=url, timeout=30) as http:
            yield http
    finally:
        store.close()


def parse(response: httpx.Response) -> Graph:
    media_type = response.headers["content-type"].split(";")[0]
    return Graph().parse(data=response.content, format=RDFLIB_FORMAT[media_type])


@pytest.mark.parametrize("media_type", [*RDFLIB_FORMAT, "text/html"])
def test_resource_iri_redirects_303_to_a_document_per_format(client: httpx.Client, media_type: str) -> None:
    response = client.get("id/person/andrey-svistunov", headers={"Accept": media_type})
    assert response.status_code == 303
    assert "accept" in response.headers["vary"].lower()
    expected = "/page/person/andrey-svistunov" if media_type == "text/html" \
        else f"/data/person/andrey-svistunov.{EXTENSION[media_type]}"
    assert response.headers["location"] == expected


@pytest.mark.parametrize("media_type", list(RDFLIB_FORMAT))
def test_each_rdf_format_parses_with_labels_facts_and_evidence(client: httpx.Client, media_type: str) -> None:
    response = client.get("id/person/andrey-svistunov", headers={"Accept": media_type}, follow_redirects=True)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    graph = parse(response)
    assert (PERSON, RDFS.label, Literal("Andrey Svistunov", lang="en")) in graph
    assert (PERSON, RDFS.label, Literal("Андрей Свистунов", lang="ru")) in graph
    assert (POST, ECO.heldBy, PERSON) in graph  # the n-ary post pointing at the person, with its own facts
    assert (POST, ECO.role, URIRef(BASE + "id/role/first-vice-rector")) in graph
    assert any(str(o).startswith(EVIDENCE) for o in graph.objects(POST, ECO.evidence))
    source = URIRef(BASE + "id/source/sechenov-news-2017-02-28")
    assert (POST, ECO.source, source) in graph and (source, RDF.type, ECO.NewsArticle) in graph
    # labelled neighbours, but not the rest of the dataset
    assert (URIRef(BASE + "id/organization/sechenov-university"), RDFS.label,
            Literal("Sechenov University", lang="en")) in graph
    assert (URIRef(BASE + "id/organization/zelenograd-development-corporation"), None, None) not in graph


def test_blank_node_facts_are_described_two_levels_deep(client: httpx.Client) -> None:
    graph = parse(client.get("data/agreement/sechenov-zelenograd-cluster-2017.nt"))
    agreement = URIRef(BASE + "id/agreement/sechenov-zelenograd-cluster-2017")
    signatures = list(graph.objects(agreement, ECO.hasSignature))
    assert len(signatures) == 1
    assert (signatures[0], ECO.signatory, PERSON) in graph
    assert (signatures[0], ECO.inCapacityOf, POST) in graph
    assert (POST, ECO.postIn, URIRef(BASE + "id/organization/sechenov-university")) in graph


def test_json_ld_has_the_project_context(client: httpx.Client) -> None:
    response = client.get("data/person/andrey-svistunov.jsonld")
    document = json.loads(response.content)
    assert document["@context"]["eco"] == str(ECO)
    assert document["@context"]["rdfs"] == str(RDFS)
    assert "eco:heldBy" in response.text  # terms are compacted with the context


@pytest.mark.parametrize(("accept", "expected"), [
    ("text/turtle;q=0.5, application/ld+json", "jsonld"),
    ("text/html;q=0, */*;q=0.1", "ttl"),
    ("application/json", "jsonld"),
    ("application/rdf+xml;q=0.9, text/html;q=0.8", "rdf"),
])
def test_q_values_choose_the_document(client: httpx.Client, accept: str, expected: str) -> None:
    response = client.get("id/person/andrey-svistunov", headers={"Accept": accept})
    assert response.status_code == 303
    assert response.headers["location"].endswith(f".{expected}")


def test_browser_accept_and_head_get_the_page(client: httpx.Client) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert client.get("id/person/andrey-svistunov", headers={"Accept": browser}).headers["location"] \
        == "/page/person/andrey-svistunov"
    head = client.head("id/person/andrey-svistunov", headers={"Accept": "text/turtle"})
    assert head.status_code == 303 and head.headers["location"].endswith(".ttl")


@pytest.mark.parametrize(("accept_language", "query", "label", "other"), [
    ("ru-RU,ru;q=0.9,en;q=0.5", "", "Андрей Свистунов", "Andrey Svistunov"),
    ("en-GB,en;q=0.9", "", "Andrey Svistunov", "Андрей Свистунов"),
    ("ru", "?lang=en", "Andrey Svistunov", "Андрей Свистунов"),
    ("en", "?lang=ru", "Андрей Свистунов", "Andrey Svistunov"),
])
def test_html_page_speaks_the_asked_language(client: httpx.Client, accept_language: str, query: str, label: str,
                                             other: str) -> None:
    response = client.get(f"page/person/andrey-svistunov{query}", headers={"Accept-Language": accept_language})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "accept-language" in response.headers["vary"].lower()
    page = response.text
    assert f"<h1>{label}</h1>" in page
    assert other in page  # shown as the other-language name, not as the title
    lang = "en" if label == "Andrey Svistunov" else "ru"
    assert f'<html lang="{lang}">' in page
    switch_to = "ru" if lang == "en" else "en"
    assert f"lang={switch_to}" in page  # the language switcher


def test_html_page_links_neighbours_and_quotes_sources(client: httpx.Client) -> None:
    page = client.get("page/person/andrey-svistunov?lang=en").text
    assert 'href="/page/organization/sechenov-university?lang=en"' in page
    assert ">Sechenov University</a>" in page
    assert ">first vice-rector</a>" in page  # the post's role, through the n-ary node
    assert EVIDENCE in page and 'lang="ru"' in page
    assert "Сеченовский университет: деловое сотрудничество и развитие кластеров" in page
    assert 'href="/data/person/andrey-svistunov.ttl"' in page


@pytest.mark.parametrize("path", ["id/person/nobody", "page/person/nobody", "data/person/nobody.ttl",
                                  "data/person/andrey-svistunov.txt", "ontology/nothing-here"])
def test_unknown_iris_are_404(client: httpx.Client, path: str) -> None:
    assert client.get(path, headers={"Accept": "text/turtle"}).status_code == 404


def test_nothing_acceptable_is_406(client: httpx.Client) -> None:
    for path in ("id/person/andrey-svistunov", "ontology"):
        response = client.get(path, headers={"Accept": "image/png, application/pdf"})
        assert response.status_code == 406
        assert "text/turtle" in response.text


def test_ontology_iri_in_turtle_and_html(client: httpx.Client) -> None:
    response = client.get("ontology", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert "accept" in response.headers["vary"].lower()
    assert response.headers["content-location"] == "/ontology.ttl"
    graph = parse(response)
    assert (ECO.University, RDF.type, OWL.Class) in graph
    assert (ECO.University, RDFS.label, Literal("Университет", lang="ru")) in graph
    assert not list(graph.subjects(RDF.type, URIRef("http://www.w3.org/ns/shacl#NodeShape")))  # no shapes
    page = client.get("ontology", headers={"Accept": "text/html", "Accept-Language": "ru"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'id="University"' in page.text  # /ontology#University lands on the term
    assert "Университет" in page.text and "University" in page.text
    assert len(parse(client.get("ontology.nt"))) == len(graph)


# --- the real project -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def project(project_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=project_server, timeout=60) as http:
        yield http


REAL = ["organization/sechenov-university", "person/vladimir-zaytsev",
        "agreement/sechenov-university-zelenograd-cluster-cooperation-2017",
        "organization/international-medical-cluster"]


@pytest.mark.parametrize("path", REAL)
def test_real_resources_dereference(project: httpx.Client, path: str) -> None:
    iri = URIRef(f"{BASE}id/{path}")
    graph = parse(project.get(f"id/{path}", headers={"Accept": "text/turtle"}, follow_redirects=True))
    labels = {o.language for o in graph.objects(iri, RDFS.label)}
    assert labels == {"ru", "en"}
    page = project.get(f"id/{path}", headers={"Accept": "text/html", "Accept-Language": "ru"},
                       follow_redirects=True)
    assert page.status_code == 200
    ru_label = next(str(o) for o in graph.objects(iri, RDFS.label) if o.language == "ru")
    assert f"<h1>{escape(ru_label)}</h1>" in page.text
    assert 'class="ld-evidence" lang="ru"' in page.text  # quoted Russian evidence from the sources


def test_real_ontology_joins_the_modules(project: httpx.Client) -> None:
    graph = parse(project.get("ontology", headers={"Accept": "text/turtle"}))
    foaf_person = URIRef("http://xmlns.com/foaf/0.1/Person")
    assert (ECO.Person, RDFS.subClassOf, foaf_person) in graph  # alignments.ttl
    assert (ECO.Person, RDFS.label, Literal("Person", lang="en")) in graph  # ecosystem.ttl
    module = project.get("ontology/alignments", headers={"Accept": "text/turtle"})
    assert module.status_code == 303 and module.headers["location"] == "/ontology"
    page = project.get("ontology?lang=en").text
    assert 'id="Person"' in page and 'id="foaf-Person"' in page
