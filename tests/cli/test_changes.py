"""``ecosystem-graph changes``: the recorded writes, and which ones the curated files do not say yet."""

from __future__ import annotations

from ecosystem_graph.config import Settings
from ecosystem_graph.pipeline import writes
from ecosystem_graph.store import open_store

from .conftest import run

ORG = "https://w3id.org/ecosystem-graph/id/organization/"
COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
ORGS = "https://w3id.org/ecosystem-graph/graph/data/orgs"


def test_a_write_is_pending_until_the_curator_writes_it_into_the_file(loaded: Settings) -> None:
    store = open_store(loaded.model_copy(update={"api_token": "t"}))
    writes.update(store, loaded, f'INSERT DATA {{ GRAPH <{ORGS}> {{ <{ORG}sechenov-university> <{COMMENT}> '
                                 f'"founded in 1758"@en }} }}')
    store.close()
    listed = run(loaded, "changes")
    assert listed.returncode == 0, listed.stderr
    assert "000001.rdfp" in listed.stdout and "pending" in listed.stdout
    assert "1 not yet in the source files" in listed.stderr
    exported = run(loaded, "changes", "export")
    triple = f'<{ORG}sechenov-university> <{COMMENT}> "founded in 1758"@en'
    assert exported.returncode == 0 and f"A {triple}" in exported.stdout

    orgs = loaded.project_dir / "data" / "orgs.ttl"
    orgs.write_text(orgs.read_text(encoding="utf-8") + f"\n{triple} .\n", encoding="utf-8")
    listed = run(loaded, "changes")
    assert "in the files" in listed.stdout and "0 not yet in the source files" in listed.stderr
