"""Defence in depth: a query process cannot reach the network, even with a SERVICE or LOAD that no check stopped.

The queries here go to the store directly, past the endpoint's checks (:mod:`ecosystem_graph.syntax`), as if a
check were wrong. A listener on 127.0.0.1 sees whether anything connected. With federation allowed
(``allow_service``), the same query does connect: the test can tell the two apart.
"""

from __future__ import annotations

import pytest

from ecosystem_graph.config import Settings
from ecosystem_graph.errors import QueryError
from ecosystem_graph.store import QueryRequest
from ecosystem_graph.store.offline import cut_network

from ..support.listener import Listener
from .conftest import embedded_with

JSON = ["application/sparql-results+json"]
MANY = '<https://example.org/s> <https://example.org/p> "x" .\n'


def namespaces_available() -> bool:
    """Whether this machine lets a process leave the network (Linux, with CAP_SYS_ADMIN or user namespaces)."""
    import os

    pid = os.fork()
    if pid == 0:
        os._exit(0 if cut_network() else 1)
    return os.waitpid(pid, 0)[1] == 0


pytestmark = pytest.mark.skipif(not namespaces_available(), reason="no network namespaces on this machine")


@pytest.mark.parametrize("allow_service", [False, True], ids=["offline", "federation allowed"])
def test_a_query_process_cannot_connect_unless_federation_is_allowed(mini_settings: Settings,
                                                                    allow_service: bool) -> None:
    canary = Listener()
    try:
        configured = mini_settings.model_copy(update={"allow_service": allow_service})
        with embedded_with(configured, MANY, query_workers=1) as store:
            query = QueryRequest(f"SELECT * WHERE {{ ?s ?p ?o SERVICE <{canary.url}sparql> {{ ?a ?b ?c }} }}",
                                 accept=JSON)
            with pytest.raises(QueryError) as failed:
                store.query(query)
            canary_seen = bool(canary.connections) or _waited(canary)
        if allow_service:
            assert canary_seen, "with federation allowed the query process does call the service"
        else:
            assert not canary_seen, "an offline query process connected out"
            assert "unreachable" in str(failed.value).lower() or "network" in str(failed.value).lower(), \
                str(failed.value)
    finally:
        canary.close()


def _waited(canary: Listener) -> bool:
    import time

    time.sleep(0.3)
    return bool(canary.connections)
