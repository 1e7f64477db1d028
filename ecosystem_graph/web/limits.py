"""Request limits as ASGI middleware: the largest request body, checked on ``Content-Length`` before the
body is read and again while it streams in (chunked uploads have no length); and URL parameters that are UTF-8,
which Starlette would otherwise read with the bad bytes silently replaced."""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import RequestTooLarge


class BodyLimit:
    """Refuse request bodies over ``max_bytes`` with 413 (through the app's error handlers)."""

    def __init__(self, app: ASGIApp, *, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _refuse(send, 413, f"RequestTooLarge: the request body is larger than {self.max_bytes} bytes")
            return
        if not is_utf8_query(scope.get("query_string", b"")):
            await _refuse(send, 400, "QueryError: the URL's parameters are not UTF-8 once percent-decoded")
            return
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise RequestTooLarge(f"the request body is larger than {self.max_bytes} bytes")
            return message

        await self.app(scope, limited_receive, send)


def is_utf8_query(query: bytes) -> bool:
    """Whether a query string (or form body) percent-decodes to UTF-8 text."""
    try:
        unquote_to_bytes(query.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


async def _refuse(send: Send, status: int, message: str) -> None:
    body = f"{status} {message}\n".encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
