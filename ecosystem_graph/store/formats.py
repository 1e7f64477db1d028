"""The media types the store can write, per kind of query result."""

from __future__ import annotations

RESULT_MEDIA_TYPES: tuple[str, ...] = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)

GRAPH_MEDIA_TYPES: tuple[str, ...] = (
    "text/turtle",
    "application/n-triples",
    "application/rdf+xml",
    "application/ld+json",
    "application/trig",
    "application/n-quads",
)

DATASET_MEDIA_TYPES: tuple[str, ...] = ("application/trig", "application/n-quads")

#: media type -> rdflib serializer, for the descriptions of the service and the dataset (void.py).
DESCRIPTION_SERIALIZERS: dict[str, str] = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "application/trig": "trig",
    "application/n-quads": "nquads",
}
DESCRIPTION_MEDIA_TYPES: tuple[str, ...] = tuple(DESCRIPTION_SERIALIZERS)

#: common aliases clients send, mapped to the canonical media type.
ALIASES: dict[str, str] = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "application/x-turtle": "text/turtle",
    "text/plain": "application/n-triples",
    "application/json-ld": "application/ld+json",
    "application/x-trig": "application/trig",
    "text/x-nquads": "application/n-quads",
}

#: short names accepted by ``format=`` parameters and CLI flags.
SHORT_NAMES: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "trig": "application/trig",
    "nq": "application/n-quads",
    "nquads": "application/n-quads",
}


def canonical(media_type: str) -> str:
    """Lower-case, parameters dropped, aliases resolved."""
    base = media_type.split(";", 1)[0].strip().lower()
    return SHORT_NAMES.get(base) or ALIASES.get(base, base)


def pick(kind: str, accepted: list[str] | None) -> str | None:
    """First media type of ``accepted`` (already in preference order) that suits a result of ``kind``.

    ``kind`` is ``select``, ``ask`` or ``graph``; ``None`` in ``accepted`` means anything.
    """
    offered = GRAPH_MEDIA_TYPES if kind == "graph" else RESULT_MEDIA_TYPES
    if not accepted:
        return offered[0]
    for candidate in accepted:
        if candidate in ("*/*", "*"):
            return offered[0]
        if candidate.endswith("/*"):
            prefix = candidate[:-1]
            match = next((m for m in offered if m.startswith(prefix)), None)
            if match:
                return match
            continue
        media = canonical(candidate)
        if media in offered:
            return media
    return None
