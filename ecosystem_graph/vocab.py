"""Namespaces and IRI minting, in one place."""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
DC = "http://purl.org/dc/elements/1.1/"
FOAF = "http://xmlns.com/foaf/0.1/"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "https://schema.org/"
PROV = "http://www.w3.org/ns/prov#"
TIME = "http://www.w3.org/2006/time#"
GEO = "http://www.opengis.net/ont/geosparql#"
SH = "http://www.w3.org/ns/shacl#"
VOID = "http://rdfs.org/ns/void#"
SD = "http://www.w3.org/ns/sparql-service-description#"


def ontology_ns(base_iri: str) -> str:
    return base_iri + "ontology#"


def prefixes(base_iri: str) -> dict[str, str]:
    """The prefixes offered to query writers and used when serialising."""
    return {
        "eco": ontology_ns(base_iri),
        "id": base_iri + "id/",
        "rdf": RDF,
        "rdfs": RDFS,
        "owl": OWL,
        "xsd": XSD,
        "skos": SKOS,
        "dcterms": DCT,
        "foaf": FOAF,
        "org": ORG,
        "schema": SCHEMA,
        "prov": PROV,
        "time": TIME,
        "geo": GEO,
    }


def sparql_prologue(base_iri: str) -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes(base_iri).items())


def graph_iri(base_iri: str, relative_path: PurePosixPath | str) -> str:
    """The named graph of a source file: ``{base}graph/{path without extension}``.

    >>> graph_iri("https://w3id.org/ecosystem-graph/", "data/sources.ttl")
    'https://w3id.org/ecosystem-graph/graph/data/sources'
    """
    path = PurePosixPath(relative_path)
    stem = path.with_suffix("") if path.suffix else path
    return base_iri + "graph/" + "/".join(slugify(part, keep_case=True) for part in stem.parts)


def inferred_graph_iri(base_iri: str) -> str:
    """The named graph that holds the materialised entailments."""
    return base_iri + "graph/inferred"


def updates_graph_iri(base_iri: str) -> str:
    """Where a write puts the triples it sends to the default graph (every triple lives in a named graph)."""
    return base_iri + "graph/updates"


def individual_iri(base_iri: str, kind: str, slug: str) -> str:
    """``{base}id/{kind}/{slug}``, both slugified.

    >>> individual_iri("https://w3id.org/ecosystem-graph/", "organization", "Sechenov University")
    'https://w3id.org/ecosystem-graph/id/organization/sechenov-university'
    """
    return f"{base_iri}id/{slugify(kind)}/{slugify(slug)}"


_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya".split(),
        strict=True,
    )
)


def slugify(text: str, *, keep_case: bool = False) -> str:
    """Lower-case ASCII slug; Cyrillic transliterated (a simplified BGN/PCGN scheme).

    >>> slugify("Сеченовский Университет"), slugify("Зеленоград: ИНОКЦ «Зеленоград»")
    ('sechenovskiy-universitet', 'zelenograd-inokts-zelenograd')
    """
    out = []
    for ch in text if keep_case else text.lower():
        low = ch.lower()
        if low in _CYRILLIC:
            out.append("" if _CYRILLIC[low] == "-" else _CYRILLIC[low])
        else:
            out.append(ch)
    ascii_text = unicodedata.normalize("NFKD", "".join(out)).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9._]+", "-", ascii_text).strip("-") or "x"
