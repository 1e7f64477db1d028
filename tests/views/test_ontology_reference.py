"""The ontology reference, generated from the Turtle modules: terms with ru and en labels and definitions, the
hierarchy, characteristics, disjointness and the alignments; regenerated when a file changes."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from ecosystem_graph.config import Settings
from ecosystem_graph.errors import SourceError
from ecosystem_graph.views import ontology_reference as ontology_docs

from ..conftest import REPO, require

BASE = "https://w3id.org/ecosystem-graph/"
LANGUAGES = {"ru": "/ontology?lang=ru", "en": "/ontology?lang=en"}


@pytest.fixture(scope="module")
def reference() -> ontology_docs.OntologyReference:
    require((REPO / "ontology" / "ecosystem.ttl").exists(), "the project ontology is not written yet")
    files = ontology_docs.ontology_files(Settings(project_dir=REPO))
    graph = ontology_docs.load_graph([f.path for f in files])
    return ontology_docs.build_reference(graph, base_iri=BASE, files=[f.path.name for f in files])


def term(reference: ontology_docs.OntologyReference, curie: str) -> ontology_docs.Term:
    everything = [t for terms in reference.sections.values() for t in terms] + reference.external
    return next(t for t in everything if t.curie == curie)


def test_modules_are_merged_and_shapes_left_out(reference: ontology_docs.OntologyReference) -> None:
    assert "ecosystem.ttl" in reference.files and "alignments.ttl" in reference.files
    assert "shapes.ttl" not in reference.files
    assert reference.titles["ru"] and reference.titles["en"]
    assert reference.metadata["version"]


def test_classes_have_both_languages_and_their_place(reference: ontology_docs.OntologyReference) -> None:
    university = term(reference, "eco:University")
    assert university.anchor == "University"
    assert university.labels == {"ru": "Университет", "en": "University"}
    assert university.definitions["ru"] and university.definitions["en"]
    parents = {link.text for link in university.relations["superclasses"]}
    assert {"eco:FormalOrganization", "schema:CollegeOrUniversity"} <= parents
    assert "eco:University" in {link.text for link in term(reference, "eco:FormalOrganization").relations["subclasses"]}
    disjoint = {link.text for link in term(reference, "eco:Person").relations["disjoint"]}
    assert "eco:Organization" in disjoint  # from owl:AllDisjointClasses


def test_properties_show_domain_range_and_characteristics(reference: ontology_docs.OntologyReference) -> None:
    within = term(reference, "eco:withinStructureOf")
    assert within.kind == "object_properties"
    assert "TransitiveProperty" in within.characteristics
    assert {link.text for link in within.relations["domain"]} == {"eco:Organization"}
    assert "eco:subOrganizationOf" in {link.text for link in within.relations["subproperties"]}


def test_external_terms_list_the_project_terms_aligned_to_them(reference: ontology_docs.OntologyReference) -> None:
    foaf_person = term(reference, "foaf:Person")
    assert not foaf_person.own and foaf_person.anchor == "foaf-Person"
    assert "eco:Person" in {link.text for link in foaf_person.relations["mapped_from"]}
    assert all(not t.own for t in reference.external)
    assert all(t.own for terms in reference.sections.values() for t in terms)


def test_hierarchy_nests_own_classes(reference: ontology_docs.OntologyReference) -> None:
    roots = {node.link.text: node for node in reference.hierarchy}
    assert "eco:Organization" in roots and "eco:University" not in roots

    def find(nodes, text):
        for node in nodes:
            if node.link.text == text:
                return node
            found = find(node.children, text)
            if found:
                return found
        return None

    formal = find(roots["eco:Organization"].children, "eco:FormalOrganization")
    assert formal is not None and find(formal.children, "eco:University") is not None


def test_rendered_page_has_anchors_and_both_languages(reference: ontology_docs.OntologyReference) -> None:
    page = ontology_docs.render(reference, lang="en", languages=LANGUAGES)
    assert 'id="University"' in page and 'id="foaf-Person"' in page and 'id="withinStructureOf"' in page
    assert '<html lang="en">' in page
    assert "Университет" in page and 'lang="ru"' in page  # the other language is shown beside
    assets = re.findall(r"<(?:script|link)\b[^>]*?\b(?:src|href)=\"([^\"]+)\"", page)
    assert assets and all(a.startswith("/") for a in assets)  # offline: every script and style is ours
    russian = ontology_docs.render(reference, lang="ru", languages=LANGUAGES)
    assert "<h1>Онтология экосистемы биомедицинских инноваций</h1>" in russian
    assert "Классы" in russian


def write_ontology(project: Path, extra: str = "") -> Path:
    (project / "ontology").mkdir(parents=True, exist_ok=True)
    (project / "data").mkdir(exist_ok=True)
    path = project / "ontology" / "onto.ttl"
    path.write_text(f"""@prefix eco: <{BASE}ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{BASE}ontology> a owl:Ontology .
eco:Thing a owl:Class ; rdfs:label "Вещь"@ru, "Thing"@en .
{extra}
""", encoding="utf-8")
    (project / "ontology" / "shapes.ttl").write_text("", encoding="utf-8")
    return path


def test_reference_is_rebuilt_when_a_file_changes(tmp_path: Path) -> None:
    path = write_ontology(tmp_path)
    settings = Settings(project_dir=tmp_path)
    first = ontology_docs.reference_html(settings, lang="en", languages=LANGUAGES)
    assert 'id="Thing"' in first and 'id="Gadget"' not in first
    write_ontology(tmp_path, 'eco:Gadget a owl:Class ; rdfs:subClassOf eco:Thing ; rdfs:label "Gadget"@en .')
    stat = path.stat()
    os.utime(path, (stat.st_atime, stat.st_mtime + 5))
    second = ontology_docs.reference_html(settings, lang="en", languages=LANGUAGES)
    assert 'id="Gadget"' in second


def test_a_broken_module_names_its_file(tmp_path: Path) -> None:
    path = write_ontology(tmp_path, "eco:Broken a owl:Class ; rdfs:label .")
    with pytest.raises(SourceError) as raised:
        ontology_docs.reference_html(Settings(project_dir=tmp_path), lang="en", languages=LANGUAGES)
    assert raised.value.path == path


def test_no_ontology_files_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "ontology").mkdir()
    (tmp_path / "data").mkdir()
    with pytest.raises(SourceError):
        ontology_docs.reference_html(Settings(project_dir=tmp_path), lang="en", languages=LANGUAGES)
