"""Content negotiation (RFC 9110 §12.5): ``Accept`` with q-values and wildcards, and ``Accept-Language``.

Shared by every route. Pure functions, no FastAPI::

    negotiate("text/turtle;q=0.9, application/ld+json", ["text/html", "text/turtle", "application/ld+json"])
    # -> "application/ld+json"

For each offered media type the most specific matching range of the header gives its quality (q=0 refuses
it); offered types are then ranked by quality, then by how specific the matching range was, then by the
position of that range in the header, then by the server's own order. A missing or empty header accepts
anything, so the server's first offer wins.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ..errors import NotAcceptable
from ..store import formats
from ..store.formats import GRAPH_MEDIA_TYPES, RESULT_MEDIA_TYPES

#: An alias in a header stands for one or several canonical media types (``application/json`` may mean
#: SPARQL JSON results or JSON-LD, depending on what the answer is).
Aliases = Mapping[str, str | Sequence[str]]


@dataclass(frozen=True)
class MediaRange:
    """One element of an ``Accept`` header."""

    type: str
    subtype: str
    q: float = 1.0
    params: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    position: int = 0

    @property
    def media_type(self) -> str:
        return f"{self.type}/{self.subtype}"

    @property
    def specificity(self) -> int:
        """3 for type/subtype;params, 2 for type/subtype, 1 for type/*, 0 for */*."""
        if self.type == "*":
            return 0
        if self.subtype == "*":
            return 1
        return 3 if self.params else 2

    def matches(self, media_type: str) -> bool:
        kind, _, sub = media_type.partition("/")
        return self.type == "*" or (self.type == kind and self.subtype in ("*", sub))


def _quality(value: str) -> float:
    try:
        q = float(value)
    except ValueError:
        return 1.0  # a malformed q is ignored rather than taken as a refusal
    return min(max(q, 0.0), 1.0)


@lru_cache(maxsize=512)  # clients send the same few Accept headers again and again
def _split_elements(header: str) -> list[tuple[str, dict[str, str], float]]:
    """``(value, params, q)`` per comma-separated element; quoted commas are not split (rare, but legal)."""
    elements: list[tuple[str, dict[str, str], float]] = []
    for raw in _split_outside_quotes(header, ","):
        parts = [p.strip() for p in _split_outside_quotes(raw, ";")]
        if not parts or not parts[0]:
            continue
        params: dict[str, str] = {}
        q = 1.0
        for part in parts[1:]:
            name, _, value = part.partition("=")
            name, value = name.strip().lower(), value.strip().strip('"')
            if name == "q":
                q = _quality(value)
            elif name:
                params[name] = value
        elements.append((parts[0].lower(), params, q))
    return elements


def _split_outside_quotes(text: str, separator: str) -> list[str]:
    out: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == separator and not quoted:
            out.append("".join(current))
            current = []
        else:
            current.append(ch)
    out.append("".join(current))
    return out


def parse_accept(header: str | None, *, aliases: Aliases | None = None) -> list[MediaRange]:
    """The media ranges of an ``Accept`` header, aliases expanded, in header order.

    A bare ``*`` (sent by some old clients) is read as ``*/*``; elements that are not media ranges are dropped.
    """
    ranges: list[MediaRange] = []
    for position, (value, params, q) in enumerate(_split_elements(header or "")):
        if value == "*":
            value = "*/*"
        expanded = aliases.get(value, value) if aliases else value
        for media_type in [expanded] if isinstance(expanded, str) else expanded:
            kind, slash, sub = media_type.partition("/")
            if not slash or not kind or not sub or (kind == "*" and sub != "*"):
                continue
            ranges.append(MediaRange(kind, sub, q, tuple(sorted(params.items())), position))
    return ranges


def ranked(header: str | None, offered: Sequence[str], *, aliases: Aliases | None = None) -> list[str]:
    """The offered media types the client accepts (q > 0), best first.

    :param header: the ``Accept`` header; None or blank means ``*/*``.
    :param offered: what the server can produce, in the server's order of preference.
    """
    ranges = parse_accept(header, aliases=aliases)
    if not ranges:
        return list(offered)
    scored = []
    for order, media_type in enumerate(offered):
        matching = [r for r in ranges if r.matches(media_type.lower())]
        if not matching:
            continue
        best = max(matching, key=lambda r: (r.specificity, -r.position))
        if best.q > 0:
            scored.append(((-best.q, -best.specificity, best.position, order), media_type))
    return [media_type for _key, media_type in sorted(scored)]


def negotiate(header: str | None, offered: Sequence[str], *, aliases: Aliases | None = None) -> str | None:
    """The best offered media type for ``header``, or None when the client accepts none of them (406)."""
    best = ranked(header, offered, aliases=aliases)
    return best[0] if best else None


def negotiate_language(header: str | None, offered: Sequence[str]) -> str:
    """The best of ``offered`` language tags for an ``Accept-Language`` header; the first offer by default.

    ``en-GB`` matches an offered ``en`` and ``en`` matches an offered ``en-GB``; ``*`` matches anything.
    """
    if not offered:
        raise ValueError("no languages offered")
    elements = _split_elements(header or "")
    if not elements:
        return offered[0]
    scored = []
    for order, tag in enumerate(offered):
        low = tag.lower()
        matching = []
        for position, (lang, _params, q) in enumerate(elements):
            if lang == "*":
                exactness = 0
            elif lang == low:
                exactness = 2
            elif low.startswith(lang + "-") or lang.startswith(low + "-"):
                exactness = 1
            else:
                continue
            matching.append((exactness, -position, q))
        if matching:
            exactness, neg_position, q = max(matching)
            if q > 0:
                scored.append(((-q, -exactness, -neg_position, order), tag))
    return min(scored)[1] if scored else offered[0]


# --- SPARQL results ------------------------------------------------------------------------------------------
# A query's kind (and so which formats fit) is only known once it has run, so the request's preferences are
# expanded into concrete media types of every kind, best first, and the store takes the first that fits.

SPARQL_MEDIA_TYPES: tuple[str, ...] = (*RESULT_MEDIA_TYPES, *GRAPH_MEDIA_TYPES)

#: what clients send for SPARQL results -> the canonical types it may stand for.
SPARQL_ALIASES: dict[str, tuple[str, ...]] = {
    "application/json": ("application/sparql-results+json", "application/ld+json"),
    "application/xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "text/xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "application/x-turtle": ("text/turtle",),
    "text/n3": ("text/turtle",),
    "text/rdf+n3": ("text/turtle",),
    "text/plain": ("application/n-triples",),
    "application/json-ld": ("application/ld+json",),
    "application/x-trig": ("application/trig",),
    "text/x-nquads": ("application/n-quads",),
}

#: ``format=`` values -> the media types they stand for (the names are the one table in store/formats.py).
FORMAT_NAMES: dict[str, tuple[str, ...]] = {
    name: SPARQL_ALIASES.get(media_type, (media_type,)) for name, media_type in formats.FORMAT_NAMES.items()}


def sparql_media_types(accept: str | None, format_name: str | None = None) -> list[str] | None:
    """The result media types a SPARQL request accepts, best first (None: anything, the store's default).

    ``format_name`` (a ``format=`` parameter: a short name or a media type) overrides ``Accept``.

    :raises NotAcceptable: the request accepts no format we write.
    """
    types = _sparql_media_types(accept, format_name)
    return None if types is None else list(types)


@lru_cache(maxsize=512)  # clients send the same few headers again and again; parsing one costs more than a lookup
def _sparql_media_types(accept: str | None, format_name: str | None) -> tuple[str, ...] | None:
    if format_name:
        key = format_name.strip().lower()
        if "/" in key:
            accept = key
        elif key in FORMAT_NAMES:
            accept = ", ".join(FORMAT_NAMES[key])
        else:
            raise NotAcceptable(f"unknown format {format_name!r}; use one of {', '.join(sorted(FORMAT_NAMES))}")
    if not parse_accept(accept, aliases=SPARQL_ALIASES):
        return None  # no header, or nothing readable in it: anything will do
    types = ranked(accept, SPARQL_MEDIA_TYPES, aliases=SPARQL_ALIASES)
    if not types:
        raise NotAcceptable(f"no result format matches Accept: {accept}; we write {', '.join(SPARQL_MEDIA_TYPES)}")
    return tuple(types)
