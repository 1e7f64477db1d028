"""Materialisation: each rule on small hand-written cases, the fixpoint, exact per-rule counts, the inferred graph
as a named graph, the choice of answers with or without inferences, and the statistics read back by `stats`."""

from __future__ import annotations

import logging
import re
import shutil

import pytest

from ecosystem_graph.config import Settings
from ecosystem_graph.pipeline import load as loader
from ecosystem_graph.reasoning import materialise as reasoning
from ecosystem_graph.store import GraphStore, open_store
from ecosystem_graph.store.embedded import MemoryStore
from ecosystem_graph.vocab import inferred_graph_iri
from tests.cli.conftest import run
from tests.conftest import REPO, require, require_tool

BASE = "https://example.org/"
INFERRED = inferred_graph_iri(BASE)
PREFIXES = """@prefix ex: <https://example.org/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
ECO = "https://w3id.org/ecosystem-graph/ontology#"
ID = "https://w3id.org/ecosystem-graph/id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def materialised(*documents: str) -> tuple[MemoryStore, dict[str, int]]:
    """Load each Turtle document into its own graph, materialise, publish."""
    store = MemoryStore(BASE, INFERRED)
    with store.new_generation() as generation:
        for i, text in enumerate(documents):
            generation.load((PREFIXES + text).encode(), "text/turtle", graph=f"{BASE}graph/g{i}")
        counts = reasoning.materialise(generation, BASE)
        generation.commit()
    return store, counts


def inferred(store: GraphStore) -> set[tuple[str, str, str]]:
    """The inferred graph with ex: IRIs shortened, for readable assertions."""
    rows = store.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{INFERRED}> {{ ?s ?p ?o }} }}")

    def name(term: dict) -> str:
        if term["type"] == "literal":
            return f'"{term["value"]}"'
        return "a" if term["value"] == RDF_TYPE else term["value"].replace(BASE, "ex:")
    return {(name(r["s"]), name(r["p"]), name(r["o"])) for r in rows}


def test_subclass_closure_across_graphs_and_equivalences() -> None:
    store, counts = materialised(
        "ex:A rdfs:subClassOf ex:B . ex:B rdfs:subClassOf ex:C . ex:C owl:equivalentClass ex:D . "
        "ex:E owl:equivalentClass ex:A . ex:C rdfs:subClassOf owl:Thing .",
        "ex:x a ex:A . ex:y a ex:E .",
    )
    assert inferred(store) == {
        ("ex:x", "a", "ex:B"), ("ex:x", "a", "ex:C"), ("ex:x", "a", "ex:D"), ("ex:x", "a", "ex:E"),
        ("ex:y", "a", "ex:A"), ("ex:y", "a", "ex:B"), ("ex:y", "a", "ex:C"), ("ex:y", "a", "ex:D"),
    }
    assert counts["cax-sco"] == 2  # x: B, C through subClassOf alone; the rest needs an equivalence
    assert counts["cax-eqc"] == 6


def test_subclass_cycle_terminates() -> None:
    store, _ = materialised("ex:A rdfs:subClassOf ex:B . ex:B rdfs:subClassOf ex:A . ex:x a ex:A .")
    assert inferred(store) == {("ex:x", "a", "ex:B")}


def test_property_hierarchy_inverse_symmetric() -> None:
    store, counts = materialised(
        "ex:p rdfs:subPropertyOf ex:q . ex:q owl:equivalentProperty ex:r . ex:inv owl:inverseOf ex:p . "
        "ex:s a owl:SymmetricProperty . ex:s2 rdfs:subPropertyOf ex:s .",
        'ex:a ex:inv ex:b . ex:c ex:s2 ex:d . ex:e ex:inv "a literal" .',
    )
    assert inferred(store) == {
        ("ex:b", "ex:p", "ex:a"), ("ex:b", "ex:q", "ex:a"), ("ex:b", "ex:r", "ex:a"),
        ("ex:c", "ex:s", "ex:d"), ("ex:d", "ex:s", "ex:c"),
    }
    assert counts["prp-inv"] == 1 and counts["prp-symp"] == 1 and counts["prp-eqp"] == 1


def test_transitive_property_fed_by_subproperties() -> None:
    store, counts = materialised(
        "ex:within a owl:TransitiveProperty . ex:unitOf rdfs:subPropertyOf ex:within .",
        "ex:lab ex:unitOf ex:institute . ex:institute ex:within ex:university . ex:university ex:within ex:city .",
    )
    assert {t for t in inferred(store) if t[1] == "ex:within"} == {
        ("ex:lab", "ex:within", "ex:institute"), ("ex:lab", "ex:within", "ex:university"),
        ("ex:lab", "ex:within", "ex:city"), ("ex:institute", "ex:within", "ex:city"),
    }
    assert counts["prp-trp"] == 3


def test_property_chains_of_two_and_three_and_recursive() -> None:
    store, _ = materialised(
        "ex:grandparent owl:propertyChainAxiom ( ex:parent ex:parent ) . "
        "ex:greatUncle owl:propertyChainAxiom ( ex:parent ex:parent ex:brother ) . "
        "ex:worksFor owl:propertyChainAxiom ( ex:worksFor ex:partOf ) .",
        "ex:a ex:parent ex:b . ex:b ex:parent ex:c . ex:c ex:brother ex:d . "
        "ex:ann ex:worksFor ex:lab . ex:lab ex:partOf ex:institute . ex:institute ex:partOf ex:university .",
    )
    assert inferred(store) == {
        ("ex:a", "ex:grandparent", "ex:c"), ("ex:a", "ex:greatUncle", "ex:d"),
        ("ex:ann", "ex:worksFor", "ex:institute"), ("ex:ann", "ex:worksFor", "ex:university"),
    }


def test_chain_with_a_property_expression_is_skipped_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="ecosystem_graph.reasoning_rules"):
        store, _ = materialised("ex:child owl:propertyChainAxiom ( [ owl:inverseOf ex:parent ] ex:sibling ) . "
                                "ex:b ex:parent ex:a . ex:b ex:sibling ex:c .")
    assert inferred(store) == set()
    assert "skipping the property chain of https://example.org/child" in caplog.text


def test_domain_range_and_restrictions_are_not_materialised() -> None:
    store, _ = materialised(
        "ex:p rdfs:domain ex:D ; rdfs:range ex:R . ex:C rdfs:subClassOf [ a owl:Restriction ; "
        "owl:onProperty ex:p ; owl:someValuesFrom ex:R ] . ex:x a ex:C ; ex:p ex:y .")
    assert inferred(store) == set()


def test_inferred_graph_holds_only_unasserted_triples_and_counts_are_exact() -> None:
    store, counts = materialised(
        "ex:A rdfs:subClassOf ex:B . ex:B rdfs:subClassOf ex:C . ex:p rdfs:subPropertyOf ex:q .",
        "ex:x a ex:A , ex:C . ex:x ex:p ex:y .",
        "ex:x a ex:B .",  # asserted in another graph: not repeated
    )
    assert inferred(store) == {("ex:x", "ex:q", "ex:y")}
    assert sum(counts.values()) == store.graph_sizes()[INFERRED] == 1
    assert not store.ask(f"ASK {{ GRAPH <{INFERRED}> {{ ?s ?p ?o }} GRAPH ?g {{ ?s ?p ?o }} "
                         f"FILTER(?g != <{INFERRED}>) }}")


def test_conclusions_about_blank_nodes_stay_on_the_same_node(tmp_path) -> None:
    """The fixpoint runs in a scratch copy; what it concludes about blank nodes must still reach the very node."""
    store = open_store(Settings(project_dir=tmp_path, store_path=tmp_path / "store", base_iri=BASE, query_workers=0))
    with store.new_generation() as generation:
        generation.load((PREFIXES + "ex:A rdfs:subClassOf ex:B . ex:p rdfs:subPropertyOf ex:q . "
                         "ex:t a owl:TransitiveProperty . "
                         '[] a ex:A ; ex:name "first" ; ex:p [ ex:name "second" ; ex:t [ ex:t ex:end ] ] .').encode(),
                        "text/turtle", graph=f"{BASE}graph/g0")
        counts = reasoning.materialise(generation, BASE)
        generation.commit()
    assert store.ask(f'ASK {{ ?b <{BASE}name> "first" ; a <{BASE}B> ; <{BASE}q> ?c . '
                     f'?c <{BASE}name> "second" ; <{BASE}t> <{BASE}end> FILTER(isBlank(?b) && isBlank(?c)) }}')
    assert sum(counts.values()) == store.graph_sizes()[INFERRED] == 3
    assert store.select(f"SELECT ?s WHERE {{ GRAPH <{INFERRED}> {{ ?s a ?c }} }}")[0]["s"]["type"] == "bnode"


def test_rematerialising_a_copied_generation_drops_stale_inferences() -> None:
    store, _ = materialised("ex:A rdfs:subClassOf ex:B . ex:x a ex:A . ex:y a ex:A .")
    with store.new_generation(copy_current=True) as generation:
        generation.update(f"DELETE DATA {{ GRAPH <{BASE}graph/g0> {{ <{BASE}x> a <{BASE}A> }} }}")
        counts = reasoning.materialise(generation, BASE)
        generation.commit()
    assert inferred(store) == {("ex:y", "a", "ex:B")}
    assert counts["cax-sco"] == 1
    assert reasoning.statistics(store)["cax-sco"] == 1
    assert not any(g.startswith("urn:x-ecosystem-graph:reasoning") for g in store.graph_sizes())


def test_statistics_are_void_subsets_of_the_inferred_graph() -> None:
    store, counts = materialised("ex:A rdfs:subClassOf ex:B . ex:x a ex:A .")
    assert reasoning.statistics(store) == counts
    rows = store.select(
        "PREFIX void: <http://rdfs.org/ns/void#> PREFIX prov: <http://www.w3.org/ns/prov#> "
        f"SELECT ?n ?started WHERE {{ GRAPH <{reasoning.stats_graph_iri(BASE)}> {{ <{INFERRED}> a void:Dataset ; "
        "void:triples ?n ; prov:wasGeneratedBy/prov:startedAtTime ?started } }")
    assert [int(r["n"]["value"]) for r in rows] == [1]


def test_no_statistics_without_reasoning() -> None:
    store = MemoryStore(BASE, INFERRED)
    with store.new_generation() as generation:
        generation.load((PREFIXES + "ex:x a ex:A .").encode(), "text/turtle", graph=f"{BASE}graph/g0")
        generation.commit()
    assert reasoning.statistics(store) is None


def test_mini_project_on_disk_queries_with_and_without_inferences(mini_store: GraphStore,
                                                                  mini_settings: Settings) -> None:
    person = f"<{ID}person/andrey-svistunov>"
    ask = f"ASK {{ {person} a <http://xmlns.com/foaf/0.1/Person> }}"
    assert mini_store.ask(ask)
    assert not mini_store.ask(ask, include_inferred=False)
    named = f"ASK {{ GRAPH <{inferred_graph_iri(mini_settings.base_iri)}> {{ {person} <{ECO}member> ?org }} }}"
    assert mini_store.ask(named)
    assert not mini_store.ask(named, include_inferred=False)  # asserted only: the inferred graph is not there
    recorded = reasoning.statistics(mini_store)
    assert recorded is not None and sum(recorded.values()) == mini_store.graph_sizes()[
        inferred_graph_iri(mini_settings.base_iri)]


def test_materialising_twice_gives_the_same_graph(mini_settings: Settings) -> None:
    settings = mini_settings.model_copy(update={"backend": "memory"})
    first, second = open_store(settings), open_store(settings)
    counts = [loader.build(store, settings).inferred for store in (first, second)]
    assert counts[0] == counts[1] and sum(counts[0].values()) > 0
    dumps = [sorted(b"".join(store.dump("application/n-triples", graph=inferred_graph_iri(settings.base_iri)))
                    .splitlines()) for store in (first, second)]
    assert dumps[0] == dumps[1] and len(dumps[0]) == sum(counts[0].values())


def test_cli_stats_per_rule_and_asserted_only(mini_settings: Settings) -> None:
    assert run(mini_settings, "load").returncode == 0
    result = run(mini_settings, "stats")
    assert result.returncode == 0, result.stderr
    table = result.stdout[result.stdout.index("Inferred triples per rule"):]
    counts = reasoning.statistics(open_store(mini_settings.model_copy(update={"query_workers": 0})))
    assert counts is not None
    for rule, count in {**counts, "total": sum(counts.values())}.items():
        assert re.search(rf"│ {re.escape(rule)} +│ +{count} +│", table), (rule, count, table)
    ask = "ASK { ?x a <http://xmlns.com/foaf/0.1/Person> }"
    assert run(mini_settings, "query", ask).stdout.strip() == "true"
    assert run(mini_settings, "query", ask, "--asserted-only").stdout.strip() == "false"


# --- `ecosystem-graph reason` (HermiT) and `ecosystem-graph check` (violation queries, OWL API) -------------------

UNSATISFIABLE = REPO / "tests" / "fixtures" / "owl" / "unsatisfiable-class.ttl"


def test_cli_reason_consistent_then_unsatisfiable(mini_settings: Settings) -> None:
    require_tool("java")
    result = run(mini_settings, "reason")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "HermiT: consistent" in result.stdout
    shutil.copy(UNSATISFIABLE, mini_settings.project_dir / "ontology" / UNSATISFIABLE.name)
    result = run(mini_settings, "reason")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "2 unsatisfiable class(es)" in result.stdout
    assert "PersonOrganisation" in result.stdout and "disjoint" in result.stdout.lower()


def test_cli_check_runs_violation_queries(mini_settings: Settings) -> None:
    checks_dir = mini_settings.queries_path / "checks"
    checks_dir.mkdir(parents=True)
    (checks_dir / "person-without-family-name-violation.rq").write_text(
        f"#+ title: Person without a family name\nSELECT ?person WHERE {{ ?person a <{ECO}Person> "
        f"FILTER NOT EXISTS {{ ?person <{ECO}familyName> ?name }} }}\n", encoding="utf-8")
    (checks_dir / "unlabelled-organisation-violation.rq").write_text(
        f"SELECT ?org WHERE {{ ?org a <{ECO}Organization> FILTER NOT EXISTS {{ ?org <{RDFS_LABEL}> ?l }} }}\n",
        encoding="utf-8")
    (checks_dir / "README.rq").write_text("SELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")  # not a check
    result = run(mini_settings, "check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "FAIL person-without-family-name-violation: Person without a family name" in result.stdout
    assert f"<{ID}person/andrey-svistunov>" in result.stdout
    assert "ok   unlabelled-organisation-violation" in result.stdout
    assert "README" not in result.stdout
    assert "profile check skipped" in result.stderr  # the mini project has no catalog
    (checks_dir / "person-without-family-name-violation.rq").unlink()
    assert run(mini_settings, "check").returncode == 0


def test_cli_check_on_the_project_passes() -> None:
    """The project's own gate: every violation query empty and the ontology + data in the OWL 2 DL profile."""
    require((REPO / "ontology" / "catalog-v001.xml").exists(), "the project ontology has no catalog yet")
    require_tool("java")
    result = run(Settings(project_dir=REPO, backend="memory"), "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "FAIL" not in result.stdout and "OWL 2 DL: no problems" in result.stdout
