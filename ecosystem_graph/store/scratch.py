"""A throw-away generation on disk, for work on a whole graph in bounded memory (the reasoner's fixpoint).

An in-memory pyoxigraph store holds every quad in RAM (15 GB at 10M triples with their inferences), and
transactional SPARQL updates on disk buffer all they write until they commit. Here every write goes through the
bulk loader instead (:meth:`ScratchBuilder.construct_into`, :func:`copy_graphs`): it sorts a bounded batch at a time
into files RocksDB ingests, so memory stays flat whatever the size.

Triples travel as N-Triples through a file in the scratch folder: pyoxigraph writes a query's result there and the
bulk loader parses it back :data:`BULK_BATCH` lines at a time, so no Python code runs per triple (a Python object
per term and quad was most of the reasoning step). The bulk loader gives every blank node it parses a new
identity, so the few lines with a blank node are parsed as terms (:func:`pyoxigraph.parse` keeps the label, hence
the node) and added as such. The folder is removed when done.
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

_NT = ox.RdfFormat.N_TRIPLES
_NT_TYPE = "application/n-triples"

#: quads per call of the bulk loader: it holds a whole call's batch (per thread) in memory before writing it
BULK_BATCH = 250_000

#: (generation, graph): another place the triples of :meth:`ScratchBuilder.construct_into` go to
Mirror = tuple[GenerationBuilder, str]


class ScratchBuilder(LocalBuilder):
    """A generation that is never published, in its own folder (``folder``, where transit files go too)."""

    folder: Path

    def construct_into(self, sparql: str, graphs: list[str], *, default_graphs: list[str],
                       named_graphs: list[str], mirror: Mirror | None = None) -> None:
        """Add the triples a CONSTRUCT query makes to each of ``graphs`` and to ``mirror``, through the bulk loader.

        The query is evaluated whole before anything is written: what it writes is not seen by itself, as with
        the WHERE of an ``INSERT ... WHERE``.

        :raises QueryError: malformed query or failed evaluation.
        """
        try:
            triples = self.store.query(sparql, default_graph=[ox.NamedNode(g) for g in default_graphs],
                                       named_graphs=[ox.NamedNode(g) for g in named_graphs])
        except SyntaxError as error:
            raise QueryError(str(error)) from None
        if not isinstance(triples, ox.QueryTriples):
            raise QueryError("construct_into needs a CONSTRUCT query")
        targets: list[Mirror] = [(self, g) for g in graphs] + ([mirror] if mirror else [])
        try:
            transit = self.folder / "transit.nt"
            triples.serialize(str(transit), _NT)
            load_file(transit, targets)
        except (OSError, RuntimeError) as error:
            raise QueryError(f"query evaluation failed: {error}") from None


def bulk_extend(store: ox.Store, quads: Iterable[ox.Quad]) -> None:
    """``store.bulk_extend`` a :data:`BULK_BATCH` at a time: its memory is then bounded by the batch, whatever the
    number of quads (left to itself it buffers a million quads per thread)."""
    iterator = iter(quads)
    while (first := next(iterator, None)) is not None:
        store.bulk_extend(itertools.chain((first,), itertools.islice(iterator, BULK_BATCH - 1)))


def load_file(path: Path, targets: list[Mirror]) -> None:
    """Add the triples of the N-Triples file (one a line, as pyoxigraph writes it) to every (generation, graph),
    :data:`BULK_BATCH` lines at a time; the lines with a blank node (``_:``, maybe in a literal) as terms."""
    with path.open("rb") as file:
        while chunk := b"".join(itertools.islice(file, BULK_BATCH)):
            blank = b""
            if b"_:" in chunk:
                lines = chunk.splitlines(keepends=True)
                chunk = b"".join(line for line in lines if b"_:" not in line)
                blank = b"".join(line for line in lines if b"_:" in line)
            for builder, graph in targets:
                if chunk:
                    builder.load(chunk, _NT_TYPE, graph=graph)
                if blank:
                    add_terms(builder, graph, (quad.triple for quad in ox.parse(blank, format=_NT)))


def add_terms(target: GenerationBuilder, graph: str, triples: Iterable[ox.Triple]) -> None:
    """Add triples as terms (blank nodes keep their identity in a local store), a bounded batch at a time."""
    name = ox.NamedNode(graph)
    if isinstance(target, LocalBuilder):
        bulk_extend(target.store, (ox.Quad(t.subject, t.predicate, t.object, name) for t in triples))
        return
    iterator = iter(triples)  # another backend's builder: through its serialisation
    while batch := list(itertools.islice(iterator, 100_000)):
        target.load(ox.serialize(batch, format=_NT), _NT_TYPE, graph=graph)


def copy_graphs(source: GenerationBuilder, graphs: list[str], target: GenerationBuilder, to_graph: str, *,
                predicates: list[str] | None = None, folder: Path | None = None) -> None:
    """Add the triples of ``graphs`` of ``source`` (only those of ``predicates``, when given) to ``to_graph`` of
    ``target``, through the bulk loader (via an N-Triples file in ``folder``, the system's temporary folder when
    None, when ``source`` is local)."""
    if not graphs or predicates == []:
        return
    if not isinstance(source, LocalBuilder):  # another backend's builder: through its serialisation, a graph at a time
        wanted = set(predicates) if predicates is not None else None
        for graph in graphs:
            triples = (q.triple for q in ox.parse(source.export(_NT_TYPE, graphs=[graph]), format=_NT))
            add_terms(target, to_graph, (t for t in triples if wanted is None or t.predicate.value in wanted))
        return
    only = f"VALUES ?p {{ {' '.join(f'<{p}>' for p in predicates)} }} " if predicates is not None else ""
    result = source.store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {only}?s ?p ?o }}",
                                default_graph=[ox.NamedNode(g) for g in graphs])
    if not isinstance(result, ox.QueryTriples):  # for the type checker: a CONSTRUCT query gives triples
        raise QueryError("copy_graphs: the copy query gave no triples")
    with tempfile.TemporaryDirectory(dir=folder) as transit_dir:
        transit = Path(transit_dir) / "transit.nt"
        result.serialize(str(transit), _NT)
        load_file(transit, [(target, to_graph)])


@contextmanager
def disk_scratch(beside: Path | None = None) -> Iterator[ScratchBuilder]:
    """A :class:`ScratchBuilder` in a new folder under ``beside`` (the system's temporary folder when None),
    removed on leaving, whatever happened."""
    if beside is not None:
        beside.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="scratch-", dir=beside))
    builder = ScratchBuilder(ox.Store(str(folder / "store")), "urn:x-ecosystem-graph:scratch-inferred",
                             lambda _b: None, lambda _b: None)
    builder.folder = folder
    try:
        yield builder
    finally:
        builder.store = None  # type: ignore[assignment]  # close RocksDB before its files go
        shutil.rmtree(folder, ignore_errors=True)
