"""On a generated project broken on purpose, the SPARQL gate reports what pySHACL reports: the whole-store
queries (class tests as anti-joins, counts split into focus nodes with values and without) and the focus-node
queries of a write alike."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from ecosystem_graph.gate import sparql_engine
from ecosystem_graph.synthetic import generate

from ..conftest import REPO
from .test_sparql_engine import INVALID, _outcome, both, contract, project_generation  # noqa: F401 - a fixture

_BROKEN = """
@prefix eco:  <https://w3id.org/ecosystem-graph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix t:    <https://w3id.org/ecosystem-graph/id/test/> .

# sh:class: a blank value of no class, a literal, a named node of the wrong class; sh:maxCount 1: three holders
t:post-bad-holders a eco:Post ; rdfs:label "Пост"@ru , "Post"@en ;
    eco:heldBy [ rdfs:comment "nobody" ] , "a person" , <{site}> ; eco:postIn <{organization}> .
# sh:or of classes: a concept, a literal, a blank node of no class (and one of each allowed class, which conform)
<{event}> eco:hasParticipant <{field}> , "someone" , [ rdfs:comment "nobody" ] , <{person}> , <{organization}> .
# no value at all: sh:minCount, sh:qualifiedMinCount (labels in ru and en)
t:bare-post a eco:Post .
# sh:qualifiedMaxCount and sh:uniqueLang: two Russian labels; sh:languageIn: a German one
<{site}> rdfs:label "Ещё одно имя"@ru , "Name"@de .
"""


def _broken_project(tmp_path: Path) -> tuple[Path, Path]:
    generated = generate(tmp_path / "synthetic", triples=4_000, seed=5, template=REPO)
    broken = tmp_path / "broken.ttl"
    broken.write_text(_BROKEN.format(**generated.parameters), encoding="utf-8")
    return generated.path, broken


def test_a_broken_generated_project_gets_the_report_of_pyshacl(contract: Graph, tmp_path: Path) -> None:  # noqa: F811
    project, broken = _broken_project(tmp_path)
    with project_generation(project, broken, *INVALID) as (generation, data, ontology):
        reference, ours = both(generation, data, ontology, contract)
        values = {(v.focus_node, v.constraint, v.value) for v in sparql_engine.check(
            contract, sparql_engine.selector(generation, data + ontology)).violations}
    assert ours == reference
    components = {c for _f, c, _s in ours}
    assert {"ClassConstraintComponent", "OrConstraintComponent", "MinCountConstraintComponent",
            "MaxCountConstraintComponent", "QualifiedMinCountConstraintComponent",
            "QualifiedMaxCountConstraintComponent", "UniqueLangConstraintComponent", "LanguageInConstraintComponent",
            "HasValueConstraintComponent", "DatatypeConstraintComponent"} <= components
    test = "https://w3id.org/ecosystem-graph/id/test/"
    held = {value for focus, c, value in values
            if focus == test + "post-bad-holders" and c == "ClassConstraintComponent"}
    assert len(held) == 3 and '"a person"' in held  # the blank node, the literal and the site, each named
    assert (test + "bare-post", "QualifiedMinCountConstraintComponent", None) in values


def test_the_focus_node_check_agrees_with_the_whole_check(contract: Graph, tmp_path: Path) -> None:  # noqa: F811
    project, broken = _broken_project(tmp_path)
    with project_generation(project, broken) as (generation, data, ontology):
        select = sparql_engine.selector(generation, data + ontology)
        whole = sparql_engine.check(contract, select)
        focus = sorted({f"<{v.focus_node}>" for v in whole.violations} | {f"<{project_node}>" for project_node in (
            "https://w3id.org/ecosystem-graph/id/test/post-bad-holders",)})
        focused = sparql_engine.check(contract, select, focus=focus)
    assert whole.violations and _outcome(focused) == _outcome(whole)
