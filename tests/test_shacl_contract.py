"""The SHACL data contract (ontology/shapes.ttl) rejects each kind of broken data with a readable message.

Each ``tests/fixtures/invalid/<rule>-*.ttl`` breaks exactly one rule and says so in its header::

    # expect-focus: <IRI of the offending node>
    # expect-constraint: <local name of the SHACL constraint component>
    # expect-message: <text the message must contain>

A fixture is validated merged with the real data (which conforms on its own), through the same function
the load gate uses, so every violation must come from the fixture's one broken rule.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph

from ecosystem_graph.gate.pyshacl_engine import check_shapes
from ecosystem_graph.gate.shapes import load_shapes

from .conftest import REPO

INVALID = REPO / "tests" / "fixtures" / "invalid"
FIXTURES = sorted(INVALID.glob("*.ttl"))
_EXPECT = re.compile(r"^#\s*expect-(focus|constraint|message):\s*(.+?)\s*$", re.MULTILINE)


def _graph(*paths: Path) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


@cache
def _ontology_nt() -> bytes:
    return _graph(REPO / "ontology" / "ecosystem.ttl", REPO / "ontology" / "alignments.ttl").serialize(
        format="nt", encoding="utf-8")


@cache
def _shapes() -> Graph:
    return load_shapes(REPO / "ontology" / "shapes.ttl")


def _validate(*extra: Path):
    data = _graph(*sorted((REPO / "data").glob("*.ttl")), *extra)
    return check_shapes(data.serialize(format="nt", encoding="utf-8"), _ontology_nt(), _shapes())


def _expectations(path: Path) -> dict[str, str]:
    found = dict(_EXPECT.findall(path.read_text(encoding="utf-8")))
    assert set(found) == {"focus", "constraint", "message"}, f"{path.name}: header lacks an expect- line"
    return found


def test_the_curated_data_conforms() -> None:
    report = _validate()
    assert report.conforms, "\n".join(map(str, report.violations))


def test_there_is_a_fixture_for_each_kind_of_constraint() -> None:
    kinds = {path.name.split("-")[0] for path in FIXTURES}
    assert {"missing", "wrong", "cardinality", "quantity", "label", "range"} <= kinds
    constraints = {_expectations(path)["constraint"] for path in FIXTURES}
    assert {"QualifiedMinCountConstraintComponent", "LanguageInConstraintComponent", "DatatypeConstraintComponent",
            "MinCountConstraintComponent", "MaxCountConstraintComponent", "ClassConstraintComponent",
            "HasValueConstraintComponent", "MinInclusiveConstraintComponent"} <= constraints


@pytest.mark.parametrize("fixture", FIXTURES, ids=[path.stem for path in FIXTURES])
def test_broken_fixture_is_rejected_with_a_message_naming_node_and_constraint(fixture: Path) -> None:
    expected = _expectations(fixture)
    report = _validate(fixture)
    assert not report.conforms
    assert report.violations, "no violation reported"
    for violation in report.violations:
        # exactly the one broken rule: the named node, the named constraint component, the expected message
        assert violation.focus_node == expected["focus"], str(violation)
        assert violation.constraint == expected["constraint"], str(violation)
        assert expected["message"] in violation.message, str(violation)
        text = str(violation)
        assert f"<{expected['focus']}>" in text and expected["constraint"] in text
