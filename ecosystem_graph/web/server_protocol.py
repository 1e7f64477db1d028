"""uvicorn's fast HTTP/1.1 protocol (httptools), made to ignore HTTP/2 upgrade offers properly.

Every JDK HttpClient (so Apache Jena, and other Java SPARQL clients) sends ``Upgrade: h2c`` on its first
request. llhttp then ends the message at the headers and treats the body as the new protocol's bytes, and
uvicorn drops them (uvicorn issue #2722): a POSTed query arrives empty. A server may ignore the offer and
answer in HTTP/1.1 (RFC 9113 §3.2), which is what this subclass does: it hands the body that follows the
headers to the request, as if no upgrade had been offered. WebSocket upgrades are untouched.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol, RequestResponseCycle


class _OneWrite:
    """A response cycle's view of the connection: the header block it writes is held and written together with the
    next write (the body, or its first chunk). Everything else passes through: the ``100 Continue`` that ``receive``
    writes before the response starts, and a HEAD answer's headers (no body write follows them)."""

    __slots__ = ("_cycle", "_head_seen", "_held", "_transport")

    def __init__(self, transport: asyncio.Transport, cycle: RequestResponseCycle):
        self._transport = transport
        self._cycle = cycle
        self._held: bytes | None = None
        self._head_seen = False

    def write(self, data: bytes) -> None:
        if not self._head_seen and self._cycle.response_started:  # the header block: written with what follows
            self._head_seen = True
            if self._cycle.scope["method"] != "HEAD":
                self._held = data
                return
        if self._held is not None:
            data, self._held = self._held + data, None
        self._transport.write(data)

    def close(self) -> None:
        if self._held is not None:  # never left unsent
            self._transport.write(self._held)
            self._held = None
        self._transport.close()

    def __getattr__(self, name: str) -> Any:  # is_closing, get_extra_info, ...: the connection's own
        return getattr(self._transport, name)


class HttpToolsH2cProtocol(HttpToolsProtocol):
    _body_left = 0

    def on_headers_complete(self) -> None:
        before = self.cycle
        super().on_headers_complete()
        if self.cycle is not None and self.cycle is not before:  # a new request: its writes coalesced
            self.cycle.transport = _OneWrite(self.transport, self.cycle)  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        if self._body_left:
            data = self._take_body(data)
            if not data:
                return
        self._unset_keepalive_if_required()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            message = "Invalid HTTP request received."
            self.logger.warning(message)
            self.send_400_response(message)
        except httptools.HttpParserUpgrade as upgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
                return
            self._body_left = self._content_length()
            if self.cycle is not None:
                self.cycle.more_body = self._body_left > 0
            rest = self._take_body(data[upgrade.args[0]:]) if self._body_left else data[upgrade.args[0]:]
            if rest:
                self.data_received(rest)

    def _content_length(self) -> int:
        for name, value in self.headers:
            if name == b"content-length" and value.strip().isdigit():
                return int(value)
        return 0

    def _take_body(self, data: bytes) -> bytes:
        """Give the request up to the rest of its body; return what follows it (the next request)."""
        part = data[: self._body_left]
        self._body_left -= len(part)
        if part:
            self.on_body(part)
        if not self._body_left and self.cycle is not None:
            self.cycle.more_body = False
            self.cycle.message_event.set()
        return data[len(part):]
