"""One query process (started by :class:`.workers.QueryWorkers` through multiprocessing's fork server): it
answers the queries sent down its pipe, on the generation each names, until the pipe closes.

The fork server imports this module, pyoxigraph and the query engine before it forks any query process: nothing
else (no asyncio, no pydantic), so that it starts quickly beside the server's own start.
"""

from __future__ import annotations

import logging
import os
import time
from multiprocessing.connection import Connection

from ..errors import EcosystemGraphError

log = logging.getLogger(__name__)

#: seconds a query process waits before it reports ready: a knob for tests, which make the pool slow to start on
#: purpose to see the serving process answer point lookups without it
START_DELAY_ENV = "ECOSYSTEM_GRAPH_QUERY_WORKER_START_DELAY"


def main(conn: Connection, inferred_graph: str, max_bytes: int, generation: str | None = None, *,
         offline: bool = True) -> None:
    import pyoxigraph as ox

    from .engine import execute
    from .offline import cut_network

    if offline:  # before the first query: SERVICE and LOAD then fail inside the engine even if a check missed them
        cut_network()

    store = None
    opened: str | None = None
    if generation is not None:  # open the published generation now, not at the first query
        try:
            store = ox.Store.read_only(generation)
            opened = generation
        except Exception as error:  # gone or unreadable: the first query opens what it is asked for
            log.debug("query process could not open %s yet: %s", generation, error)
    delay = float(os.environ.get(START_DELAY_ENV) or 0)
    if delay > 0:
        time.sleep(delay)
    conn.send(("ready", None))  # imports done: from now on the process answers in query time
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
            assert store is not None  # opened above when the generation differs, or at start
            conn.send(("ok", execute(store, request, inferred_graph=inferred_graph, max_bytes=max_bytes)))
        except EcosystemGraphError as error:
            conn.send(("error", (type(error).__name__, str(error))))
        except Exception as error:  # reported to the parent, which logs it with the query as a 500
            conn.send(("crash", f"{type(error).__name__}: {error}"))
