"""Query worker processes: each opens the published generation read-only, so queries run on both cores
and a runaway query can really be stopped (its process is killed and replaced).

Two ways in: :meth:`QueryWorkers.run` blocks (CLI, threads); :meth:`QueryWorkers.arun` awaits the
worker's pipe on the running event loop (the web layer), with no thread hand-off per query.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing as mp
import os
import pickle
import struct
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from .. import errors
from ..errors import EcosystemGraphError, QueryTimeout, StoreUnavailable
from . import worker_process
from .base import QueryOutput, QueryRequest

log = logging.getLogger(__name__)

#: seconds a new query process may take to start before it is given up
STARTUP_TIMEOUT = 120.0


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection


def _unpack(status: str, payload: object) -> QueryOutput:
    if status == "ok":
        assert isinstance(payload, QueryOutput)
        return payload
    if status == "error":
        name, message = payload  # type: ignore[misc]
        raise getattr(errors, name, EcosystemGraphError)(message)
    raise RuntimeError(f"query process failed: {payload}")


class QueryWorkers:
    """A fixed-size pool of query processes with hard per-query timeouts.

    The constructor returns once one process has started: the others join the pool as they come up, so the
    first queries are answered while they start. ``generation`` (called when a process starts) names the
    generation each new process opens before it reports ready; None when there is none yet.
    """

    def __init__(self, size: int, *, inferred_graph: str, max_bytes: int,
                 generation: Callable[[], str | None] | None = None, offline: bool = True):
        # forkserver: a clean single-threaded server (safe beside uvicorn's threads, unlike fork) forks each
        # worker with pyoxigraph already imported, so starting or replacing one takes milliseconds; spawn would
        # import it all again in every worker. (Each still imports the main module again, which cli.py keeps
        # light; the fork server imports worker_process and what it needs alone, so that it starts quickly.)
        self._context = mp.get_context("forkserver")
        self._context.set_forkserver_preload([worker_process.__name__, "pyoxigraph", "ecosystem_graph.store.engine"])
        self._inferred_graph = inferred_graph
        self._max_bytes = max_bytes
        self._offline = offline
        self._generation = generation or (lambda: None)
        self._lock = threading.Lock()
        self._free = threading.Condition(self._lock)
        self._idle: list[_Worker] = []
        self._async_waiters: deque[tuple[asyncio.AbstractEventLoop, asyncio.Future[_Worker]]] = deque()
        self._closed = False
        self._all: list[_Worker] = []
        first = self._spawn()
        self._await_ready(first)  # the first query's timeout starts once a process is ready
        self._release(first)
        if size > 1:  # the others start now (not beside the first, which they would slow down on a busy machine)
            threading.Thread(target=self._start_more, args=(size - 1,), daemon=True,
                             name="ecosystem-graph-query-start").start()

    # --- processes ------------------------------------------------------------------------------
    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=worker_process.main, args=(child, self._inferred_graph, self._max_bytes, self._generation()),
            kwargs={"offline": self._offline},
            daemon=True,
            name="ecosystem-graph-query",
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        self._all.append(worker)
        if self._closed:  # close() ran meanwhile, and may have missed it
            process.kill()
        return worker

    def _start_more(self, count: int) -> None:
        """Start ``count`` more processes, in parallel; each joins the pool once it has started."""
        started = [self._spawn() for _ in range(count) if not self._closed]
        for worker in started:
            self._release_when_ready(worker)

    def _replace(self, worker: _Worker) -> _Worker:
        worker.process.kill()
        worker.process.join(5)
        worker.conn.close()
        with self._lock:
            self._all.remove(worker)
            return self._spawn()

    def _await_ready(self, worker: _Worker) -> None:
        """Wait until a new process has started (interpreter, imports): never part of a query's time."""
        try:
            if worker.conn.poll(STARTUP_TIMEOUT):
                worker.conn.recv()
                return
        except (EOFError, OSError):
            pass
        if not self._closed:
            log.warning("query process %s did not start; it is replaced at its first query", worker.process.pid)
        worker.process.kill()  # so that its first query fails at once (StoreUnavailable) and replaces it

    def _release_when_ready(self, worker: _Worker) -> None:
        self._await_ready(worker)
        if not self._closed:
            self._release(worker)

    # --- lending workers out ------------------------------------------------------------------------
    def _acquire(self, timeout: float) -> _Worker:
        deadline = time.monotonic() + timeout
        with self._free:
            while not self._idle:
                if self._closed:
                    raise StoreUnavailable("the store is closed")
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._free.wait(remaining):
                    raise QueryTimeout(f"no query worker became free within {timeout:g} s")
            return self._idle.pop()

    async def _aacquire(self, timeout: float) -> _Worker:
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._closed:
                raise StoreUnavailable("the store is closed")
            if self._idle:
                return self._idle.pop()
            future: asyncio.Future[_Worker] = loop.create_future()
            self._async_waiters.append((loop, future))
        try:
            return await asyncio.wait_for(asyncio.shield(future), timeout)
        except TimeoutError:
            with self._lock:
                if future.done():  # handed over just as we gave up: give it back
                    self._release_locked(future.result())
                else:
                    future.cancel()
            raise QueryTimeout(f"no query worker became free within {timeout:g} s") from None

    def _release(self, worker: _Worker) -> None:
        with self._lock:
            self._release_locked(worker)

    def _release_locked(self, worker: _Worker) -> None:
        while self._async_waiters:
            loop, future = self._async_waiters.popleft()
            if not future.cancelled():
                loop.call_soon_threadsafe(_hand_over, future, worker, self)
                return
        self._idle.append(worker)
        self._free.notify()

    # --- running queries ----------------------------------------------------------------------------
    def run(self, generation_path: str, request: QueryRequest, timeout: float) -> QueryOutput:
        """Run ``request`` on the generation at ``generation_path``, blocking.

        :raises QueryTimeout: no answer within ``timeout`` seconds (the worker is killed and replaced).
        :raises StoreUnavailable: the worker process died.
        """
        worker = self._acquire(timeout)
        with self._lent(worker, request, timeout):
            worker.conn.send((generation_path, request))
            if not worker.conn.poll(timeout):
                raise TimeoutError
            status, payload = worker.conn.recv()
        return _unpack(status, payload)

    async def arun(self, generation_path: str, request: QueryRequest, timeout: float) -> QueryOutput:
        """As :meth:`run`, reading the worker's pipe on the running event loop (no thread per query)."""
        worker = await self._aacquire(timeout)
        with self._lent(worker, request, timeout):
            worker.conn.send((generation_path, request))
            status, payload = await _receive(worker.conn, timeout)
        return _unpack(status, payload)

    @contextmanager
    def _lent(self, worker: _Worker, request: QueryRequest, timeout: float) -> Iterator[None]:
        """Give ``worker`` back once its answer is read; kill and replace it when the query ran past the timeout,
        the process died, or the wait was given up half-way (its answer would be read by the next query)."""
        try:
            yield
        except TimeoutError:
            self._discard(worker, f"query stopped after {timeout:g} s: {request.sparql[:200]}")
            raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped") from None
        except (EOFError, OSError) as error:
            self._discard(worker, f"query process died: {error}")
            raise StoreUnavailable(f"the query process died: {error}") from None
        except BaseException:
            self._discard(worker, "query abandoned before its answer was read")
            raise
        self._release(worker)

    def _discard(self, worker: _Worker, reason: str) -> None:
        """Kill ``worker`` and start a fresh one, which joins the pool once it has started (if it were lent out
        at once, its start-up would count against the next query's timeout: with a short timeout on a busy
        machine, every query would kill a process still starting)."""
        log.warning("%s", reason)
        threading.Thread(target=self._release_when_ready, args=(self._replace(worker),), daemon=True,
                         name="ecosystem-graph-query-start").start()
        return None

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._free.notify_all()
        for worker in workers:
            worker.conn.close()
            worker.process.kill()
            worker.process.join(5)


async def _receive(conn: Connection, timeout: float) -> object:
    """One message from a multiprocessing pipe, read on the running event loop.

    ``Connection.recv`` would block the loop, so the frame is read here from the loop's readiness callbacks:
    a 4-byte big-endian length (``-1`` then an 8-byte length for frames over 2 GiB), then the pickle, as
    ``Connection.send`` writes it. Reading only when the pipe is readable, a small answer takes one read.

    :raises TimeoutError: no whole message within ``timeout`` seconds.
    :raises EOFError: the process closed its end (it died).
    """
    loop = asyncio.get_running_loop()
    fd = conn.fileno()
    done: asyncio.Future[object] = loop.create_future()
    frame = _Frame()

    def on_readable() -> None:
        if done.done():
            return
        try:
            chunk = os.read(fd, 1 << 20)
        except BlockingIOError:  # woken with nothing to read after all
            return
        except OSError as error:
            done.set_exception(error)
            return
        if not chunk:
            done.set_exception(EOFError("the query process closed its pipe"))
        elif frame.feed(chunk):
            done.set_result(frame.body)

    def on_timeout() -> None:
        if not done.done():
            done.set_exception(TimeoutError())

    loop.add_reader(fd, on_readable)
    timer = loop.call_later(timeout, on_timeout)
    try:
        return pickle.loads(await done)
    finally:
        timer.cancel()
        loop.remove_reader(fd)
        os.set_blocking(fd, True)  # uvloop made it non-blocking; blocking readers (QueryWorkers.run) share it


class _Frame:
    """The bytes of one ``Connection.send`` frame, fed as they arrive."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.header = 0
        self.size = -1

    def feed(self, chunk: bytes) -> bool:
        """Add ``chunk``; whether the frame is now whole."""
        self.buffer += chunk
        if self.size < 0:
            if len(self.buffer) < 4:
                return False
            (size,) = struct.unpack_from("!i", self.buffer)
            if size == -1:
                if len(self.buffer) < 12:
                    return False
                (size,) = struct.unpack_from("!Q", self.buffer, 4)
                self.header = 12
            else:
                self.header = 4
            self.size = size
        return len(self.buffer) >= self.header + self.size

    @property
    def body(self) -> memoryview:
        return memoryview(self.buffer)[self.header:self.header + self.size]


def _hand_over(future: asyncio.Future[_Worker], worker: _Worker, pool: QueryWorkers) -> None:
    if future.cancelled():
        pool._release(worker)
    else:
        future.set_result(worker)
