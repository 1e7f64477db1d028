"""Issue 19's audit of the data against the two source texts, one test per item, asked the way a SPARQL user would
(over the real, loaded and reasoned store). What the text only implies is marked with eco:inferredProperty."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from ecosystem_graph.store import GraphStore
from ecosystem_graph.store.base import QueryRequest

from .conftest import REPO

ID = "https://w3id.org/ecosystem-graph/id/"
ECO = "https://w3id.org/ecosystem-graph/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PREFIXES = f"""PREFIX eco: <{ECO}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX c: <{ID}concept/>
PREFIX o: <{ID}organization/>
PREFIX src: <{ID}source/>
"""


def select(store: GraphStore, query: str, *, inferred: bool = True) -> list[dict[str, str]]:
    output = store.query(QueryRequest(PREFIXES + query, accept=["application/sparql-results+json"],
                                      include_inferred=inferred))
    return [{k: v["value"] for k, v in row.items()} for row in output.rows()]


def values(store: GraphStore, query: str, var: str = "x") -> set[str]:
    return {row[var] for row in select(store, query) if var in row}


def marked(store: GraphStore, node: str) -> set[str]:
    return values(store, f"SELECT ?x WHERE {{ <{ID}{node}> eco:inferredProperty ?x }}")


def test_park_units_inside_the_blocks_have_no_planned_status(project_store: GraphStore) -> None:
    planned = values(project_store, """SELECT ?x WHERE {
        ?x eco:hasStatus/eco:status c:status-planned ; eco:unitOf+ o:sechenov-university }""")
    assert planned == {ID + "organization/sechenov-" + b for b in (
        "centre-for-fundamental-research", "centre-for-translational-medicine", "centre-for-biomedical-engineering",
        "clinical-centre")}, "only the four blocks of the park being created"
    # ... and the blocks' status is a reading, which a user can leave out
    stated = values(project_store, """SELECT ?x WHERE {
        ?x eco:hasStatus ?s . ?s eco:status c:status-planned .
        FILTER NOT EXISTS { ?s eco:inferredProperty eco:status } }""")
    assert ID + "organization/sechenov-centre-for-fundamental-research" not in stated
    assert not values(project_store, "SELECT ?x WHERE { o:sechenov-institute-of-pharmacy eco:hasStatus ?x }")


def test_round_table_is_joint_without_organiser_ranking(project_store: GraphStore) -> None:
    table = "event/sechenov-zelenograd-round-table-2017-02-08"
    assert values(project_store, f"SELECT ?x WHERE {{ <{ID}{table}> eco:organizer ?x }}") == {
        ID + "organization/sechenov-university", ID + "organization/zelenograd-development-corporation"}
    assert not values(project_store, f"SELECT ?x WHERE {{ <{ID}{table}> eco:coOrganizer ?x }}")
    assert ECO + "organizer" in marked(project_store, table)


def test_orthopaedics_project_not_under_the_agreement_and_the_clinic_takes_part(project_store: GraphStore) -> None:
    project = "project/sechenov-zelenograd-orthopaedics-and-traumatology-project"
    assert not values(project_store, f"SELECT ?x WHERE {{ <{ID}{project}> eco:underAgreement ?x }}")
    participants = values(project_store, f"SELECT ?x WHERE {{ <{ID}{project}> eco:projectParticipant ?x }}")
    assert ID + "organization/sechenov-university-clinic-of-traumatology-and-orthopaedics" in participants
    assert ECO + "projectParticipant" in marked(project_store, project)


def test_sechenovtech_link_is_marked_as_read_from_its_name(project_store: GraphStore) -> None:
    stated_links = values(project_store, """SELECT ?x WHERE { o:sechenovtech eco:associatedWith ?x
        FILTER NOT EXISTS { o:sechenovtech eco:inferredProperty eco:associatedWith } }""")
    assert stated_links == set()
    assert ECO + "associatedWith" in marked(project_store, "organization/sechenovtech")


@pytest.mark.parametrize(("quotation", "speaker"), [
    ("andrey-svistunov-sechenov-university-mission", "Андрей Свистунов"),
    ("vladimir-zaytsev-zelenograd-cluster", "Владимир Зайцев"),
    ("aleksey-lychagin-orthopaedics-project", "Алексей Лычагин"),
    ("dmitriy-zalesskikh-sechenov-university-technopark", "Дмитрий Залесских"),
    ("marina-kazanfarova-russian-biotech", "Марина Казанфарова"),
])
def test_quotation_evidence_names_the_speaker(project_store: GraphStore, quotation: str, speaker: str) -> None:
    rows = select(project_store, f"""SELECT ?e ?name WHERE {{ <{ID}quotation/{quotation}> eco:evidence ?e ;
        eco:spokenBy/rdfs:label ?name FILTER(lang(?name) = "ru") }}""")
    assert rows and all(r["name"] == speaker and speaker in r["e"] for r in rows), rows


def test_facts_once_only_in_comments_or_quotations_are_queryable(project_store: GraphStore) -> None:
    dozens = select(project_store, """SELECT ?words WHERE { ?c eco:countOf o:zelenograd-innovation-territorial-cluster ;
        eco:hasField c:field-medicine ; eco:countText ?words FILTER(lang(?words) = "en") }""")
    assert [r["words"] for r in dozens] == ["dozens"]
    activities = values(project_store, """SELECT ?x WHERE {
        o:zelenograd-innovation-territorial-cluster eco:activity ?x FILTER(lang(?x) = "en") }""")
    assert any("attract funding" in a for a in activities)
    launched = values(project_store, """SELECT ?x WHERE { ?x a eco:Project ;
        eco:projectParticipant o:sechenov-university , o:zelenograd-innovation-territorial-cluster ;
        eco:hasStatus/eco:status c:status-being-launched }""")
    assert launched == {ID + "project/sechenov-zelenograd-cooperation-projects"}
    sechenov = "organization/sechenov-university"
    assert any("revised its mission" in d for d in values(
        project_store, f"SELECT ?x WHERE {{ <{ID}{sechenov}> dcterms:description ?x }}"))
    assert any(g.startswith("transformation into a world-class") for g in values(
        project_store, f"SELECT ?x WHERE {{ <{ID}{sechenov}> eco:goal ?x }}"))
    characterised = f"SELECT ?x WHERE {{ <{ID}{sechenov}> eco:characterisedAs ?x FILTER(lang(?x) = 'ru') }}"
    assert values(project_store, characterised) == {
        "ведущий медицинский университет страны", "крупнейший медицинский вуз России"}
    assert any("innovation policy" in a for a in values(
        project_store, f"SELECT ?x WHERE {{ <{ID}{sechenov}> eco:activity ?x }}"))


@pytest.mark.parametrize(("node", "phrase"), [
    ("organization/sechenov-industrial-park-of-biomedicine", "от фундаментальных исследований до ретрансляции"),
    ("organization/international-medical-cluster", "Управляющей компанией ММК выступает фонд"),
    ("event/sechenov-zelenograd-agreement-signing-2017-02-21", "Андреем Свистуновым и генеральным директором"),
    ("event/forum-human-centricity", "сессий форума с участием ММК"),
])
def test_a_fact_is_supported_by_a_sentence_on_its_own_node(project_store: GraphStore, node: str, phrase: str) -> None:
    assert any(phrase in e for e in values(project_store, f"SELECT ?x WHERE {{ <{ID}{node}> eco:evidence ?x }}"))


def test_healthnet_stays_verbatim_in_quotes_and_clean_in_labels(project_store: GraphStore) -> None:
    cyrillic = "He\u0430lthNet"
    quoted = values(project_store, f"SELECT ?x WHERE {{ ?x eco:evidence ?e FILTER(CONTAINS(?e, '{cyrillic}')) }}")
    assert len(quoted) == 5  # the park, a block and the agreement, and two blocks' status nodes (was 9 with the units)
    assert not values(project_store, "SELECT ?x WHERE { ?x eco:evidence ?e FILTER(CONTAINS(?e, 'HealthNet')) }")
    assert values(project_store, "SELECT ?x WHERE { c:direction-healthnet rdfs:label ?x }") == {"HealthNet"}


def test_types_from_general_knowledge_are_marked(project_store: GraphStore) -> None:
    assert RDF_TYPE in marked(project_store, "organization/miet")
    assert RDF_TYPE in marked(project_store, "organization/centre-of-chronic-diseases")


def test_full_official_name_from_the_source_text(project_store: GraphStore) -> None:
    names = values(project_store, "SELECT ?x WHERE { o:sechenov-university skos:altLabel ?x }")
    assert "Первый Московский государственный медицинский университет имени И.М. Сеченова" in names


def test_as_of_dates_of_posts_are_consistent(project_store: GraphStore) -> None:
    rows = select(project_store, """SELECT ?post ?asOf ?marked ?source WHERE { ?post a eco:Post ; eco:source ?source .
        OPTIONAL { ?post eco:asOf ?asOf } BIND(EXISTS { ?post eco:inferredProperty eco:asOf } AS ?marked) }""")
    news = [r for r in rows if r["source"].endswith("sechenov-university-cluster-cooperation-2017")]
    assert len(news) == 4 and all("asOf" in r for r in news), "the news article is dated: every post has an as-of date"
    assert {(r["asOf"], r["marked"]) for r in news} == {("2017-02-21", "false"), ("2017-02-28", "true")}
    assert all("asOf" not in r for r in rows if r not in news), "the advertising text gives no date"


def test_healthnet_is_a_subject_of_cooperation_not_a_field(project_store: GraphStore) -> None:
    agreement = "agreement/sechenov-university-zelenograd-cluster-cooperation-2017"
    assert ID + "concept/direction-healthnet" in values(
        project_store, f"SELECT ?x WHERE {{ <{ID}{agreement}> eco:subjectOfCooperation ?x }}")
    assert not values(project_store, """SELECT ?x WHERE { ?x eco:hasField ?f . ?f rdfs:label "HealthNet"@en }""")


def test_who_belongs_to_the_international_medical_cluster(project_store: GraphStore) -> None:
    rows = select(project_store, """SELECT ?x ?marked WHERE { ?x eco:memberOf o:international-medical-cluster
        BIND(EXISTS { ?x eco:inferredProperty eco:memberOf } AS ?marked) }""")
    assert rows == [{"x": ID + "organization/hadassah-medical", "marked": "true"}]


def test_the_news_source_has_one_issued_date_with_inference_on(project_store: GraphStore) -> None:
    issued = select(project_store,
                    "SELECT ?x WHERE { src:sechenov-university-cluster-cooperation-2017 dcterms:issued ?x }")
    assert [r["x"] for r in issued] == ["2017-02-28"]


def test_a_join_on_titles_keeps_the_advertisement(project_store: GraphStore) -> None:
    rows = select(project_store, """SELECT ?title (COUNT(DISTINCT ?fact) AS ?facts) WHERE {
        ?fact eco:source ?source . ?source dcterms:title ?title } GROUP BY ?title""")
    by_title = {r["title"]: int(r["facts"]) for r in rows}
    devised = "[Рекламный материал Международного медицинского кластера о биотехе]"
    assert by_title[devised] >= 32
    assert DCTERMS_TITLE in marked(project_store, "source/international-medical-cluster-biotech-advertisement")


DCTERMS_TITLE = "http://purl.org/dc/terms/title"


def test_events_dates_in_the_data_and_marked_where_inferred(project_store: GraphStore) -> None:
    rows = select(project_store, """SELECT ?e ?date ?marked WHERE { ?e a eco:Event . OPTIONAL { ?e eco:date ?date }
        BIND(EXISTS { ?e eco:inferredProperty eco:date } AS ?marked) }""")
    by_event = {r["e"].rsplit("/", 1)[1]: (r.get("date"), r["marked"]) for r in rows}
    assert by_event["visit-miet-innovation-technology-village-2017"] == ("2017-02-08", "true")
    assert by_event["sechenov-zelenograd-agreement-signing-2017-02-21"] == ("2017-02-21", "false")
    # the advertising text dates nothing ("в этом году" stays open)
    assert by_event["forum-human-centricity"] == by_event["master-class-will-you-invest-biotech"] == (None, "false")


def test_every_marker_has_its_note_and_names_a_property_the_node_uses(project_store: GraphStore) -> None:
    rows = select(project_store, """SELECT ?n ?p WHERE { ?n eco:inferredProperty ?p
        FILTER NOT EXISTS { ?n ?p ?v } }""", inferred=False)
    assert rows == []
    assert len(values(project_store, "SELECT ?x WHERE { ?x eco:inferredProperty ?p }")) >= 20


def test_the_header_check_query_catches_a_data_graph_without_header() -> None:
    store = ox.Store()
    graph = ox.NamedNode("https://w3id.org/ecosystem-graph/graph/data/bare")
    store.add(ox.Quad(ox.NamedNode(ID + "x"), ox.NamedNode(RDF_TYPE), ox.NamedNode(ECO + "Person"), graph))
    query = (REPO / "sparql" / "checks" / "data-graph-without-ontology-header-violation.rq").read_text(encoding="utf-8")
    assert [str(row["problem"].value) for row in store.query(query)] == ["no owl:Ontology header"]


def test_the_marker_check_query_catches_a_note_without_marker() -> None:
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode(ID + "x"), ox.NamedNode(ECO + "inferenceNote"), ox.Literal("why", language="en")))
    query = (REPO / "sparql" / "checks" / "inference-note-without-marker-violation.rq").read_text(encoding="utf-8")
    assert len(list(store.query(query))) == 1
