"""uvicorn's fast HTTP/1.1 protocol (httptools), made to ignore HTTP/2 upgrade offers properly.

Every JDK HttpClient (so Apache Jena, and other Java SPARQL clients) sends ``Upgrade: h2c`` on its first
request. llhttp then ends the message at the headers and treats the body as the new protocol's bytes, and
uvicorn drops them (uvicorn issue #2722): a POSTed query arrives empty. A server may ignore the offer and
answer in HTTP/1.1 (RFC 9113 §3.2), which is what this subclass does: it hands the body that follows the
headers to the request, as if no upgrade had been offered. WebSocket upgrades are untouched.
"""

from __future__ import annotations

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class HttpToolsH2cProtocol(HttpToolsProtocol):
    _body_left = 0

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
