"""Describe a resource for linked-data clients: one SPARQL CONSTRUCT run through the store.

A description holds the resource's own triples, the triples that point at it, the n-ary *fact nodes* around it
(a post, a signature, a party to an agreement, a status with its period...) with their own triples, the labels
and types of every neighbour, and the source documents cited by the resource or its facts — whose quoted
Russian evidence sentences sit on the facts as ``eco:evidence``. Asserted triples only: the inferred graph
would repeat every superclass and super-property.

The same description serves every format: N-Triples from the store, re-serialised with the project prefixes
(and a JSON-LD ``@context``) by rdflib; :mod:`ecosystem_graph.resource_view` turns it into a page.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from .. import vocab
from ..errors import NotAcceptable, NotFound, QueryError
from ..store import GraphStore, QueryRequest, formats

if TYPE_CHECKING:
    import rdflib

log = logging.getLogger(__name__)

#: media type -> rdflib serializer name; the RDF formats a description is offered in, best first.
RDF_FORMATS: dict[str, str] = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}

#: file extension of a description document -> media type (``/data/{kind}/{slug}.ttl`` and ``/ontology.ttl``).
EXTENSIONS: dict[str, str] = {formats.EXTENSIONS[media_type]: media_type for media_type in (
    "text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml")}

#: properties that name a thing, best first.
LABEL_PROPERTIES = (vocab.RDFS + "label", vocab.SKOS + "prefLabel", vocab.DCT + "title", vocab.FOAF + "name")

#: classes (local names in the ontology namespace) whose instances are n-ary facts, shown with the resource.
FACT_CLASSES = ("Relationship", "Post", "Quantity", "Period", "Quotation", "StatusAssertion")

_FACT_TEST = "FILTER(isBlank({v}) || EXISTS {{ {v} a ?fc . FILTER(?fc IN ({classes})) }})"

_FACT_CLASSES_QUERY = "SELECT DISTINCT ?c WHERE {{ ?c rdfs:subClassOf* ?fc . VALUES ?fc {{ {classes} }} }}"

_TEMPLATE = "?r ?rp ?ro . ?f ?p ?o . ?s ?q ?r . ?n ?lp ?l . ?n a ?nt . ?doc ?dp ?dv ."

#: the patterns around the resource ``?r`` that the description copies; each branch of the query is one of
#: them, so that every branch starts from the resource's IRI (written in) and the engine walks outwards.
_AROUND = (
    "?s ?q ?r",
    "?n ?q ?r . ?n a ?nt",
    "?n ?q ?r . ?n ?lp ?l . {label_filter}",
    "?s ?n ?r . ?n ?lp ?l . {label_filter}",
)

#: how a fact node ``?f`` is reached: the resource itself, or n-ary nodes one or two links away.
_FACTS = (
    "",
    "?r ?x ?f . {fact_f}",
    "?f ?x ?r . {fact_f}",
    "?r ?x ?g . {fact_g} ?g ?y ?f . {fact_f}",
    "?g ?x ?r . {fact_g} ?g ?y ?f . {fact_f}",
)

#: what the description copies about each fact node ``?f``.
_OF_FACT = (
    "?f ?p ?o",
    "?f ?fx ?n . ?n a ?nt",
    "?f ?fx ?n . ?n ?lp ?l . {label_filter}",
    "?f ?n ?fy . ?n ?lp ?l . {label_filter}",
    "?f eco:source ?doc . ?doc ?dp ?dv",
    "?f eco:source ?d . ?d ?dp ?n . ?n ?lp ?l . {label_filter}",
)


def _describe_template(**parts: str) -> str:
    branches = [pattern.format(**parts) for pattern in _AROUND]
    for reach in _FACTS:
        for copy in _OF_FACT:
            pattern = f"{reach} {copy}" if reach else copy.replace("?f ?p ?o", "?r ?rp ?ro").replace("?f ", "?r ")
            branches.append(pattern.format(**parts))
    where = "\n  UNION ".join("{ " + branch + " }" for branch in branches)
    return f"CONSTRUCT {{ {_TEMPLATE} }}\nWHERE {{\n  {where}\n}}\n"


_EXISTS = "ASK {{ {{ {r} ?p ?o }} UNION {{ ?s ?q {r} }} }}"


#: what may stand between ``<`` and ``>`` in SPARQL (IRIREF), so a checked IRI is pasted into a query safely.
_IRIREF = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|^`\\]*$")


def iri_ref(iri: str) -> str:
    """``<iri>`` for a SPARQL query.

    :raises NotFound: ``iri`` holds characters no IRI can hold, so nothing can be known about it.
    """
    if not _IRIREF.match(iri):
        raise NotFound(f"{iri!r} is not an IRI")
    return f"<{iri}>"


def fact_classes(store: GraphStore, *, timeout: float | None = None) -> list[str]:
    """:data:`FACT_CLASSES` and all their subclasses, as the loaded ontology states them."""
    ns = vocab.ontology_ns(store.base_iri)
    query = vocab.sparql_prologue(store.base_iri) + _FACT_CLASSES_QUERY.format(
        classes=" ".join(f"<{ns}{name}>" for name in FACT_CLASSES))
    found = {row["c"]["value"] for row in store.select(query, include_inferred=False, timeout=timeout)
             if row["c"]["type"] == "uri"}
    return sorted(found | {ns + name for name in FACT_CLASSES})


def describe_query(base_iri: str, iri: str, fact_classes: list[str]) -> str:
    """The CONSTRUCT that describes ``iri``; nodes of ``fact_classes`` (and blank nodes) are facts.

    The IRI is written into the query (after :func:`iri_ref` checked it) rather than bound by substitution,
    so that the engine can start every branch from it.
    """
    classes = ", ".join(iri_ref(c) for c in fact_classes)
    labels = ", ".join(f"<{p}>" for p in LABEL_PROPERTIES)
    text = _describe_template(
        label_filter=f"FILTER(?lp IN ({labels}))",
        fact_f=_FACT_TEST.format(v="?f", classes=classes),
        fact_g=_FACT_TEST.format(v="?g", classes=classes),
    )
    return vocab.sparql_prologue(base_iri) + re.sub(r"\?r\b", lambda _m: iri_ref(iri), text)


def exists(store: GraphStore, iri: str, *, timeout: float | None = None) -> bool:
    """True when some asserted triple has ``iri`` as subject or object."""
    try:
        ref = iri_ref(iri)
        return store.ask(_EXISTS.format(r=ref), include_inferred=False, timeout=timeout)
    except (NotFound, QueryError):  # QueryError: see describe
        return False


def describe(store: GraphStore, iri: str, *, timeout: float | None = None) -> rdflib.Graph:
    """The description of ``iri`` as an rdflib graph.

    :raises NotFound: no asserted triple mentions ``iri``.
    :raises QueryTimeout: the store took longer than ``timeout``.
    """
    request = QueryRequest(describe_query(store.base_iri, iri, fact_classes(store, timeout=timeout)),
                           accept=["application/n-triples"], include_inferred=False, timeout=timeout)
    try:
        body = store.query(request).body
    except QueryError:
        # iri_ref keeps the IRI inside <...>, but the engine also checks it against RFC 3987 (no "[" outside a
        # host, no control characters, "%" and two hex digits...); the rest of the text is ours, so a refusal
        # means that iri is not an IRI, and nothing can be known about it
        raise NotFound(f"{iri!r} is not an IRI") from None
    import rdflib  # here, not at start-up: only descriptions and pages need it

    graph = rdflib.Graph()
    graph.parse(data=body, format="nt")
    if (rdflib.URIRef(iri), None, None) not in graph and (None, None, rdflib.URIRef(iri)) not in graph:
        raise NotFound(f"nothing is known about <{iri}>")
    log.debug("described <%s> in %d triples", iri, len(graph))
    return graph


def document(store: GraphStore, iri: str, media_type: str, *, timeout: float | None = None) -> bytes:
    """The description of ``iri`` serialised in ``media_type`` (one of :data:`RDF_FORMATS`).

    :raises NotFound: nothing is known about ``iri``.
    :raises NotAcceptable: ``media_type`` is not an RDF format we write.
    """
    if media_type not in RDF_FORMATS:
        raise NotAcceptable(f"a description can be had as {', '.join(RDF_FORMATS)}")
    return serialize(describe(store, iri, timeout=timeout), media_type, base_iri=store.base_iri)


def ontology_graph(store: GraphStore, graphs: list[str], *, timeout: float | None = None) -> rdflib.Graph:
    """The union of the given ontology graphs, as stored.

    :raises NotFound: the store holds none of them.
    """
    values = " ".join(iri_ref(g) for g in graphs)
    body = store.construct(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} VALUES ?g {{ {values} }} }}",
        timeout=timeout,
    )
    import rdflib

    graph = rdflib.Graph()
    graph.parse(data=body, format="nt")
    if not len(graph):
        raise NotFound("the ontology is not loaded")
    return graph


def serialize(graph: rdflib.Graph, media_type: str, *, base_iri: str) -> bytes:
    """``graph`` in ``media_type`` with the project prefixes; JSON-LD gets them as its ``@context``.

    :raises NotAcceptable: ``media_type`` is not one of :data:`RDF_FORMATS`.
    """
    fmt = RDF_FORMATS.get(media_type)
    if fmt is None:
        raise NotAcceptable(f"a description can be had as {', '.join(RDF_FORMATS)}")
    prefixes = vocab.prefixes(base_iri)
    for prefix, namespace in prefixes.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    if fmt == "json-ld":
        return graph.serialize(format=fmt, context=prefixes, auto_compact=True, encoding="utf-8")
    return graph.serialize(format=fmt, encoding="utf-8")


def ontology_document(store: GraphStore, graphs: list[str], media_type: str, *, timeout: float | None = None
                      ) -> bytes:
    """The ontology (the union of its module ``graphs``) serialised in ``media_type``.

    :raises NotFound: the ontology is not loaded.
    :raises NotAcceptable: ``media_type`` is not an RDF format we write.
    """
    if media_type not in RDF_FORMATS:
        raise NotAcceptable(f"the ontology can be had as text/html, {', '.join(RDF_FORMATS)}")
    return serialize(ontology_graph(store, graphs, timeout=timeout), media_type, base_iri=store.base_iri)
