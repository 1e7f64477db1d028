"""The HTML reference of the ontology, generated from its Turtle files (never committed, so never stale).

pyLODE 3.4 does not import on this machine (it reads a ``pyproject.toml`` that its wheel does not ship), and it
documents one language; this small generator documents both of ours. :func:`build_reference` reads the
ontology modules (every RDF file under ``ontology/`` except the SHACL shapes) into plain data: the ontology's
metadata, each class and property with its ru and en labels and definitions, the hierarchy, domains and
ranges, characteristics, and the external terms with the project terms aligned to them. :func:`render`
writes it with the ``ontology.html`` template; :func:`reference_html` caches the page until a file changes.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from xml.sax import SAXParseException

import rdflib
from jinja2 import Environment, FileSystemLoader, select_autoescape
from rdflib import OWL, RDF, RDFS, SKOS, BNode, Literal, URIRef
from rdflib.collection import Collection
from rdflib.plugins.parsers.notation3 import BadSyntax

from .. import vocab
from ..config import Settings
from ..errors import SourceError
from ..sources.files import SourceFile, discover
from .words import messages

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parents[1] / "web" / "templates"
DCT = rdflib.Namespace(vocab.DCT)

#: kind of term -> the rdf:type that declares it, in the order of the page.
KINDS: dict[str, URIRef] = {
    "classes": OWL.Class,
    "object_properties": OWL.ObjectProperty,
    "datatype_properties": OWL.DatatypeProperty,
    "annotation_properties": OWL.AnnotationProperty,
    "individuals": OWL.NamedIndividual,
}
CHARACTERISTICS = ("TransitiveProperty", "FunctionalProperty", "InverseFunctionalProperty", "SymmetricProperty",
                   "AsymmetricProperty", "ReflexiveProperty", "IrreflexiveProperty")


@dataclass(frozen=True)
class Link:
    text: str
    href: str
    iri: str
    labels: tuple[tuple[str, str], ...] = ()

    def label(self, lang: str) -> str:
        """The term's label in ``lang`` when it has one, else its compact IRI."""
        return dict(self.labels).get(lang) or self.text


@dataclass
class Term:
    iri: str
    curie: str
    anchor: str
    kind: str
    own: bool
    labels: dict[str, str] = field(default_factory=dict)
    definitions: dict[str, list[str]] = field(default_factory=dict)
    relations: dict[str, list[Link]] = field(default_factory=dict)
    characteristics: list[str] = field(default_factory=list)


@dataclass
class TreeNode:
    link: Link
    children: list[TreeNode] = field(default_factory=list)


@dataclass
class OntologyReference:
    iri: str
    metadata: dict[str, list[str | Link]]
    titles: dict[str, str]
    descriptions: dict[str, str]
    sections: dict[str, list[Term]]
    external: list[Term]
    hierarchy: list[TreeNode]
    files: list[str]


def ontology_files(settings: Settings) -> list[SourceFile]:
    """The ontology modules among the source files (SHACL shapes are a data contract, not ontology)."""
    files = discover(settings.source_paths, project_dir=settings.project_dir, base_iri=settings.base_iri)
    return [f for f in files if f.is_ontology and f.path.resolve() != settings.shapes_path.resolve()]


def load_graph(paths: list[Path]) -> rdflib.Graph:
    """The modules merged into one rdflib graph. :raises SourceError: a file does not parse."""
    graph = rdflib.Graph()
    for path in paths:
        try:
            graph.parse(path, format=rdflib.util.guess_format(str(path)) or "turtle")
        except (BadSyntax, SAXParseException, ValueError, OSError) as error:
            raise SourceError(path, f"cannot be read for the ontology reference: {error}") from None
    return graph


class _Reader:
    def __init__(self, graph: rdflib.Graph, base_iri: str):
        self.graph = graph
        self.base_iri = base_iri
        self.ns = vocab.ontology_ns(base_iri)
        self.prefixes = {ns: p for p, ns in vocab.prefixes(base_iri).items()}
        self.prefixes.update({str(ns): p for p, ns in graph.namespaces() if p and str(ns) not in self.prefixes})

    def curie(self, iri: str) -> str:
        best = max((ns for ns in self.prefixes if iri.startswith(ns)), key=len, default=None)
        return f"{self.prefixes[best]}:{iri[len(best):]}" if best else iri

    def anchor(self, iri: str) -> str:
        return iri[len(self.ns):] if iri.startswith(self.ns) else self.curie(iri).replace(":", "-")

    def declared(self, iri: URIRef) -> bool:
        return any(True for _ in self.graph.objects(iri, RDF.type))

    def link(self, node) -> Link:
        if isinstance(node, BNode):
            return Link(self.expression(node), "", "")
        iri = str(node)
        if self.declared(node):
            href = f"#{self.anchor(iri)}"
        else:  # an IRI under the base is served here too (the ontology's version and module IRIs)
            href = "/" + iri[len(self.base_iri):] if iri.startswith(self.base_iri) else iri
        labels = tuple(sorted((o.language or "", str(o)) for o in self.graph.objects(node, RDFS.label)
                              if isinstance(o, Literal)))
        return Link(self.curie(iri), href, iri, labels)

    def expression(self, node: BNode) -> str:
        """A short Manchester-like text for an anonymous class expression."""
        g = self.graph
        for keyword, predicate in (("or", OWL.unionOf), ("and", OWL.intersectionOf), ("one of", OWL.oneOf)):
            members = g.value(node, predicate)
            if members is not None:
                return "(" + f" {keyword} ".join(self.curie(str(m)) for m in Collection(g, members)) + ")"
        prop = g.value(node, OWL.onProperty)
        for keyword, predicate in (("some", OWL.someValuesFrom), ("only", OWL.allValuesFrom), ("value", OWL.hasValue),
                                   ("min", OWL.minQualifiedCardinality), ("max", OWL.maxQualifiedCardinality),
                                   ("exactly", OWL.qualifiedCardinality), ("min", OWL.minCardinality),
                                   ("max", OWL.maxCardinality), ("exactly", OWL.cardinality)):
            filler = g.value(node, predicate)
            if prop is not None and filler is not None:
                return f"{self.curie(str(prop))} {keyword} {self.curie(str(filler))}"
        return "[…]"

    def texts(self, subject, predicates) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for predicate in predicates:
            for literal in self.graph.objects(subject, predicate):
                if isinstance(literal, Literal):
                    out[literal.language or ""].append(str(literal))
        return {lang: sorted(values) for lang, values in out.items()}

    def term(self, iri: URIRef, kind: str) -> Term:
        g = self.graph
        labels = {k: v[0] for k, v in self.texts(iri, (RDFS.label, SKOS.prefLabel)).items()}
        term = Term(iri=str(iri), curie=self.curie(str(iri)), anchor=self.anchor(str(iri)), kind=kind,
                    own=str(iri).startswith(self.ns), labels=labels,
                    definitions=self.texts(iri, (SKOS.definition, RDFS.comment, DCT.description)))
        relations = {
            "superclasses": g.objects(iri, RDFS.subClassOf), "subclasses": g.subjects(RDFS.subClassOf, iri),
            "superproperties": g.objects(iri, RDFS.subPropertyOf),
            "subproperties": g.subjects(RDFS.subPropertyOf, iri),
            "equivalent": [*g.objects(iri, OWL.equivalentClass), *g.objects(iri, OWL.equivalentProperty)],
            "disjoint": [*g.objects(iri, OWL.disjointWith), *g.subjects(OWL.disjointWith, iri),
                         *self.all_disjoint(iri)],
            "domain": g.objects(iri, RDFS.domain), "range": g.objects(iri, RDFS.range),
            "inverse": [*g.objects(iri, OWL.inverseOf), *g.subjects(OWL.inverseOf, iri)],
            "in_domain_of": g.subjects(RDFS.domain, iri), "in_range_of": g.subjects(RDFS.range, iri),
            "types": [t for t in g.objects(iri, RDF.type) if t not in KINDS.values()],
        }
        for key, nodes in relations.items():
            links = sorted({self.link(n) for n in nodes if n != iri}, key=lambda link: link.text.lower())
            if links:
                term.relations[key] = links
        term.characteristics = [c for c in CHARACTERISTICS if (iri, RDF.type, OWL[c]) in g]
        return term

    def all_disjoint(self, iri: URIRef) -> list:
        out = []
        for axiom in self.graph.subjects(RDF.type, OWL.AllDisjointClasses):
            members = list(Collection(self.graph, self.graph.value(axiom, OWL.members)))
            if iri in members:
                out.extend(m for m in members if m != iri)
        return out

    def hierarchy(self, classes: list[Term]) -> list[TreeNode]:
        own = {URIRef(t.iri) for t in classes if t.own}
        parents = {c: [p for p in self.graph.objects(c, RDFS.subClassOf) if p in own] for c in own}

        def node(c: URIRef, seen: frozenset) -> TreeNode:
            children = sorted((k for k, ps in parents.items() if c in ps and k not in seen), key=self.curie)
            return TreeNode(self.link(c), [node(k, seen | {k}) for k in children])

        return [node(c, frozenset({c})) for c in sorted((c for c, ps in parents.items() if not ps), key=self.curie)]


def build_reference(graph: rdflib.Graph, *, base_iri: str, files: list[str] | None = None) -> OntologyReference:
    """Everything the reference page shows, from the merged ontology ``graph``."""
    reader = _Reader(graph, base_iri)
    sections: dict[str, list[Term]] = {}
    external: list[Term] = []
    seen: set[URIRef] = set()
    for kind, rdf_type in KINDS.items():
        terms = [reader.term(s, kind) for s in set(graph.subjects(RDF.type, rdf_type))
                 if isinstance(s, URIRef) and s not in seen]
        seen.update(URIRef(t.iri) for t in terms)
        sections[kind] = sorted((t for t in terms if t.own), key=lambda t: t.curie.lower())
        external.extend(t for t in terms if not t.own)
    for term in external:
        mapped = [s for p in (RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty)
                  for s in graph.subjects(p, URIRef(term.iri)) if str(s).startswith(reader.ns)]
        if mapped:
            term.relations["mapped_from"] = sorted({reader.link(s) for s in mapped}, key=lambda x: x.text)
    ontology = URIRef(vocab.ontology_ns(base_iri).rstrip("#"))
    metadata: dict[str, list[str | Link]] = {
        "version": [str(v) for v in graph.objects(ontology, OWL.versionInfo)],
        "version_iri": [reader.link(v) for v in graph.objects(ontology, OWL.versionIRI)],
        "imports": [reader.link(v) for v in graph.objects(ontology, OWL.imports)],
        "modules": [reader.link(m) for m in graph.subjects(RDF.type, OWL.Ontology) if m != ontology],
        "license": [reader.link(v) if isinstance(v, URIRef) else str(v)
                    for v in graph.objects(ontology, DCT.license)],
        "creator": [str(v) for v in graph.objects(ontology, DCT.creator)],
        "created": [str(v) for v in graph.objects(ontology, DCT.created)],
        "modified": [str(v) for v in graph.objects(ontology, DCT.modified)],
    }
    return OntologyReference(
        iri=str(ontology),
        metadata={k: v for k, v in metadata.items() if v},
        titles={k: v[0] for k, v in reader.texts(ontology, (DCT.title, RDFS.label)).items()},
        descriptions={k: v[0] for k, v in reader.texts(ontology, (DCT.description,)).items()},
        sections=sections,
        external=sorted(external, key=lambda t: t.curie.lower()),
        hierarchy=reader.hierarchy(sections["classes"]),
        files=files or [],
    )


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape())


def render(reference: OntologyReference, *, lang: str, languages: dict[str, str]) -> str:
    """The reference as an HTML page in ``lang``; ``languages`` maps each language to the page's URL in it."""
    words = messages(lang)
    return _environment().get_template("ontology.html").render(
        ref=reference, lang=lang, m=words, t=words, languages=languages, other="en" if lang == "ru" else "ru",
        generated=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
    )


@lru_cache(maxsize=2)
def _reference(stamp: tuple[tuple[str, float], ...], base_iri: str) -> OntologyReference:
    paths = [Path(path) for path, _mtime in stamp]
    reference = build_reference(load_graph(paths), base_iri=base_iri, files=[p.name for p in paths])
    log.info("built the ontology reference from %d files", len(paths))
    return reference


def reference_html(settings: Settings, *, lang: str, languages: dict[str, str]) -> str:
    """The reference page in ``lang``, rebuilt when an ontology file changes and otherwise kept in memory.

    :raises SourceError: no ontology file, or one does not parse.
    """
    files = ontology_files(settings)
    if not files:
        raise SourceError(settings.project_dir / "ontology", "no ontology files found")
    stamp = tuple((str(f.path), f.mtime) for f in files)
    return render(_reference(stamp, settings.base_iri), lang=lang, languages=languages)
