"""Find the ontology and data files, and name the graph each one loads into."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from ..errors import SourceError
from ..vocab import graph_iri

if TYPE_CHECKING:
    from ..store import GraphStore

log = logging.getLogger(__name__)

#: file suffix -> RDF media type; the store layer maps media types to its parser.
FORMATS: dict[str, str] = {
    ".ttl": "text/turtle",
    ".trig": "application/trig",
    ".nt": "application/n-triples",
    ".nq": "application/n-quads",
    ".jsonld": "application/ld+json",
    ".rdf": "application/rdf+xml",
    ".owl": "application/rdf+xml",
}

#: folders whose files are never loaded: drafts of the drafting assistant wait there for review
#: (``data/drafts/``); ``ecosystem-graph draft-accept`` moves a reviewed draft out, through the gate
SKIPPED_DIRS = frozenset({"drafts"})

#: formats whose files may name their own graphs; their default-graph triples go to the file's graph.
QUAD_FORMATS = frozenset({"application/trig", "application/n-quads", "application/ld+json"})


@dataclass(frozen=True)
class SourceFile:
    """One RDF file and the named graph it loads into."""

    path: Path
    relative: PurePosixPath
    media_type: str
    graph: str

    @property
    def is_ontology(self) -> bool:
        return self.relative.parts[0] == "ontology"

    @property
    def mtime(self) -> float:
        return self.path.stat().st_mtime


def discover(source_dirs: list[Path], *, project_dir: Path, base_iri: str) -> list[SourceFile]:
    """All RDF files below ``source_dirs``, in a stable order.

    :raises SourceError: if a folder is missing or two files would share one graph.
    """
    found: list[SourceFile] = []
    seen: dict[str, Path] = {}
    for folder in source_dirs:
        if not folder.is_dir():
            raise SourceError(folder, "source folder does not exist")
        for path in sorted(folder.rglob("*")):
            media_type = FORMATS.get(path.suffix.lower())
            if media_type is None or not path.is_file() or path.name.startswith("."):
                continue
            if SKIPPED_DIRS & set(path.relative_to(folder).parts[:-1]):
                continue
            relative = _relative(path, project_dir)
            graph = graph_iri(base_iri, relative)
            if graph in seen:
                raise SourceError(path, f"loads into the same graph <{graph}> as {seen[graph]}; rename one of them")
            seen[graph] = path
            found.append(SourceFile(path=path, relative=relative, media_type=media_type, graph=graph))
    log.debug("discovered %d source files", len(found))
    return found


def newest_mtime(files: list[SourceFile]) -> float:
    return max((f.mtime for f in files), default=0.0)


def _relative(path: Path, project_dir: Path) -> PurePosixPath:
    try:
        return PurePosixPath(path.resolve().relative_to(project_dir.resolve()).as_posix())
    except ValueError:  # a folder outside the project: name the graph after the folder and file
        return PurePosixPath(path.parent.name, path.name)


def is_stale(store: GraphStore, files: list[SourceFile]) -> bool:
    """True when the store is empty or older than any source file (``serve`` then builds it first)."""
    built = store.built_at()
    if built is None or store.is_empty():
        return True
    return any(f.mtime > built for f in files)  # journal entries are written before the write's generation
