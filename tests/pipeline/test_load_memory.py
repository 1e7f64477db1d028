"""A full load reports each step's peak resident memory (pipeline/steps.py) and leaves no scratch store behind."""

from __future__ import annotations

from pathlib import Path

from ecosystem_graph.config import Settings
from ecosystem_graph.pipeline import load as loader
from ecosystem_graph.store import open_store

from ..conftest import REPO, require


def test_a_full_load_of_the_project_reports_the_peak_memory_of_every_step(tmp_path: Path) -> None:
    require((REPO / "ontology" / "ecosystem.ttl").exists(), "the project ontology is not written yet")
    settings = Settings(project_dir=REPO, store_path=tmp_path / "store", backend="embedded", query_workers=0,
                        changes_path=tmp_path / "changes")
    store = open_store(settings)
    try:
        report = loader.build(store, settings, full=True)
    finally:
        store.close()
    assert report.committed and report.inferred
    steps = ("parse+store", "validate", "reason", "search index")
    assert set(steps) <= report.peak_rss_mb.keys() <= report.seconds.keys()
    assert all(report.peak_rss_mb[step] > 0 for step in steps)
    assert all(f"{step} " in report.steps() and "MB peak" in report.steps() for step in steps)
    scratch = settings.store_dir / "scratch"
    assert not scratch.exists() or not any(scratch.iterdir())  # the reasoner's copy is removed
