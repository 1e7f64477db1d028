"""Self-descriptions of the dataset: the SPARQL 1.1 Service Description of the endpoint and the VoID
description of the data (triples per graph, class and property partitions, example resources, dumps).

Both are RDF built with rdflib from statistics the store computes; the statistics are cached per store
generation, so describing the service repeatedly costs one set of queries per load or write.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from urllib.parse import quote

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from ..config import Settings
from ..store import GraphStore
from ..store.formats import DESCRIPTION_SERIALIZERS, GRAPH_MEDIA_TYPES, RESULT_MEDIA_TYPES
from ..vocab import SD as SD_NS
from ..vocab import VOID as VOID_NS
from ..vocab import inferred_graph_iri

SD = Namespace(SD_NS)
VOID = Namespace(VOID_NS)
FORMATS = Namespace("http://www.w3.org/ns/formats/")

#: media type -> the W3C format IRI (https://www.w3.org/ns/formats/)
FORMAT_IRIS: dict[str, URIRef] = {
    "application/sparql-results+json": FORMATS.SPARQL_Results_JSON,
    "application/sparql-results+xml": FORMATS.SPARQL_Results_XML,
    "text/csv": FORMATS.SPARQL_Results_CSV,
    "text/tab-separated-values": FORMATS.SPARQL_Results_TSV,
    "text/turtle": FORMATS.Turtle,
    "application/n-triples": FORMATS["N-Triples"],
    "application/rdf+xml": FORMATS.RDF_XML,
    "application/ld+json": FORMATS["JSON-LD"],
    "application/trig": FORMATS.TriG,
    "application/n-quads": FORMATS["N-Quads"],
}

_EXAMPLES = 5


@dataclass(frozen=True)
class Endpoints:
    """Where this server publishes things (absolute URLs, from the request)."""

    sparql: str
    graph_store: str
    dumps: dict[str, str]  # media type -> URL
    void: str


@dataclass(frozen=True)
class Statistics:
    graph_sizes: dict[str, int]
    classes: dict[str, int]  # class IRI -> distinct instances
    properties: dict[str, int]  # property IRI -> triples
    distinct_subjects: int
    distinct_objects: int
    examples: list[str]

    @property
    def triples(self) -> int:
        return sum(self.graph_sizes.values())


_cache: dict[int, tuple[str | float | None, Statistics]] = {}
_cache_lock = threading.Lock()


def statistics(store: GraphStore, base_iri: str) -> Statistics:
    """Dataset statistics, computed once per published generation of ``store``."""
    built = store.generation_id() or store.built_at()
    with _cache_lock:
        cached = _cache.get(id(store))
    if cached is not None and built is not None and cached[0] == built:
        return cached[1]
    classes = store.select("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?c)) } GROUP BY ?c")
    properties = store.select("SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p")
    counts = store.select("SELECT (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?o) AS ?objects) "
                          "WHERE { ?s ?p ?o }")
    examples = store.select(  # ?space is projected: pyoxigraph substitutes projected variables only
        "SELECT DISTINCT ?s ?space WHERE { ?s a ?c FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?space)) } ORDER BY ?s "
        f"LIMIT {_EXAMPLES}",
        substitutions={"space": {"type": "literal", "value": base_iri + "id/"}},
    )
    result = Statistics(
        graph_sizes=store.graph_sizes(),
        classes={r["c"]["value"]: int(r["n"]["value"]) for r in classes},
        properties={r["p"]["value"]: int(r["n"]["value"]) for r in properties},
        distinct_subjects=int(counts[0]["subjects"]["value"]) if counts else 0,
        distinct_objects=int(counts[0]["objects"]["value"]) if counts else 0,
        examples=[r["s"]["value"] for r in examples],
    )
    with _cache_lock:
        _cache[id(store)] = (built, result)
    return result


def _new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in (("sd", SD), ("void", VOID), ("dcterms", DCTERMS), ("formats", FORMATS)):
        graph.bind(prefix, namespace)
    return graph


def _count(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def service_description(store: GraphStore, settings: Settings, endpoints: Endpoints) -> Graph:
    """The endpoint per SPARQL 1.1 Service Description: languages, formats, features and the dataset."""
    graph = _new_graph()
    service = URIRef(endpoints.sparql)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, DCTERMS.title, Literal("ecosystem-graph SPARQL endpoint", lang="en")))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    if not settings.read_only:
        graph.add((service, SD.supportedLanguage, SD.SPARQL11Update))
        for media_type in ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"):
            graph.add((service, SD.inputFormat, FORMAT_IRIS[media_type]))
    for media_type in (*RESULT_MEDIA_TYPES, *GRAPH_MEDIA_TYPES):
        graph.add((service, SD.resultFormat, FORMAT_IRIS[media_type]))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    if settings.allow_service:
        graph.add((service, SD.feature, SD.BasicFederatedQuery))

    stats = statistics(store, settings.base_iri)
    dataset = BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, RDFS.seeAlso, URIRef(endpoints.void)))
    default = BNode()
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, RDFS.comment, Literal("The union of all named graphs; pass inference=false to leave out "
                                              "the inferred graph.", lang="en")))
    graph.add((default, VOID.triples, _count(stats.triples)))
    inferred = inferred_graph_iri(settings.base_iri)
    for name, size in sorted(stats.graph_sizes.items()):
        named, described = BNode(), BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(name)))
        graph.add((named, SD.graph, described))
        graph.add((described, RDF.type, SD.Graph))
        graph.add((described, VOID.triples, _count(size)))
        if name == inferred:
            graph.add((named, RDFS.comment, Literal("Entailments materialised from the other graphs.", lang="en")))
    return graph


def void_description(store: GraphStore, settings: Settings, endpoints: Endpoints) -> Graph:
    """VoID: the dataset, a subset per named graph, class and property partitions, examples and dumps."""
    graph = _new_graph()
    stats = statistics(store, settings.base_iri)
    dataset = URIRef(settings.base_iri + "dataset")
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, DCTERMS.title, Literal("Biomedical innovation ecosystem graph", lang="en")))
    graph.add((dataset, DCTERMS.title, Literal("Граф экосистемы биомедицинских инноваций", lang="ru")))
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(endpoints.sparql)))
    graph.add((dataset, VOID.uriSpace, Literal(settings.base_iri + "id/")))
    graph.add((dataset, VOID.triples, _count(stats.triples)))
    graph.add((dataset, VOID.distinctSubjects, _count(stats.distinct_subjects)))
    graph.add((dataset, VOID.distinctObjects, _count(stats.distinct_objects)))
    graph.add((dataset, VOID.classes, _count(len(stats.classes))))
    graph.add((dataset, VOID.properties, _count(len(stats.properties))))
    for media_type, url in endpoints.dumps.items():
        graph.add((dataset, VOID.dataDump, URIRef(url)))
        graph.add((URIRef(url), DCTERMS["format"], Literal(media_type)))
    for example in stats.examples:
        graph.add((dataset, VOID.exampleResource, URIRef(example)))
    for name, size in sorted(stats.graph_sizes.items()):
        subset = URIRef(name)
        graph.add((dataset, VOID.subset, subset))
        graph.add((subset, RDF.type, VOID.Dataset))
        graph.add((subset, VOID.triples, _count(size)))
        graph.add((subset, VOID.dataDump, URIRef(f"{endpoints.graph_store}?graph={quote(name, safe='')}")))
    for cls, entities in sorted(stats.classes.items()):
        partition = BNode()
        graph.add((dataset, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], URIRef(cls)))
        graph.add((partition, VOID.entities, _count(entities)))
    for prop, triples in sorted(stats.properties.items()):
        partition = BNode()
        graph.add((dataset, VOID.propertyPartition, partition))
        graph.add((partition, VOID.property, URIRef(prop)))
        graph.add((partition, VOID.triples, _count(triples)))
    return graph


def serialize(graph: Graph, media_type: str) -> bytes:
    """The description in one of :data:`.store.formats.DESCRIPTION_MEDIA_TYPES`."""
    data = graph.serialize(format=DESCRIPTION_SERIALIZERS[media_type], encoding="utf-8")
    return data if isinstance(data, bytes) else data.encode("utf-8")
