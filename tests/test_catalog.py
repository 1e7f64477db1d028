"""ontology/catalog-v001.xml resolves every owl:imports offline, for Protégé, the OWL API and the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecosystem_graph.errors import SourceError
from ecosystem_graph.reasoning.owlapi import OntologyLoadError, check_profile
from ecosystem_graph.reasoning.owlapi.catalog import imports_closure, ontology_iris, owl_imports, read_catalog

from .conftest import REPO
from .owl_fixtures import OWL_FIXTURES

ONTOLOGY_DIR = REPO / "ontology"
CATALOG = ONTOLOGY_DIR / "catalog-v001.xml"
UNMAPPED = OWL_FIXTURES / "unmapped-import"


def _ontology_files() -> list[Path]:
    if not (ONTOLOGY_DIR / "ecosystem.ttl").exists():
        pytest.skip("ontology/ecosystem.ttl is not written yet")
    return sorted(ONTOLOGY_DIR.glob("*.ttl"))


def test_catalog_maps_every_import_to_a_local_file_declaring_it() -> None:
    mapping = read_catalog(CATALOG)
    for file in _ontology_files():
        for iri in owl_imports(file):
            assert iri in mapping, f"{file.name}: owl:imports <{iri}> is not in {CATALOG.name}"
            target = mapping[iri]
            assert target.is_file(), f"{CATALOG.name} maps <{iri}> to missing {target}"
            assert target.resolve().parent == ONTOLOGY_DIR.resolve()
            assert iri in ontology_iris(target), f"{target.name} does not declare <{iri}> as its IRI or version IRI"


def test_every_catalog_entry_points_to_an_existing_file() -> None:
    _ontology_files()
    for iri, target in read_catalog(CATALOG).items():
        assert target.is_file(), f"{CATALOG.name} maps <{iri}> to missing {target}"


def test_ontology_iri_and_version_iri_are_in_the_catalog() -> None:
    (ecosystem,) = [f for f in _ontology_files() if f.name == "ecosystem.ttl"]
    mapping = read_catalog(CATALOG)
    for iri in ontology_iris(ecosystem):
        assert mapping.get(iri) == ecosystem.resolve()


@pytest.mark.java
def test_owlapi_loads_the_ontology_offline(owlapi: None) -> None:
    files = _ontology_files()
    report = check_profile(ONTOLOGY_DIR / "ecosystem.ttl", CATALOG)
    assert not report.fatal
    # Every import went through the catalog, to a local file (OwlCheck.java also disables http for the JVM).
    closure = imports_closure(ONTOLOGY_DIR / "ecosystem.ttl", CATALOG)
    assert len(report.imports) == len(closure) - 1
    for iri, document in report.imports.items():
        assert document.startswith("file:/"), (iri, document)
        assert Path(document.removeprefix("file:")).resolve() in {f.resolve() for f in files}


@pytest.mark.java
def test_unmapped_import_fails_loudly(owlapi: None) -> None:
    # The fixture imports FOAF, which is on the web: the check must refuse it rather than download it.
    with pytest.raises(OntologyLoadError) as caught:
        check_profile(UNMAPPED / "ontology.ttl", UNMAPPED / "catalog-v001.xml")
    message = str(caught.value)
    assert "owl:imports <http://xmlns.com/foaf/0.1/>" in message
    assert "not mapped by catalog" in message and str(UNMAPPED / "catalog-v001.xml") in message
    (fatal,) = caught.value.report.fatal
    assert fatal.details["cause"] == "unmapped_import"
    # The import that IS in the catalog was resolved to its local file before the failure.
    assert caught.value.report.imports["https://example.org/fixture/module"].endswith("/valid/module.ttl")


def test_python_catalog_reader_agrees_on_fixtures() -> None:
    assert imports_closure(OWL_FIXTURES / "valid" / "ontology.ttl", OWL_FIXTURES / "valid" / "catalog-v001.xml") == [
        (OWL_FIXTURES / "valid" / "ontology.ttl").resolve(),
        (OWL_FIXTURES / "valid" / "module.ttl").resolve(),
    ]
    with pytest.raises(SourceError, match="not mapped"):
        imports_closure(UNMAPPED / "ontology.ttl", UNMAPPED / "catalog-v001.xml")
