"""HermiT through owlready2 (ecosystem_graph.reasoning_dl) on the real project and on fixtures that must fail."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from ecosystem_graph.errors import SourceError
from ecosystem_graph.reasoning.dl import DLReport, ReasonerTimeout, ReasonerUnavailable, check_dl
from ecosystem_graph.reasoning.owlapi.catalog import imports_closure

from .conftest import REPO, require
from .owl_fixtures import OWL_FIXTURES, expectations, fixtures_for

pytestmark = pytest.mark.java

ONTOLOGY = REPO / "ontology" / "ecosystem.ttl"
CATALOG = REPO / "ontology" / "catalog-v001.xml"
VALID = OWL_FIXTURES / "valid"
UNSAT = "https://example.org/fixture/unsatisfiable#"


@pytest.fixture(scope="module", autouse=True)
def java_installed() -> None:
    require(shutil.which("java") is not None, "java is not installed (HermiT runs on it)")


def test_project_ontology_and_data_are_consistent_and_satisfiable() -> None:
    if not ONTOLOGY.exists():
        pytest.skip("ontology/ecosystem.ttl is not written yet")
    modules = imports_closure(ONTOLOGY, CATALOG)
    data = sorted((REPO / "data").glob("*.ttl"))
    started = time.monotonic()
    report = check_dl(modules, data, timeout=600)
    assert report.consistent, report.format()
    assert report.unsatisfiable == (), report.format()
    assert report.ok
    print(f"HermiT on {len(modules)} modules + {len(data)} data files: {time.monotonic() - started:.1f} s")
    print(report.format())


@pytest.mark.parametrize("fixture", fixtures_for("hermit"), ids=lambda p: p.name)
def test_fixture_outcome(fixture: Path) -> None:
    report = check_dl([fixture])
    expected = expectations(fixture, "hermit")
    verdicts = {e[0] for e in expected}
    assert report.consistent == ("inconsistent" not in verdicts), report.format()
    wanted = sorted(e[1] for e in expected if e[0] == "unsatisfiable")
    assert sorted(u.subject for u in report.unsatisfiable) == wanted, report.format()


def test_valid_fixture_infers_hierarchy() -> None:
    report = check_dl([VALID / "ontology.ttl", VALID / "module.ttl"], [VALID / "data.ttl"])
    assert report.ok, report.format()
    # Researcher ≡ worksAt some University, and worksAt has domain Person: HermiT places it under Person.
    assert dict(report.inferred_superclasses) == {
        "https://example.org/fixture/ontology#Researcher": ("https://example.org/fixture/ontology#Person",)
    }
    assert report.inferred_type_count == 1  # alice is a Researcher
    assert "Inferred superclasses" in report.format()


def test_unsatisfiable_class_is_explained() -> None:
    report = check_dl([OWL_FIXTURES / "unsatisfiable-class.ttl"])
    assert report.consistent and not report.ok
    root, derived = report.unsatisfiable  # root causes first
    assert root.subject == UNSAT + "PersonOrganisation"
    assert root.caused_by == ()
    assert ":Organisation and :Person are disjoint" in root.text
    assert set(root.axioms) == {
        ":PersonOrganisation SubClassOf :Person",
        ":PersonOrganisation SubClassOf :Organisation",
        "DisjointClasses(:Organisation, :Person)",
    }
    assert derived.subject == UNSAT + "FoundingPerson"
    assert derived.caused_by == (UNSAT + "PersonOrganisation",)
    assert ":FoundingPerson ⊑ :PersonOrganisation ⊑ :Person" in derived.text
    assert "fix that first" in derived.text


def test_inconsistency_names_the_individual_and_the_disjoint_classes() -> None:
    report: DLReport = check_dl([OWL_FIXTURES / "inconsistent-disjoint.ttl"])
    assert not report.consistent and not report.ok
    (clash,) = report.inconsistency
    assert clash.subject == "https://example.org/fixture/inconsistent#acme"
    assert "both :Organisation and :Person" in clash.text
    assert "DisjointClasses(:Organisation, :Person)" in clash.axioms
    assert report.format().startswith("INCONSISTENT")


def test_inconsistency_through_a_property_domain(tmp_path: Path) -> None:
    data = tmp_path / "data.ttl"
    data.write_text(
        "@prefix : <https://example.org/fixture/ontology#> .\n@prefix id: <https://example.org/fixture/id/> .\n"
        "id:acme a :Organisation ; :worksAt id:uni .\nid:uni a :University .\n",
        "utf-8",
    )
    report = check_dl([VALID / "ontology.ttl", VALID / "module.ttl"], [data])
    assert not report.consistent
    (clash,) = report.inconsistency
    assert clash.subject == "https://example.org/fixture/id/acme"
    assert any("domain :Person" in a for a in clash.axioms), clash


def test_unsupported_datatype() -> None:
    fixture = OWL_FIXTURES / "unsupported-datatype.ttl"
    report = check_dl([fixture])
    assert report.ok
    assert report.ignored_datatypes == ("http://www.w3.org/2001/XMLSchema#date",)
    with pytest.raises(ReasonerUnavailable, match="XMLSchema#date"):
        check_dl([fixture], ignore_unsupported_datatypes=False)


def test_timeout_stops_hermit() -> None:
    with pytest.raises(ReasonerTimeout):
        check_dl([OWL_FIXTURES / "unsatisfiable-class.ttl"], timeout=0.01)


def test_bad_input() -> None:
    with pytest.raises(FileNotFoundError):
        check_dl([OWL_FIXTURES / "no-such.ttl"])
    with pytest.raises(SourceError, match=r"parse-error\.ttl"):
        check_dl([OWL_FIXTURES / "parse-error.ttl"])
