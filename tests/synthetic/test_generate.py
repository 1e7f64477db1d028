"""The synthetic ecosystem generator: deterministic, the size asked for, valid, and useful to every query."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ecosystem_graph.config import Settings
from ecosystem_graph.errors import ConfigError
from ecosystem_graph.pipeline import load as loader
from ecosystem_graph.search import text_query
from ecosystem_graph.sources.files import discover
from ecosystem_graph.sources.queries import QueryCatalogue
from ecosystem_graph.store import GraphStore, QueryRequest, open_store
from ecosystem_graph.synthetic import generate, read_manifest

from ..conftest import REPO, require

TARGET = 5_000


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require((REPO / "ontology" / "ecosystem.ttl").exists(), "the project ontology is not written yet")
    folder = tmp_path_factory.mktemp("synthetic") / "project"
    generate(folder, triples=TARGET, seed=7, template=REPO)
    return folder


@pytest.fixture(scope="module")
def store(project: Path) -> GraphStore:
    """The generated project built the way `ecosystem-graph load` builds it: SHACL gate, then reasoning."""
    settings = Settings(project_dir=project, backend="memory")
    graph_store = open_store(settings)
    loader.build(graph_store, settings)
    return graph_store


def _data_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((folder / "data").glob("synthetic-*.nt"))}


def test_same_seed_same_bytes_other_seed_other_bytes(project: Path, tmp_path: Path) -> None:
    again = generate(tmp_path / "again", triples=TARGET, seed=7, template=REPO)
    other = generate(tmp_path / "other", triples=TARGET, seed=8, template=REPO)
    assert _data_bytes(again.path) == _data_bytes(project)
    assert _data_bytes(other.path) != _data_bytes(project)
    assert read_manifest(again.path)["parameters"] == read_manifest(project)["parameters"]


@pytest.mark.parametrize("target", [TARGET, 20_000])
def test_triple_count_is_within_two_percent_of_the_target(target: int, tmp_path: Path) -> None:
    result = generate(tmp_path / "p", triples=target, seed=1, template=REPO)
    files = (tmp_path / "p" / "data").glob("synthetic-*.nt")
    written = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in files)
    assert written == result.generated
    assert abs(result.triples - target) <= 0.02 * target


def test_the_store_holds_exactly_the_counted_triples(project: Path, store: GraphStore) -> None:
    manifest = read_manifest(project)
    asserted = {g: n for g, n in store.graph_sizes().items() if "/graph/inferred" not in g}
    assert sum(asserted.values()) == manifest["triples"]


def test_data_is_split_into_files_of_bounded_size(tmp_path: Path) -> None:
    result = generate(tmp_path / "p", triples=12_000, seed=2, template=REPO, file_triples=2_000)
    sizes = [len((tmp_path / "p" / f).read_text(encoding="utf-8").splitlines()) for f in result.files]
    assert len(sizes) >= 4
    assert all(size < 2_000 + 200 for size in sizes)  # a file ends at the first block boundary past the bound
    files = discover([tmp_path / "p" / "data"], project_dir=tmp_path / "p", base_iri=Settings().base_iri)
    assert len({f.graph for f in files}) == len(sizes) + 1  # one graph each, plus the vocabularies


def test_the_generated_project_passes_the_shacl_gate(project: Path) -> None:
    settings = Settings(project_dir=project, backend="memory", reasoning=False)
    report = loader.build(open_store(settings), settings, commit=False)
    assert report.triples == read_manifest(project)["triples"]
    assert "validate" in report.seconds


def test_every_competency_query_returns_rows(project: Path, store: GraphStore) -> None:
    settings = Settings(project_dir=project, backend="memory")
    parameters = read_manifest(project)["parameters"]
    catalogue = QueryCatalogue(project / "sparql")
    assert len(catalogue) >= 13
    for query in catalogue:
        given = {p.name: parameters[p.name] for p in query.parameters if p.name in parameters}
        assert set(given) >= {p.name for p in query.parameters if p.default}, query.name  # every default replaced
        bindings = query.bindings(given)
        sparql = text_query.served(query.sparql, store, settings, bindings)  # as the endpoint reads it
        rows = store.query(QueryRequest(sparql, accept=["application/sparql-results+json"],
                                        substitutions=bindings)).rows()
        assert rows, f"{query.name} returned no rows with {given}"


def test_the_quality_checks_find_nothing(project: Path, store: GraphStore) -> None:
    checks = sorted((project / "sparql" / "checks").glob("*-violation.rq"))
    assert checks
    for check in checks:
        assert store.select(check.read_text(encoding="utf-8")) == [], check.name


def test_cli_generates_and_refuses_to_overwrite_a_real_project(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    command = [sys.executable, "-m", "ecosystem_graph.cli", "generate", "--project", str(REPO)]
    done = subprocess.run([*command, "--output", str(out), "--triples", "3000", "--seed", "5"], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    manifest = json.loads((out / "synthetic.json").read_text(encoding="utf-8"))
    assert manifest["seed"] == 5 and abs(manifest["triples"] - 3000) <= 60
    assert (out / "ontology" / "shapes.ttl").exists() and (out / "sparql").is_dir()
    again = subprocess.run([*command, "--output", str(out), "--triples", "3000", "--seed", "5"], capture_output=True,
                           text=True, timeout=120)
    assert again.returncode == 0, again.stderr  # an earlier generated project is replaced
    refused = subprocess.run([*command, "--output", str(REPO / "tests")], capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and "not a generated project" in refused.stderr


def test_tiny_targets_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        generate(tmp_path / "p", triples=10, template=REPO)
