"""A resource's description (see :mod:`ecosystem_graph.describe`) as plain data for an HTML page.

Labels are picked in the reader's language, facts are grouped by kind (structure, people and posts,
agreements, events, sites, status...), n-ary fact nodes are shown whole with their quoted evidence, and
every source document cited is listed with the evidence sentences taken from it. Nothing here knows HTML:
templates render these dataclasses, and link targets come from :class:`Linker`.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .. import vocab
from ..search.index import SearchIndex
from ..store import GraphStore
from .describe import LABEL_PROPERTIES, describe, iri_ref
from .summary import Section, summary
from .words import term_label

log = logging.getLogger(__name__)

RDF_TYPE = URIRef(vocab.RDF + "type")
DEFINITIONS = (URIRef(vocab.SKOS + "definition"), URIRef(vocab.RDFS + "comment"), URIRef(vocab.DCT + "description"))

#: the order of the groups on a page; each key has a title in the web layer's messages.
GROUP_ORDER = ("about", "structure", "people", "agreements", "events", "sites", "status", "quotes", "other")

#: ontology local name (of a fact's class, or of a predicate) -> group.
GROUP_OF: dict[str, str] = {
    **dict.fromkeys(("subOrganizationOf", "unitOf", "blockOf", "subordinateTo", "withinStructureOf", "managedBy",
                     "coordinatedBy", "associatedWith", "countOf", "MembershipCount", "hasField"), "structure"),
    **dict.fromkeys(("Post", "heldBy", "postIn", "role", "director", "member"), "people"),
    **dict.fromkeys(("AgreementParty", "Signature", "hasParty", "partyOrganization", "hasSignature", "signatory",
                     "onBehalfOf", "inCapacityOf", "subjectOfCooperation", "underAgreement",
                     "projectParticipant"), "agreements"),
    **dict.fromkeys(("Participation", "venue", "organizer", "coOrganizer", "hasParticipant", "hasSpeaker",
                     "participationIn", "participant", "representing", "partOfEvent", "ledTo", "resultedIn"),
                    "events"),
    **dict.fromkeys(("hasSite", "locatedIn", "area", "floorArea", "Quantity"), "sites"),
    **dict.fromkeys(("StatusAssertion", "hasStatus", "status", "period", "Period"), "status"),
    **dict.fromkeys(("Quotation", "spokenBy", "about", "quoteText"), "quotes"),
}


@dataclass(frozen=True)
class Value:
    """A term as shown: its text (a label for IRIs) and, for resources, where it links."""

    text: str
    iri: str | None = None
    href: str | None = None
    lang: str | None = None
    datatype: str | None = None

    @property
    def is_literal(self) -> bool:
        return self.iri is None


@dataclass(frozen=True)
class Statement:
    """One predicate and its values; ``inverse`` when the resource is the object (``values`` point at it)."""

    predicate: Value
    values: tuple[Value, ...]
    inverse: bool = False


@dataclass(frozen=True)
class Fact:
    """An n-ary fact node around the resource: how it links to it, its own statements, evidence and sources."""

    node: Value
    types: tuple[Value, ...]
    link: Statement
    statements: tuple[Statement, ...]
    evidence: tuple[str, ...] = ()
    sources: tuple[Value, ...] = ()
    nested: tuple[Fact, ...] = ()


@dataclass(frozen=True)
class Citation:
    """A source document cited by the resource or its facts, with the evidence quoted from it."""

    source: Value
    details: tuple[Statement, ...]
    quotes: tuple[str, ...]
    #: where the document's text is read (its own page, at #text)
    text_href: str | None = None


@dataclass
class Group:
    key: str
    statements: list[Statement] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)


@dataclass(frozen=True)
class ResourceView:
    iri: str
    lang: str
    label: str
    other_labels: tuple[Value, ...]
    types: tuple[Value, ...]
    definitions: tuple[Value, ...]
    groups: tuple[Group, ...]
    citations: tuple[Citation, ...]
    evidence: tuple[str, ...]
    summary: tuple[Section, ...] = ()
    #: the text of a source document (its file named by eco:fileName), on the document's own page
    text: str | None = None


class Linker:
    """Where a resource's link points: our own pages for IRIs under the base, the IRI itself otherwise."""

    def __init__(self, base_iri: str, *, root: str = "", lang: str | None = None):
        self.base_iri = base_iri
        self.root = root.rstrip("/")
        self.suffix = f"?lang={lang}" if lang else ""

    def href(self, iri: str) -> str | None:
        if iri.startswith(self.base_iri):
            rest = iri[len(self.base_iri):]
            if rest.startswith("id/"):
                return f"{self.root}/page/{rest[3:]}{self.suffix}"
            if rest.startswith("ontology"):
                path, _, fragment = rest.partition("#")
                return f"{self.root}/{path}{self.suffix}" + (f"#{fragment}" if fragment else "")
            return f"{self.root}/{rest}"
        return iri if iri.startswith(("http://", "https://")) else None


class _Builder:
    def __init__(self, graph: Graph, iri: str, lang: str, linker: Linker):
        self.graph = graph
        self.subject = URIRef(iri)
        self.lang = lang
        self.linker = linker
        self.eco = vocab.ontology_ns(linker.base_iri)
        self.evidence_p = URIRef(self.eco + "evidence")
        self.source_p = URIRef(self.eco + "source")
        self.documents = set(graph.objects(None, self.source_p))

    # terms -------------------------------------------------------------------------------------------------
    def label(self, node: Node) -> str:
        literals = [o for p in LABEL_PROPERTIES for o in self.graph.objects(node, URIRef(p)) if isinstance(o, Literal)]
        for wanted in (self.lang, None):
            for literal in literals:
                if literal.language == wanted:
                    return str(literal)
        if literals:
            return str(literals[0])
        if isinstance(node, URIRef) and (ours := term_label(str(node), self.lang)):
            return ours
        if isinstance(node, URIRef):
            text = str(node)
            return text.rsplit("#", 1)[-1] if "#" in text else text.rstrip("/").rsplit("/", 1)[-1]
        types = sorted(self.value(t).text for t in self.graph.objects(node, RDF_TYPE))
        return ", ".join(types) or "…"

    def value(self, node: Node) -> Value:
        if isinstance(node, Literal):
            datatype = str(node.datatype) if node.datatype else None
            return Value(str(node), lang=node.language, datatype=datatype)
        if isinstance(node, BNode):
            return Value(self.label(node))
        return Value(self.label(node), iri=str(node), href=self.linker.href(str(node)))

    def values(self, nodes: Iterable[Node]) -> tuple[Value, ...]:
        """The nodes as values, sorted; of language-tagged literals only those in the reader's language, if any."""
        nodes = set(nodes)
        if any(isinstance(n, Literal) and n.language == self.lang for n in nodes):
            nodes = {n for n in nodes if not (isinstance(n, Literal) and n.language and n.language != self.lang)}
        return tuple(sorted((self.value(n) for n in nodes), key=lambda v: v.text.lower()))

    def group_of(self, iri: Node) -> str:
        text = str(iri)
        return GROUP_OF.get(text[len(self.eco):], "other") if text.startswith(self.eco) else "other"

    # facts -------------------------------------------------------------------------------------------------
    def is_fact(self, node: Node) -> bool:
        """A node around the subject whose own statements the description carries (not a plain neighbour)."""
        if node == self.subject or node in self.documents or isinstance(node, Literal):
            return False
        if isinstance(node, BNode):
            return True
        shown = {RDF_TYPE, *map(URIRef, LABEL_PROPERTIES)}
        return any(p not in shown and o != self.subject for p, o in self.graph.predicate_objects(node))

    def statements(self, node: Node, *, skip: set) -> list[Statement]:
        by_predicate: dict[Node, list[Node]] = defaultdict(list)
        for p, o in self.graph.predicate_objects(node):
            if p in skip or p in (RDF_TYPE, self.evidence_p, self.source_p) or (node, p, o) in skip:
                continue
            by_predicate[p].append(o)
        return sorted((Statement(self.value(p), self.values(objs)) for p, objs in by_predicate.items()),
                      key=lambda s: s.predicate.text.lower())

    def evidence(self, node: Node, *, shown: Iterable[str] = ()) -> tuple[str, ...]:
        """The node's evidence sentences, cleaned, without those already shown around it."""
        already = set(shown)
        return tuple(sorted({clean_quote(str(q)) for q in self.graph.objects(node, self.evidence_p)} - already))

    def fact(self, node: Node, link: Statement, depth: int = 0) -> Fact:
        labels = set(map(URIRef, LABEL_PROPERTIES))
        nested = []
        skip: set = set(labels)
        evidence = self.evidence(node)
        if depth == 0:
            for p, o in self.graph.predicate_objects(node):
                if p != RDF_TYPE and o != self.subject and self.is_fact(o):
                    inner = self.fact(o, Statement(self.value(p), ()), depth + 1)
                    # the same sentence under the fact and under a fact inside it is shown once, on the outer
                    nested.append(replace(inner, evidence=tuple(q for q in inner.evidence if q not in evidence)))
                    skip.add((node, p, o))
        skip.update((node, p, self.subject) for p in self.graph.predicates(node, self.subject))
        return Fact(
            node=self.value(node),
            types=self.values(self.graph.objects(node, RDF_TYPE)),
            link=link,
            statements=tuple(self.statements(node, skip=skip)),
            evidence=evidence,
            sources=self.values(self.graph.objects(node, self.source_p)),
            nested=tuple(nested),
        )

    def fact_group(self, node: Node, predicate: Node) -> str:
        for kind in self.graph.objects(node, RDF_TYPE):
            if self.group_of(kind) != "other":
                return self.group_of(kind)
        return self.group_of(predicate)

    # the page ----------------------------------------------------------------------------------------------
    def build(self) -> ResourceView:
        groups = {key: Group(key) for key in GROUP_ORDER}
        subject = self.subject
        shown = {RDF_TYPE, self.evidence_p, self.source_p, *map(URIRef, LABEL_PROPERTIES), *DEFINITIONS}
        forward: dict[Node, list[Node]] = defaultdict(list)
        for p, o in self.graph.predicate_objects(subject):
            if p in shown:
                continue
            if self.is_fact(o):
                link = Statement(self.value(p), (), inverse=False)
                groups[self.fact_group(o, p)].facts.append(self.fact(o, link))
            else:
                forward[p].append(o)
        for p, objs in forward.items():
            key = "about" if all(isinstance(o, Literal) for o in objs) else self.group_of(p)
            groups[key].statements.append(Statement(self.value(p), self.values(objs)))
        backward: dict[Node, list[Node]] = defaultdict(list)
        for s, p in self.graph.subject_predicates(subject):
            if self.is_fact(s):
                link = Statement(self.value(p), (), inverse=True)
                groups[self.fact_group(s, p)].facts.append(self.fact(s, link))
            elif p != self.source_p:
                backward[p].append(s)
        for p, subjects in backward.items():
            groups[self.group_of(p)].statements.append(Statement(self.value(p), self.values(subjects), inverse=True))
        for group in groups.values():
            group.statements.sort(key=lambda s: (s.inverse, s.predicate.text.lower()))
            group.facts.sort(key=lambda f: (f.link.predicate.text.lower(), f.node.text.lower()))
        labels = [o for p in LABEL_PROPERTIES for o in self.graph.objects(subject, URIRef(p))]
        return ResourceView(
            iri=str(subject),
            lang=self.lang,
            label=self.label(subject),
            other_labels=tuple(sorted({Value(str(o), lang=getattr(o, "language", None)) for o in labels
                                       if str(o) != self.label(subject)},
                                      key=lambda v: v.text.lower())),
            types=self.values(self.graph.objects(subject, RDF_TYPE)),
            definitions=self.values(o for p in DEFINITIONS for o in self.graph.objects(subject, p)),
            groups=tuple(g for g in groups.values() if g.statements or g.facts),
            citations=self.citations(),
            evidence=self.evidence(subject),
        )

    def citations(self) -> tuple[Citation, ...]:
        out = []
        for document in self.documents:
            quotes = sorted({clean_quote(str(q)) for citer in self.graph.subjects(self.source_p, document)
                             for q in self.graph.objects(citer, self.evidence_p)})
            details = self.statements(document, skip=set(map(URIRef, LABEL_PROPERTIES)))
            source = self.value(document)
            text_href = f"{source.href.partition('?')[0]}{self.linker.suffix}#text" if source.href else None
            out.append(Citation(source, tuple(details), tuple(quotes), text_href))
        return tuple(sorted(out, key=lambda c: c.source.text.lower()))


def clean_quote(text: str) -> str:
    """An evidence sentence as quoted on a page (inside «»): its own unmatched opening « at the start, or
    closing » at the end, dropped — sentences cut out of a quotation keep one mark of it, which doubled up as
    ««...» beside ours."""
    text = text.strip()
    if text.startswith("«") and text.count("«") > text.count("»"):
        text = text[1:].lstrip()
    if text.endswith("»") and text.count("»") > text.count("«"):
        text = text[:-1].rstrip()
    return text


def resource_view(graph: Graph, iri: str, *, lang: str, linker: Linker) -> ResourceView:
    """The page of ``iri`` in ``lang`` from its description ``graph``."""
    return _Builder(graph, iri, lang, linker).build()


_LABELS = "SELECT ?n ?l WHERE {{ VALUES ?n {{ {values} }} ?n <{label}> ?l }}"


def add_labels(store: GraphStore, graph: Graph, *, timeout: float | None = None) -> None:
    """Labels, from the store, of the IRIs the description names but does not label (the properties of a
    source document, say), so that the page shows the ontology's ``рубрика`` rather than ``rubric``."""
    labelled = {s for p in LABEL_PROPERTIES for s in graph.subjects(URIRef(p), None)}
    named = {n for triple in graph for n in triple if isinstance(n, URIRef)}
    missing = sorted(str(n) for n in named - labelled)
    for start in range(0, len(missing), 200):
        values = " ".join(iri_ref(n) for n in missing[start:start + 200])
        rows = store.select(_LABELS.format(values=values, label=vocab.RDFS + "label"), include_inferred=False,
                            timeout=timeout)
        for row in rows:
            label = row["l"]
            graph.add((URIRef(row["n"]["value"]), URIRef(vocab.RDFS + "label"),
                       Literal(label["value"], lang=label.get("xml:lang"))))


def source_text(graph: Graph, iri: str, texts: Path | None, base_iri: str) -> str | None:
    """The text of the source document ``iri``: the file its ``eco:fileName`` names in ``texts``, if there."""
    if texts is None:
        return None
    for name in graph.objects(URIRef(iri), URIRef(vocab.ontology_ns(base_iri) + "fileName")):
        path = texts / str(name)
        if Path(str(name)).name == str(name) and path.is_file():
            return path.read_text(encoding="utf-8")
        log.debug("no text for <%s> at %s", iri, path)
    return None


def page(store: GraphStore, iri: str, *, lang: str, linker: Linker, timeout: float | None = None,
         index: SearchIndex | None = None, texts: Path | None = None) -> ResourceView:
    """Describe ``iri`` through the store and shape it for its page, with the summary at its top (given the
    search index) and, for a source document, its text (given the folder of ``texts``).

    :raises NotFound: nothing is known about ``iri``.
    """
    graph = describe(store, iri, timeout=timeout)
    add_labels(store, graph, timeout=timeout)
    view = resource_view(graph, iri, lang=lang, linker=linker)
    sections = summary(store, index, iri, lang=lang, href=linker.href, timeout=timeout) if index else ()
    return replace(view, summary=sections, text=source_text(graph, iri, texts, linker.base_iri))
