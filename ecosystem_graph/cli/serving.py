"""``ecosystem-graph serve``: the web application under uvicorn, in one HTTP process or in several.

Several HTTP processes are forked from this one once it has imported everything and built the application, so
each is serving within milliseconds (uvicorn's own ``workers=`` spawns fresh interpreters that import it all
again). They share the listening socket, and each starts its own query processes when its lifespan begins. This
process only supervises: it replaces an HTTP process that dies, and SIGINT or SIGTERM stops them all.

Forking is safe because this process has no other thread and has never opened the store (RocksDB's background
threads would not exist in the children): ``serve`` checks whether the store needs a build in a child process
when it is to fork (:func:`start_child`), and starts no query worker here.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing import resource_tracker
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from socket import socket
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError

if TYPE_CHECKING:
    import uvicorn

    from ..config import Settings
    from ..store import GraphStore

log = logging.getLogger(__name__)

_fork = mp.get_context("fork")
#: uvicorn's exit code for a server that could not start (the app, the lifespan): not worth starting again
STARTUP_FAILURE = 3
#: an HTTP process that dies sooner than this after its start is replaced only this long after its start
RESTART_DELAY = 1.0


#: the most HTTP processes ``serve`` starts by itself: past that, the Python layer is not where the time goes
MAX_DEFAULT_PROCESSES = 8


def default_processes(settings: Settings) -> int:
    """HTTP processes for this machine: one per core (the Python layer is the limit of one process, about a fifth
    of what ``oxigraph serve`` answers), one for the memory store, which a forked process would not share."""
    if settings.backend == "memory":
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_DEFAULT_PROCESSES))


def describe_processes(settings: Settings, processes: int) -> str:
    """The choice, said at start: how many processes of each kind, and how to change it."""
    query = settings.query_workers if settings.backend == "embedded" else 0
    cores = os.cpu_count() or 1
    text = f"{processes} HTTP process{'es' if processes > 1 else ''}"
    if query:
        text += f" × {query} query process{'es' if query > 1 else ''}"
    return f"{text} on {cores} core{'s' if cores > 1 else ''} (--workers, ECOSYSTEM_GRAPH_QUERY_WORKERS to change)"


def check_free(host: str, port: int) -> None:
    """Fail before building or starting anything when ``host:port`` cannot be listened on (another server there,
    an address not of this machine). uvicorn would report it only after start-up, with exit code 3.

    :raises ConfigError: naming the address and the cause.
    """
    from socket import AF_INET, AF_INET6, SO_REUSEADDR, SOL_SOCKET

    family = AF_INET6 if ":" in host else AF_INET
    with socket(family) as probe:
        probe.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)  # as uvicorn binds: a port in TIME_WAIT is free
        try:
            probe.bind((host, port))
        except OSError as error:
            raise ConfigError(f"cannot listen on {host}:{port}: {error.strerror or error}"
                              " (another server there? choose --port)") from None


def run(settings: Settings, graph_store: GraphStore, *, workers: int, access_log: bool, log_level: str) -> None:
    """Serve ``graph_store`` with ``workers`` HTTP processes until SIGINT or SIGTERM."""
    import uvicorn

    from ..web.server_protocol import HttpToolsH2cProtocol
    from ..web.serving_app import ServingApp

    # httptools, mended to ignore the "Upgrade: h2c" that JDK clients (Jena) send (see server_protocol.py)
    # no WebSocket routes: ws="none" spares importing a WebSocket implementation before the first answer
    options: dict[str, Any] = {"host": settings.host, "port": settings.port, "access_log": access_log,
                               "http": HttpToolsH2cProtocol, "ws": "none", "log_level": log_level}
    app = ServingApp(settings, graph_store)  # answers SPARQL at once; the rest of the app is built meanwhile
    if workers == 1:
        uvicorn.run(app, **options)
        return
    graph_store.close()
    code = Supervisor(uvicorn.Config(app, **options), workers, first=lambda: open_soon(graph_store)).run()
    if code:
        sys.exit(code)


def start_child(function: Callable[[], None]) -> BaseProcess:
    """``function`` running in a forked process, started."""
    child = _fork.Process(target=function, name="ecosystem-graph-serve-check")
    child.start()
    return child


def exit_code(child: BaseProcess) -> int:
    """The exit code of ``child``, once it has ended."""
    child.join()
    code = child.exitcode or 0
    return code if code >= 0 else 1  # killed by a signal: a failure


def import_server() -> None:
    """Import what :func:`run` serves with (uvicorn, the serving application), ahead of it."""
    import uvicorn  # noqa: F401

    from ..web import server_protocol, serving_app  # noqa: F401


def open_soon(graph_store: GraphStore) -> None:
    """Read the store once in a thread, so that its files are open (a few tens of milliseconds) by the time the
    first request comes, not opened by it; an HTTP process calls this as soon as it is forked."""
    def read() -> None:
        try:
            graph_store.is_empty()  # the cheapest read of the interface: it opens what every query reads
        except Exception as error:  # the first request opens it again, and answers the cause
            log.debug("the store could not be read ahead of the first request: %s", error)

    threading.Thread(target=read, daemon=True, name="ecosystem-graph-open").start()


class Supervisor:
    """``processes`` forked HTTP processes on one listening socket; each calls ``first`` as soon as it is forked
    (``serve`` opens the store there, :func:`open_soon`; each process's query processes start after its first
    answer, web/serving_app.py, so that on a busy machine their start does not delay it)."""

    def __init__(self, config: uvicorn.Config, processes: int, first: Callable[[], None] = lambda: None):
        self.config = config
        self.processes = processes
        self.first = first
        self.children: list[BaseProcess] = []
        self._started: list[float] = []

    def run(self) -> int:
        """Serve until SIGINT or SIGTERM (0), or until an HTTP process fails to start (its exit code)."""
        if threading.active_count() > 1:  # pragma: no cover - a programming error, not a user's
            raise RuntimeError("HTTP processes are forked from a process with a single thread")
        self.config.load()  # import and wrap the application once, here
        self.config.get_loop_factory()  # and the event loop's module (uvloop), not in each HTTP process
        sock = self.config.bind_socket()
        # multiprocessing's resource tracker (a process, no thread), which the query pools would otherwise each
        # start for themselves: the HTTP processes inherit it
        resource_tracker.ensure_running()
        wake_r, wake_w = os.pipe()
        stopping: list[int] = []

        def stop(signum: int, _frame: object) -> None:
            stopping.append(signum)
            os.write(wake_w, b"\0")

        previous: dict[int, Any] = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        failed = 0
        try:
            for _ in range(self.processes):
                self._start(sock, previous, (wake_r, wake_w))
            said = False
            while not stopping and not failed:
                wait([*(c.sentinel for c in self.children if c.exitcode is None), wake_r], timeout=RESTART_DELAY)
                if not said:  # once they have had a moment: the first record imports rich (cli/console.py), whose
                    # import would take the CPU the HTTP processes' first answers need
                    log.info("started parent process [%d] of %d HTTP processes", os.getpid(), self.processes)
                    said = True
                failed = self._replace_dead(sock, previous, (wake_r, wake_w))
        finally:
            self._stop_all()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            os.close(wake_r)
            os.close(wake_w)
            sock.close()
        log.info("stopped parent process [%d]", os.getpid())
        return failed

    def _start(self, sock: socket, handlers: dict[int, Any], pipe: tuple[int, int], slot: int | None = None) -> None:
        child = _fork.Process(target=_serve, args=(self.config, sock, handlers, pipe, self.first),
                              name="ecosystem-graph-http")
        child.start()
        if slot is None:
            self.children.append(child)
            self._started.append(time.monotonic())
        else:
            self.children[slot] = child
            self._started[slot] = time.monotonic()

    def _replace_dead(self, sock: socket, handlers: dict[int, Any], pipe: tuple[int, int]) -> int:
        """Start a new process for each that died; the exit code of one that failed to start, else 0."""
        for slot, child in enumerate(self.children):
            if child.exitcode is None:
                continue
            if child.exitcode == STARTUP_FAILURE:
                log.error("HTTP process [%d] failed to start; stopping", child.pid)
                return STARTUP_FAILURE
            if time.monotonic() - self._started[slot] >= RESTART_DELAY:
                log.warning("HTTP process [%d] exited with %s; starting another", child.pid, child.exitcode)
                self._start(sock, handlers, pipe, slot)
        return 0

    def _stop_all(self) -> None:
        for child in self.children:
            if child.exitcode is None and child.pid is not None:
                os.kill(child.pid, signal.SIGTERM)
        deadline = time.monotonic() + (self.config.timeout_graceful_shutdown or 30) + 5
        for child in self.children:
            child.join(max(0.0, deadline - time.monotonic()))
            if child.exitcode is None:
                log.warning("HTTP process [%d] did not stop; killing it", child.pid)
                child.kill()
                child.join()


def _serve(config: uvicorn.Config, sock: socket, handlers: dict[int, Any], pipe: tuple[int, int],
           first: Callable[[], None]) -> None:
    """An HTTP process: the parent's signal handlers and wake-up pipe are not its own."""
    import uvicorn

    for sig, handler in handlers.items():
        signal.signal(sig, handler)
    for fd in pipe:
        os.close(fd)
    first()
    server = uvicorn.Server(config)
    server.run(sockets=[sock])
    if not server.started:
        sys.exit(STARTUP_FAILURE)
