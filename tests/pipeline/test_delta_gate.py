"""A write is checked on the nodes it touches, and that rejects exactly what checking everything rejects: each
broken fixture of tests/fixtures/invalid, written through the Graph Store path onto the real project, against the
same fixture loaded with the project and checked whole."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from ecosystem_graph.config import Settings
from ecosystem_graph.errors import ValidationFailed
from ecosystem_graph.pipeline import load as loader
from ecosystem_graph.pipeline import writes
from ecosystem_graph.store import GraphStore, open_store
from ecosystem_graph.vocab import graph_iri

from ..conftest import REPO
from ..test_shacl_contract import FIXTURES

_VIOLATION = re.compile(r"<([^>]+)>.*\[(\w+), shape")


def outcome(error: ValidationFailed) -> set[tuple[str, str]]:
    """(focus node, constraint component) of each violation, without the file names."""
    return {m.groups() for line in error.violations if (m := _VIOLATION.search(line))}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("delta-gate") / "project"
    for part in ("ontology", "data", "sparql"):
        shutil.copytree(REPO / part, root / part)
    return root


@pytest.fixture(scope="module")
def store(project: Path) -> Iterator[tuple[GraphStore, Settings]]:
    settings = Settings(project_dir=project, backend="memory", api_token="t")
    graph_store = open_store(settings)
    loader.build(graph_store, settings)
    yield graph_store, settings
    graph_store.close()


@pytest.mark.parametrize("fixture", FIXTURES, ids=[path.stem for path in FIXTURES])
def test_the_gate_on_a_write_rejects_what_the_whole_gate_rejects(fixture: Path, project: Path,
                                                                 store: tuple[GraphStore, Settings]) -> None:
    graph_store, settings = store
    graph = graph_iri(settings.base_iri, f"data/{fixture.name}")
    before = graph_store.graph_sizes()
    with pytest.raises(ValidationFailed) as on_delta:
        writes.add_to_graph(graph_store, settings, graph, [(fixture.read_bytes(), "text/turtle")])
    assert graph_store.graph_sizes() == before  # nothing of a rejected write is kept
    assert not (project / "changes").exists() or not list((project / "changes").iterdir())  # nor journaled

    whole = project / "data" / fixture.name
    shutil.copy(fixture, whole)
    try:
        with pytest.raises(ValidationFailed) as on_everything:
            loader.build(open_store(settings), settings, commit=False)
    finally:
        whole.unlink()
    assert outcome(on_delta.value) == outcome(on_everything.value) != set()


def test_a_node_that_points_at_a_changed_node_is_checked(store: tuple[GraphStore, Settings]) -> None:
    """Taking an organisation's types away breaks the sh:class constraint of the posts held in it: the posts are
    not in the change, yet the gate on the change finds them, as the whole gate does."""
    graph_store, settings = store
    (row, *_) = graph_store.select(
        "SELECT ?org ?post WHERE { ?post <https://w3id.org/ecosystem-graph/ontology#postIn> ?org } LIMIT 1")
    org, post = row["org"]["value"], row["post"]["value"]
    before = graph_store.graph_sizes()
    with pytest.raises(ValidationFailed) as rejected:
        writes.update(graph_store, settings, f"DELETE WHERE {{ GRAPH ?g {{ <{org}> a ?type }} }}")
    assert post in {focus for focus, _constraint in outcome(rejected.value)}
    assert graph_store.graph_sizes() == before
