"""Writes of a serving process run in a process of their own: its event loop keeps answering reads meanwhile.

A write is mostly Python holding the interpreter lock: reading the update with the SPARQL grammar (rdflib), the
gate's and the reasoner's result rows, the journal. Run in a thread of the HTTP process, each of those stalls
every read the process is answering; in a child process they stall none. The child also keeps the writer's
workspace and the schema memo of :mod:`.writes` between writes.

One child per serving process (``serve`` forks its HTTP processes: each starts its own, after the fork), for the
embedded store; other backends write in a thread as before. The child gets the function's name and arguments down
a pipe, runs :mod:`.writes` on its own :class:`..store.GraphStore` over the same folder, and sends back the result
or the error, rebuilt in the parent as the same type with the same fields, so the web layer answers it as before.
The child runs at a lower CPU priority (``Settings.write_niceness``): on a machine whose cores the readers keep busy, a
write waits rather than a read. A child that dies (killed, out of memory) answers its write with
:class:`..errors.StoreUnavailable` and is started again at the next write; the journal and the generation swap
keep what it did atomic, as for any killed writer.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing as mp
import os
import threading
import weakref
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from .. import errors
from ..config import Settings
from ..errors import EcosystemGraphError, StoreUnavailable
from ..store import GraphStore

log = logging.getLogger(__name__)

#: the functions of :mod:`.writes` a child runs
WRITES = ("update", "replace_graph", "add_to_graph", "drop_graph")


class Writer:
    """Runs :mod:`.writes` functions for one store: in a child process (embedded store) or in a thread."""

    def __init__(self, store: GraphStore, settings: Settings):
        self.store, self.settings = store, settings
        self._in_child = settings.backend == "embedded" and settings.write_process
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._one_at_a_time = threading.Lock()  # a thread lock: the web layer may call from more than one loop
        self._starting = threading.Lock()

    async def run(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """``writes.<name>(store, settings, *args, **kwargs)``, one at a time per serving process."""
        assert name in WRITES, name
        if not self._in_child:
            from . import writes

            return await asyncio.to_thread(getattr(writes, name), self.store, self.settings, *args, **kwargs)
        return await asyncio.to_thread(self._call, name, args, kwargs)

    def start(self) -> None:
        """Start the child now (in the background of a server's start) rather than at the first write."""
        if self._in_child:
            threading.Thread(target=self._connection, daemon=True, name="ecosystem-graph-writer-start").start()

    def _connection(self) -> Connection:
        with self._starting:
            if self._process is None or not self._process.is_alive():
                context = mp.get_context("spawn")  # not fork: the HTTP process has threads and open stores
                parent, child = context.Pipe()
                process = context.Process(target=_main, args=(child, self.settings), daemon=True,
                                          name="ecosystem-graph-writer")
                process.start()
                child.close()
                self._process, self._conn = process, parent
                log.info("write process %s started", process.pid)
            assert self._conn is not None
            return self._conn

    def _call(self, name: str, args: tuple, kwargs: dict) -> Any:
        with self._one_at_a_time:
            return self._exchange(name, args, kwargs)

    def _exchange(self, name: str, args: tuple, kwargs: dict) -> Any:
        conn = self._connection()
        try:
            conn.send((name, args, kwargs))
            status, value = conn.recv()
        except (EOFError, OSError) as error:
            self._stop()
            raise StoreUnavailable(f"the write process died during the write ({error or 'no answer'}); "
                                   "the write was applied whole or not at all") from None
        if status == "ok":
            return value
        raise _rebuilt(value)

    def _stop(self) -> None:
        process, conn, self._process, self._conn = self._process, self._conn, None, None
        if conn is not None:
            conn.close()  # the child's recv sees the end of its pipe and returns
        if process is not None:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
                process.join(timeout=5)

    def close(self) -> None:
        with self._starting:
            self._stop()


def _rebuilt(value: tuple[str, tuple, dict]) -> Exception:
    """The child's error as the parent raises it: an error of the project's hierarchy with its fields, else a
    RuntimeError with the child's message (answered 500 and logged, as an unexpected error in a thread is)."""
    name, args, fields = value
    kind = getattr(errors, name, None)
    if isinstance(kind, type) and issubclass(kind, EcosystemGraphError):
        error = kind.__new__(kind)  # not __init__: some take other arguments than the message they keep
        error.args = args
        error.__dict__.update(fields)
        return error
    return RuntimeError(f"the write failed in the write process: {name}: {args[0] if args else ''}")


def _main(conn: Connection, settings: Settings) -> None:
    """The child: open the store over the same folder, then run each write sent down the pipe."""
    from ..store import open_store
    from . import writes

    os.nice(min(settings.write_niceness, 19))
    store = open_store(settings.model_copy(update={"query_workers": 0}))  # a write's reads run here, not in a pool
    try:
        while True:
            try:
                name, args, kwargs = conn.recv()
            except (EOFError, KeyboardInterrupt):
                return
            try:
                conn.send(("ok", getattr(writes, name)(store, settings, *args, **kwargs)))
            except Exception as error:  # every error goes back to the request that caused it
                if isinstance(error, EcosystemGraphError):
                    conn.send(("error", (type(error).__name__, error.args, dict(error.__dict__))))
                    continue
                log.exception("write %s failed", name)
                conn.send(("error", (type(error).__name__, tuple(str(a) for a in error.args), {})))
    finally:
        store.close()


# --- one writer per store and process --------------------------------------------------------------------
_writers: weakref.WeakKeyDictionary[GraphStore, tuple[int, Writer]] = weakref.WeakKeyDictionary()
_registry = threading.Lock()


def writer_for(store: GraphStore, settings: Settings) -> Writer:
    """This process's writer for ``store`` (a forked HTTP process gets its own, not its parent's)."""
    with _registry:
        known = _writers.get(store)
        if known is None or known[0] != os.getpid():
            known = (os.getpid(), Writer(store, settings))
            _writers[store] = known
        return known[1]


def close_writer(store: GraphStore) -> None:
    with _registry:
        known = _writers.pop(store, None)
    if known is not None and known[0] == os.getpid():
        known[1].close()
