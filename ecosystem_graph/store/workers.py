"""Query worker processes: each opens the published generation read-only, so queries run on both cores
and a runaway query can really be stopped (its process is killed and replaced)."""

from __future__ import annotations

import logging
import multiprocessing as mp
import queue
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from .. import errors
from ..errors import EcosystemGraphError, QueryTimeout, StoreUnavailable
from .base import QueryOutput, QueryRequest

log = logging.getLogger(__name__)


def _worker_main(conn: Connection, inferred_graph: str, max_bytes: int) -> None:
    import pyoxigraph as ox

    from .engine import execute

    store = None
    opened: str | None = None
    while True:
        try:
            path, request = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        try:
            if path != opened:
                store = None  # close the old generation before opening the new one
                store = ox.Store.read_only(path)
                opened = path
            conn.send(("ok", execute(store, request, inferred_graph=inferred_graph, max_bytes=max_bytes)))
        except EcosystemGraphError as error:
            conn.send(("error", (type(error).__name__, str(error))))
        except Exception as error:  # reported to the parent, which logs it with the query as a 500
            conn.send(("crash", f"{type(error).__name__}: {error}"))


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection


class QueryWorkers:
    """A fixed-size pool of query processes with hard per-query timeouts."""

    def __init__(self, size: int, *, inferred_graph: str, max_bytes: int):
        self._context = mp.get_context("spawn")  # safe beside uvicorn's threads; fork is not
        self._inferred_graph = inferred_graph
        self._max_bytes = max_bytes
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(size):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_worker_main, args=(child, self._inferred_graph, self._max_bytes), daemon=True,
            name="ecosystem-graph-query",
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        with self._lock:
            self._all.append(worker)
        return worker

    def _replace(self, worker: _Worker) -> _Worker:
        worker.process.kill()
        worker.process.join(5)
        worker.conn.close()
        with self._lock:
            self._all.remove(worker)
        return self._spawn()

    def run(self, generation_path: str, request: QueryRequest, timeout: float) -> QueryOutput:
        """Run ``request`` on the generation at ``generation_path``.

        :raises QueryTimeout: no answer within ``timeout`` seconds (the worker is killed and replaced).
        """
        if self._closed:
            raise StoreUnavailable("the store is closed")
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise QueryTimeout(f"no query worker became free within {timeout:g} s") from None
        try:
            worker.conn.send((generation_path, request))
            if not worker.conn.poll(timeout):
                log.warning("query stopped after %.1f s: %.200s", timeout, request.sparql)
                worker = self._replace(worker)
                raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped")
            status, payload = worker.conn.recv()
        except (EOFError, BrokenPipeError, ConnectionResetError, OSError) as error:
            worker = self._replace(worker)
            raise StoreUnavailable(f"the query process died: {error}") from None
        finally:
            self._idle.put(worker)
        if status == "ok":
            return payload
        if status == "error":
            name, message = payload
            error_class = getattr(errors, name, EcosystemGraphError)
            raise error_class(message)
        raise RuntimeError(f"query process failed: {payload}")

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            worker.conn.close()
            worker.process.kill()
            worker.process.join(5)
