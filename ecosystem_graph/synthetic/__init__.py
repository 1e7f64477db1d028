"""A synthetic biomedical innovation ecosystem at any scale, for benchmarks and scale tests.

:func:`generate` writes a complete project folder (``ontology/`` and ``sparql/`` copied from a template project,
``data/vocabularies.ttl`` with the controlled vocabularies, and ``data/synthetic-NNNN.nt`` files of bounded size)
that ``ecosystem-graph load --project DIR`` loads as it is. The data follows the patterns of the curated
``data/*.ttl`` with the real ontology terms, passes the SHACL contract, and gives rows for every competency query.
The same seed gives the same bytes. ``synthetic.json`` beside ``data/`` records the counts and, under
``parameters``, sample IRIs to bind the named queries' parameters to.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from random import Random

from rdflib import Graph, Namespace
from rdflib.namespace import RDF, SKOS

from ..config import DEFAULT_BASE_IRI
from ..errors import ConfigError, SourceError
from ..sources.files import discover
from .nodes import Concept, Context
from .region import Region
from .terms import Predicates

log = logging.getLogger(__name__)

MANIFEST = "synthetic.json"
VOCABULARIES = Path("data/vocabularies.ttl")
#: the smallest target that still fits one whole region core (every competency question answered)
MIN_TRIPLES = 1_000


@dataclass
class GeneratedProject:
    """What :func:`generate` wrote."""

    path: Path
    seed: int
    target: int
    triples: int  # every triple the project loads: generated data + copied ontology and vocabularies
    generated: int  # the triples in data/synthetic-*.nt
    regions: int
    files: list[str] = field(default_factory=list)
    seconds: float = 0.0
    parameters: dict[str, str] = field(default_factory=dict)

    @property
    def triples_per_second(self) -> float:
        return self.generated / self.seconds if self.seconds else 0.0


class NTriplesFiles:
    """Streams blocks of N-Triples lines into ``synthetic-NNNN.nt`` files of at most about ``file_triples`` each."""

    def __init__(self, folder: Path, *, file_triples: int):
        self.folder = folder
        self.file_triples = file_triples
        self.files: list[Path] = []
        self.triples = 0
        self._in_file = 0
        self._handle = None

    def write(self, lines: list[str]) -> None:
        if self._handle is None or self._in_file >= self.file_triples:
            self._rotate()
        self._handle.write("".join(lines))
        self._in_file += len(lines)
        self.triples += len(lines)

    def _rotate(self) -> None:
        self.close()
        path = self.folder / f"synthetic-{len(self.files):04d}.nt"
        self._handle = path.open("w", encoding="utf-8", newline="\n", buffering=1 << 20)
        self.files.append(path)
        self._in_file = 0

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def generate(output: Path, *, triples: int, seed: int = 0, template: Path, file_triples: int = 250_000) -> \
        GeneratedProject:
    """Write a synthetic project of about ``triples`` triples (all files it loads, ontology included) to ``output``.

    :raises ConfigError: ``output`` holds something other than an earlier synthetic project, or the target is tiny.
    :raises SourceError: the template lacks ``ontology/``, ``sparql/`` or ``data/vocabularies.ttl``.
    """
    if triples < MIN_TRIPLES:
        raise ConfigError(f"--triples must be at least {MIN_TRIPLES} (one region with every kind of node)")
    started = time.perf_counter()
    _prepare(output, template)
    template_triples = _count_loaded_triples(output)
    ctx = _context(output / VOCABULARIES)
    writer = NTriplesFiles(output / "data", file_triples=file_triples)
    budget = triples - template_triples
    regions = 0
    try:
        while writer.triples < budget:
            for block in Region(ctx, regions, Random(f"{seed}:{regions}")).blocks():
                writer.write(block.lines)
                if writer.triples >= budget:
                    break
            regions += 1
    finally:
        writer.close()
    project = GeneratedProject(
        path=output, seed=seed, target=triples, triples=template_triples + writer.triples, generated=writer.triples,
        regions=regions, files=[str(p.relative_to(output)) for p in writer.files],
        seconds=time.perf_counter() - started, parameters=dict(ctx.samples))
    manifest = {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(project).items()}
    (output / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    log.debug("generated %d triples (%d regions, %d files) in %.1fs: %.0f triples/s", project.generated, regions,
              len(writer.files), project.seconds, project.triples_per_second)
    return project


def read_manifest(project: Path) -> dict:
    """The ``synthetic.json`` of a generated project. :raises SourceError: if there is none."""
    try:
        return json.loads((project / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourceError(project / MANIFEST, "not a generated project (no manifest)") from None


def _prepare(output: Path, template: Path) -> None:
    for part in ("ontology", "sparql", VOCABULARIES):
        if not (template / part).exists():
            raise SourceError(template / part, "the template project lacks it")
    if output.exists() and any(output.iterdir()) and not (output / MANIFEST).exists():
        raise ConfigError(f"{output} is not empty and not a generated project; choose another --output")
    if output.resolve() == template.resolve():
        raise ConfigError("--output must not be the template project itself")
    for part in ("ontology", "sparql", "data"):
        shutil.rmtree(output / part, ignore_errors=True)
    (output / MANIFEST).unlink(missing_ok=True)
    output.mkdir(parents=True, exist_ok=True)
    shutil.copytree(template / "ontology", output / "ontology")
    shutil.copytree(template / "sparql", output / "sparql")
    (output / "data").mkdir()
    shutil.copyfile(template / VOCABULARIES, output / VOCABULARIES)


def _count_loaded_triples(project: Path) -> int:
    files = discover([project / "ontology", project / "data"], project_dir=project, base_iri=DEFAULT_BASE_IRI)
    return sum(len(Graph().parse(f.path)) for f in files)


def _context(vocabularies: Path) -> Context:
    """The concepts the generator refers to, read from the controlled vocabularies (so they always exist)."""
    graph = Graph().parse(vocabularies)
    scheme = Namespace(DEFAULT_BASE_IRI + "id/concept-scheme/")
    concept = DEFAULT_BASE_IRI + "id/concept/"

    def labelled(node) -> Concept:
        labels = {lit.language: str(lit) for lit in graph.objects(node, SKOS.prefLabel)}
        return f"<{node}>", labels.get("ru", ""), labels.get("en", "")

    def members(name: str) -> list[Concept]:
        found = sorted(graph.subjects(SKOS.inScheme, scheme[name]))
        if not found:
            raise SourceError(vocabularies, f"concept scheme {name} has no concepts")
        return [labelled(node) for node in found]

    def one(name: str) -> Concept:
        node = next((n for n in graph.subjects(RDF.type, SKOS.Concept) if str(n) == concept + name), None)
        if node is None:
            raise SourceError(vocabularies, f"the concept {name} is missing")
        return labelled(node)

    return Context(
        base_iri=DEFAULT_BASE_IRI, p=Predicates(DEFAULT_BASE_IRI), fields=members("fields"), roles=members("roles"),
        statuses={key: one(f"status-{key}") for key in ("planned", "under-construction", "in-development",
                                                        "operating")},
        speaker=one("participant-role-speaker")[0], company_kind=one("member-kind-company")[0],
        news_kind=one("source-kind-news-article")[0], advertising_kind=one("source-kind-advertising")[0])
