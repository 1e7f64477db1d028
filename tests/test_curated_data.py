"""The curated data of both sources: labels, provenance, counts, source kinds, no page furniture."""

from __future__ import annotations

import os
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS, XSD

from .conftest import REPO

ECO = Namespace("https://w3id.org/ecosystem-graph/ontology#")
ID = "https://w3id.org/ecosystem-graph/id/"
SOURCE_FILES = {
    ID + "source/sechenov-university-cluster-cooperation-2017": "000_787c4306e1906a61.txt",
    ID + "source/international-medical-cluster-biotech-advertisement": "003_d2016b0dd33eddae.txt",
}
SIDEBAR_STORIES = ["Суворов", "Мать-героиня", "Ракова", "ювелир", "Монгольфье", "воздушном шаре", "6,7 млн",
                   "Корпорации МСП", "Просмотров", "Ньюсмейкер", "Поделиться", "27 публикаций", "молебны"]


@cache
def ontology() -> Graph:
    graph = Graph()
    for name in ("ecosystem.ttl", "alignments.ttl"):
        graph.parse(REPO / "ontology" / name)
    return graph


@cache
def data() -> Graph:
    graph = Graph()
    for path in sorted((REPO / "data").glob("*.ttl")):
        graph.parse(path)
    return graph


def instances(cls: URIRef) -> set[URIRef]:
    """Instances of ``cls`` or of any of its subclasses (by the ontology's rdfs:subClassOf)."""
    classes = set(ontology().transitive_subjects(RDFS.subClassOf, cls))
    return {s for c in classes for s in data().subjects(RDF.type, c) if isinstance(s, URIRef)}


def individuals() -> set[URIRef]:
    return {s for s in data().subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(ID)}


def shared_sources() -> Path:
    return Path(os.environ.get("ECOSYSTEM_GRAPH_SHARED_DIR", REPO.parent / "shared")) / "sources"


def test_every_individual_has_russian_and_english_labels() -> None:
    for node in individuals():
        languages = Counter(label.language for label in data().objects(node, RDFS.label))
        assert languages == {"ru": 1, "en": 1}, f"{node}: labels {dict(languages)}"


def test_every_fact_node_cites_a_source_with_russian_evidence() -> None:
    vocabulary = instances(SKOS.Concept) | set(data().subjects(RDF.type, SKOS.ConceptScheme)) | instances(
        ECO.SourceDocument)
    facts = individuals() - vocabulary
    assert len(facts) > 80
    for node in facts:
        sources = set(data().objects(node, ECO.source))
        assert sources and sources <= set(map(URIRef, SOURCE_FILES)), f"{node} has no known source"
        evidence = list(data().objects(node, ECO.evidence))
        assert evidence and all(e.language == "ru" for e in evidence), f"{node} has no Russian evidence"


def test_evidence_quotes_the_source_text_verbatim() -> None:
    folder = shared_sources()
    if not folder.is_dir():
        pytest.skip(f"source texts not found in {folder}")
    # byte for byte: no cleaning at all ("HeаlthNet" keeps its Cyrillic "а"); every @ru quotation fragment too
    texts = {iri: (folder / name).read_text(encoding="utf-8") for iri, name in SOURCE_FILES.items()}
    checked = 0
    for prop in (ECO.evidence, ECO.quoteText):
        for node, quote in data().subject_objects(prop):
            if prop == ECO.quoteText and quote.language != "ru":
                continue
            for source in data().objects(node, ECO.source):
                assert str(quote) in texts[str(source)], f"{node}: {prop} not verbatim in {SOURCE_FILES[str(source)]}"
                checked += 1
    assert checked > 100
    assert "He\u0430lthNet" in " ".join(data().objects(None, ECO.evidence))  # the look-alike kept in the quotes


def test_counts_of_people_organisations_events_agreements_sites() -> None:
    assert len(instances(ECO.Person)) == 7
    assert len(instances(ECO.Organization)) == 34
    assert len(instances(ECO.Event)) == 5
    assert len(instances(ECO.Agreement)) == 1
    assert len(instances(ECO.Site)) == 7
    assert len(instances(ECO.Post)) == 8
    assert len(instances(ECO.Quantity)) == 3
    assert len(instances(ECO.Project)) == 2  # the orthopaedics project; the projects being launched
    assert len(instances(ECO.SourceDocument)) == 2
    assert len(instances(ECO.StructuralBlock)) == 4
    assert len(instances(ECO.Cluster)) == 2


def test_one_iri_per_university_across_both_sources() -> None:
    sechenov = URIRef(ID + "organization/sechenov-university")
    universities = instances(ECO.University)
    assert universities == {sechenov, URIRef(ID + "organization/miet")}
    # the advertising text reaches the same university (through SechenovTech, marked as an inference)
    sechenovtech = URIRef(ID + "organization/sechenovtech")
    assert (sechenovtech, ECO.associatedWith, sechenov) in data()
    assert any(note.language == "en" for note in data().objects(sechenovtech, ECO.inferenceNote))


def test_the_advertising_source_is_typed_as_advertising_and_the_news_as_news() -> None:
    advert = URIRef(ID + "source/international-medical-cluster-biotech-advertisement")
    news = URIRef(ID + "source/sechenov-university-cluster-cooperation-2017")
    assert (advert, RDF.type, ECO.Advertisement) in data()
    assert (advert, ECO.sourceKind, URIRef(ID + "concept/source-kind-advertising")) in data()
    assert (advert, ECO.advertiser, URIRef(ID + "organization/international-medical-cluster")) in data()
    assert (news, RDF.type, ECO.NewsArticle) in data()
    assert (news, ECO.sourceKind, URIRef(ID + "concept/source-kind-news-article")) in data()
    assert (ECO.Advertisement, RDFS.subClassOf, URIRef("https://schema.org/AdvertiserContentArticle")) in ontology()


def test_sources_record_only_what_the_texts_give() -> None:
    advert = URIRef(ID + "source/international-medical-cluster-biotech-advertisement")
    news = URIRef(ID + "source/sechenov-university-cluster-cooperation-2017")
    assert data().value(news, DCTERMS.issued) == Literal("2017-02-28", datatype=XSD.date)
    assert data().value(news, ECO.publicationDateTime) == Literal("2017-02-28T17:14:00", datatype=XSD.dateTime)
    assert str(data().value(news, DCTERMS.title)) == "Сеченовский университет: деловое сотрудничество и развитие " \
                                                      "кластеров"
    for prop in (DCTERMS.issued, ECO.publicationDateTime):
        assert data().value(advert, prop) is None, f"the advertising text gives no {prop}"
    # no title in the text: a devised one, in brackets, marked as not the text's (a join on titles keeps the advert)
    title = data().value(advert, DCTERMS.title)
    assert str(title).startswith("[") and str(title).endswith("]")
    assert (advert, ECO.inferredProperty, DCTERMS.title) in data()
    for source in (advert, news):
        assert data().value(source, DCTERMS.publisher) is None
        for prop in (URIRef("https://schema.org/url"), URIRef("http://xmlns.com/foaf/0.1/homepage")):
            assert data().value(source, prop) is None
    assert {str(data().value(s, ECO.fileName)) for s in (advert, news)} == set(SOURCE_FILES.values())


def test_no_sidebar_story_or_page_furniture_appears() -> None:
    text = " ".join(str(o) for o in data().objects() if isinstance(o, Literal))
    for marker in SIDEBAR_STORIES:
        assert marker not in text, f"page furniture in the data: {marker!r}"
    # the sources' rdfs:comment says what was left out (the view counter, the 2024 sidebar); no fact mentions it
    curated = " ".join(str(o) for s, p, o in data() if isinstance(o, Literal) and p != RDFS.comment)
    assert "10941" not in curated and "2024" not in curated


def test_dates_are_typed_and_the_implied_year_is_annotated() -> None:
    for prop in (ECO.date, ECO.asOf):
        for value in data().objects(None, prop):
            assert value.datatype == XSD.date, f"{prop}: {value!r}"
    round_table = URIRef(ID + "event/sechenov-zelenograd-round-table-2017-02-08")
    assert data().value(round_table, ECO.date) == Literal("2017-02-08", datatype=XSD.date)
    assert any("8 февраля" in c and "2017" in c for c in data().objects(round_table, RDFS.comment))
    forum = URIRef(ID + "event/forum-human-centricity")
    assert data().value(forum, ECO.date) is None  # "в этом году" stays open
    for value in data().objects(None, ECO.beginYear):
        assert value.datatype == XSD.gYear


def test_quantities_are_decimals_with_units() -> None:
    expected = {"international-medical-cluster-territory-area": ("58.6", "HA"),
                "international-medical-cluster-biotech-territory-area": ("19.4", "HA"),
                "international-medical-cluster-biotech-territory-floor-area": ("240000", "M2")}
    for slug, (value, unit) in expected.items():
        node = URIRef(ID + "quantity/" + slug)
        number = data().value(node, ECO.numericValue)
        assert number.datatype == XSD.decimal and number.toPython() == __import__("decimal").Decimal(value)
        assert data().value(node, ECO.unit) == URIRef("http://qudt.org/vocab/unit/" + unit)


def test_text_is_clean() -> None:
    mixed = re.compile(r"[а-яёА-ЯЁ][A-Za-z]|[A-Za-z][а-яёА-ЯЁ]")
    for s, p, o in data():
        if isinstance(o, Literal) and p not in (ECO.evidence, ECO.quoteText):  # quotations stay verbatim
            assert not mixed.search(str(o)), f"look-alike letters mixed in {s} {p}: {o}"
            if p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel) and o.language == "ru":
                assert not re.search(r"[\"“”„]", str(o)), f"non-normalised quotes in {s}: {o}"
    assert (URIRef(ID + "concept/direction-healthnet"), SKOS.prefLabel, Literal("HealthNet", lang="en")) in data()


def test_the_mixed_script_check_query_catches_a_cyrillic_lookalike() -> None:
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode(ID + "concept/x"), ox.NamedNode(str(RDFS.label)),
                      ox.Literal("HeаlthNet", language="ru")))  # Cyrillic "а"
    query = (REPO / "sparql" / "checks" / "mixed-script-text-violation.rq").read_text(encoding="utf-8")
    assert len(list(store.query(query))) == 1
