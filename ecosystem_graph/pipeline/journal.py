"""Every accepted write, recorded before it is acknowledged, so that no ``load`` or restart can lose it.

The journal is a folder of the project (``changes/`` by default, ``ECOSYSTEM_GRAPH_CHANGES_PATH``), one file per
write, numbered in order, in standard, human-readable forms a curator can read and ``git diff``:

* ``NNNNNN.rdfp`` — an `RDF Patch <https://afs.github.io/rdf-patch/>`_ (the change format of Jena RDF Delta): the
  triples the write removed (``D``) and added (``A``), each with its graph, in one transaction (``TX`` … ``TC``);
  the writes that state their change (``INSERT DATA``/``DELETE DATA``, Graph Store POST, PUT, DELETE);
* ``NNNNNN.ru`` — the SPARQL Update text itself, for an update of any other form (``DELETE … WHERE`` …).

A file is written to a temporary name, flushed to disk and renamed (then the folder is flushed), so a crash leaves
a whole entry or none. ``load`` replays the entries on top of the source files, in order (:func:`replay`); an
entry whose deletions no longer apply, because a later edit of the files removed those triples, is reported, not
dropped.
"""

from __future__ import annotations

import logging
import os
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..config import Settings
from ..errors import SourceError
from ..sources.files import discover
from ..store import GenerationBuilder, QueryRequest
from ..vocab import inferred_graph_iri
from .delta import Delta

log = logging.getLogger(__name__)

#: (graph, N-Triples) -> how many of those triples the source files hold in that graph
GraphLookup = Callable[[str, bytes], int]
_NAME = re.compile(r"^(\d{6})\.(rdfp|ru)$")


@dataclass(frozen=True)
class Entry:
    """One recorded write."""

    number: int
    path: Path

    @property
    def kind(self) -> str:
        return "patch" if self.path.suffix == ".rdfp" else "update"


@dataclass
class Replayed:
    """What replaying the journal did: the entries applied, and what no longer applied, in words."""

    entries: int = 0
    conflicts: list[str] = field(default_factory=list)


class Journal:
    """The journal folder of one project."""

    def __init__(self, folder: Path):
        self.folder = folder

    def entries(self) -> list[Entry]:
        """The recorded writes, oldest first."""
        if not self.folder.is_dir():
            return []
        found = [(int(m.group(1)), path) for path in self.folder.iterdir() if (m := _NAME.match(path.name))]
        return [Entry(number, path) for number, path in sorted(found)]

    @property
    def squashed_folder(self) -> Path:
        """Where ``changes squash`` moves the entries it wrote into the source files (``pipeline/squash.py``)."""
        return self.folder / "squashed"

    def _last_number(self) -> int:
        """The highest number used, squashed entries included, so that a new entry never reuses a name."""
        numbers = [entry.number for entry in self.entries()]
        if self.squashed_folder.is_dir():
            numbers += [int(m.group(1)) for path in self.squashed_folder.iterdir() if (m := _NAME.match(path.name))]
        return max(numbers, default=0)

    def record_patch(self, records: list[tuple[str, str, bytes]]) -> Entry | None:
        """Record a stated change (from :attr:`.delta.Delta.records`); nothing when it changed nothing."""
        if not records:
            return None
        lines = [f"H id <uuid:{uuid.uuid4()}> .", f'H created "{datetime.now(UTC).isoformat()}" .', "TX ."]
        for kind, graph, triples in records:
            for line in triples.decode("utf-8").splitlines():
                if line.strip():
                    lines.append(f"{kind} {line.rstrip().removesuffix('.').rstrip()} <{graph}> .")
        lines.append("TC .")
        return self._write("rdfp", "\n".join(lines) + "\n")

    def record_update(self, sparql: str) -> Entry:
        """Record an update that does not state its change, as its text."""
        header = f"# ecosystem-graph write {uuid.uuid4()} at {datetime.now(UTC).isoformat()}\n"
        return self._write("ru", header + sparql.rstrip() + "\n")

    def _write(self, suffix: str, text: str) -> Entry:
        self.folder.mkdir(parents=True, exist_ok=True)
        number = self._last_number() + 1
        path = self.folder / f"{number:06d}.{suffix}"
        partial = self.folder / f".{path.name}.partial"
        with partial.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
        directory = os.open(self.folder, os.O_RDONLY)
        try:
            os.fsync(directory)  # the rename itself survives a crash
        finally:
            os.close(directory)
        log.info("recorded write %s", path.name)
        return Entry(number, path)


def patch_steps(entry: Entry) -> list[tuple[str, str, bytes]]:
    """An RDF Patch entry as (``A``/``D``, graph, N-Triples) groups, in order.

    :raises SourceError: a line that is not one this journal writes (names file and line).
    """
    groups: list[tuple[str, str, bytes]] = []
    for number, line in enumerate(entry.path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith(("H ", "TX", "TC", "#")):
            continue
        kind, _, rest = line.partition(" ")
        head, _, graph = rest.removesuffix(" .").rpartition(" ")  # the graph is always an IRI: no space in it
        if kind not in ("A", "D") or not (graph.startswith("<") and graph.endswith(">")) or not head:
            raise SourceError(entry.path, "not an A or D line of a quad", line=number)
        triple = (head + " .\n").encode()
        if groups and groups[-1][0] == kind and groups[-1][1] == graph[1:-1]:
            groups[-1] = (kind, groups[-1][1], groups[-1][2] + triple)
        else:
            groups.append((kind, graph[1:-1], triple))
    return groups


def replay(journal: Journal, generation: GenerationBuilder, delta: Delta) -> Replayed:
    """Apply every entry to ``generation`` in order (the source files loaded, nothing checked yet).

    :raises SourceError: an entry cannot be read. :raises QueryError: a recorded update no longer runs.
    """
    done = Replayed()
    for entry in journal.entries():
        if entry.kind == "update":
            generation.update(entry.path.read_text(encoding="utf-8"))
        else:
            for kind, graph, triples in patch_steps(entry):
                before = len(delta.records)
                if kind == "A":
                    delta.add_document(generation, triples, "application/n-triples", graph=graph)
                else:
                    delta.remove_document(generation, triples, graph=graph)
                applied = sum(len(t.splitlines()) for _k, _g, t in delta.records[before:])
                wanted = len(triples.splitlines())
                if kind == "D" and applied < wanted:
                    done.conflicts.append(f"{entry.path.name}: {wanted - applied} of {wanted} deletions from <{graph}> "
                                          "no longer apply: the files no longer hold those triples")
        done.entries += 1
    for conflict in done.conflicts:
        log.warning("%s", conflict)
    return done


@dataclass(frozen=True)
class Status:
    """Where one recorded write stands against the curated files."""

    entry: Entry
    added: int
    removed: int
    #: "in the files" (a curator has written it into them), "pending", or "update" (its text: no quads to compare)
    state: str


def statuses(journal: Journal, files_holding: GraphLookup) -> list[Status]:
    """Each entry, with whether the source files already say what it changed. ``files_holding(graph, triples)``
    answers, for the triples of one graph, how many of them the source files hold."""
    found = []
    for entry in journal.entries():
        if entry.kind == "update":
            found.append(Status(entry, 0, 0, "update"))
            continue
        added = removed = 0
        in_files = True
        for kind, graph, triples in patch_steps(entry):
            count = len(triples.splitlines())
            held = files_holding(graph, triples)
            if kind == "A":
                added += count
                in_files &= held == count
            else:
                removed += count
                in_files &= held == 0
        found.append(Status(entry, added, removed, "in the files" if in_files else "pending"))
    return found


def files_lookup(settings: Settings) -> GraphLookup:
    """A :data:`GraphLookup` over the source files as they are now: each file parsed once, when first asked about.

    :raises SourceError: a source file does not parse.
    """
    from ..store.embedded import MemoryStore

    by_graph = {f.graph: f for f in discover(settings.source_paths, project_dir=settings.project_dir,
                                             base_iri=settings.base_iri)}
    store = MemoryStore(settings.base_iri, inferred_graph_iri(settings.base_iri))
    loaded: set[str] = set()

    def holding(graph: str, triples: bytes) -> int:
        with store.new_generation(copy_current=True) as generation:
            if graph in by_graph and graph not in loaded:
                source = by_graph[graph]
                generation.load(None, source.media_type, path=str(source.path), graph=graph,
                                base_iri=settings.base_iri)
            generation.load(triples, "application/n-triples", graph=_ASKED)
            rows = generation.query(QueryRequest(
                f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{_ASKED}> {{ ?s ?p ?o }} GRAPH <{graph}> {{ ?s ?p ?o }} }}",
                accept=["application/sparql-results+json"])).rows()
            generation.update(f"DROP SILENT GRAPH <{_ASKED}>")
            generation.commit()
        loaded.add(graph)
        return int(rows[0]["n"]["value"])

    return holding


_ASKED = "urn:x-ecosystem-graph:journal:asked"
