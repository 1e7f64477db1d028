"""The SHACL gate as SPARQL (ecosystem_graph.shacl_sparql) reports what pySHACL, the reference, reports:
the same focus nodes and constraint components on the invalid fixtures, on the project data, on a synthetic
project, and on shapes that use every construct it translates. What it cannot translate goes to pySHACL."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from rdflib import Graph

from ecosystem_graph.config import Settings
from ecosystem_graph.errors import ValidationFailed
from ecosystem_graph.gate import pyshacl_engine as validation
from ecosystem_graph.gate import sparql_engine as shacl_sparql
from ecosystem_graph.gate.report import ShapeReport
from ecosystem_graph.gate.shapes import load_shapes
from ecosystem_graph.pipeline import load as loader
from ecosystem_graph.sources.files import discover
from ecosystem_graph.store import GenerationBuilder, open_store
from ecosystem_graph.synthetic import generate

from ..conftest import REPO, require

INVALID = sorted((REPO / "tests" / "fixtures" / "invalid").glob("*.ttl"))
OWN = REPO / "tests" / "fixtures" / "shacl_sparql"
_EXPECT = re.compile(r"^#\s*expect-(focus|constraint|message):\s*(.+?)\s*$", re.MULTILINE)

Outcome = set[tuple[str, str, str]]  # (focus node, constraint component, severity)


@contextmanager
def generation_of(*files: tuple[Path, str, str]) -> Iterator[GenerationBuilder]:
    """A real (in-memory) store generation holding each (file, media type, graph)."""
    store = open_store(Settings(project_dir=REPO, backend="memory"))
    with store.new_generation() as generation:
        for path, media_type, graph in files:
            generation.load(None, media_type, path=str(path), graph=graph)
        yield generation


def both(generation: GenerationBuilder, data: list[str], ontology: list[str], shapes: Graph) -> tuple[Outcome, Outcome]:
    """(pySHACL's outcome, the SPARQL engine's outcome) on the same generation."""
    reference = validation.check_shapes(generation.export("application/n-triples", graphs=data),
                                        generation.export("application/n-triples", graphs=ontology), shapes)
    ours = shacl_sparql.check(shapes, shacl_sparql.selector(generation, data + ontology))
    return _outcome(reference), _outcome(ours)


def _outcome(report: ShapeReport) -> Outcome:
    return {(v.focus_node, v.constraint, v.severity) for v in report.violations + report.warnings}


@contextmanager
def project_generation(project: Path, *extra: Path) -> Iterator[tuple[GenerationBuilder, list[str], list[str]]]:
    settings = Settings(project_dir=project)
    files = discover(settings.source_paths, project_dir=project, base_iri=settings.base_iri)
    data = [f.graph for f in files if not f.is_ontology] + [f"urn:x-test:extra:{p.stem}" for p in extra]
    ontology = [f.graph for f in files if f.is_ontology and f.path != settings.shapes_path]
    with generation_of(*((f.path, f.media_type, f.graph) for f in files),
                       *((p, "text/turtle", f"urn:x-test:extra:{p.stem}") for p in extra)) as generation:
        yield generation, data, ontology


@pytest.fixture(scope="module")
def contract() -> Graph:
    require((REPO / "ontology" / "shapes.ttl").exists(), "the SHACL contract is not written yet")
    return load_shapes(REPO / "ontology" / "shapes.ttl")


@pytest.mark.parametrize("fixture", INVALID, ids=lambda p: p.stem)
def test_invalid_fixture_same_report_as_pyshacl(fixture: Path, contract: Graph) -> None:
    expect = dict(_EXPECT.findall(fixture.read_text(encoding="utf-8")))
    with project_generation(REPO, fixture) as (generation, data, ontology):
        reference, ours = both(generation, data, ontology, contract)
        messages = [v.message for v in shacl_sparql.check(contract, shacl_sparql.selector(
            generation, data + ontology)).violations]
    assert ours == reference
    assert (expect["focus"], expect["constraint"], "Violation") in ours
    assert any(expect["message"] in m for m in messages)


def test_project_data_conforms_for_both_engines(contract: Graph) -> None:
    with project_generation(REPO) as (generation, data, ontology):
        assert both(generation, data, ontology, contract) == (set(), set())


def test_synthetic_project_conforms_for_both_engines(contract: Graph, tmp_path: Path) -> None:
    project = generate(tmp_path / "synthetic", triples=4_000, seed=11, template=REPO).path
    with project_generation(project) as (generation, data, ontology):
        assert both(generation, data, ontology, contract) == (set(), set())


def test_every_translated_construct_matches_pyshacl() -> None:
    shapes = load_shapes(OWN / "shapes.ttl")
    assert shacl_sparql.plan(shapes, {}).fallback == {}
    with generation_of((OWN / "data.ttl", "text/turtle", "urn:x-test:data")) as generation:
        reference, ours = both(generation, ["urn:x-test:data"], [], shapes)
    assert ours == reference
    components = {c for _f, c, _s in ours}
    assert len(components) >= 20, components  # the fixture really breaks (nearly) every kind of constraint
    assert not {f for f, _c, _s in ours} & {"http://example.org/good", "http://example.org/good2"}
    assert ("http://example.org/bad1", "NotConstraintComponent", "Warning") in ours


def test_untranslatable_shapes_fall_back_to_pyshacl() -> None:
    shapes = load_shapes(OWN / "shapes-fallback.ttl")
    plan = shacl_sparql.plan(shapes, {})
    assert {str(s).rsplit("/", 1)[1]: why for s, why in plan.fallback.items()} == {
        "ClosedShape": "sh:closed", "EqualsShape": "sh:equals"}
    with generation_of((OWN / "data.ttl", "text/turtle", "urn:x-test:data")) as generation:
        data = ["urn:x-test:data"]
        select = shacl_sparql.selector(generation, data)
        with pytest.raises(ValueError, match="need pySHACL"):
            shacl_sparql.check(shapes, select)
        exported = generation.export("application/n-triples", graphs=data)
        reference = validation.check_shapes(exported, b"", shapes)
        mixed = shacl_sparql.check(shapes, select,
                                   fallback=lambda residual: validation.check_shapes(exported, b"", residual))
    assert _outcome(mixed) == _outcome(reference)
    assert {c for _f, c, _s in _outcome(mixed)} == {"ClosedConstraintComponent", "EqualsConstraintComponent",
                                                     "MaxCountConstraintComponent"}


@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
def test_the_load_gate_rejects_with_either_engine_and_names_the_file(engine: str, tmp_path: Path) -> None:
    require(bool(INVALID), "no invalid fixtures yet")
    project = tmp_path / "project"
    for part in ("ontology", "data"):
        shutil.copytree(REPO / part, project / part)
    shutil.copyfile(INVALID[0], project / "data" / INVALID[0].name)
    settings = Settings(project_dir=project, backend="memory", shacl_engine=engine, reasoning=False)
    with pytest.raises(ValidationFailed) as failure:
        loader.build(open_store(settings), settings, commit=False)
    focus = dict(_EXPECT.findall(INVALID[0].read_text(encoding="utf-8")))["focus"]
    assert any(focus in line and INVALID[0].name in line for line in failure.value.violations)
