"""Discovery of source files and the named graph each one loads into."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecosystem_graph.config import Settings
from ecosystem_graph.errors import SourceError
from ecosystem_graph.pipeline import load as loader
from ecosystem_graph.sources.files import discover
from ecosystem_graph.store import open_store
from ecosystem_graph.vocab import graph_iri, slugify

BASE = "https://w3id.org/ecosystem-graph/"

SAMPLES = {
    "a.ttl": '<https://example.org/a> <https://example.org/p> "ttl" .',
    "b.nt": '<https://example.org/b> <https://example.org/p> "nt" .',
    "c.nq": '<https://example.org/c> <https://example.org/p> "nq" .',
    "d.trig": '{ <https://example.org/d> <https://example.org/p> "trig" . }',
    "e.jsonld": '{"@id": "https://example.org/e", "https://example.org/p": "jsonld"}',
    "f.rdf": '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns:ex="https://example.org/"><rdf:Description rdf:about="https://example.org/f">'
    "<ex:p>rdfxml</ex:p></rdf:Description></rdf:RDF>",
}


def test_graph_iri_is_base_plus_path_without_suffix() -> None:
    assert graph_iri(BASE, "data/sources.ttl") == BASE + "graph/data/sources"
    assert graph_iri(BASE, "ontology/ecosystem.ttl") == BASE + "graph/ontology/ecosystem"


def test_slugs_are_lower_case_ascii_transliterations() -> None:
    assert slugify("Сеченовский университет") == "sechenovskiy-universitet"
    assert slugify("Корпорация развития Зеленограда") == "korporatsiya-razvitiya-zelenograda"


def test_every_format_loads_into_its_own_graph(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (tmp_path / "ontology").mkdir()
    for name, text in SAMPLES.items():
        (data / name).write_text(text)
    (data / "notes.md").write_text("not RDF, ignored")
    settings = Settings(project_dir=tmp_path, backend="memory", validate_shapes=False, reasoning=False)
    files = discover(settings.source_paths, project_dir=tmp_path, base_iri=BASE)
    assert [f.relative.name for f in files] == sorted(SAMPLES)

    store = open_store(settings)
    loader.build(store, settings)
    rows = store.select("SELECT ?g ?o WHERE { GRAPH ?g { ?s <https://example.org/p> ?o } }")
    found = {r["g"]["value"]: r["o"]["value"] for r in rows}
    expected = {BASE + "graph/data/" + name.split(".")[0]: name.split(".")[1] for name in SAMPLES}
    expected = {g: {"nq": "nq", "rdf": "rdfxml"}.get(v, v) for g, v in expected.items()}
    assert found == expected


def test_two_files_that_would_share_a_graph_are_refused(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "x.ttl").write_text("")
    (tmp_path / "data" / "x.nt").write_text("")
    with pytest.raises(SourceError, match="same graph"):
        discover([tmp_path / "data"], project_dir=tmp_path, base_iri=BASE)


def test_missing_source_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as caught:
        discover([tmp_path / "nowhere"], project_dir=tmp_path, base_iri=BASE)
    assert "nowhere" in str(caught.value)
