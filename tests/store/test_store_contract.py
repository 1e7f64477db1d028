"""The store contract: the same tests, the same answers, on every backend.

Backends: MemoryStore, EmbeddedStore on a temp dir, RemoteStore on a real ``oxigraph serve`` and on a real
Virtuoso 7 (started by scripts/virtuoso.sh; skipped where it is not installed, required in CI).
Each test loads the mini fixture project with ``loader.build`` as ``ecosystem-graph load`` does.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from ecosystem_graph.config import Settings
from ecosystem_graph.errors import NotAcceptable, QueryError, QueryTimeout, SourceError, ValidationFailed
from ecosystem_graph.pipeline import load as loader
from ecosystem_graph.sources.queries import QueryCatalogue
from ecosystem_graph.store import GraphStore, QueryRequest

from ..conftest import MINI
from .conftest import open_for_test, remote_settings

pytestmark = pytest.mark.timeout(120)  # a hung server fails the test, not the run
BACKENDS = ["memory", "embedded", "oxigraph", "virtuoso"]
ECO = "https://w3id.org/ecosystem-graph/ontology#"
ORG = "https://w3id.org/ecosystem-graph/id/organization/"
PERSON = "https://w3id.org/ecosystem-graph/id/person/"
PREFIXES = f"PREFIX eco: <{ECO}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
FILE_GRAPHS = {"data/orgs": 7, "data/people": 4, "ontology/mini": 19, "ontology/shapes": 10}
#: a string that would end the literal, the VALUES block, the group and the query if it were pasted as text
HOSTILE = 'x" ) } } ; DROP ALL ; INSERT DATA { <urn:a> <urn:b> "c" } #\n\'\'\' """ \\" \\u0022 <urn:evil> { }'
JSON = "application/sparql-results+json"
CLOCK_TIMES = {"http://www.w3.org/ns/prov#startedAtTime", "http://www.w3.org/ns/prov#endedAtTime"}


@pytest.fixture(params=BACKENDS)
def settings(request: pytest.FixtureRequest, mini_settings: Settings) -> Settings:
    if request.param in ("oxigraph", "virtuoso"):
        return remote_settings(mini_settings, request.getfixturevalue(f"{request.param}_endpoints"))
    return mini_settings.model_copy(update={"backend": request.param})


@pytest.fixture
def empty_store(settings: Settings) -> Iterator[GraphStore]:
    store = open_for_test(settings)
    yield store
    store.close()


@pytest.fixture
def store(empty_store: GraphStore, settings: Settings) -> GraphStore:
    loader.build(empty_store, settings)
    return empty_store


@pytest.fixture(scope="module")
def reference() -> list[str]:
    """The mini project's dataset as the in-memory pyoxigraph store has it: what every backend must hold."""
    settings = Settings(project_dir=MINI, backend="memory")
    memory = open_for_test(settings)
    loader.build(memory, settings)
    return canonical(memory)


def canonical(store: GraphStore) -> list[str]:
    """The dataset as sorted N-Quads, blank nodes canonicalised (RDFC-1.0), so equal datasets compare equal;
    without the clock times the reasoner records (they differ from one load to the next)."""
    quads = ox.parse(b"".join(store.dump("application/n-quads")), format=ox.RdfFormat.N_QUADS)
    dataset = ox.Dataset(q for q in quads if q.predicate.value not in CLOCK_TIMES)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(str(quad) for quad in dataset)


def values(store: GraphStore, sparql: str, variable: str, **options) -> list[str]:
    return sorted(row[variable]["value"] for row in store.select(PREFIXES + sparql, **options))


def graph(settings: Settings, relative: str) -> str:
    return settings.base_iri + "graph/" + relative


# --- publishing ---------------------------------------------------------------------------------------------
def test_a_new_store_is_empty(empty_store: GraphStore) -> None:
    assert empty_store.is_empty()
    assert empty_store.built_at() is None


def test_load_gives_one_graph_per_file_and_the_reference_dataset(store: GraphStore, settings: Settings,
                                                                  reference: list[str]) -> None:
    sizes = store.graph_sizes()
    assert {g: sizes.get(graph(settings, g)) for g in FILE_GRAPHS} == FILE_GRAPHS
    assert sizes.get(graph(settings, "inferred"), 0) > 0
    assert not store.is_empty()
    assert store.built_at() is not None
    assert canonical(store) == reference


def test_loading_twice_gives_the_same_dataset(store: GraphStore, settings: Settings) -> None:
    first, first_id = canonical(store), store.generation_id()
    loader.build(store, settings, full=True)
    assert canonical(store) == first
    assert store.generation_id() != first_id


def test_a_syntax_error_changes_nothing(store: GraphStore, settings: Settings) -> None:
    before, generation = canonical(store), store.generation_id()
    broken = settings.project_dir / "data" / "broken.ttl"
    broken.write_text('@prefix ex: <https://example.org/> .\nex:a ex:b "unterminated .\n')
    with pytest.raises(SourceError) as caught:
        loader.build(store, settings, full=True)
    assert (caught.value.path, caught.value.line) == (broken, 2)
    assert str(caught.value).startswith(f"{broken}:2:")
    assert canonical(store) == before
    assert store.generation_id() == generation


def test_a_shacl_violation_changes_nothing(store: GraphStore, settings: Settings) -> None:
    before, generation = canonical(store), store.generation_id()
    (settings.project_dir / "data" / "unlabelled.ttl").write_text(
        f"<{ORG}nameless> a <{ECO}Organization> .\n")
    with pytest.raises(ValidationFailed) as caught:
        loader.build(store, settings, full=True)
    assert any(f"{ORG}nameless" in line and "data/unlabelled.ttl" in line for line in caught.value.violations)
    assert canonical(store) == before
    assert store.generation_id() == generation


def test_an_aborted_generation_changes_nothing(store: GraphStore) -> None:
    before = canonical(store)
    with pytest.raises(RuntimeError, match="give up"), store.new_generation(copy_current=True) as builder:
        builder.update(f"INSERT DATA {{ GRAPH <urn:extra> {{ <{ORG}x> a <{ECO}Organization> }} }}")
        raise RuntimeError("give up")
    with store.new_generation() as builder:
        builder.load(b"<urn:a> <urn:b> <urn:c> .\n", "application/n-triples", graph="urn:other")
        builder.abort()
    assert canonical(store) == before


def test_copy_current_then_update_touches_only_the_new_generation(store: GraphStore) -> None:
    before = canonical(store)
    insert = f'INSERT DATA {{ GRAPH <urn:extra> {{ <{ORG}x> a <{ECO}Organization> ; rdfs:label "X"@en }} }}'
    with store.new_generation(copy_current=True) as builder:
        builder.update(PREFIXES + insert)
        builder.update(f"DELETE WHERE {{ GRAPH ?g {{ <{PERSON}andrey-svistunov> ?p ?o }} }}")
        seen = builder.query(QueryRequest(PREFIXES + "SELECT ?o WHERE { ?o a eco:Organization }", accept=[JSON]))
        assert f"{ORG}x" in {row["o"]["value"] for row in seen.rows()}
        assert canonical(store) == before  # readers still see the published generation
        builder.commit()
    assert f"{ORG}x" in values(store, "SELECT ?o WHERE { GRAPH <urn:extra> { ?o a eco:Organization } }", "o")
    assert values(store, f"SELECT ?p WHERE {{ <{PERSON}andrey-svistunov> ?p ?o }}", "p") == []
    assert store.graph_sizes()["urn:extra"] == 2


# --- datasets --------------------------------------------------------------------------------------------
def test_the_default_graph_is_the_union_with_or_without_inferences(store: GraphStore) -> None:
    query = "SELECT ?o WHERE { ?o a eco:Organization }"
    assert values(store, query, "o") == [ORG + "sechenov-university", ORG + "zelenograd-development-corporation"]
    assert values(store, query, "o", include_inferred=False) == [ORG + "zelenograd-development-corporation"]


def test_each_file_is_a_named_graph(store: GraphStore, settings: Settings) -> None:
    rows = store.select(PREFIXES + "SELECT ?g ?x WHERE { GRAPH ?g { ?x a eco:Person } }", include_inferred=False)
    assert [(r["g"]["value"], r["x"]["value"]) for r in rows] == [
        (graph(settings, "data/people"), PERSON + "andrey-svistunov")]
    assert values(store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "g") == sorted(store.graph_sizes())


def test_protocol_dataset_and_from_clauses(store: GraphStore, settings: Settings) -> None:
    orgs, people = graph(settings, "data/orgs"), graph(settings, "data/people")
    assert values(store, "SELECT DISTINCT ?s WHERE { ?s ?p ?o }", "s", default_graphs=[people]) == [
        PERSON + "andrey-svistunov"]
    assert values(store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "g", default_graphs=[],
                  named_graphs=[orgs]) == [orgs]
    assert values(store, f"SELECT DISTINCT ?s FROM <{orgs}> WHERE {{ ?s a ?c }}", "s") == [
        ORG + "sechenov-university", ORG + "zelenograd-development-corporation"]


# --- parameters ------------------------------------------------------------------------------------------
def test_named_query_parameters_are_bound(store: GraphStore, settings: Settings) -> None:
    named = QueryCatalogue(settings.queries_path).get("organisations")
    rows = store.select(named.sparql, substitutions=named.bindings({"kind": ECO + "University"}))
    assert [(r["org"]["value"], r["label"]["value"]) for r in rows] == [
        (ORG + "sechenov-university", "Sechenov University")]
    assert len(store.select(named.sparql, substitutions=named.bindings({}))) == 2


def test_a_hostile_string_is_only_data(store: GraphStore) -> None:
    before = store.graph_sizes()
    hostile = {"type": "literal", "value": HOSTILE}
    rows = store.select("SELECT ?v ?n WHERE { BIND(STRLEN(?v) AS ?n) }", substitutions={"v": hostile})
    assert [(r["v"]["value"], int(r["n"]["value"])) for r in rows] == [(HOSTILE, len(HOSTILE))]
    assert store.select(PREFIXES + "SELECT ?s WHERE { ?s rdfs:label ?label }", substitutions={"label": hostile}) == []
    english = {"type": "literal", "value": "Sechenov University", "xml:lang": "en"}
    assert values(store, "SELECT ?s WHERE { ?s rdfs:label ?label }", "s", substitutions={"label": english}) == [
        ORG + "sechenov-university"]
    assert store.graph_sizes() == before


@pytest.mark.parametrize("kind, expected", [("University", 1), ("Organization", 2)])
def test_a_bound_variable_is_bound_before_aggregation(store: GraphStore, kind: str, expected: int) -> None:
    """A trailing VALUES block would be joined after COUNT, and count every typed thing."""
    rows = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?o a ?kind }",
                        substitutions={"kind": {"type": "uri", "value": ECO + kind}})
    assert int(rows[0]["n"]["value"]) == expected


# --- formats and errors ----------------------------------------------------------------------------------
def test_every_result_format_parses(store: GraphStore) -> None:
    select = PREFIXES + "SELECT ?o ?label WHERE { ?o a eco:Organization ; rdfs:label ?label }"
    for media_type in ("application/sparql-results+json", "application/sparql-results+xml",
                       "text/tab-separated-values"):
        output = store.query(QueryRequest(select, accept=[media_type]))
        assert output.media_type == media_type
        parsed = ox.parse_query_results(output.body, format=ox.QueryResultsFormat.from_media_type(media_type))
        assert len(list(parsed)) == 4
    table = store.query(QueryRequest(select, accept=["text/csv"]))
    assert len(list(csv.reader(io.StringIO(table.body.decode())))) == 5
    ask = store.query(QueryRequest(PREFIXES + "ASK { ?o a eco:University }", accept=["application/sparql-results+xml"]))
    assert bool(ox.parse_query_results(ask.body, format=ox.QueryResultsFormat.XML))
    construct = PREFIXES + "CONSTRUCT { ?o rdfs:label ?label } WHERE { ?o a eco:Organization ; rdfs:label ?label }"
    for media_type in ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json",
                       "application/trig", "application/n-quads"):
        output = store.query(QueryRequest(construct, accept=[media_type]))
        assert output.media_type == media_type
        assert len(list(ox.parse(output.body, format=ox.RdfFormat.from_media_type(media_type)))) == 4, media_type


def test_unacceptable_formats_and_malformed_queries_are_refused(store: GraphStore) -> None:
    with pytest.raises(NotAcceptable):
        store.query(QueryRequest("SELECT * WHERE { ?s ?p ?o }", accept=["text/turtle"]))
    with pytest.raises(QueryError):
        store.select("SELECT * WHERE { ?s ?p ")


def test_dump_round_trips(store: GraphStore, settings: Settings) -> None:
    memory = open_for_test(Settings(project_dir=settings.project_dir, backend="memory"))
    with memory.new_generation() as builder:
        builder.load(b"".join(store.dump("application/n-quads")), "application/n-quads")
        builder.commit()
    assert canonical(memory) == canonical(store)
    people = graph(settings, "data/people")
    turtle = b"".join(store.dump("text/turtle", graph=people))
    assert len(list(ox.parse(turtle, format=ox.RdfFormat.TURTLE))) == FILE_GRAPHS["data/people"]
    document = json.loads(b"".join(store.dump("application/ld+json")))
    assert document


def test_a_long_query_times_out(store: GraphStore, settings: Settings) -> None:
    if settings.backend == "memory":
        pytest.skip("the memory store runs queries in-process, with no hard timeout")
    generated = "".join(f'<urn:s{i}> <urn:p> "{i}" .\n' for i in range(400)).encode()
    with store.new_generation(copy_current=True) as builder:
        builder.load(generated, "application/n-triples", graph="urn:generated")
        builder.commit()
    product = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l "
               "FILTER(STR(?c) != STR(?l)) }")
    with pytest.raises(QueryTimeout):
        store.query(QueryRequest(product, accept=[JSON], timeout=1.0))
    assert values(store, "SELECT ?o WHERE { <urn:s7> <urn:p> ?o }", "o") == ["7"]  # and it still answers
