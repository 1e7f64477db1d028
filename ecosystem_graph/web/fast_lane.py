"""The hot path of the SPARQL Protocol as plain ASGI: a query sent to ``/sparql`` by GET or POST is answered
without FastAPI's routing, request object and dependency resolution, which cost more than a point query.

The routes in web/sparql.py stay the documented interface and take everything else unchanged (the service
description, updates); the lane calls the same functions they do, and answers errors as web/errors.py does.
It imports no FastAPI, so that ``serve`` answers queries while the rest of the application is still importing
(web/serving_app.py).
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..config import Settings
from ..errors import EcosystemGraphError
from ..store import GraphStore
from ..syntax import protocol
from .answer import query_output, result_start
from .errors import error_response


class SparqlFastLane:
    """ASGI middleware answering SPARQL queries at ``path``; it sits inside the body limit and CORS."""

    def __init__(self, app: ASGIApp, *, store: GraphStore, settings: Settings, path: str = "/sparql"):
        self.app = app
        self.store = store
        self.settings = settings
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope.get("method")
        if scope["type"] != "http" or scope["path"] != self.path or method not in ("GET", "POST"):
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        body = b""
        try:
            if method == "POST":
                body = await _read_body(receive)
            params = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True, errors="strict")
            operation = protocol.read_operation(params) if method == "GET" else \
                protocol.post_operation(headers.get("content-type"), body, params)
            if operation is None or operation.query is None:  # the service description, an update
                await self.app(scope, _replay(body, receive) if method == "POST" else receive, send)
                return
            output = await query_output(
                self.store, self.settings, operation.query, accept=headers.get("accept"), params=params,
                default_graphs=operation.default_graphs, named_graphs=operation.named_graphs,
                include_inferred=operation.include_inferred)
        except EcosystemGraphError as error:
            await error_response(error, method, self.path)(scope, receive, send)
            return
        # the messages result_response's Response would send, without building one (it costs more than a lookup)
        await send(result_start(output))
        await send({"type": "http.response.body", "body": output.body})


def _headers(scope: Scope) -> dict[str, str]:
    """The first value of each request header (as Starlette's ``Headers.get``), names lower-cased by the server."""
    found: dict[str, str] = {}
    for name, value in scope["headers"]:
        found.setdefault(name.decode("latin-1"), value.decode("latin-1"))
    return found


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client went away: nothing to answer
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives the app the body already read, then whatever the client sends next."""
    given = False

    async def again() -> Message:
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": body, "more_body": False}

    return again
