"""Each named query and latency join rewritten for speed answers exactly as the text it replaced, kept in
tests/fixtures/named-queries-before/: on the real store, with the inferences and without, for every value of its
parameter that the project data has (and unbound), and on a generated synthetic ecosystem (the data the latency
benchmark runs on). Both are run as one page over the whole answer, whose order is total (sources/paging.py), so
the rows must come in the same order too."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from benchmarks.latency import JOINS
from ecosystem_graph.config import Settings
from ecosystem_graph.pipeline import load as loader
from ecosystem_graph.sources.paging import Page, paged
from ecosystem_graph.sources.queries import QueryCatalogue, parse_query_file
from ecosystem_graph.store import GraphStore, QueryRequest, open_store
from ecosystem_graph.synthetic import generate, read_manifest

from .conftest import REPO

BEFORE = REPO / "tests" / "fixtures" / "named-queries-before"
CATALOGUE = QueryCatalogue(REPO / "sparql")
#: the parameter of each rewritten query, and the query that lists its values in the project data
PREFIXES = ("PREFIX eco: <https://w3id.org/ecosystem-graph/ontology#> "
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> ")
VALUES = {
    "cq05-cluster-company-count": ("cluster", PREFIXES + "SELECT ?v WHERE { ?v a/rdfs:subClassOf* eco:Cluster }"),
    "cq09-fields": ("field", PREFIXES + "SELECT DISTINCT ?v WHERE { ?t eco:hasField ?v }"),
}

#: the latency joins (benchmarks/latency.py) by the file name of their text before
JOIN_FILES = {
    "join-signatories-in-university-structure": "join: signatories inside a university's structure",
    "join-companies-per-city": "join: companies per city along the management chain",
    "join-fields-of-represented-organisations": "join: fields of the organisations speakers represent",
}


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GraphStore]:
    """A generated ecosystem of about 40 regions, built as `ecosystem-graph load` builds it (without the gate,
    which tests/synthetic runs)."""
    folder = tmp_path_factory.mktemp("rewrites") / "project"
    generate(folder, triples=60_000, seed=3, template=REPO)
    settings = Settings(project_dir=folder, backend="memory", validate_shapes=False)
    store = open_store(settings)
    loader.build(store, settings)
    return folder, store


def answer(store: GraphStore, sparql: str, bindings: dict, inferred: bool) -> list[str]:
    output = store.query(QueryRequest(sparql, accept=["text/tab-separated-values"], substitutions=bindings,
                                      include_inferred=inferred))
    return output.body.decode().splitlines()


#: rewrites compared where they are served: search-labels asks the label index, which the endpoint reads
ELSEWHERE = {"search-labels": "tests/web/test_search_labels_rewrite.py"}


def test_every_rewrite_keeps_its_old_text() -> None:
    assert sorted(p.stem for p in BEFORE.glob("*.rq")) == sorted([*VALUES, *JOIN_FILES, *ELSEWHERE])
    assert all((REPO / test).is_file() for test in ELSEWHERE.values())


@pytest.mark.parametrize("inferred", [True, False], ids=["inferred", "asserted"])
@pytest.mark.parametrize("name", sorted(VALUES))
def test_the_rewrite_answers_as_before(project_store: GraphStore, name: str, inferred: bool) -> None:
    old, new = parse_query_file(BEFORE / f"{name}.rq"), CATALOGUE.get(name)
    parameter, listing = VALUES[name]
    found = [row["v"]["value"] for row in project_store.select(listing)]
    assert found, f"the project data has no {parameter} to bind"
    for value in (None, *found):
        given = {} if value is None else {parameter: value}
        bindings = new.bindings(given)
        assert old.bindings(given) == bindings
        before = answer(project_store, paged(old.sparql, Page()), bindings, inferred)
        after = answer(project_store, paged(new.sparql, Page()), bindings, inferred)
        assert len(before) > 1, f"{name} {given}: nothing to compare"
        assert after == before, f"{name} {given}"
        assert Counter(answer(project_store, new.sparql, bindings, inferred)) == \
            Counter(answer(project_store, old.sparql, bindings, inferred))


@pytest.mark.parametrize("name", sorted(VALUES))
def test_the_rewrite_answers_as_before_on_synthetic_data(synthetic: tuple[Path, GraphStore], name: str) -> None:
    folder, store = synthetic
    old, new = parse_query_file(BEFORE / f"{name}.rq"), CATALOGUE.get(name)
    sample = read_manifest(folder)["parameters"]
    parameter = VALUES[name][0]
    for given in ({}, {parameter: sample[parameter]}):
        bindings = new.bindings(given)
        before = answer(store, paged(old.sparql, Page()), bindings, True)
        assert len(before) > 1 and answer(store, paged(new.sparql, Page()), bindings, True) == before, given


@pytest.mark.parametrize("file", sorted(JOIN_FILES))
def test_the_latency_joins_answer_as_before(synthetic: tuple[Path, GraphStore], file: str) -> None:
    store = synthetic[1]
    old, new = parse_query_file(BEFORE / f"{file}.rq").sparql, JOINS[JOIN_FILES[file]]
    before = answer(store, paged(old, Page()), {}, True)
    assert len(before) > 6
    assert answer(store, paged(new, Page()), {}, True) == before
    assert answer(store, new, {}, True)[:1] == before[:1]  # the same columns
