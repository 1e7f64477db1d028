"""HTTP caching of what a published generation answers: ``ETag``, ``Last-Modified``, 304 on revalidation, and
``Content-Language``, for every GET and HEAD at once (an ASGI middleware, not per route).

A generation never changes once published, so an answer is fixed by the generation, this code, and the request
as far as the answer depends on it: method-independent URL, ``Accept``, ``Accept-Language`` and ``Host`` (the
service description writes the base URL). The entity tag is a digest of those, weak since the same
representation need not be the same bytes; a request whose ``If-None-Match`` holds it (or, without that, whose
``If-Modified-Since`` is not before the publish time) gets 304 before any query runs. Only 200 answers are
tagged, with ``Cache-Control: no-cache`` (keep it, but ask again: the next generation may come any time).

Left alone: the static assets at /ui (StaticFiles sets validators from the files), /health (it reports the moment,
not the data), requests with credentials, and a store with nothing published.

``Content-Language`` is the language an HTML page declares (``<html lang>``); an answer of a route that
negotiates the reader's language (``LanguageDep``) gets that language and ``Vary: Accept-Language``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from email.utils import formatdate, parsedate_to_datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..config import Settings
from ..store import GraphStore

#: the request headers an answer's validators depend on
_READ = frozenset({b"accept", b"accept-language", b"host", b"authorization", b"if-none-match", b"if-modified-since"})
#: paths answered without validators: liveness is not a property of the generation
UNCACHED = ("/health",)
#: prefixes whose answers bring their own validators (file times and sizes)
OWN_VALIDATORS = ("/ui/",)
_HTML_LANG = re.compile(rb"<html\b[^>]*\blang=[\"']?([A-Za-z-]+)", re.IGNORECASE)
_SNIFF = 2048  # bytes of an HTML page read for its lang attribute


PACKAGE = Path(__file__).resolve().parents[1]


def code_stamp(package: Path = PACKAGE) -> str:
    """A digest of the package's files (names, sizes, modification times): templates and code of this
    release, the same in every worker process, different after an upgrade."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            stat = path.stat()
            digest.update(f"{path.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def entity_tag(generation: str, stamp: str, scope: Scope, headers: dict[str, str]) -> str:
    """The weak entity tag of the answer to this request from ``generation``."""
    parts = [generation, stamp, scope.get("root_path", ""), scope["path"], scope.get("query_string", b"").decode(
        "latin-1"), headers.get("accept", ""), headers.get("accept-language", ""), headers.get("host", "")]
    return 'W/"' + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32] + '"'


def _tags(header: str) -> Iterable[str]:
    for tag in header.split(","):
        tag = tag.strip()
        yield tag if tag.startswith("W/") or tag == "*" else f"W/{tag}"


def not_modified(headers: dict[str, str], etag: str, built_at: float | None) -> bool:
    """RFC 9110, 13.1: If-None-Match (weak comparison) decides; only without it If-Modified-Since does."""
    if "if-none-match" in headers:
        return any(tag in ("*", etag) for tag in _tags(headers["if-none-match"]))
    since = headers.get("if-modified-since")
    if since is None or built_at is None:
        return False
    try:
        return int(built_at) <= parsedate_to_datetime(since).timestamp()
    except (TypeError, ValueError):
        return False


def _negotiates_language(route: Any) -> bool:
    """Does the matched route depend on the reader's language (``LanguageDep``)?"""
    from .views import language  # only routes have dependencies: the application is imported by now

    dependant = getattr(route, "dependant", None)
    stack = list(getattr(dependant, "dependencies", []))
    while stack:
        dependency = stack.pop()
        if dependency.call is language:
            return True
        stack.extend(dependency.dependencies)
    return False


def _with_vary(headers: list[tuple[bytes, bytes]], name: str) -> list[tuple[bytes, bytes]]:
    present = [v.decode("latin-1") for k, v in headers if k.lower() == b"vary"]
    names = [n.strip() for value in present for n in value.split(",") if n.strip()]
    if any(n.lower() in (name.lower(), "*") for n in names):
        return headers
    rest = [(k, v) for k, v in headers if k.lower() != b"vary"]
    return [*rest, (b"vary", ", ".join([*names, name]).encode("latin-1"))]


class GenerationCaching:
    """ASGI middleware: validators per published generation, 304 on revalidation, ``Content-Language``."""

    def __init__(self, app: ASGIApp, *, store: GraphStore, settings: Settings):
        self.app = app
        self.store = store
        self.remote = settings.backend == "remote"  # asking a remote store is a round trip: not on the loop
        self.stamp = code_stamp()
        self._negotiating: dict[int, bool] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") or scope["path"] in UNCACHED \
                or scope["path"].startswith(OWN_VALIDATORS):
            await self.app(scope, receive, send)
            return
        headers: dict[str, str] = {}
        for name, value in scope["headers"]:  # servers send header names lower-cased (ASGI); only a few count
            if name in _READ and name not in headers:
                headers[name.decode("latin-1")] = value.decode("latin-1")
        published = self.store.published
        generation, built_at = (await run_in_threadpool(published)) if self.remote else published()
        cacheable = generation is not None and "authorization" not in headers
        etag = entity_tag(generation, self.stamp, scope, headers) if generation is not None else ""
        validators = [(b"etag", etag.encode("latin-1")), (b"cache-control", b"no-cache")]
        if built_at is not None:
            validators.append((b"last-modified", _http_date(built_at)))
        if cacheable and not_modified(headers, etag, built_at):
            await send({"type": "http.response.start", "status": 304, "headers": validators})
            await send({"type": "http.response.body", "body": b""})
            return
        held: list[Message] = []

        async def tagged(message: Message) -> None:
            if message["type"] == "http.response.start":
                start = dict(message)
                out = list(start.get("headers", []))
                names = {k.lower() for k, _v in out}
                if not scope.get("route") and b"content-type" in names and not _is_html(out):
                    # the fast lane's SPARQL answers (no route, not a page): validators only
                    if cacheable and start["status"] == 200 and b"etag" not in names:
                        out += validators
                    start["headers"] = out
                    await send(start)
                    return
                if cacheable and start["status"] == 200 and b"etag" not in names and b"last-modified" not in names:
                    out = [*out, *[(k, v) for k, v in validators if k not in names]]
                negotiated = self._route_negotiates(scope)
                if negotiated and b"content-language" not in names:
                    from starlette.requests import Request

                    from .views import language  # a route negotiates it: the application is imported

                    out = _with_vary(out, "Accept-Language")
                    lang = await language(Request(scope), Request(scope).query_params.get("lang"))
                    out.append((b"content-language", lang.encode("latin-1")))
                elif _is_html(out) and b"content-language" not in names:
                    held.append({**start, "headers": out})  # the page's own lang attribute, in its first bytes
                    return
                start["headers"] = out
                await send(start)
                return
            if held and message["type"] == "http.response.body":
                page = held.pop()
                found = _HTML_LANG.search(message.get("body", b"")[:_SNIFF])
                if found:
                    page["headers"] = [*page["headers"], (b"content-language", found.group(1).lower())]
                await send(page)
            await send(message)

        await self.app(scope, receive, tagged)

    def _route_negotiates(self, scope: Scope) -> bool:
        route = scope.get("route")
        if route is None:
            return False
        key = id(route)
        if key not in self._negotiating:
            self._negotiating[key] = _negotiates_language(route)
        return self._negotiating[key]


@lru_cache(maxsize=16)
def _http_date(moment: float) -> bytes:
    return formatdate(moment, usegmt=True).encode("latin-1")


def _is_html(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(k.lower() == b"content-type" and v.lower().startswith(b"text/html") for k, v in headers)
