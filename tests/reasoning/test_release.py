"""Each data file is an ontology document that Protégé and the OWL API open alone, with the catalog; the release
is one versioned, merged artifact (RDF/XML, OWL/XML, Turtle) that is OWL 2 DL and consistent (HermiT)."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import rdflib
from rdflib import OWL, RDF, URIRef

from ecosystem_graph.config import Settings
from ecosystem_graph.reasoning.owlapi import JavaUnavailable, check_profile, owlapi_classpath
from ecosystem_graph.reasoning.owlapi.catalog import ontology_iris, owl_imports, read_catalog
from ecosystem_graph.reasoning.protege import check_document
from ecosystem_graph.reasoning.release import OWLXML_MEDIA_TYPE, write_release

from ..cli.conftest import run
from ..conftest import REPO, require

DATA = REPO / "data"
DATA_FILES = sorted(DATA.glob("*.ttl"))
DATA_CATALOG = DATA / "catalog-v001.xml"
ONTOLOGY_CATALOG = REPO / "ontology" / "catalog-v001.xml"
ONTOLOGY_IRI = "https://w3id.org/ecosystem-graph/ontology"
DATA_NS = "https://w3id.org/ecosystem-graph/data/"


def _header(file: Path) -> tuple[str, str]:
    graph = rdflib.Graph().parse(file)
    (header,) = graph.subjects(RDF.type, OWL.Ontology)
    return str(header), str(graph.value(header, OWL.versionIRI))


@pytest.mark.parametrize("file", DATA_FILES, ids=lambda f: f.name)
def test_every_data_file_has_an_ontology_header_mapped_by_both_catalogs(file: Path) -> None:
    iri, version_iri = _header(file)
    assert iri == DATA_NS + file.stem
    assert re.fullmatch(re.escape(iri) + r"/\d+\.\d+\.\d+", version_iri), version_iri
    for catalog in (DATA_CATALOG, ONTOLOGY_CATALOG):
        mapping = read_catalog(catalog)
        assert mapping.get(iri) == file.resolve(), f"{catalog} does not map <{iri}>"
        assert mapping.get(version_iri) == file.resolve(), f"{catalog} does not map <{version_iri}>"
        for imported in owl_imports(file):
            assert imported in mapping, f"{file.name} imports <{imported}>, not in {catalog}"
            assert imported in ontology_iris(mapping[imported])
    assert ONTOLOGY_IRI in owl_imports(file), "a data file imports the ontology whose terms it uses"


def test_the_data_catalog_and_the_ontology_catalog_agree() -> None:
    assert read_catalog(DATA_CATALOG) == read_catalog(ONTOLOGY_CATALOG)


def test_the_template_has_the_header() -> None:
    text = (DATA / "TEMPLATE.ttl.example").read_text(encoding="utf-8")
    assert "a owl:Ontology" in text and "owl:versionIRI" in text and f"owl:imports <{ONTOLOGY_IRI}>" in text


@pytest.mark.java
@pytest.mark.parametrize("file", DATA_FILES, ids=lambda f: f.name)
def test_owlapi_opens_each_data_file_alone_with_the_catalog(owlapi: None, file: Path) -> None:
    report = check_profile(file, DATA_CATALOG)
    assert report.ok, report.format()
    assert report.in_dl_profile
    assert ONTOLOGY_IRI in report.imports, "the ontology came in through the catalog, so the individuals are typed"
    assert all(doc.startswith("file:/") for doc in report.imports.values())


@pytest.mark.java
def test_a_data_file_without_its_header_fails_alone(owlapi: None, tmp_path: Path) -> None:
    bare = tmp_path / "bare.ttl"
    text = (DATA / "international-medical-cluster-biotech.ttl").read_text(encoding="utf-8")
    bare.write_text(_strip_header(text), encoding="utf-8")
    outcome = check_document(bare, DATA_CATALOG, label="data/bare.ttl")
    assert not outcome.ok
    assert "data/bare.ttl: no owl:Ontology header" in outcome.problems[0]
    # Given a header but no imports, the OWL API guesses the properties to be annotation properties.
    no_imports = tmp_path / "no-imports.ttl"
    no_imports.write_text("<urn:x:no-imports> a <http://www.w3.org/2002/07/owl#Ontology> .\n" + _strip_header(text),
                          encoding="utf-8")
    outcome = check_document(no_imports, DATA_CATALOG)
    assert any("UseOfUndeclaredAnnotationProperty" in p for p in outcome.problems), outcome.problems


def _strip_header(text: str) -> str:
    stripped = re.sub(r"\n<https://w3id\.org/ecosystem-graph/data/[^>]+> a owl:Ontology ;.*?\.\n", "\n", text,
                      flags=re.DOTALL)
    assert "owl:Ontology" not in stripped
    return stripped


@pytest.mark.java
def test_cli_check_fails_naming_a_data_file_without_its_header(owlapi: None, tmp_path: Path) -> None:
    for folder in ("ontology", "data", "sparql"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    target = tmp_path / "data" / "international-medical-cluster-biotech.ttl"
    target.write_text(_strip_header(target.read_text(encoding="utf-8")), encoding="utf-8")
    result = run(Settings(project_dir=tmp_path, backend="memory"), "check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "FAIL data/international-medical-cluster-biotech.ttl opened alone" in result.stdout
    assert "data/international-medical-cluster-biotech.ttl: no owl:Ontology header" in result.stdout
    assert "ok   data/sechenov-zelenograd-agreement-2017.ttl opened alone" in result.stdout


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory):
    try:
        owlapi_classpath()
    except JavaUnavailable as exc:
        require(False, str(exc))
    return write_release(Settings(project_dir=REPO, backend="memory"), folder=tmp_path_factory.mktemp("release"))


@pytest.mark.java
def test_release_artifacts_parse_and_carry_their_version_iri(release) -> None:
    assert release.version == "0.1.0"
    kinds = {(a.content, a.media_type) for a in release.artifacts}
    assert kinds == {(c, m) for c in ("merged", "ontology")
                     for m in ("application/rdf+xml", "text/turtle", OWLXML_MEDIA_TYPE)}
    data_subjects = set()
    for file in DATA_FILES:
        data_subjects |= {s for s in rdflib.Graph().parse(file).subjects() if str(s).startswith(
            "https://w3id.org/ecosystem-graph/id/")}
    for artifact in release.artifacts:
        assert artifact.path.name.endswith(f"-{release.version}{artifact.path.suffix}")
        if artifact.media_type == OWLXML_MEDIA_TYPE:
            root = ET.parse(artifact.path).getroot()
            assert root.tag == "{http://www.w3.org/2002/07/owl#}Ontology"
            assert (root.get("ontologyIRI"), root.get("versionIRI")) == (artifact.ontology_iri, artifact.version_iri)
            continue
        graph = rdflib.Graph().parse(artifact.path)
        assert set(graph.subjects(RDF.type, OWL.Ontology)) == {URIRef(artifact.ontology_iri)}
        assert graph.value(URIRef(artifact.ontology_iri), OWL.versionIRI) == URIRef(artifact.version_iri)
        assert not set(graph.objects(None, OWL.imports)), "a release is self-contained"
        subjects = set(graph.subjects())
        if artifact.content == "merged":
            assert artifact.version_iri == f"https://w3id.org/ecosystem-graph/release/{release.version}"
            assert data_subjects <= subjects, "every individual of every data file is in the merged release"
        else:
            assert artifact.version_iri == f"{ONTOLOGY_IRI}/{release.version}"
            assert not data_subjects & subjects
    catalog = read_catalog(release.folder / "catalog-v001.xml")
    assert catalog[f"https://w3id.org/ecosystem-graph/release/{release.version}"] == release.of(
        "merged", "application/rdf+xml").path


@pytest.mark.java
@pytest.mark.parametrize("media_type", ["application/rdf+xml", OWLXML_MEDIA_TYPE])
def test_merged_release_is_owl2_dl_alone(release, media_type: str) -> None:
    merged = release.of("merged", media_type)
    report = check_profile(merged.path, release.folder / "catalog-v001.xml", timeout=300)
    assert report.ok, report.format()
    assert report.in_dl_profile and not report.imports
    (loaded,) = report.loaded
    assert loaded.details["ontology"] == merged.ontology_iri


@pytest.mark.java
def test_merged_release_is_consistent_for_hermit(release) -> None:
    from ecosystem_graph.reasoning.dl import check_dl

    report = check_dl([release.of("merged", "application/rdf+xml").path], timeout=300)
    assert report.consistent, report.format()
    assert report.ok, report.format()


@pytest.mark.java
def test_cli_release_writes_the_folder(owlapi: None, tmp_path: Path) -> None:
    result = run(Settings(project_dir=REPO, backend="memory"), "release", "--output", str(tmp_path), "--no-owlxml",
                 "--version", "9.9.9")
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "catalog-v001.xml", "ecosystem-graph-9.9.9.owl", "ecosystem-graph-9.9.9.ttl",
        "ecosystem-ontology-9.9.9.owl", "ecosystem-ontology-9.9.9.ttl"]
    assert "<https://w3id.org/ecosystem-graph/release/9.9.9>" in result.stdout
