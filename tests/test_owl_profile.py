"""The OWL API profile check (ecosystem_graph.owlapi) on the real project and on fixtures that must fail."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ecosystem_graph.reasoning.owlapi import (
    JavaUnavailable,
    OntologyLoadError,
    OwlCheckTimeout,
    ProfileReport,
    check_profile,
    owlapi_classpath,
)
from ecosystem_graph.reasoning.owlapi.classpath import REQUIRED_JARS, find_java

from .conftest import REPO, require
from .owl_fixtures import FIXTURE_CATALOG, OWL_FIXTURES, expectations, fixtures_for

pytestmark = pytest.mark.java

ONTOLOGY = REPO / "ontology" / "ecosystem.ttl"
CATALOG = REPO / "ontology" / "catalog-v001.xml"


@pytest.fixture(scope="module", autouse=True)
def owlapi_installed() -> None:
    try:
        find_java()
        owlapi_classpath()
    except JavaUnavailable as exc:
        require(False, str(exc))


def _text(finding) -> str:
    return " ".join([finding.kind, finding.message, *finding.details.values()])


def test_project_ontology_with_imports_and_data_is_owl2_dl() -> None:
    if not ONTOLOGY.exists():
        pytest.skip("ontology/ecosystem.ttl is not written yet")
    data = sorted((REPO / "data").glob("*.ttl"))
    started = time.monotonic()
    report = check_profile(ONTOLOGY, CATALOG, data_files=data, timeout=300)
    assert report.ok, report.format()
    assert report.in_dl_profile
    assert len(report.loaded) == 1 + len(data)
    assert report.imports, "ecosystem.ttl imports its modules through the catalog"
    print(f"OWL API check of ontology + {len(data)} data files: {time.monotonic() - started:.1f} s")


def test_valid_fixture_with_import_and_data_is_clean() -> None:
    report = check_profile(
        OWL_FIXTURES / "valid" / "ontology.ttl",
        OWL_FIXTURES / "valid" / "catalog-v001.xml",
        data_files=[OWL_FIXTURES / "valid" / "data.ttl"],
    )
    assert report.ok, report.format()
    assert report.in_dl_profile and report.exit_code == 0
    assert dict(report.imports) == {
        "https://example.org/fixture/module": (OWL_FIXTURES / "valid" / "module.ttl")
        .as_uri()
        .replace("file:///", "file:/")
    }
    # The data's object and data properties are read with the ontology's declarations, not guessed as
    # annotation properties (which would be illegal punning).
    assert report.axiom_count > 30


@pytest.mark.parametrize("fixture", fixtures_for("owl-profile"), ids=lambda p: p.name)
def test_fixture_outcome(fixture: Path) -> None:
    expected = expectations(fixture, "owl-profile")
    if expected[0][0] == "fatal":
        with pytest.raises(OntologyLoadError) as caught:
            check_profile(fixture, FIXTURE_CATALOG)
        fatal = caught.value.report.fatal
        assert [f.details.get("cause") for f in fatal] == [expected[0][1]], caught.value.report.format()
        assert str(fixture) in str(caught.value)
        return
    report = check_profile(fixture, FIXTURE_CATALOG)
    if expected == [["clean"]]:
        assert report.ok, report.format()
        return
    assert not report.ok and report.exit_code == 1
    for kind, *tokens in expected:
        found = [f for f in report.problems if f.kind == kind and all(t in _text(f) for t in tokens)]
        assert found, f"expected {kind} {tokens} in:\n{report.format()}"
        assert all(f.message for f in found)


def test_profile_violation_names_axiom_and_file() -> None:
    report = check_profile(OWL_FIXTURES / "not-dl-transitive-cardinality.ttl", FIXTURE_CATALOG)
    (violation,) = report.of_kind("profile_violation")
    assert violation.details["violation"] == "UseOfNonSimplePropertyInCardinalityRestriction"
    assert violation.details["axiom"] == "SubClassOf(:Unit ObjectMaxCardinality(1 :partOf owl:Thing))"
    assert violation.file == str(OWL_FIXTURES / "not-dl-transitive-cardinality.ttl")
    assert not report.in_dl_profile


def test_undeclared_entity_is_reported_once_per_entity() -> None:
    report = check_profile(OWL_FIXTURES / "undeclared-entity.ttl", FIXTURE_CATALOG)
    undeclared = report.of_kind("undeclared_entity")
    assert [(f.details["entity"], f.details["entity_type"]) for f in undeclared] == [
        ("https://example.org/fixture/undeclared#Agent", "Class")
    ]


def test_data_file_with_undeclared_property_is_reported(tmp_path: Path) -> None:
    data = tmp_path / "data.ttl"
    data.write_text(
        "@prefix : <https://example.org/fixture/ontology#> .\n"
        "<https://example.org/fixture/id/x> a :Person ; :undeclaredLink <https://example.org/fixture/id/y> .\n",
        "utf-8",
    )
    report = check_profile(
        OWL_FIXTURES / "valid" / "ontology.ttl", OWL_FIXTURES / "valid" / "catalog-v001.xml", data_files=[data]
    )
    entities = {f.details.get("entity") for f in report.problems if f.kind == "undeclared_entity"}
    assert "https://example.org/fixture/ontology#undeclaredLink" in entities
    assert all(f.file == str(data) for f in report.of_kind("undeclared_entity"))


def test_report_is_readable() -> None:
    report: ProfileReport = check_profile(OWL_FIXTURES / "not-dl-punning.ttl", FIXTURE_CATALOG)
    text = report.format()
    assert text.splitlines()[0].startswith("OWL 2 DL: ")
    assert "IllegalPunning" in text and "not-dl-punning.ttl" in text


def test_timeout_stops_the_jvm() -> None:
    with pytest.raises(OwlCheckTimeout):
        check_profile(OWL_FIXTURES / "not-dl-punning.ttl", FIXTURE_CATALOG, timeout=0.05)


def test_missing_jars_are_named(tmp_path: Path) -> None:
    with pytest.raises(JavaUnavailable) as caught:
        owlapi_classpath([tmp_path])
    for name in ("owlapi-distribution", "slf4j-simple"):
        assert name in str(caught.value)
    assert len(REQUIRED_JARS) == len(owlapi_classpath())


def test_missing_file_raises() -> None:
    with pytest.raises(FileNotFoundError):
        check_profile(OWL_FIXTURES / "no-such.ttl", FIXTURE_CATALOG)
