"""A write is made in the writing process's workspace (store/embedded.py), and what the gate and the reasoner work
out from the schema is carried from one generation to the next only while the schema stays the same
(store/memo.py). Each case would fail if a workspace or a memoised value outlived what it was made from."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ecosystem_graph.config import Settings
from ecosystem_graph.errors import ValidationFailed
from ecosystem_graph.pipeline import writes
from ecosystem_graph.store import GraphStore, open_store

ECO = "https://w3id.org/ecosystem-graph/ontology#"
ORG = "https://w3id.org/ecosystem-graph/id/organization/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"


def insert(store: GraphStore, settings: Settings, triples: str) -> None:
    writes.update(store, settings, f"PREFIX eco: <{ECO}> PREFIX org: <{ORG}> PREFIX rdfs: <{RDFS}> "
                                   f"INSERT DATA {{ GRAPH <{settings.base_iri}graph/data/w> {{ {triples} }} }}")


def holds(store: GraphStore, pattern: str) -> bool:
    return store.ask(f"PREFIX eco: <{ECO}> PREFIX org: <{ORG}> ASK {{ {pattern} }}")


def test_a_new_subclass_is_seen_by_the_gate_and_the_reasoner(mini_settings: Settings, mini_store: GraphStore) -> None:
    insert(mini_store, mini_settings, 'org:sechenov-university rdfs:comment "first write: the schema is kept" .')
    with pytest.raises(ValidationFailed, match="an organisation needs a label"):  # Clinic is new: an Organization
        insert(mini_store, mini_settings, "eco:Clinic rdfs:subClassOf eco:Organization . org:c1 a eco:Clinic .")
    insert(mini_store, mini_settings, 'eco:Clinic rdfs:subClassOf eco:Organization . org:c1 a eco:Clinic ; '
                                  'rdfs:label "Клиника"@ru .')
    assert holds(mini_store, "org:c1 a eco:Organization")
    # the schema is the same from here: what is carried on must be the hierarchy that has eco:Clinic in it
    with pytest.raises(ValidationFailed, match="an organisation needs a label"):
        insert(mini_store, mini_settings, "org:c2 a eco:Clinic .")
    insert(mini_store, mini_settings, 'org:c3 a eco:Clinic ; rdfs:label "Клиника 3"@ru .')
    assert holds(mini_store, "org:c3 a eco:Organization")
    assert not holds(mini_store, "org:c2 ?p ?o")


def test_a_rejected_write_leaves_nothing_for_the_next_one(mini_settings: Settings, mini_store: GraphStore) -> None:
    with pytest.raises(ValidationFailed):
        insert(mini_store, mini_settings, 'org:bad a eco:Organization ; rdfs:comment "no label" .')
    insert(mini_store, mini_settings, 'org:good a eco:Organization ; rdfs:label "Хорошая"@ru .')
    assert holds(mini_store, "org:good a eco:Organization")
    assert not holds(mini_store, "org:bad ?p ?o")


def test_a_workspace_behind_the_published_generation_is_made_again(mini_settings: Settings,
                                                                   mini_store: GraphStore) -> None:
    other = open_store(mini_settings)  # a second writer on the same store, as a second HTTP process is
    try:
        insert(mini_store, mini_settings, 'org:one a eco:Organization ; rdfs:label "Первая"@ru .')
        insert(other, mini_settings, 'org:two a eco:Organization ; rdfs:label "Вторая"@ru .')
        insert(mini_store, mini_settings, 'org:three a eco:Organization ; rdfs:label "Третья"@ru .')
    finally:
        other.close()
    for name in ("one", "two", "three"):
        assert holds(mini_store, f"org:{name} a eco:Organization"), name


def test_the_workspaces_of_ended_processes_are_removed(mini_settings: Settings, mini_store: GraphStore) -> None:
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                           check=True)
    abandoned = mini_settings.store_dir / "workspaces" / f"{ended.stdout.strip()}-0000"
    abandoned.mkdir(parents=True)
    (abandoned / "CURRENT").write_text("left by a killed write\n")
    insert(mini_store, mini_settings, 'org:sechenov-university rdfs:comment "a write" .')
    assert not abandoned.exists()
    assert len(list((mini_settings.store_dir / "workspaces").iterdir())) == 1  # this process's own
