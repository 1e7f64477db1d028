"""A throw-away generation on disk, for work on a whole graph in bounded memory (the reasoner's fixpoint).

An in-memory pyoxigraph store holds every quad in RAM (15 GB at 10M triples with their inferences), and
transactional SPARQL updates on disk buffer all they write until they commit. Here every write goes through the
bulk loader instead (:meth:`ScratchBuilder.construct_into`, :func:`copy_graphs`): it sorts a bounded batch at a time
into files RocksDB ingests, so memory stays flat whatever the size. Quads travel as terms, never re-parsed, so a
blank node keeps its identity between the scratch store and the generation. The folder is removed when done.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from ..errors import QueryError
from .base import GenerationBuilder
from .embedded import LocalBuilder


class ScratchBuilder(LocalBuilder):
    """A generation that is never published, in its own folder."""

    def construct_into(self, sparql: str, graphs: list[str], *, default_graphs: list[str],
                       named_graphs: list[str]) -> None:
        """Add the triples a CONSTRUCT query makes to each of ``graphs``, streamed into the bulk loader.

        The query reads a snapshot taken when it starts: what it writes is not seen by itself, as with the WHERE of
        an ``INSERT ... WHERE``.

        :raises QueryError: malformed query or failed evaluation.
        """
        try:
            triples = self.store.query(sparql, default_graph=[ox.NamedNode(g) for g in default_graphs],
                                       named_graphs=[ox.NamedNode(g) for g in named_graphs])
        except SyntaxError as error:
            raise QueryError(str(error)) from None
        if not isinstance(triples, ox.QueryTriples):
            raise QueryError("construct_into needs a CONSTRUCT query")
        names = [ox.NamedNode(g) for g in graphs]
        try:
            bulk_extend(self.store, (ox.Quad(t.subject, t.predicate, t.object, name) for t in triples
                                     for name in names))
        except (OSError, RuntimeError) as error:
            raise QueryError(f"query evaluation failed: {error}") from None


#: quads per call of the bulk loader: it holds a whole call's batch (per thread) in memory before writing it
BULK_BATCH = 250_000


def bulk_extend(store: ox.Store, quads: Iterable[ox.Quad]) -> None:
    """``store.bulk_extend`` a :data:`BULK_BATCH` at a time: its memory is then bounded by the batch, whatever the
    number of quads (left to itself it buffers a million quads per thread)."""
    iterator = iter(quads)
    while (first := next(iterator, None)) is not None:
        store.bulk_extend(itertools.chain((first,), itertools.islice(iterator, BULK_BATCH - 1)))


def _quads(source: GenerationBuilder, graphs: list[str], to_graph: ox.NamedNode,
           predicates: list[str] | None) -> Iterable[ox.Quad]:
    if isinstance(source, LocalBuilder):
        only = [ox.NamedNode(p) for p in predicates] if predicates is not None else [None]
        for graph in graphs:
            for predicate in only:
                for quad in source.store.quads_for_pattern(None, predicate, None, ox.NamedNode(graph)):
                    yield ox.Quad(quad.subject, quad.predicate, quad.object, to_graph)
    else:  # another backend's builder: through its serialisation, one graph at a time
        wanted = set(predicates) if predicates is not None else None
        for graph in graphs:
            for triple in ox.parse(source.export("application/n-triples", graphs=[graph]),
                                   format=ox.RdfFormat.N_TRIPLES):
                if wanted is None or triple.predicate.value in wanted:
                    yield ox.Quad(triple.subject, triple.predicate, triple.object, to_graph)


def copy_graphs(source: GenerationBuilder, graphs: list[str], target: GenerationBuilder, to_graph: str, *,
                predicates: list[str] | None = None) -> None:
    """Add the triples of ``graphs`` of ``source`` (only those of ``predicates``, when given) to ``to_graph`` of
    ``target``, streamed into the bulk loader."""
    quads = _quads(source, graphs, ox.NamedNode(to_graph), predicates)
    if isinstance(target, LocalBuilder):
        bulk_extend(target.store, quads)
        return
    batch: list[ox.Triple] = []
    for quad in quads:  # another backend's builder: loaded a bounded batch at a time
        batch.append(quad.triple)
        if len(batch) >= 100_000:
            target.load(ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES), "application/n-triples", graph=to_graph)
            batch = []
    if batch:
        target.load(ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES), "application/n-triples", graph=to_graph)


@contextmanager
def disk_scratch(beside: Path | None = None) -> Iterator[ScratchBuilder]:
    """A :class:`ScratchBuilder` in a new folder under ``beside`` (the system's temporary folder when None),
    removed on leaving, whatever happened."""
    if beside is not None:
        beside.mkdir(parents=True, exist_ok=True)
    folder = tempfile.mkdtemp(prefix="scratch-", dir=beside)
    builder = ScratchBuilder(ox.Store(folder), "urn:x-ecosystem-graph:scratch-inferred", lambda _b: None,
                             lambda _b: None)
    try:
        yield builder
    finally:
        builder.store = None  # type: ignore[assignment]  # close RocksDB before its files go
        shutil.rmtree(folder, ignore_errors=True)
