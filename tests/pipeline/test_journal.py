"""Every accepted write is journaled before it is acknowledged and survives ``load``, restarts and a kill -9;
a write that a later edit of the files contradicts is reported, not lost. Real embedded store, real server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from ecosystem_graph.config import Settings
from ecosystem_graph.pipeline import load as loader
from ecosystem_graph.pipeline import writes
from ecosystem_graph.pipeline.journal import Journal, patch_steps
from ecosystem_graph.store import GraphStore, open_store

from ..cli.conftest import run
from ..support.server import free_port

ORG = "https://w3id.org/ecosystem-graph/id/organization/"
COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ORGS = "https://w3id.org/ecosystem-graph/graph/data/orgs"


def comment(text: str) -> str:
    return f'INSERT DATA {{ GRAPH <{ORGS}> {{ <{ORG}sechenov-university> <{COMMENT}> "{text}"@en }} }}'


def writable(mini_settings: Settings) -> tuple[Settings, GraphStore]:
    """The mini project loaded into its embedded store, with a token that allows writes."""
    settings = mini_settings.model_copy(update={"api_token": "t"})
    store = open_store(settings)
    loader.build(store, settings)
    return settings, store


def has(settings: Settings, sparql: str) -> bool:
    store = open_store(settings)
    try:
        return store.ask(sparql)
    finally:
        store.close()


def test_a_write_is_an_rdf_patch_and_survives_load(mini_settings: Settings) -> None:
    settings, store = writable(mini_settings)
    writes.update(store, settings, comment("kept"))
    store.close()
    (entry,) = Journal(settings.changes_dir).entries()
    text = entry.path.read_text(encoding="utf-8")
    assert text.splitlines()[2] == "TX ." and text.rstrip().endswith("TC .")
    assert [kind for kind, _g, _t in patch_steps(entry)] == ["A"]
    assert f'A <{ORG}sechenov-university> <{COMMENT}> "kept"@en <{ORGS}> .' in text

    report = loader.build(open_store(settings), settings, full=True)  # rebuilt from the files
    assert report.replayed is not None and report.replayed.entries == 1 and not report.replayed.conflicts
    assert has(settings, f'ASK {{ <{ORG}sechenov-university> <{COMMENT}> "kept"@en }}')


def test_a_deletion_that_a_later_edit_contradicts_is_reported(mini_settings: Settings) -> None:
    settings, store = writable(mini_settings)
    label = f'<{ORG}sechenov-university> <{LABEL}> "Sechenov University"@en'
    writes.update(store, settings, f"DELETE DATA {{ GRAPH <{ORGS}> {{ {label} }} }} ; "
                                   f'INSERT DATA {{ GRAPH <{ORGS}> {{ <{ORG}sechenov-university> <{LABEL}> '
                                   f'"Sechenov Moscow State Medical University"@en }} }}')
    writes.update(store, settings, f"DELETE {{ GRAPH <{ORGS}> {{ ?s <{COMMENT}> ?c }} }} "
                                   f"WHERE {{ GRAPH <{ORGS}> {{ ?s <{COMMENT}> ?c }} }}")  # states no quads
    store.close()
    assert [e.kind for e in Journal(settings.changes_dir).entries()] == ["patch", "update"]

    assert loader.build(open_store(settings), settings).replayed.conflicts == []
    assert not has(settings, f"ASK {{ {label} }}")
    # the curator renames the university in the file too: the recorded deletion no longer applies
    orgs = settings.project_dir / "data" / "orgs.ttl"
    orgs.write_text(orgs.read_text(encoding="utf-8").replace('"Sechenov University"@en',
                                                             '"Sechenov Moscow State Medical University"@en'),
                    encoding="utf-8")
    report = loader.build(open_store(settings), settings)
    assert report.replayed is not None and len(report.replayed.conflicts) == 1
    assert "000001.rdfp" in report.replayed.conflicts[0] and "1 of 1 deletions" in report.replayed.conflicts[0]
    renamed = f'<{ORG}sechenov-university> <{LABEL}> "Sechenov Moscow State Medical University"@en'
    assert has(settings, f"ASK {{ {renamed} }}")


def test_delete_where_of_one_resource_is_recorded_as_its_triples(mini_settings: Settings) -> None:
    settings, store = writable(mini_settings)
    corporation = f"<{ORG}zelenograd-development-corporation>"
    held = store.select(f"SELECT ?g ?p ?o WHERE {{ GRAPH ?g {{ {corporation} ?p ?o }} }}", include_inferred=False)
    writes.update(store, settings, f"DELETE WHERE {{ GRAPH ?g {{ {corporation} ?p ?o }} }}")
    assert not store.ask(f"ASK {{ {corporation} ?p ?o }}")
    store.close()
    (entry,) = Journal(settings.changes_dir).entries()
    steps = patch_steps(entry)
    assert {kind for kind, _g, _t in steps} == {"D"}
    assert sum(len(triples.splitlines()) for _k, _g, triples in steps) == len(held) > 0


def test_an_acknowledged_write_survives_kill_9(mini_settings: Settings) -> None:
    assert run(mini_settings, "load").returncode == 0
    port = free_port()
    env = {**os.environ, "ECOSYSTEM_GRAPH_PROJECT_DIR": str(mini_settings.project_dir),
           "ECOSYSTEM_GRAPH_STORE_PATH": str(mini_settings.store_dir), "ECOSYSTEM_GRAPH_API_TOKEN": "t",
           "ECOSYSTEM_GRAPH_QUERY_WORKERS": "1"}
    server = subprocess.Popen([sys.executable, "-m", "ecosystem_graph.cli", "serve", "--host", "127.0.0.1",
                               "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        answer = None
        deadline = time.monotonic() + 60
        while answer is None and time.monotonic() < deadline and server.poll() is None:
            try:
                answer = httpx.post(f"http://127.0.0.1:{port}/sparql", content=comment("durable").encode(),
                                    headers={"Content-Type": "application/sparql-update",
                                             "Authorization": "Bearer t"}, timeout=30)
            except httpx.TransportError:  # not listening yet
                time.sleep(0.05)
        assert answer is not None and answer.status_code == 204, answer.text if answer else "no answer"
    finally:  # at once after the acknowledgement: no clean shutdown
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(10)
    assert run(mini_settings, "load").returncode == 0  # a rebuild from the files: the journal brings the write back
    found = run(mini_settings, "query", f'ASK {{ <{ORG}sechenov-university> <{COMMENT}> "durable"@en }}',
                "--format", "json")
    assert found.returncode == 0 and '"boolean":true' in found.stdout.replace(" ", ""), found.stdout


def test_the_journal_lives_in_the_project(mini_settings: Settings) -> None:
    assert mini_settings.changes_dir == (mini_settings.project_dir / "changes").resolve()
    assert isinstance(mini_settings.changes_dir, Path)


def test_a_write_that_changes_nothing_publishes_and_records_nothing(mini_settings: Settings) -> None:
    settings, store = writable(mini_settings)
    generation = store.generation_id()
    writes.update(store, settings, "")  # an empty update is valid SPARQL
    writes.update(store, settings, comment("once"))
    writes.update(store, settings, comment("once"))  # already there
    assert [e.path.name for e in Journal(settings.changes_dir).entries()] == ["000001.rdfp"]
    assert store.generation_id() != generation
    store.close()
