"""A real uvicorn server on a free loopback port, in a background thread, for tests."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import uvicorn

from ecosystem_graph.config import Settings
from ecosystem_graph.store import GraphStore
from ecosystem_graph.web import create_app
from ecosystem_graph.web.server_protocol import HttpToolsH2cProtocol


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(settings: Settings, store: GraphStore | None = None) -> Iterator[str]:
    """Serve ``create_app(settings, store)`` on 127.0.0.1; yields the base URL (ending in /)."""
    port = free_port()
    config = uvicorn.Config(create_app(settings, store=store), host="127.0.0.1", port=port, log_level="warning",
                            lifespan="on", http=HttpToolsH2cProtocol)  # as `serve` does
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "health", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.05)
    else:
        server.should_exit = True
        raise RuntimeError("test server did not start")
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(10)
