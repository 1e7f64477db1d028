"""The HTTP side of the remote store: SPARQL 1.1 Protocol, Update and Graph Store Protocol over httpx.

Every transport failure is translated here, once: connection trouble is :class:`StoreUnavailable`, a
request the server rejects is :class:`QueryError`, a query past its time is :class:`QueryTimeout`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

from .. import __version__
from ..errors import NotAcceptable, QueryError, QueryTimeout, ResultTooLarge, StoreUnavailable
from . import formats

log = logging.getLogger(__name__)

#: Form fields of the SPARQL Protocol naming the dataset: [("default-graph-uri", iri), ("named-graph-uri", iri)].
Dataset = list[tuple[str, str]]

_WRITE_TIMEOUT = httpx.Timeout(3600.0, connect=10.0)
_CANCELLED = re.compile(rb"has been cancelled|query interrupted by|timed? ?out", re.IGNORECASE)


@dataclass(frozen=True)
class Dialect:
    """What differs between servers that all speak the standard protocols."""

    name: str
    #: the server's own per-query timeout parameter and how many of its units make a second
    timeout_parameter: tuple[str, float] | None = None
    #: blank node labels in its answers are the server's own ids, the same across requests
    stable_blank_nodes: bool = False
    #: a prefix the server puts on blank node labels in query results, which is not a valid label
    blank_node_prefix: bytes | None = None

    def normalise(self, body: bytes) -> bytes:
        """Query results as the standard writes them."""
        if self.blank_node_prefix is None or self.blank_node_prefix not in body:
            return body
        prefix = re.escape(self.blank_node_prefix)
        return re.sub(rb'("type"\s*:\s*"bnode"\s*,\s*"value"\s*:\s*"|<bnode>)' + prefix, rb"\1", body)


DIALECTS: dict[str, Dialect] = {
    "oxigraph": Dialect("oxigraph", stable_blank_nodes=True),
    "virtuoso": Dialect("virtuoso", timeout_parameter=("timeout", 1000.0), stable_blank_nodes=True,
                        blank_node_prefix=b"nodeID://"),
    "fuseki": Dialect("fuseki", timeout_parameter=("timeout", 1.0)),
}
GENERIC = Dialect("generic")


def dialect_of(server_header: str) -> Dialect:
    lowered = server_header.lower()
    return next((d for key, d in DIALECTS.items() if key in lowered), GENERIC)


class _Auth(httpx.Auth):
    """HTTP Basic or Digest, whichever the server asks for; preemptive once known (bodies may be streams)."""

    requires_response_body = True

    def __init__(self, user: str, password: str):
        self._basic = httpx.BasicAuth(user, password)
        self._digest = httpx.DigestAuth(user, password)
        self._scheme: str | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._scheme == "digest":
            yield from self._digest.auth_flow(request)
            return
        if self._scheme == "basic":
            yield from self._basic.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        self._scheme = "digest" if response.headers.get("www-authenticate", "").lower().startswith("digest") \
            else "basic"
        yield from (self._digest if self._scheme == "digest" else self._basic).auth_flow(request)


class SparqlHttp:
    """One connection pool to one server's query, update and graph store endpoints."""

    def __init__(self, query_url: str, update_url: str | None = None, graph_store_url: str | None = None, *,
                 user: str | None = None, password: str | None = None, max_bytes: int = 1 << 30):
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.graph_store_url = graph_store_url
        self.max_bytes = max_bytes
        self.dialect: Dialect | None = None
        auth = _Auth(user, password or "") if user else None
        self._client = httpx.Client(auth=auth, headers={"User-Agent": f"ecosystem-graph/{__version__}"},
                                    limits=httpx.Limits(max_connections=64, max_keepalive_connections=32),
                                    timeout=httpx.Timeout(30.0, connect=10.0))

    # --- queries -------------------------------------------------------------------------------------
    def _query_form(self, sparql: str, dataset: Dataset, timeout: float | None) -> tuple[list, httpx.Timeout]:
        fields: list[tuple[str, str]] = [("query", sparql), *dataset]
        limit = httpx.Timeout(None, connect=10.0) if timeout is None else httpx.Timeout(timeout, connect=10.0)
        if timeout is not None and self.dialect and self.dialect.timeout_parameter:
            name, per_second = self.dialect.timeout_parameter
            fields.append((name, str(max(1, round(timeout * per_second)))))
            limit = httpx.Timeout(timeout + 2.0, connect=10.0)  # let the server report its own timeout first
        return fields, limit

    def query(self, sparql: str, *, accept: str, dataset: Dataset, timeout: float | None) -> tuple[str, bytes]:
        """POST a query; returns the canonical media type of the answer and its bytes.

        :raises QueryError, QueryTimeout, NotAcceptable, ResultTooLarge, StoreUnavailable:
        """
        with self.stream_query(sparql, accept=accept, dataset=dataset, timeout=timeout) as response:
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > self.max_bytes:
                    raise ResultTooLarge(f"the result is larger than {self.max_bytes} bytes; add a LIMIT")
        media_type = formats.canonical(response.headers.get("content-type", ""))
        if not _well_formed_end(media_type, body):  # a server that gives up mid-stream writes a message there
            tail = bytes(body[-200:]).decode(errors="replace")
            if _CANCELLED.search(body[-300:]):
                raise QueryTimeout(f"the server stopped the query: {tail}")
            raise StoreUnavailable(f"the server's answer ended early: ...{tail}")
        return media_type, (self.dialect or GENERIC).normalise(bytes(body))

    @contextmanager
    def stream_query(self, sparql: str, *, accept: str, dataset: Dataset,
                     timeout: float | None) -> Iterator[httpx.Response]:
        """A streamed answer to a query, checked for errors before the first byte is handed out."""
        fields, limit = self._query_form(sparql, dataset, timeout)
        headers = {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"}
        with self._call("query", self.query_url, content=urlencode(fields).encode(), headers=headers,
                        timeout=limit) as response:
            yield response

    # --- writes --------------------------------------------------------------------------------------
    def update(self, sparql: str | bytes | Path) -> None:
        """Run a SPARQL Update (text, bytes, or a file streamed with its length, never chunked)."""
        self._write("update", self.update_url, sparql, "application/sparql-update", params=None)

    def post_graph(self, graph: str, body: bytes | Path, media_type: str = "application/n-triples") -> None:
        """Add triples to ``graph`` through the Graph Store Protocol (POST merges)."""
        if self.graph_store_url is None:
            raise StoreUnavailable("no graph store URL configured")
        self._write("graph store write", self.graph_store_url, body, media_type, params={"graph": graph})

    @contextmanager
    def get_graph(self, graph: str, media_type: str = "application/n-triples") -> Iterator[httpx.Response]:
        """The triples of ``graph``, streamed (Graph Store Protocol GET)."""
        if self.graph_store_url is None:
            raise StoreUnavailable("no graph store URL configured")
        with self._call("graph store read", self.graph_store_url, method="GET", params={"graph": graph},
                        headers={"Accept": media_type}, timeout=_WRITE_TIMEOUT) as response:
            yield response

    def _write(self, what: str, url: str, body: str | bytes | Path, media_type: str, params: dict | None) -> None:
        headers = {"Content-Type": media_type}
        if isinstance(body, Path):  # sent with its length, never chunked: Virtuoso silently drops chunked bodies
            headers["Content-Length"] = str(body.stat().st_size)
            with open(body, "rb") as handle, self._call(
                what, url, method="POST", params=params, headers=headers,
                content=iter(lambda: handle.read(1 << 20), b""), timeout=_WRITE_TIMEOUT,
            ):
                return
        content = body.encode() if isinstance(body, str) else body
        with self._call(what, url, method="POST", params=params, headers=headers, content=content,
                        timeout=_WRITE_TIMEOUT):
            return

    # --- one exchange, errors translated -------------------------------------------------------------
    @contextmanager
    def _call(self, what: str, url: str, *, method: str = "POST", **options: Any) -> Iterator[httpx.Response]:
        try:
            with self._client.stream(method, url, **options) as response:
                if self.dialect is None:
                    self.dialect = dialect_of(response.headers.get("server", ""))
                    log.info("remote SPARQL server at %s: %s", url, self.dialect.name)
                if response.status_code >= 300:
                    response.read()
                    raise _error(what, url, response)
                if response.headers.get("x-sql-state") == "S1TAT":  # Virtuoso's "anytime" partial answer
                    raise QueryTimeout(f"the server stopped the {what} at its time limit")
                yield response
        except httpx.ConnectTimeout:
            raise StoreUnavailable(f"the SPARQL server at {url} does not answer") from None
        except httpx.TimeoutException:
            raise QueryTimeout(f"the {what} ran longer than its time limit and was abandoned") from None
        except httpx.TransportError as error:
            raise StoreUnavailable(f"cannot reach the SPARQL server at {url}: {error}") from None

    def close(self) -> None:
        self._client.close()


def _well_formed_end(media_type: str, body: bytes | bytearray) -> bool:
    """Whether ``body`` ends as a complete document of ``media_type`` would (a cheap check, not a parse)."""
    tail = bytes(body[-64:]).rstrip()
    if media_type in ("application/sparql-results+json", "application/ld+json"):
        return tail.endswith((b"}", b"]"))
    if media_type in ("application/sparql-results+xml", "application/rdf+xml"):
        return tail.endswith(b">")
    if media_type in ("text/turtle", "application/trig"):
        return tail == b"" or tail.endswith((b".", b"}"))
    return not body or body.endswith(b"\n")  # line-based: N-Triples, N-Quads, CSV, TSV


def _error(what: str, url: str, response: httpx.Response) -> Exception:
    text = response.text.strip()[:1000]
    status = response.status_code
    if status == 400:
        return QueryError(f"the server rejected the {what}: {text}")
    if status == 406:
        return NotAcceptable(f"the server cannot produce that format: {text}")
    if status in (401, 403):
        return StoreUnavailable(f"the SPARQL server at {url} refused the {what} (HTTP {status}); "
                                "check remote_user and remote_password and the server's permissions")
    if _CANCELLED.search(text.encode()):
        return QueryTimeout(f"the server stopped the {what}: {text[:300]}")
    return StoreUnavailable(f"the SPARQL server at {url} failed the {what} (HTTP {status}): {text}")
