"""Writes on the remote backend send what they change: one update request, checked and reasoned on a local mirror.

Against a real ``oxigraph serve`` (and Virtuoso 7 where it is installed) behind a recording proxy, so the tests see
what the server received.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ecosystem_graph.config import Settings
from ecosystem_graph.errors import StoreUnavailable
from ecosystem_graph.pipeline import load as loader
from ecosystem_graph.pipeline import writes
from ecosystem_graph.reasoning.materialise import stats_graph_iri
from ecosystem_graph.store import GraphStore
from ecosystem_graph.store.remote import RemoteStore

from ..support.recording_proxy import Recording, recording_proxy
from ..support.sparql_servers import Endpoints
from .conftest import open_for_test, remote_settings
from .test_store_contract import ECO, ORG, PREFIXES, canonical

pytestmark = pytest.mark.timeout(180)
INSTITUTE = f"<{ORG}new-institute>"
FOAF_AGENT = "<http://xmlns.com/foaf/0.1/Agent>"


@pytest.fixture(params=["oxigraph", "virtuoso"])
def proxied(request: pytest.FixtureRequest, mini_settings: Settings) -> Iterator[tuple[Settings, Recording]]:
    server: Endpoints = request.getfixturevalue(f"{request.param}_endpoints")
    settings = remote_settings(mini_settings, server)
    with recording_proxy(server) as (endpoints, recording):
        yield settings.model_copy(update=endpoints.settings()), recording


def built(settings: Settings) -> RemoteStore:
    store = open_for_test(settings)
    assert isinstance(store, RemoteStore)
    loader.build(store, settings)
    return store


def orgs(settings: Settings) -> str:
    return settings.base_iri + "graph/data/orgs"


def insert_institute(store: GraphStore, settings: Settings, name: str = "new-institute") -> None:
    writes.update(store, settings, PREFIXES + f"INSERT DATA {{ GRAPH <{orgs(settings)}> {{ <{ORG}{name}> a "
                                              f"eco:University ; rdfs:label \"{name}\"@en }} }}")


def reference(settings: Settings, tmp_path: Path) -> list[str]:
    """A full load of the same files and journal on the memory backend (stats aside: a write does not recount)."""
    memory_settings = settings.model_copy(update={"backend": "memory", "store_path": tmp_path / "reference"})
    memory = open_for_test(memory_settings)
    loader.build(memory, memory_settings, full=True)
    return without_stats(settings, canonical(memory))


def without_stats(settings: Settings, quads: list[str]) -> list[str]:
    return [q for q in quads if stats_graph_iri(settings.base_iri) not in q]


def test_a_write_is_one_update_of_its_change_and_readers_see_it(proxied: tuple[Settings, Recording]) -> None:
    settings, recording = proxied
    store = built(settings)
    before = store.generation_id()
    whole = sum(len(part) for part in store.dump("application/n-quads"))
    recording.clear()
    insert_institute(store, settings)
    updates = recording.updates()
    assert len(updates) == 1, "one request carries the change"
    sent = updates[0].decode()
    assert "store/staging" not in sent and "MOVE" not in sent, "no staging graphs"
    assert not recording.graph_store(), "nothing uploaded or downloaded whole"
    assert f"{INSTITUTE} <http://www.w3.org/2000/01/rdf-schema#label>" in sent  # the asserted delta
    assert f"{INSTITUTE} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> {FOAF_AGENT}" in sent  # the inferred one
    assert len(updates[0]) < whole / 5
    reader = open_for_test(settings.model_copy(update={"store_path": settings.store_dir.parent / "reader"}))
    assert reader.generation_id() not in (None, before)
    assert reader.ask(PREFIXES + f"ASK {{ {INSTITUTE} a <http://xmlns.com/foaf/0.1/Agent> }}")
    assert reader.ask(PREFIXES + f"ASK {{ GRAPH <{orgs(settings)}> {{ {INSTITUTE} a eco:University }} }}")


def test_the_mirror_is_copied_again_when_the_remote_changed_behind_it(proxied: tuple[Settings, Recording],
                                                                     tmp_path: Path) -> None:
    settings, recording = proxied
    store = built(settings)
    insert_institute(store, settings, "first")
    other_settings = settings.model_copy(update={"store_path": tmp_path / "other-store"})  # another mirror
    other = open_for_test(other_settings)
    insert_institute(other, other_settings, "second")  # publishes behind the first store's mirror
    recording.clear()
    insert_institute(store, settings, "third")
    assert recording.graph_store(), "the live dataset was read again"
    updates = recording.updates()
    assert len(updates) == 1 and b"store/staging" not in updates[0]
    assert without_stats(settings, canonical(store)) == reference(settings, tmp_path)


def test_a_series_of_writes_equals_a_full_load_of_the_files_and_journal(proxied: tuple[Settings, Recording],
                                                                       tmp_path: Path) -> None:
    settings, recording = proxied
    store = built(settings)
    recording.clear()
    insert_institute(store, settings)
    insert_institute(store, settings, "to-go")
    writes.update(store, settings, PREFIXES + f"DELETE DATA {{ GRAPH <{orgs(settings)}> {{ <{ORG}to-go> a "
                                              "eco:University } }")  # DRed takes its inferences away
    writes.add_to_graph(store, settings, None, [(f"<{ORG}sechenov-university> <{ECO}nickname> \"Sechenovka\" .\n"
                                                 .encode(), "application/n-triples")])
    writes.update(store, settings, f"DELETE WHERE {{ GRAPH <{orgs(settings)}> {{ <{ORG}to-go> ?p ?o }} }}")
    api_graph = settings.base_iri + "graph/extra"
    writes.replace_graph(store, settings, api_graph, f"<{ORG}x> <{ECO}note> \"x\" .\n".encode(),
                         "application/n-triples")
    writes.drop_graph(store, settings, api_graph)
    assert len(recording.updates()) == 7 and not recording.graph_store(), "each write one update, no uploads"
    assert not any(b"store/staging" in body for body in recording.updates())
    remote = without_stats(settings, canonical(store))
    assert remote == reference(settings, tmp_path)
    assert not any(api_graph in quad for quad in remote) and not any("to-go" in quad for quad in remote)
    assert any(f"{INSTITUTE} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> {FOAF_AGENT}" in q for q in remote)


def test_a_change_with_a_blank_node_is_published_whole(proxied: tuple[Settings, Recording], tmp_path: Path) -> None:
    settings, recording = proxied
    store = built(settings)
    recording.clear()
    writes.update(store, settings, f"INSERT DATA {{ GRAPH <{orgs(settings)}> {{ <{ORG}sechenov-university> "
                                   f"<{ECO}address> [ <{ECO}city> \"Moscow\" ] }} }}")
    assert any(b"store/staging" in body for body in recording.updates()), "uploaded and switched, as a load"
    insert_institute(store, settings)  # and the mirror still serves the next write
    assert without_stats(settings, canonical(store)) == reference(settings, tmp_path)


def test_a_write_built_while_another_writer_published_is_not_applied(proxied: tuple[Settings, Recording],
                                                                     tmp_path: Path) -> None:
    """The update is conditioned on the generation the write copied: it never lands on a state it did not see."""
    settings, _recording = proxied
    store = built(settings)
    other_settings = settings.model_copy(update={"store_path": tmp_path / "other-store"})
    other = open_for_test(other_settings)
    triple = f"{INSTITUTE} <http://www.w3.org/2000/01/rdf-schema#label> \"late\"@en .\n"
    with store.new_generation(copy_current=True) as generation:
        generation.load(triple.encode(), "application/n-triples", graph=orgs(settings))
        generation.note_change(orgs(settings), triple.encode())
        generation.all_changes_noted()
        insert_institute(other, other_settings, "meanwhile")
        published = other.generation_id()
        with pytest.raises(StoreUnavailable, match="not applied"):
            generation.commit()
    assert store.generation_id() == published
    assert not store.ask(f"ASK {{ {INSTITUTE} ?p \"late\"@en }}")
    with store.new_generation(copy_current=True) as generation:  # a race seen before the write is journaled
        generation.load(triple.encode(), "application/n-triples", graph=orgs(settings))
        generation.note_change(orgs(settings), triple.encode())
        insert_institute(other, other_settings, "meanwhile-too")
        with pytest.raises(StoreUnavailable, match="not applied"):
            generation.all_changes_noted()
    insert_institute(store, settings)  # the next write copies the live dataset again and lands
    assert store.ask(f"ASK {{ {INSTITUTE} ?p ?o }}") and store.ask(f"ASK {{ <{ORG}meanwhile> ?p ?o }}")
    assert not store.ask(f"ASK {{ {INSTITUTE} ?p \"late\"@en }}")
