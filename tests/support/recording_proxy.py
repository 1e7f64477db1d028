"""A loopback HTTP proxy in front of a real SPARQL server that records every request it passes on: what the
server received, to show what a client sent (a write's one update, its size, no staging graphs)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import httpx

from .server import free_port
from .sparql_servers import Endpoints

_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"}


@dataclass(frozen=True)
class Received:
    method: str
    path: str  # with its query string
    content_type: str
    body: bytes


@dataclass
class Recording:
    graph_store_path: str | None = None
    requests: list[Received] = field(default_factory=list)

    def clear(self) -> None:
        self.requests.clear()

    def updates(self) -> list[bytes]:
        """The bodies of the SPARQL Update requests."""
        return [r.body for r in self.requests if r.content_type.startswith("application/sparql-update")]

    def graph_store(self) -> list[Received]:
        """The Graph Store Protocol requests (whole graphs read or written)."""
        return [r for r in self.requests if urlsplit(r.path).path == self.graph_store_path]


@contextmanager
def recording_proxy(target: Endpoints) -> Iterator[tuple[Endpoints, Recording]]:
    """``target``'s endpoints behind a proxy on 127.0.0.1; yields the proxied endpoints and the recording."""
    origin = urlsplit(target.query)
    upstream = f"{origin.scheme}://{origin.netloc}"
    recording = Recording(urlsplit(target.graph_store).path if target.graph_store else None)
    client = httpx.Client(timeout=120)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _forward(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            with lock:
                recording.requests.append(Received(self.command, self.path, self.headers.get("content-type", ""),
                                                   body))
            headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP | {"host"}}
            answer = client.request(self.command, upstream + self.path, content=body, headers=headers)
            payload = answer.content
            self.send_response(answer.status_code)
            for name, value in answer.headers.items():
                if name.lower() not in _HOP_BY_HOP:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = _forward

        def log_message(self, format: str, *args: object) -> None:
            pass

    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"

    def moved(url: str | None) -> str | None:
        return None if url is None else base + urlsplit(url).path

    try:
        yield Endpoints(target.name, moved(target.query) or "", moved(target.update) or "",
                        moved(target.graph_store)), recording
    finally:
        server.shutdown()
        server.server_close()
        client.close()
