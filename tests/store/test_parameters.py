"""Query parameters are bound as RDF terms: right answers for projected and unprojected variables,
and a hostile value is data, never query text."""

from __future__ import annotations

import pytest

from ecosystem_graph.config import Settings
from ecosystem_graph.pipeline import load as loader
from ecosystem_graph.store import GraphStore, QueryRequest, open_store

ECO = "https://w3id.org/ecosystem-graph/ontology#"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    from tests.conftest import MINI, copy_project

    project = copy_project(MINI, tmp_path_factory.mktemp("params") / "project")
    settings = Settings(project_dir=project, backend="memory")
    graph_store = open_store(settings)
    loader.build(graph_store, settings)
    return graph_store


def count(store: GraphStore, sparql: str, **bindings: dict) -> int:
    rows = store.query(QueryRequest(sparql, accept=["application/sparql-results+json"], substitutions=bindings)).rows()
    return int(rows[0]["n"]["value"])


def test_unprojected_variable_in_an_aggregate_is_bound_before_grouping(store: GraphStore) -> None:
    query = "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?kind }"
    organisation = {"type": "uri", "value": ECO + "Organization"}
    university = {"type": "uri", "value": ECO + "University"}
    assert count(store, query, kind=organisation) == 2  # the corporation and, by inference, the university
    assert count(store, query, kind=university) == 1


def test_projected_variable_is_substituted(store: GraphStore) -> None:
    rows = store.select("SELECT ?kind ?x WHERE { ?x a ?kind }",
                        substitutions={"kind": {"type": "uri", "value": ECO + "University"}})
    assert [r["x"]["value"].rsplit("/", 1)[-1] for r in rows] == ["sechenov-university"]


@pytest.mark.parametrize("hostile", ['"} } ; DROP ALL ; SELECT * { ?s ?p "', "x\\\" .\n} #", "\u0000{\u202e"])
def test_hostile_string_is_only_data(store: GraphStore, hostile: str) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?x ?p ?label FILTER(STR(?label) = ?q) }"
    assert count(store, query, q={"type": "literal", "value": hostile}) == 0
    assert count(store, query, q={"type": "literal", "value": "Sechenov University"}) == 1
