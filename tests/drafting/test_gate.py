"""The drafted file passes the project's SHACL gate once its draft markers are removed (and is never loaded as a
draft): against the whole graph (everything linked), and with the source's curated file taken out (minted IRIs)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ecosystem_graph.config import Settings
from ecosystem_graph.drafting.accept import accept, read
from ecosystem_graph.drafting.drafter import draft
from ecosystem_graph.drafting.reconcile import Catalogue
from ecosystem_graph.drafting.turtle import write
from ecosystem_graph.errors import ValidationFailed
from ecosystem_graph.pipeline import load as loader
from ecosystem_graph.store import open_store

from ..conftest import REPO
from .conftest import BASE, SOURCES, source_path, store_of


def project_copy(tmp_path: Path, without: str | None = None) -> Path:
    target = tmp_path / "project"
    for folder in ("ontology", "data", "sparql"):
        shutil.copytree(REPO / folder, target / folder, ignore=shutil.ignore_patterns("drafts"))
    if without:
        (target / without).unlink()
    return target


def violations(project: Path) -> set[str]:
    settings = Settings(project_dir=project, backend="memory", reasoning=False)
    try:
        loader.build(open_store(settings), settings, commit=False)
    except ValidationFailed as error:
        return set(error.violations)
    return set()


@pytest.mark.parametrize("name", sorted(SOURCES))
@pytest.mark.parametrize("reduced", [False, True], ids=["whole-graph", "curated-file-removed"])
def test_accepted_draft_passes_the_gate(name: str, reduced: bool, tmp_path: Path, full_store) -> None:  # type: ignore[no-untyped-def]
    without = SOURCES[name] if reduced else None
    store = store_of(without=without) if reduced else full_store
    result = draft(source_path(name).read_text(encoding="utf-8"), file_name=name,
                   catalogue=Catalogue.read(store, BASE), base_iri=BASE)
    text = write(result, BASE, name="drafted")
    project = project_copy(tmp_path, without)
    before = violations(project)  # without its file, the other source may point at what only this one names
    (project / "data" / "drafts").mkdir()
    (project / "data" / "drafts" / "drafted.ttl").write_text(text, encoding="utf-8")
    assert violations(project) == before, "a draft in data/drafts/ is never loaded"
    curated, left_out = accept(text)
    assert "draft:" not in curated and left_out == []
    (project / "data" / "drafted.ttl").write_text(curated, encoding="utf-8")
    assert violations(project) <= before, sorted(violations(project) - before)


def test_rejected_candidates_and_what_points_at_them_are_left_out(full_store) -> None:  # type: ignore[no-untyped-def]
    name = "003_d2016b0dd33eddae.txt"
    catalogue = Catalogue.read(store_of(without=SOURCES[name]), BASE)
    result = draft(source_path(name).read_text(encoding="utf-8"), file_name=name, catalogue=catalogue, base_iri=BASE)
    person = next(p for p in result.people if p.label == "Александр Ушков")
    curated, left_out = accept(write(result, BASE, name="x"), reject={person.id})
    assert person.id in left_out and "Ушков" not in curated.split("eco:evidence")[0]
    assert not [n for n in read(curated)[1] if n.subject == person.iri]
    assert any(p.person is person and p.id in left_out for p in result.posts)
