"""The media types the store can write, per kind of query result."""

from __future__ import annotations

from ..errors import NotAcceptable

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

#: format names, as people type them (CLI ``--format``) and clients send them (HTTP ``format=``, as SPARQLWrapper,
#: Fuseki and Virtuoso clients do) -> media type. ``json`` and ``xml`` name the generic types: a SELECT answers
#: them with SPARQL results, a CONSTRUCT with JSON-LD or RDF/XML. The one table of names: the CLI, the HTTP
#: negotiation and the export all read it.
FORMAT_NAMES: dict[str, str] = {
    "json": "application/json",
    "xml": "application/xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "n3": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "n-triples": "application/n-triples",
    "rdf": "application/rdf+xml",
    "rdfxml": "application/rdf+xml",
    "rdf+xml": "application/rdf+xml",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "trig": "application/trig",
    "nq": "application/n-quads",
    "nquads": "application/n-quads",
    "n-quads": "application/n-quads",
}


#: media type -> the file extension it is saved under (downloads, ``/data/{kind}/{slug}.ttl``): the one table.
EXTENSIONS: dict[str, str] = {
    "application/sparql-results+json": "json", "application/sparql-results+xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv", "text/turtle": "ttl", "application/n-triples": "nt",
    "application/rdf+xml": "rdf", "application/ld+json": "jsonld", "application/trig": "trig",
    "application/n-quads": "nq",
}


def extension(media_type: str) -> str:
    """The file extension for ``media_type`` (aliases resolved), ``txt`` for any other.

    >>> extension("application/json"), extension("text/turtle"), extension("text/html")
    ('json', 'ttl', 'txt')
    """
    return EXTENSIONS.get(canonical(media_type), "txt")


def canonical(media_type: str) -> str:
    """Lower-case, parameters dropped, format names and aliases resolved.

    >>> canonical("JSON"), canonical("text/turtle; charset=utf-8"), canonical("n-triples")
    ('application/sparql-results+json', 'text/turtle', 'application/n-triples')
    """
    base = media_type.split(";", 1)[0].strip().lower()
    base = FORMAT_NAMES.get(base, base)
    return ALIASES.get(base, base)


def named(name: str, offered: tuple[str, ...], *, what: str) -> str:
    """The media type that the format ``name`` (a format name or a media type) stands for among ``offered``.

    >>> named("ttl", GRAPH_MEDIA_TYPES, what="a graph"), named("json", GRAPH_MEDIA_TYPES, what="a graph")
    ('text/turtle', 'application/ld+json')

    :raises NotAcceptable: ``name`` is none of them; the message lists the names that are.
    """
    media_type = _among(name, offered)
    if media_type is None:
        names = sorted(n for n in FORMAT_NAMES if _among(n, offered))
        raise NotAcceptable(f"unknown format {name!r} for {what}; use one of {', '.join(names)}")
    return media_type


def _among(name: str, offered: tuple[str, ...]) -> str | None:
    media_type = canonical(name)
    if media_type in offered:
        return media_type
    generic = {"application/sparql-results+json": "application/ld+json",  # "json" for a graph
               "application/sparql-results+xml": "application/rdf+xml"}.get(media_type)
    return generic if generic in offered else None


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
