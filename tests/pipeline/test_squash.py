"""``changes squash`` writes the journal into the curated files so that ``git diff`` shows only the change, and
``load`` afterwards gives the store it gave before; what cannot be written stays journaled; a crash never applies
an entry twice. Real embedded store, real files in a copy of the mini project."""

from __future__ import annotations

import json
import os
from pathlib import Path

from ecosystem_graph.config import Settings
from ecosystem_graph.pipeline import load as loader
from ecosystem_graph.pipeline import squash, writes
from ecosystem_graph.pipeline.journal import Journal
from ecosystem_graph.store import open_store

from ..cli.conftest import run
from .test_journal import COMMENT, LABEL, ORG, ORGS, comment, writable

FOUNDED = "https://w3id.org/ecosystem-graph/ontology#founded"
DATE = "http://www.w3.org/2001/XMLSchema#date"


def content(settings: Settings) -> tuple[set[str], int]:
    """The store's quads, those with blank nodes by count (their labels differ per load), without the
    materialisation's own record (its timestamps differ per load)."""
    store = open_store(settings)
    try:
        lines = [line for line in b"".join(store.dump("application/n-quads")).decode("utf-8").splitlines()
                 if not line.endswith("/graph/inferred-stats> .")]
    finally:
        store.close()
    return {line for line in lines if "_:" not in line}, sum("_:" in line for line in lines)


def orgs_file(settings: Settings) -> Path:
    return settings.project_dir / "data" / "orgs.ttl"


def test_an_addition_is_appended_and_load_gives_the_same_store(mini_settings: Settings) -> None:
    settings, store = writable(mini_settings)
    writes.update(store, settings, comment("squashed"))
    store.close()
    original = orgs_file(settings).read_text(encoding="utf-8")
    before = content(settings)

    result = run(settings, "changes", "squash")
    assert result.returncode == 0, result.stderr
    assert "000001.rdfp: squashed into data/orgs.ttl (+1 -0)" in result.stdout

    text = orgs_file(settings).read_text(encoding="utf-8")
    assert text.startswith(original)  # git diff: only lines added at the end
    added = text[len(original):]
    assert "# squashed from changes/000001.rdfp" in added
    assert 'org:sechenov-university\n    rdfs:comment "squashed"@en .' in added  # the file's own prefixes
    journal = Journal(settings.changes_dir)
    assert journal.entries() == [] and (journal.squashed_folder / "000001.rdfp").is_file()

    report = loader.build(open_store(settings), settings, full=True)
    assert report.replayed is None or report.replayed.entries == 0  # nothing left to replay
    assert content(settings) == before

    store = open_store(settings)  # the next write does not reuse the squashed entry's name
    writes.update(store, settings, comment("later"))
    store.close()
    assert [e.path.name for e in journal.entries()] == ["000002.rdfp"]


def test_removals_delete_only_their_words(mini_settings: Settings) -> None:
    settings, store = writable(mini_settings)
    university = f"<{ORG}sechenov-university>"
    writes.update(store, settings, f'DELETE DATA {{ GRAPH <{ORGS}> {{ {university} <{LABEL}> '
                                   f'"Sechenov University"@en . {university} <{FOUNDED}> "1758-01-25"^^<{DATE}> }} }}')
    store.close()
    before = content(settings)
    original = orgs_file(settings).read_text(encoding="utf-8").splitlines()

    (outcome,) = squash.squash(settings).outcomes
    assert outcome.squashed and outcome.files == {"data/orgs.ttl": (0, 2)}
    lines = orgs_file(settings).read_text(encoding="utf-8").splitlines()
    assert '  rdfs:label "Сеченовский университет"@ru .' in lines  # the list lost one term, the ';' became '.'
    assert not any("1758-01-25" in line or '"Sechenov University"@en' in line for line in lines)
    assert len(original) - len(lines) == 1  # one line gone, one changed: nothing else moved

    loader.build(open_store(settings), settings, full=True)
    assert content(settings) == before


def test_a_dry_run_changes_nothing(mini_settings: Settings) -> None:
    settings, store = writable(mini_settings)
    writes.update(store, settings, comment("maybe"))
    store.close()
    original = orgs_file(settings).read_bytes()
    result = run(settings, "changes", "squash", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "--- a/data/orgs.ttl\n+++ b/data/orgs.ttl\n" in result.stdout
    assert '+    rdfs:comment "maybe"@en .' in result.stdout
    assert orgs_file(settings).read_bytes() == original
    assert [e.path.name for e in Journal(settings.changes_dir).entries()] == ["000001.rdfp"]
    assert not Journal(settings.changes_dir).squashed_folder.exists()


def test_a_crash_between_files_and_journal_does_not_apply_twice(mini_settings: Settings) -> None:
    settings, store = writable(mini_settings)
    writes.update(store, settings, comment("once"))
    store.close()
    before = content(settings)
    journal = Journal(settings.changes_dir)
    manifest = squash.prepare(squash.plan(settings, journal), journal)
    assert manifest is not None
    for temporary, target in json.loads(manifest.read_text(encoding="utf-8"))["files"]:
        os.replace(temporary, target)  # the files are in place; the crash comes before the journal is cleaned
    assert [e.path.name for e in journal.entries()] == ["000001.rdfp"]

    result = run(settings, "changes", "squash")  # finishes the interrupted squash, then finds nothing left
    assert result.returncode == 0, result.stderr
    assert orgs_file(settings).read_text(encoding="utf-8").count('"once"@en') == 1
    assert journal.entries() == [] and not manifest.exists()
    loader.build(open_store(settings), settings, full=True)
    assert content(settings) == before


def test_a_crash_before_the_manifest_applies_nothing(mini_settings: Settings) -> None:
    settings, store = writable(mini_settings)
    writes.update(store, settings, comment("once"))
    store.close()
    journal = Journal(settings.changes_dir)
    manifest = squash.prepare(squash.plan(settings, journal), journal)
    assert manifest is not None
    manifest.unlink()  # as if the crash came before the manifest's rename: only temporary files exist
    original = orgs_file(settings).read_text(encoding="utf-8")
    assert '"once"@en' not in original
    squash.squash(settings)
    text = orgs_file(settings).read_text(encoding="utf-8")
    assert text.count('"once"@en') == 1 and not list(orgs_file(settings).parent.glob(".*.squash"))


def test_updates_and_graphs_without_a_file_stay_in_the_journal(mini_settings: Settings) -> None:
    settings, store = writable(mini_settings)
    upload = f"{settings.base_iri}graph/updates"
    writes.add_to_graph(store, settings, upload, [(f'<{ORG}x> <{LABEL}> "x" .'.encode(), "application/n-triples")])
    writes.update(store, settings, comment("to squash"))
    writes.update(store, settings, f"DELETE {{ GRAPH <{ORGS}> {{ ?s <{COMMENT}> ?c }} }} "
                                   f"WHERE {{ GRAPH <{ORGS}> {{ ?s <{COMMENT}> ?c }} }}")
    writes.update(store, settings, comment("after the update"))
    store.close()
    before = content(settings)

    outcomes = squash.squash(settings).outcomes
    assert [o.squashed for o in outcomes] == [False, True, False, False]
    assert "no source file loads" in outcomes[0].reason and "SPARQL update" in outcomes[2].reason
    assert "follows 000003.ru" in outcomes[3].reason
    assert [e.path.name for e in Journal(settings.changes_dir).entries()] == ["000001.rdfp", "000003.ru",
                                                                             "000004.rdfp"]
    loader.build(open_store(settings), settings, full=True)
    assert content(settings) == before


def test_a_file_that_does_not_parse_is_one_line_and_exit_2(mini_settings: Settings) -> None:
    settings, store = writable(mini_settings)
    writes.update(store, settings, comment("x"))
    store.close()
    orgs_file(settings).write_text(orgs_file(settings).read_text(encoding="utf-8") + "\nbroken\n", encoding="utf-8")
    result = run(settings, "changes", "squash")
    assert result.returncode == 2
    assert "orgs.ttl" in result.stderr and "Traceback" not in result.stderr
    assert [e.path.name for e in Journal(settings.changes_dir).entries()] == ["000001.rdfp"]
