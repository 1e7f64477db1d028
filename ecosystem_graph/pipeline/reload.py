"""``load`` after an edit: only the graphs of the files that changed, checked and reasoned on what changed.

After every load the state it loaded is written beside the store (``sources.json``: the generation, each source
file's SHA-256, the journal entries replayed, the settings that shape the data). The next ``load`` compares: when
only data files changed (or appeared, or went), it copies the current generation and replaces each changed graph by
its new content (the file, with the journaled writes to that graph applied on top) as a change — the triples that
left and the ones that came (:class:`.delta.Delta`) — so the SHACL gate checks the nodes they touch and the reasoner
follows them, as for a write. Anything else (an ontology or shapes file changed, a dataset file such as TriG, a
journal entry that is an update text, other settings, another generation than the one recorded) is a full load.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

from ..config import Settings
from ..reasoning.materialise import stats_graph_iri
from ..search.follow import changed_resources
from ..search.following import following
from ..sources.files import SourceFile
from ..store import GenerationBuilder, GraphStore, QueryRequest, scratch_builder
from ..store.formats import DATASET_MEDIA_TYPES
from ..vocab import inferred_graph_iri
from .delta import SCRATCH, Delta
from .journal import Journal, patch_steps
from .publish import Progress, gate_and_reason

log = logging.getLogger(__name__)

STATE_FILE = "sources.json"
_NEW = SCRATCH + "new"


@dataclass(frozen=True)
class State:
    """What the published generation was loaded from."""

    generation: str | None
    files: dict[str, str]  # relative path -> SHA-256
    journal: list[str]  # entry names, in order
    shape: str  # the settings that shape the data

    @classmethod
    def of(cls, store: GraphStore, files: list[SourceFile], journal: Journal, settings: Settings) -> State:
        return cls(store.generation_id(), {str(f.relative): _sha256(f.path) for f in files},
                   [e.path.name for e in journal.entries()], _shape(settings))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _shape(settings: Settings) -> str:
    return json.dumps([settings.base_iri, settings.reasoning, settings.validate_shapes, settings.shacl_engine])


def state_path(settings: Settings) -> Path:
    return settings.store_dir / STATE_FILE


def save(settings: Settings, state: State) -> None:
    """Record ``state`` (written to a temporary name and renamed: old or new, never half)."""
    path = state_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(json.dumps(state.__dict__, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(partial, path)


def after_write(settings: Settings, store: GraphStore, copied_from: str | None, entry: str) -> None:
    """A write published a generation copied from ``copied_from`` with journal entry ``entry``: when the recorded
    state was that generation's, it is this one's now (so the next ``load`` stays incremental)."""
    before = recorded(settings)
    if before is not None and before.generation is not None and before.generation == copied_from:
        save(settings, State(store.generation_id(), before.files, [*before.journal, entry], before.shape))


def recorded(settings: Settings) -> State | None:
    try:
        return State(**json.loads(state_path(settings).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


@dataclass(frozen=True)
class Plan:
    """The data files whose graphs change (the file as it is now, or None: gone) and the journal entries to add."""

    changed: dict[str, SourceFile | None]  # graph -> file
    new_entries: list[str]


def plan(store: GraphStore, files: list[SourceFile], journal: Journal, settings: Settings) -> Plan | None:
    """What an incremental load has to do, or None when it must be a full one."""
    before, now = recorded(settings), State.of(store, files, journal, settings)
    if before is None or before.generation is None or before.generation != now.generation \
            or before.shape != now.shape or now.journal[: len(before.journal)] != before.journal:
        return None
    by_relative = {str(f.relative): f for f in files}
    changed: dict[str, SourceFile | None] = {}
    for relative in set(before.files) | set(now.files):
        if before.files.get(relative) == now.files.get(relative):
            continue
        source = by_relative.get(relative)
        if relative.startswith("ontology/") or (source is not None and source.media_type in DATASET_MEDIA_TYPES):
            return None  # the schema, the shapes, or a file of several graphs
        if source is None:
            return None  # a removed file: its graph name is not recorded, so rebuild
        changed[source.graph] = source
    if any(e.kind == "update" for e in journal.entries()):
        return None  # an update's text says no quads: a graph's new content cannot be told without running it
    return Plan(changed, [e.path.name for e in journal.entries() if e.path.name not in set(before.journal)])


def apply(store: GraphStore, settings: Settings, files: list[SourceFile], todo: Plan, *,
          seconds: dict[str, float], progress: Progress, conflicts: list[str]) -> dict[str, int]:
    """Publish a generation with ``todo`` applied as a change; returns the inferred triples per rule and adds to
    ``conflicts`` the recorded deletions that the edited files make void."""
    journal = Journal(settings.changes_dir)
    copied_from = store.generation_id()
    with store.new_generation(copy_current=True) as generation:
        started = time.perf_counter()
        delta = Delta(excluded=(inferred_graph_iri(settings.base_iri), stats_graph_iri(settings.base_iri)),
                      based_on=copied_from)
        for graph, source in todo.changed.items():
            progress(f"reload {source.relative if source else graph}", 0, 1)
            conflicts += _replace(generation, delta, graph, source, journal, settings)
        for entry in (e for e in journal.entries() if e.path.name in todo.new_entries):
            for kind, graph, triples in patch_steps(entry):
                if kind == "A":
                    delta.add_document(generation, triples, "application/n-triples", graph=graph)
                else:
                    delta.remove_document(generation, triples, graph=graph)
        seconds["apply the change"] = time.perf_counter() - started
        inferred = gate_and_reason(generation, files, settings, seconds=seconds, progress=progress, delta=delta)
        started = time.perf_counter()
        touched = changed_resources(generation, [delta.added, delta.removed])
        delta.drop(generation)
        with following(store, generation, settings, previous=copied_from, iris=touched):
            seconds["search index"] = time.perf_counter() - started
            generation.all_changes_noted()  # the remote backend then sends just the change
            generation.commit()
    save(settings, State.of(store, files, journal, settings))
    return inferred


def _replace(generation: GenerationBuilder, delta: Delta, graph: str, source: SourceFile | None, journal: Journal,
             settings: Settings) -> list[str]:
    """Make ``graph`` hold the file's triples with the journaled writes to it on top, as a change; returns the
    recorded deletions that no longer apply (the file does not hold those triples any more)."""
    conflicts = []
    side = scratch_builder()  # the new content is put together in memory: the generation sees only the change
    if source is not None:
        side.load(None, source.media_type, path=str(source.path), graph=_NEW, base_iri=settings.base_iri)
    for entry in journal.entries():
        if entry.kind != "patch":
            continue
        for kind, target, triples in patch_steps(entry):
            if target != graph:
                continue
            scratch = SCRATCH + "entry"
            side.load(triples, "application/n-triples", graph=scratch)
            if kind == "D":
                held = _count(side, f"GRAPH <{scratch}> {{ ?s ?p ?o }} GRAPH <{_NEW}> {{ ?s ?p ?o }}")
                if held < len(triples.splitlines()):
                    conflicts.append(f"{entry.path.name}: {len(triples.splitlines()) - held} of "
                                     f"{len(triples.splitlines())} deletions from <{graph}> no longer apply: the "
                                     "files no longer hold those triples")
            verb = "INSERT" if kind == "A" else "DELETE"
            side.update(f"{verb} {{ GRAPH <{_NEW}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{scratch}> {{ ?s ?p ?o }} }}"
                        f" ; DROP SILENT GRAPH <{scratch}>")
    leaving, coming = generation.difference(graph, side, _NEW)
    if b"_:" in leaving:  # a blank node read back would be a new node: compare inside the generation instead
        generation.update(f"DROP SILENT GRAPH <{_NEW}>")
        generation.load(side.export("application/n-triples", graphs=[_NEW]), "application/n-triples", graph=_NEW)
        delta.replace_graph(generation, graph, _NEW)
        return conflicts
    if leaving.strip():
        delta.remove_document(generation, leaving, graph=graph)
    if coming.strip():
        delta.add_document(generation, coming, "application/n-triples", graph=graph)
    return conflicts


def _count(generation: GenerationBuilder, pattern: str) -> int:
    rows = generation.query(QueryRequest(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}",
                                         accept=["application/sparql-results+json"])).rows()
    return int(rows[0]["n"]["value"])
