"""Re-serialise query answers between formats with pyoxigraph: for servers that cannot write every format."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import httpx
import pyoxigraph as ox

from ..errors import StoreUnavailable
from .base import Kind


def convert(body: bytes, source: str, target: str, kind: Kind) -> bytes:
    """``body``, an answer in media type ``source``, written in ``target``.

    :raises StoreUnavailable: the server's answer cannot be read.
    """
    try:
        if kind == "graph":
            source_format = ox.RdfFormat.from_media_type(source)
            target_format = ox.RdfFormat.from_media_type(target)
            if source_format is None or target_format is None:
                raise StoreUnavailable(f"cannot turn an answer in {source or 'no stated format'} into {target}")
            quads = ox.parse(body, format=source_format)
            return ox.serialize(quads if target_format.supports_datasets else (q.triple for q in quads),
                                format=target_format) or b""
        source_results = ox.QueryResultsFormat.from_media_type(source)
        target_results = ox.QueryResultsFormat.from_media_type(target)
        if source_results is None or target_results is None:
            raise StoreUnavailable(f"cannot turn an answer in {source or 'no stated format'} into {target}")
        return ox.parse_query_results(body, format=source_results).serialize(format=target_results) or b""
    except SyntaxError as error:
        raise StoreUnavailable(f"the server's answer in {source} cannot be read: {error}") from None


class ChunkReader(io.RawIOBase):
    """An iterator of byte chunks (a streamed HTTP body, a dump) as a binary file, for pyoxigraph's parsers."""

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks = iter(chunks)
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:  # a writable buffer (memoryview, bytearray)
        while not self._pending:
            try:
                self._pending = next(self._chunks)
            except StopIteration:
                return 0
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def reader(chunks: Iterator[bytes]) -> io.BufferedReader:
    return io.BufferedReader(ChunkReader(chunks), 1 << 16)


def stream_triples(response: httpx.Response, media_type: str, *, rename_blank_nodes: bool) -> Iterator[ox.Triple]:
    """Parse a streamed RDF answer as it arrives.

    :raises StoreUnavailable: the answer cannot be read.
    """
    rdf_format = ox.RdfFormat.from_media_type(media_type) or ox.RdfFormat.N_TRIPLES
    try:
        for quad in ox.parse(reader(response.iter_bytes()), format=rdf_format,
                             rename_blank_nodes=rename_blank_nodes):
            yield quad.triple
    except SyntaxError as error:
        raise StoreUnavailable(f"the server's answer in {media_type} cannot be read: {error}") from None
