"""Atomic loads on the embedded store: a failing or killed load leaves the previous generation in place."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from ecosystem_graph.config import Settings
from ecosystem_graph.errors import SourceError, ValidationFailed
from ecosystem_graph.pipeline import load as loader
from ecosystem_graph.store import GraphStore, open_store

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def count(store: GraphStore) -> int:
    return int(store.select(COUNT)[0]["n"]["value"])


#: when the materialisation ran (PROV, in graph/inferred-stats): the only statements a reload changes
CLOCK_TIMES = {"http://www.w3.org/ns/prov#startedAtTime", "http://www.w3.org/ns/prov#endedAtTime"}


def dump(store: GraphStore) -> list[str]:
    """The dataset with blank nodes canonicalised (RDFC-1.0), so equal datasets compare equal."""
    quads = ox.parse(b"".join(store.dump("application/n-quads")), format=ox.RdfFormat.N_QUADS)
    dataset = ox.Dataset(q for q in quads if q.predicate.value not in CLOCK_TIMES)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(str(quad) for quad in dataset)


def test_load_publishes_one_graph_per_file(mini_store: GraphStore, mini_settings: Settings) -> None:
    base = mini_settings.base_iri + "graph/"
    files = {base + "data/orgs", base + "data/people", base + "ontology/mini", base + "ontology/shapes"}
    graphs = set(mini_store.graph_sizes())
    assert files <= graphs
    assert {g.removeprefix(base).split("-")[0] for g in graphs - files} == {"inferred"}  # and its statistics
    assert count(mini_store) > 0


def test_loading_the_same_files_twice_gives_the_same_dataset(mini_store: GraphStore,
                                                             mini_settings: Settings) -> None:
    first = dump(mini_store)
    loader.build(mini_store, mini_settings)
    assert dump(mini_store) == first


def test_syntax_error_keeps_the_previous_data(mini_store: GraphStore, mini_settings: Settings) -> None:
    before = dump(mini_store)
    broken = mini_settings.project_dir / "data" / "broken.ttl"
    broken.write_text('@prefix ex: <https://example.org/> .\nex:a ex:b "unterminated .\n')
    with pytest.raises(SourceError) as caught:
        loader.build(mini_store, mini_settings)
    assert caught.value.path == broken
    assert caught.value.line == 2
    assert str(caught.value).startswith(f"{broken}:2:")
    assert dump(mini_store) == before


def test_shacl_violation_keeps_the_previous_data(mini_store: GraphStore, mini_settings: Settings) -> None:
    before = dump(mini_store)
    (mini_settings.project_dir / "data" / "bad.ttl").write_text(
        "@prefix eco: <https://w3id.org/ecosystem-graph/ontology#> .\n"
        '<https://w3id.org/ecosystem-graph/id/organization/x> a eco:University ; eco:founded "yesterday" .\n'
    )
    with pytest.raises(ValidationFailed) as caught:
        loader.build(mini_store, mini_settings)
    message = str(caught.value)
    assert "id/organization/x" in message and "data/bad.ttl" in message
    assert "needs a label" in message and "xsd:date" in message
    assert dump(mini_store) == before


def test_an_open_reader_keeps_answering_during_and_after_a_swap(mini_store: GraphStore,
                                                                 mini_settings: Settings) -> None:
    reader = open_store(mini_settings)  # e.g. a running server in another process
    try:
        before = count(reader)
        (mini_settings.project_dir / "data" / "more.ttl").write_text(
            "<https://example.org/s> <https://example.org/p> <https://example.org/o> .\n")
        loader.build(mini_store, mini_settings)
        assert count(reader) == before + 1
    finally:
        reader.close()


def _big_ntriples(path: Path, triples: int) -> None:
    with path.open("w") as handle:
        for i in range(triples):
            handle.write(f'<https://example.org/s{i}> <https://example.org/p{i % 50}> "value {i}" .\n')


def test_a_killed_load_leaves_the_previous_generation(mini_store: GraphStore, mini_settings: Settings) -> None:
    before = dump(mini_store)
    _big_ntriples(mini_settings.project_dir / "data" / "big.nt", 600_000)
    env = {**os.environ, "ECOSYSTEM_GRAPH_PROJECT_DIR": str(mini_settings.project_dir),
           "ECOSYSTEM_GRAPH_STORE_PATH": str(mini_settings.store_dir)}
    generations = mini_settings.store_dir / "generations"
    existing = set(generations.iterdir())
    process = subprocess.Popen([sys.executable, "-m", "ecosystem_graph.cli", "load"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not (set(generations.iterdir()) - existing) and time.monotonic() < deadline:
        time.sleep(0.02)  # wait until the new generation is being written
    time.sleep(0.3)
    assert process.poll() is None, "the load finished before it could be killed; make the file bigger"
    process.send_signal(signal.SIGKILL)
    process.wait()

    assert dump(mini_store) == before
    fresh = open_store(mini_settings)
    try:
        assert dump(fresh) == before
    finally:
        fresh.close()
    # the next load cleans up what the killed one left behind and succeeds
    (mini_settings.project_dir / "data" / "big.nt").unlink()
    loader.build(mini_store, mini_settings)
    assert len(list(generations.iterdir())) <= 2
