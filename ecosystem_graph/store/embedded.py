"""The embedded pyoxigraph store: immutable generations on disk (or one in memory), swapped atomically.

Layout of ``store_dir``::

    CURRENT            name of the published generation (replaced with os.replace, so always whole)
    generations/<id>/  one RocksDB database per generation; the current and the previous one are kept
    write.lock         flock held by whoever builds a generation

    workspaces/<pid>-<n>/  a writing process's own copy of the current generation (see below)

A load builds ``generations/<new id>`` beside the current one and only then rewrites CURRENT, so a
reader sees the old data until the swap and a killed load leaves the old generation in place.

A write (a generation copied from the current one) is made in the writing process's *workspace*: a
read-write store that no reader opens, kept open from one write to the next while it equals the published
generation. The change, the gate and the reasoner run there; publishing is a RocksDB checkpoint of the
workspace into ``generations/<new id>`` (hard links) and the swap of CURRENT. Opening a copy for each write
and flushing it cost about four times the rest of a one-triple write. A workspace that falls behind (another
process published) is made again from the current generation; a rejected or failed write throws it away.
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox

from ..errors import ResultTooLarge, StoreUnavailable
from ..syntax.bounded import inline_text
from . import engine
from .base import GenerationBuilder, GraphStore, QueryOutput, QueryRequest
from .cache import ResultCache
from .workers import QueryWorkers

log = logging.getLogger(__name__)

_DUMP_BATCH = 20_000
#: the largest answer computed in the serving process (larger ones are streamed by a worker): a few ms of work
INLINE_MAX_BYTES = 256 * 1024
#: the LIMIT put on an answer computed here: a row takes at least 2 bytes (an empty CSV row), so an answer that
#: reaches it is over INLINE_MAX_BYTES and goes to a worker whole; it bounds the rows read, not only written
INLINE_MAX_ROWS = INLINE_MAX_BYTES // 2 + 1


def scratch_builder() -> GenerationBuilder:
    """A generation in memory that is never published: a workbench beside a real one (see
    :meth:`GenerationBuilder.difference`)."""
    return LocalBuilder(ox.Store(), "urn:x-ecosystem-graph:scratch-inferred", lambda _b: None, lambda _b: None)


class LocalBuilder(GenerationBuilder):
    """A generation under construction in a local pyoxigraph store (the remote backend builds in one too)."""

    def __init__(self, store: ox.Store, inferred_graph: str, on_commit, on_abort):
        self.store = store
        self._inferred_graph = inferred_graph
        self._on_commit = on_commit
        self._on_abort = on_abort
        self.done = False

    def load(self, data, media_type, *, path=None, graph=None, base_iri=None) -> None:
        engine.bulk_load(self.store, data, media_type, path=path, graph=graph, base_iri=base_iri)

    def update(self, sparql: str) -> None:
        engine.run_update(self.store, sparql)

    def query(self, request: QueryRequest) -> QueryOutput:
        return engine.execute(self.store, request, inferred_graph=self._inferred_graph, max_bytes=1 << 40,
                              whole=True)

    def export(self, media_type: str, *, graphs: list[str] | None = None) -> bytes:
        return engine.export(self.store, media_type, graphs=graphs)

    def difference(self, graph: str, other: GenerationBuilder, other_graph: str) -> tuple[bytes, bytes]:
        if not isinstance(other, LocalBuilder):
            raise TypeError("a difference is worked out between two local generations")
        return engine.difference(self.store, graph, other.store, other_graph)

    def commit(self) -> None:
        self.done = True
        self._on_commit(self)

    def abort(self) -> None:
        self.done = True
        self._on_abort(self)


class _ReadSide:
    """Shared by both variants: metadata reads over a pyoxigraph store."""

    def _reader(self) -> ox.Store:  # pragma: no cover - overridden
        raise NotImplementedError

    def graph_sizes(self) -> dict[str, int]:
        rows = self._reader().query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return {row["g"].value: int(row["n"].value) for row in rows}

    def is_empty(self) -> bool:
        try:
            return not bool(self._reader().query("ASK { GRAPH ?g { ?s ?p ?o } }"))
        except StoreUnavailable:
            return True

    def dump(self, media_type: str, *, graph: str | None = None) -> Iterator[bytes]:
        fmt = ox.RdfFormat.from_media_type(media_type)
        target = ox.NamedNode(graph) if graph else None
        quads = self._reader().quads_for_pattern(None, None, None, target)
        batch: list[ox.Quad | ox.Triple] = []
        for quad in quads:
            batch.append(quad.triple if graph else quad)
            if len(batch) >= _DUMP_BATCH:
                yield ox.serialize(batch, format=fmt)
                batch = []
        if batch or fmt == ox.RdfFormat.JSON_LD:
            yield ox.serialize(batch, format=fmt)


class MemoryStore(_ReadSide, GraphStore):
    """Everything in memory: for tests and throw-away use. Queries run in-process (no hard timeout)."""

    def __init__(self, base_iri: str, inferred_graph: str, *, max_bytes: int = 1 << 30):
        self.base_iri = base_iri
        self._inferred_graph = inferred_graph
        self._max_bytes = max_bytes
        self._store = ox.Store()
        self._built_at: float | None = None
        self._generation_id: str | None = None
        self._lock = threading.Lock()

    def _reader(self) -> ox.Store:
        return self._store

    def query(self, request: QueryRequest) -> QueryOutput:
        return engine.execute(self._store, request, inferred_graph=self._inferred_graph, max_bytes=self._max_bytes)

    @contextmanager
    def new_generation(self, *, copy_current: bool = False) -> Iterator[GenerationBuilder]:
        with self._lock:
            fresh = ox.Store()
            if copy_current:
                fresh.extend(self._store)

            def commit(builder: LocalBuilder) -> None:
                self._store = builder.store
                self._built_at = time.time()
                self._generation_id = builder.generation_id

            builder = LocalBuilder(fresh, self._inferred_graph, commit, lambda _b: None)
            builder.generation_id = f"memory-{uuid.uuid4().hex}"  # never reused: values are memoised by it
            yield builder
            if not builder.done:
                builder.abort()

    def built_at(self) -> float | None:
        return self._built_at

    def generation_id(self) -> str | None:
        return self._generation_id


class EmbeddedStore(_ReadSide, GraphStore):
    """pyoxigraph on disk with atomic generations; queries run in worker processes with hard timeouts."""

    def __init__(self, store_dir: Path, base_iri: str, inferred_graph: str, *, workers: int = 2,
                 max_bytes: int = 1 << 30, default_timeout: float = 30.0, cache_entries: int = 1024,
                 offline: bool = True):
        self.base_iri = base_iri
        self._offline = offline  # query processes cut off the network (:mod:`.offline`)
        self.store_dir = store_dir
        self._generations = store_dir / "generations"
        self._current_file = store_dir / "CURRENT"
        self._inferred_graph = inferred_graph
        self._max_bytes = max_bytes
        self._default_timeout = default_timeout
        self._worker_count = workers
        self._workers: Future[QueryWorkers] | None = None  # the pool, once it has started
        self._reader_store: ox.Store | None = None
        self._reader_path: str | None = None
        self._lock = threading.Lock()
        self._current = ""
        self._current_signature: tuple[int, int, int] | None = None
        self._cache = ResultCache(cache_entries)
        self._workspace: ox.Store | None = None  # the writer's workspace and the generation it equals
        self._workspace_of: str | None = None
        self._workspace_token = uuid.uuid4().hex[:8]
        self._collector: threading.Thread | None = None  # removing the generations a write made old

    # --- generations -------------------------------------------------------------------------------
    def current_path(self) -> str:
        """The published generation's folder. :raises StoreUnavailable: before the first load."""
        try:
            stat = os.stat(self._current_file)
        except FileNotFoundError:
            raise StoreUnavailable(f"no data loaded in {self.store_dir}; run `ecosystem-graph load`") from None
        signature = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        if signature != self._current_signature:  # CURRENT is replaced, never edited: a new inode means a swap
            name = self._current_file.read_text().strip()
            self._current = str(self._generations / name)
            self._current_signature = signature
        return self._current

    def built_at(self) -> float | None:
        """When the published generation was published (CURRENT's time, from the stat :meth:`current_path` makes)."""
        try:
            self.current_path()
        except StoreUnavailable:
            return None
        return self._current_signature[1] / 1e9 if self._current_signature else None

    def generation_id(self) -> str | None:
        """The published generation's name; read again only when CURRENT was swapped (asked on every request)."""
        try:
            return os.path.basename(self.current_path()) or None  # not a Path: this is asked on every request
        except StoreUnavailable:
            return None

    def published(self) -> tuple[str | None, float | None]:
        """Both from one look at CURRENT."""
        try:
            path = self.current_path()
        except StoreUnavailable:
            return None, None
        signature = self._current_signature
        return os.path.basename(path) or None, signature[1] / 1e9 if signature else None

    @contextmanager
    def _write_lock(self) -> Iterator[None]:
        self.store_dir.mkdir(parents=True, exist_ok=True)
        with open(self.store_dir / "write.lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    @contextmanager
    def new_generation(self, *, copy_current: bool = False) -> Iterator[GenerationBuilder]:
        with self._write_lock():
            self._generations.mkdir(parents=True, exist_ok=True)
            name = f"{time.time_ns():020d}-{os.getpid()}"
            path = self._generations / name
            if copy_current:
                builder = LocalBuilder(self._workspace_at(self.current_path()), self._inferred_graph,
                                       lambda b: self._publish_workspace(name), lambda b: self._drop_workspace())
            else:
                builder = LocalBuilder(ox.Store(str(path)), self._inferred_graph, lambda b: self._publish(b, name),
                                       lambda b: self._discard(b, path))
            builder.generation_id = name
            try:
                yield builder
            except BaseException:
                if not builder.done:
                    builder.abort()
                raise
            if not builder.done:
                builder.abort()

    def _publish(self, builder: LocalBuilder, name: str) -> None:
        # one compaction of what the bulk loader wrote (170 files at 100k triples, 33 after): every later
        # write checkpoints and removes a generation file by file (2 ms instead of 20 at 100k)
        builder.store.optimize()
        builder.store.flush()
        builder.store = None  # type: ignore[assignment]  # close RocksDB before readers open it
        self._swap_current(name)

    def _swap_current(self, name: str, *, collect_later: bool = False) -> None:
        """Publish generation ``name``. ``collect_later``: the older generations' files are removed by a thread,
        after the write is acknowledged (unlinking a generation's files is a fifth of a small write's time)."""
        try:
            previous: str | None = self._current_file.read_text().strip()
        except FileNotFoundError:
            previous = None
        tmp = self.store_dir / "CURRENT.tmp"
        with open(tmp, "w") as handle:
            handle.write(name + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self._current_file)
        dir_fd = os.open(self.store_dir, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        log.info("published generation %s", name)
        self._collect_garbage(name, previous)
        if not collect_later:
            self._empty_trash()
            return
        self._collector = threading.Thread(target=self._empty_trash, daemon=True,
                                           name="ecosystem-graph-remove-old-generations")
        self._collector.start()

    # --- the writer's workspace (held under the write lock) ---------------------------------------------
    def _workspace_at(self, current: str) -> ox.Store:
        """This process's workspace, equal to the published generation ``current``."""
        if self._workspace is not None and self._workspace_of == current:
            return self._workspace
        self._drop_workspace()
        folder = self._workspace_folder()
        folder.parent.mkdir(exist_ok=True)
        self._remove_abandoned_workspaces()
        ox.Store.read_only(current).backup(str(folder))  # RocksDB checkpoint: hard links
        self._workspace, self._workspace_of = ox.Store(str(folder)), current
        return self._workspace

    def _publish_workspace(self, name: str) -> None:
        assert self._workspace is not None
        path = self._generations / name
        try:
            self._workspace.backup(str(path))  # flushes what is in memory, then hard-links the files
        except BaseException:
            self._drop_workspace()
            shutil.rmtree(path, ignore_errors=True)
            raise
        self._swap_current(name, collect_later=True)
        self._workspace_of = str(path)

    def _drop_workspace(self) -> None:
        self._workspace, self._workspace_of = None, None  # closes RocksDB
        shutil.rmtree(self._workspace_folder(), ignore_errors=True)

    def _workspace_folder(self) -> Path:
        # the pid is read now, not at __init__: ``serve`` forks its HTTP processes from one store object
        return self.store_dir / "workspaces" / f"{os.getpid()}-{self._workspace_token}"

    def _remove_abandoned_workspaces(self) -> None:
        """The workspaces of processes that are gone (killed in a write, or stopped): nobody reads them."""
        for folder in (self.store_dir / "workspaces").glob("*"):
            pid = folder.name.split("-", 1)[0]
            if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
                shutil.rmtree(folder, ignore_errors=True)

    def _discard(self, builder: LocalBuilder, path: Path) -> None:
        builder.store = None  # type: ignore[assignment]
        shutil.rmtree(path, ignore_errors=True)
        log.info("discarded unfinished generation %s", path.name)

    def _collect_garbage(self, keep: str, previous: str | None) -> None:
        """Keep the new generation and the one it replaced (readers may still be on it); move the older ones,
        leftovers of killed loads included, to the trash (one rename each: removing their files is left to
        :meth:`_empty_trash`). Newer ones are left alone: another writer may be building one."""
        trash = self.store_dir / "trash"
        for folder in self._generations.iterdir():
            if folder.name < keep and folder.name != previous and folder.is_dir():
                trash.mkdir(exist_ok=True)
                os.replace(folder, trash / folder.name)

    def _empty_trash(self) -> None:
        """Remove what :meth:`_collect_garbage` moved out (a process killed meanwhile leaves it to the next)."""
        trash = self.store_dir / "trash"
        if trash.is_dir():
            for folder in trash.iterdir():
                shutil.rmtree(folder, ignore_errors=True)

    # --- reads -------------------------------------------------------------------------------------
    def _reader(self, path: str | None = None) -> ox.Store:
        path = path or self.current_path()
        with self._lock:
            if path != self._reader_path:
                self._reader_store = ox.Store.read_only(path)
                self._reader_path = path
            assert self._reader_store is not None
            return self._reader_store

    def query(self, request: QueryRequest) -> QueryOutput:
        if self._worker_count == 0:  # in-process: for one-shot CLI use, where spawning workers costs more
            return engine.execute(self._reader(), request, inferred_graph=self._inferred_graph,
                                  max_bytes=self._max_bytes)
        path = self.current_path()
        key = (path, request.cache_key())
        cached = self._cache.get(key)
        if cached is None:
            cached = self._inline(path, request) or self._pool().run(path, request,
                                                                      request.timeout or self._default_timeout)
            self._cache.put(key, cached)
        return cached

    async def aquery(self, request: QueryRequest) -> QueryOutput:
        if self._worker_count == 0:
            return await super().aquery(request)
        path = self.current_path()
        if not self._cache.enabled:  # no key to compute for a cache that keeps nothing
            return await self._ainline(path, request) or await (await self._apool()).arun(
                path, request, request.timeout or self._default_timeout)
        key = (path, request.cache_key())
        cached = self._cache.get(key)
        if cached is None:
            cached = await self._ainline(path, request) or await (await self._apool()).arun(
                path, request, request.timeout or self._default_timeout)
            self._cache.put(key, cached)
        return cached

    async def _ainline(self, path: str, request: QueryRequest) -> QueryOutput | None:
        """:meth:`_inline` from the event loop: a new generation is opened in a thread, while the loop serves on."""
        text = _inline_text(request)
        if text is None:
            return None
        if path != self._reader_path:
            await asyncio.to_thread(self._reader, path)
        return self._inline(path, request, text)

    def _inline(self, path: str, request: QueryRequest, text: str | None = None) -> QueryOutput | None:
        """The answer to a query bounded by its output (:mod:`.bounded`), computed here under a small byte
        limit: a point lookup costs less than the round trip to a worker. None: ask a worker."""
        text = text or _inline_text(request)
        if text is None:
            return None
        try:
            return engine.execute(self._reader(path), replace(request, sparql=text),
                                  inferred_graph=self._inferred_graph,
                                  max_bytes=min(self._max_bytes, INLINE_MAX_BYTES), whole=True)
        except ResultTooLarge:  # a long answer: a worker streams it under the full limit and the timeout
            return None

    def warm_up(self) -> None:
        """Start the query processes in the background; returns at once."""
        if self._worker_count:
            self._starting_pool()

    def _pool(self) -> QueryWorkers:
        return self._starting_pool().result()

    async def _apool(self) -> QueryWorkers:
        """The pool, awaited without blocking the event loop while its first process starts."""
        starting = self._starting_pool()
        return starting.result() if starting.done() else await asyncio.wrap_future(starting)

    def _starting_pool(self) -> Future[QueryWorkers]:
        """The pool, started in a thread at the first call (again after a failed start); it is ready when its first
        process is (:class:`QueryWorkers`)."""
        with self._lock:
            if self._workers is None or (self._workers.done() and self._workers.exception() is not None):
                self._workers = Future()
                threading.Thread(target=self._start_pool, args=(self._workers,), daemon=True,
                                 name="ecosystem-graph-query-pool").start()
            return self._workers

    def _start_pool(self, starting: Future[QueryWorkers]) -> None:
        try:
            starting.set_result(QueryWorkers(self._worker_count, inferred_graph=self._inferred_graph,
                                             max_bytes=self._max_bytes, generation=self._published,
                                             offline=self._offline))
        except BaseException as error:  # handed to the queries that wait for the pool (and tried again after)
            log.warning("the query processes did not start: %s: %s", type(error).__name__, error)
            starting.set_exception(error)

    def _published(self) -> str | None:
        try:
            return self.current_path()
        except StoreUnavailable:
            return None

    def close(self) -> None:
        with self._lock:
            starting, self._workers = self._workers, None
            self._reader_store = None
            self._reader_path = None
        if self._workspace is not None:
            with self._write_lock():
                self._drop_workspace()
        if self._collector is not None:
            self._collector.join(timeout=60)
        if starting is not None and starting.exception() is None:  # waits for a pool still starting
            starting.result().close()


def _inline_text(request: QueryRequest) -> str | None:
    """The text of a query the in-process lane answers (bounded by its output), or None."""
    return None if request.substitutions else inline_text(request.sparql, max_rows=INLINE_MAX_ROWS)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # somebody else's process
        return True
    return True
