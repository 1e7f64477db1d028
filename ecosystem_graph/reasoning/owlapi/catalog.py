"""Protégé's ``catalog-v001.xml`` read in Python, as ``OwlCheck.java`` reads it: ``<uri name=... uri=...>``
entries, relative to the catalog's folder and any enclosing ``xml:base``."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import rdflib
from rdflib import OWL, RDF
from rdflib.util import guess_format

from ecosystem_graph.errors import SourceError

__all__ = ["imports_closure", "ontology_iris", "owl_imports", "read_catalog"]

_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


def read_catalog(catalog: str | os.PathLike[str]) -> dict[str, Path]:
    """Ontology IRI → local file, for every ``uri`` entry (files are not required to exist).

    :raises SourceError: when the catalog is not well-formed XML or an entry points off the file system.
    """
    path = Path(catalog).resolve()
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        raise SourceError(path, f"cannot read catalog: {exc}") from exc
    out: dict[str, Path] = {}

    def walk(element: ET.Element, base: str) -> None:
        base = urljoin(base, element.get(_XML_BASE, ""))
        if element.tag.rsplit("}", 1)[-1] == "uri" and element.get("name") and element.get("uri"):
            target = urlparse(urljoin(base, element.get("uri", "")))
            if target.scheme != "file":
                raise SourceError(path, f"catalog entry {element.get('name')} points to {target.geturl()}, not a file")
            out[element.get("name", "")] = Path(unquote(target.path))
        for child in element:
            walk(child, base)

    walk(root, path.parent.as_uri() + "/")
    return out


def _graph(file: Path) -> rdflib.Graph:
    graph = rdflib.Graph()
    try:
        graph.parse(file, format=guess_format(str(file)) or "turtle")
    except Exception as exc:  # rdflib raises many unrelated types for syntax errors
        raise SourceError(file, f"cannot parse: {exc}") from exc
    return graph


def ontology_iris(file: str | os.PathLike[str]) -> set[str]:
    """The IRIs and version IRIs of the ``owl:Ontology`` nodes a file declares."""
    graph = _graph(Path(file))
    headers = set(graph.subjects(RDF.type, OWL.Ontology))
    return {str(h) for h in headers if isinstance(h, rdflib.URIRef)} | {
        str(v) for h in headers for v in graph.objects(h, OWL.versionIRI)
    }


def owl_imports(file: str | os.PathLike[str]) -> list[str]:
    """Every ``owl:imports`` IRI in a file, sorted."""
    return sorted({str(o) for o in _graph(Path(file)).objects(None, OWL.imports)})


def imports_closure(ontology_file: str | os.PathLike[str], catalog: str | os.PathLike[str]) -> list[Path]:
    """The ontology file and, transitively, every file its ``owl:imports`` resolve to through the catalog.

    :raises SourceError: naming the importing file when an import is not in the catalog or its file is missing.
    """
    mapping = read_catalog(catalog)
    first = Path(ontology_file).resolve()
    order = [first]
    todo = [first]
    while todo:
        current = todo.pop()
        for iri in owl_imports(current):
            target = mapping.get(iri)
            if target is None:
                raise SourceError(current, f"owl:imports <{iri}> is not mapped by the catalog {catalog}")
            if not target.is_file():
                raise SourceError(current, f"owl:imports <{iri}> maps to {target}, which does not exist")
            if target.resolve() not in order:
                order.append(target.resolve())
                todo.append(target.resolve())
    return order
