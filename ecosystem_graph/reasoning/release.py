"""The release: one versioned, self-contained artifact of the ontology and all the data, for editors and
reasoners (Protégé, the OWL API, HermiT), plus the ontology alone.

Every file is written in the formats editors take: RDF/XML (``.owl``), Turtle (``.ttl``) and, through the OWL
API (``owlapi/OwlConvert.java``), OWL/XML (``.owx``). The merged artifact is one ``owl:Ontology``
(``{base}release``, version IRI ``{base}release/{version}``) holding the ontology's modules and every data
document, their own headers and ``owl:imports`` replaced by that one header, so it opens with no catalog. A
``catalog-v001.xml`` beside the files maps every IRI and version IRI to them.

The version is the edit file's ``owl:versionInfo`` unless one is given.
"""

from __future__ import annotations

import logging
import os
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import rdflib
from rdflib import DCTERMS, OWL, RDF, RDFS, Literal, URIRef
from rdflib.util import guess_format

from ..config import Settings
from ..errors import EcosystemGraphError, SourceError
from ..sources.files import SourceFile, discover
from .checks import CATALOG, EDIT_FILE, owl_inputs

log = logging.getLogger(__name__)

#: where ``ecosystem-graph release`` writes, relative to the project folder
DEFAULT_FOLDER = Path("var/release")
OWLCONVERT_SOURCE = Path(__file__).with_name("owlapi") / "OwlConvert.java"
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")

#: file suffix -> (rdflib serializer, media type)
_RDF_FORMATS = {".owl": ("xml", "application/rdf+xml"), ".ttl": ("turtle", "text/turtle")}
OWLXML_MEDIA_TYPE = "application/owl+xml"


class ReleaseError(EcosystemGraphError):
    """The release could not be written (no version, the OWL API conversion failed, ...)."""


@dataclass(frozen=True)
class Artifact:
    """One file of the release."""

    path: Path
    media_type: str
    ontology_iri: str
    version_iri: str
    content: str  # "merged" (ontology + data) or "ontology"


@dataclass(frozen=True)
class Release:
    version: str
    folder: Path
    artifacts: tuple[Artifact, ...]
    triples: int

    def of(self, content: str, media_type: str) -> Artifact:
        return next(a for a in self.artifacts if a.content == content and a.media_type == media_type)


def _parse(files: list[Path]) -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in files:
        part = rdflib.Graph()
        try:
            part.parse(path, format=guess_format(str(path)) or "turtle")
        except Exception as exc:  # rdflib raises many unrelated types for syntax errors
            raise SourceError(path, f"cannot parse: {exc}") from exc
        for prefix, namespace in part.namespaces():
            graph.bind(prefix, namespace, override=False)
        graph += part
    return graph


def _drop_headers(graph: rdflib.Graph, *, keep: URIRef | None = None) -> None:
    """Remove every ``owl:Ontology`` header but ``keep``, and every ``owl:imports`` (all merged in)."""
    for header in set(graph.subjects(RDF.type, OWL.Ontology)):
        if header != keep:
            graph.remove((header, None, None))
    graph.remove((None, OWL.imports, None))


def edit_file_version(edit_file: Path) -> tuple[URIRef, URIRef, str]:
    """(ontology IRI, version IRI, version) of the edit file.

    :raises ReleaseError: when the edit file has no header with an ``owl:versionIRI`` and ``owl:versionInfo``.
    """
    graph = _parse([edit_file])
    for header in graph.subjects(RDF.type, OWL.Ontology):
        version_iri, info = graph.value(header, OWL.versionIRI), graph.value(header, OWL.versionInfo)
        if isinstance(header, URIRef) and isinstance(version_iri, URIRef) and info is not None:
            return header, version_iri, str(info)
    raise ReleaseError(f"{edit_file}: no owl:Ontology with owl:versionIRI and owl:versionInfo")


def merged_graph(ontology_files: list[Path], data_files: list[Path], *, iri: URIRef, version_iri: URIRef,
                 version: str) -> rdflib.Graph:
    """The ontology's modules and the data in one graph with one header, ``iri`` at ``version_iri``."""
    graph = _parse([*ontology_files, *data_files])
    _drop_headers(graph)
    graph.add((iri, RDF.type, OWL.Ontology))
    graph.add((iri, OWL.versionIRI, version_iri))
    graph.add((iri, OWL.versionInfo, Literal(version)))
    graph.add((iri, DCTERMS.title, Literal("Граф экосистемы биомедицинских инноваций: онтология и данные", lang="ru")))
    graph.add((iri, DCTERMS.title, Literal("Biomedical innovation ecosystem graph: ontology and data", lang="en")))
    graph.add((iri, DCTERMS.license, LICENSE))
    names = ", ".join(p.name for p in [*ontology_files, *data_files])
    graph.add((iri, RDFS.comment, Literal(f"Выпуск {version}: объединены {names}.", lang="ru")))
    graph.add((iri, RDFS.comment, Literal(f"Release {version}: merges {names}.", lang="en")))
    return graph


def ontology_graph(ontology_files: list[Path], *, iri: URIRef) -> rdflib.Graph:
    """The ontology alone: the edit file's header (its IRI and version IRI) and its modules merged in."""
    graph = _parse(ontology_files)
    _drop_headers(graph, keep=iri)
    return graph


def owlxml(source: Path, target: Path, *, timeout: float = 180) -> None:
    """Write ``source`` (a document without imports) as OWL/XML with the OWL API.

    :raises ReleaseError: when Java or the OWL API fails.
    :raises JavaUnavailable: when Java or the OWL API jars are not installed.
    """
    from .owlapi.classpath import find_java, owlapi_classpath

    command = [find_java(None), "-Xmx1g", "-cp", os.pathsep.join(str(j) for j in owlapi_classpath()),
               str(OWLCONVERT_SOURCE), "--input", str(source), "--output", str(target), "--format", "owlxml"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ReleaseError(f"OWL/XML conversion of {source} took more than {timeout:g} s") from exc
    if done.returncode != 0 or not target.is_file():
        raise ReleaseError(f"OWL/XML conversion of {source} failed: {done.stderr.strip()[-2000:]}")


def _catalog(folder: Path, entries: dict[str, Path]) -> Path:
    ET.register_namespace("", "urn:oasis:names:tc:entity:xmlns:xml:catalog")
    root = ET.Element("{urn:oasis:names:tc:entity:xmlns:xml:catalog}catalog", {"prefer": "public"})
    for name, path in entries.items():
        ET.SubElement(root, "{urn:oasis:names:tc:entity:xmlns:xml:catalog}uri", {"name": name, "uri": path.name})
    ET.indent(root)
    target = folder / "catalog-v001.xml"
    ET.ElementTree(root).write(target, encoding="UTF-8", xml_declaration=True)
    return target


def inputs(settings: Settings, files: list[SourceFile] | None = None) -> tuple[list[Path], list[Path]]:
    """(ontology modules, data files) of the project, the SHACL shapes left out."""
    found = files if files is not None else discover(settings.source_paths, project_dir=settings.project_dir,
                                                    base_iri=settings.base_iri)
    return owl_inputs(settings, found)


def write_release(settings: Settings, *, folder: Path | None = None, version: str | None = None,
                  with_owlxml: bool = True) -> Release:
    """Write the merged release and the ontology alone into ``folder`` (default ``var/release``).

    :raises ReleaseError: when the edit file has no version or the OWL/XML conversion fails.
    :raises SourceError: when a file cannot be parsed.
    """
    edit_file = settings.resolve(EDIT_FILE)
    ontology_iri, ontology_version_iri, edit_version = edit_file_version(edit_file)
    version = version or edit_version
    target = (folder or settings.resolve(DEFAULT_FOLDER)).resolve()
    target.mkdir(parents=True, exist_ok=True)
    ontology_files, data_files = inputs(settings)
    release_iri = URIRef(settings.base_iri + "release")
    release_version_iri = URIRef(f"{release_iri}/{version}")
    merged = merged_graph(ontology_files, data_files, iri=release_iri, version_iri=release_version_iri,
                          version=version)
    alone = ontology_graph(ontology_files, iri=ontology_iri)
    artifacts: list[Artifact] = []
    for content, graph, iri, version_iri, stem in (
        ("merged", merged, release_iri, release_version_iri, f"ecosystem-graph-{version}"),
        ("ontology", alone, ontology_iri, ontology_version_iri, f"ecosystem-ontology-{version}"),
    ):
        for suffix, (rdflib_format, media_type) in _RDF_FORMATS.items():
            path = target / f"{stem}{suffix}"
            graph.serialize(path, format=rdflib_format, encoding="utf-8")
            artifacts.append(Artifact(path, media_type, str(iri), str(version_iri), content))
        if with_owlxml:
            path = target / f"{stem}.owx"
            owlxml(target / f"{stem}.owl", path)
            artifacts.append(Artifact(path, OWLXML_MEDIA_TYPE, str(iri), str(version_iri), content))
    entries = {}
    for artifact in artifacts:
        if artifact.media_type == "application/rdf+xml":
            entries[artifact.ontology_iri] = artifact.path
            entries[artifact.version_iri] = artifact.path
    _catalog(target, entries)
    log.info("release %s: %d files in %s (%d merged triples)", version, len(artifacts), target, len(merged))
    return Release(version, target, tuple(artifacts), len(merged))


def catalog_path(settings: Settings) -> Path:
    return settings.resolve(CATALOG)
