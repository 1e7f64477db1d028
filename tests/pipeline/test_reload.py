"""``load`` after an edit replaces only the changed files' graphs, and gives what a full load gives."""

from __future__ import annotations

from pathlib import Path

from ecosystem_graph.config import Settings
from ecosystem_graph.pipeline import load as loader
from ecosystem_graph.pipeline import writes
from ecosystem_graph.reasoning.materialise import stats_graph_iri
from ecosystem_graph.store import open_store

from ..cli.conftest import run

ORG = "https://w3id.org/ecosystem-graph/id/organization/"
ORGS = "https://w3id.org/ecosystem-graph/graph/data/orgs"
COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"


def dataset(settings: Settings) -> set[str]:
    """Every quad without a blank node (their labels differ between loads), the load statistics left out."""
    store = open_store(settings)
    try:
        quads = b"".join(store.dump("application/n-quads")).decode("utf-8").splitlines()
    finally:
        store.close()
    return {q for q in quads if "_:" not in q and stats_graph_iri(settings.base_iri) not in q}


def edit(settings: Settings) -> None:
    orgs = settings.project_dir / "data" / "orgs.ttl"
    text = orgs.read_text(encoding="utf-8").replace('"Zelenograd Development Corporation"@en',
                                                    '"Zelenograd Development Corporation JSC"@en')
    orgs.write_text(text + f'\n<{ORG}sechenov-university> <{COMMENT}> "edited by a curator"@en .\n',
                    encoding="utf-8")


def test_an_edit_reloads_one_graph_and_equals_a_full_load(mini_settings: Settings, tmp_path: Path) -> None:
    settings = mini_settings.model_copy(update={"api_token": "t"})
    store = open_store(settings)
    loader.build(store, settings)
    writes.update(store, settings, f'INSERT DATA {{ GRAPH <{ORGS}> {{ <{ORG}sechenov-university> <{COMMENT}> '
                                   '"written through the API"@en } }')
    store.close()
    edit(settings)

    report = loader.build(open_store(settings), settings)
    assert report.incremental is not None and list(report.incremental.changed) == [ORGS]
    assert report.committed and report.incremental.new_entries == []  # the write was already in the store
    reference = settings.model_copy(update={"store_path": tmp_path / "full"})
    full = loader.build(open_store(reference), reference, full=True)
    assert full.incremental is None
    assert dataset(settings) == dataset(reference)
    assert any('"written through the API"@en' in q for q in dataset(settings))  # the write survived the edit
    assert any('"Zelenograd Development Corporation JSC"@en' in q for q in dataset(settings))

    again = loader.build(open_store(settings), settings)  # nothing changed: nothing published
    assert again.incremental is not None and not again.committed


def test_an_ontology_edit_is_a_full_load(mini_settings: Settings) -> None:
    assert run(mini_settings, "load").returncode == 0
    ontology = next((mini_settings.project_dir / "ontology").glob("mini.ttl"))
    ontology.write_text(ontology.read_text(encoding="utf-8") + "\n# a comment changes the file\n", encoding="utf-8")
    result = run(mini_settings, "load")
    assert result.returncode == 0 and "changed since the last load" not in result.stderr
    edit(mini_settings)
    result = run(mini_settings, "load")
    assert result.returncode == 0 and "changed since the last load: 1 file(s)" in result.stderr


def test_an_edit_that_voids_a_recorded_deletion_is_reported_by_an_incremental_load(mini_settings: Settings) -> None:
    settings = mini_settings.model_copy(update={"api_token": "t"})
    store = open_store(settings)
    loader.build(store, settings)
    label = f'<{ORG}zelenograd-development-corporation> <http://www.w3.org/2000/01/rdf-schema#label> ' \
            '"Zelenograd Development Corporation"@en'
    writes.update(store, settings, f"DELETE DATA {{ GRAPH <{ORGS}> {{ {label} }} }}")
    store.close()
    edit(settings)  # renames it in the file: the recorded deletion has nothing left to delete
    report = loader.build(open_store(settings), settings)
    assert report.incremental is not None and report.replayed is not None
    assert len(report.replayed.conflicts) == 1 and "000001.rdfp" in report.replayed.conflicts[0]
    assert any('"Zelenograd Development Corporation JSC"@en' in q for q in dataset(settings))
