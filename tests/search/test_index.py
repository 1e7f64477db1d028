"""The label search index: normalisation, matching in Russian and English, ranking, and its life per generation."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecosystem_graph.config import Settings
from ecosystem_graph.pipeline import load as loader
from ecosystem_graph.search import index as search
from ecosystem_graph.sources.queries import parse_query_file
from ecosystem_graph.store import GraphStore, open_store

from ..conftest import REPO

ID = "https://w3id.org/ecosystem-graph/id/"

# Labels chosen to exercise each rule; the mini project's Sechenov University and Svistunov come along.
CASES = """
@prefix eco: <https://w3id.org/ecosystem-graph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix id: <https://w3id.org/ecosystem-graph/id/> .

id:person\\/petr-yolkin a eco:Person ; rdfs:label "Пётр Ёлкин"@ru , "Pyotr Yolkin"@en .
id:organization\\/cafe a eco:Organization ; rdfs:label "Café Señor"@en ; skos:altLabel "Кафе «Сеньор»"@ru .
id:organization\\/bio a eco:Organization ; rdfs:label "Био"@ru .
id:organization\\/bio-park a eco:Organization ; rdfs:label "Биопарк"@ru .
id:organization\\/big-bio-park a eco:Organization ; rdfs:label "Большой биопарк"@ru .
id:organization\\/symbiosis a eco:Organization ; rdfs:label "Симбиоз"@ru .
id:person\\/named a eco:Person ; foaf:name "Plain Name Ltd" .
id:concept\\/medicine a skos:Concept ; skos:prefLabel "медицина"@ru , "medicine"@en .
"""


@pytest.fixture
def case_settings(mini_project: Path, tmp_path: Path) -> Settings:
    (mini_project / "data" / "search-cases.ttl").write_text(CASES, encoding="utf-8")
    return Settings(project_dir=mini_project, store_path=tmp_path / "store", backend="memory")


@pytest.fixture
def index(case_settings: Settings) -> search.SearchIndex:
    store = open_store(case_settings)
    loader.build(store, case_settings)
    return search.index_for(store, case_settings)


def iris(hits: list[search.Hit]) -> list[str]:
    return [h.entry.iri.removeprefix(ID) for h in hits]


@pytest.mark.parametrize(("text", "expected"), [
    ("Сечёнов", "сеченов"),
    ("ЁЛКИН", "елкин"),
    ("Café  Señor!", "cafe senor"),
    ("Инновационный территориальный кластер «Зеленоград»", "инновационный территориальный кластер зеленоград"),
    ("Пётр Йорк", "петр йорк"),  # й is a letter, not an accented и
    ("I.M. Sechenov", "i m sechenov"),
])
def test_normalise_folds_case_accents_yo_and_punctuation(text: str, expected: str) -> None:
    assert search.normalise(text) == expected


def test_russian_and_english_prefixes_find_the_university(index: search.SearchIndex) -> None:
    assert iris(index.search("Сечен"))[0] == "organization/sechenov-university"
    assert iris(index.search("sechenov"))[0] == "organization/sechenov-university"


@pytest.mark.parametrize("text", ["СЕЧЕНОВСКИЙ", "сеченовский", "SECHENOV UNIVERSITY", "séchenov", "ЧЕНОВ"])
def test_matching_ignores_case_and_accents_and_finds_substrings(index: search.SearchIndex, text: str) -> None:
    assert "organization/sechenov-university" in iris(index.search(text))


@pytest.mark.parametrize("text", ["Ёлкин", "елкин", "Пётр", "петр ел"])
def test_yo_and_ye_are_the_same_letter(index: search.SearchIndex, text: str) -> None:
    assert iris(index.search(text)) == ["person/petr-yolkin"]


def test_accents_are_ignored_both_ways(index: search.SearchIndex) -> None:
    assert iris(index.search("cafe senor")) == ["organization/cafe"]
    assert iris(index.search("Сеньор")) == ["organization/cafe"]  # an alternative label matches too
    hit = index.search("Сеньор")[0]
    assert hit.matched == "Кафе «Сеньор»" and hit.matched_lang == "ru"
    assert hit.entry.label("ru") == "Café Señor"  # no Russian display label: falls back to the English one


def test_ranking_exact_then_prefix_then_word_then_substring_then_shorter(index: search.SearchIndex) -> None:
    hits = index.search("био", limit=10)
    assert iris(hits) == ["organization/bio", "organization/bio-park", "organization/big-bio-park",
                          "organization/symbiosis"]
    assert [h.tier for h in hits] == [0, 2, 4, 6]  # the odd tiers are the same by lemmas


def test_short_queries_match_word_prefixes(index: search.SearchIndex) -> None:
    assert iris(index.search("би", limit=10)) == ["organization/bio", "organization/bio-park",
                                                  "organization/big-bio-park"]
    assert "person/andrey-svistunov" in iris(index.search("a", limit=50))


def test_kinds_classes_and_both_labels(index: search.SearchIndex) -> None:
    hit = index.search("Сеченовский университет")[0]
    assert hit.tier == 0
    assert hit.entry.kind == "organisation"
    assert hit.entry.class_iri == "https://w3id.org/ecosystem-graph/ontology#University"
    assert hit.entry.class_label("ru") == "Университет" and hit.entry.class_label("en") == "University"
    assert hit.entry.labels == {"ru": "Сеченовский университет", "en": "Sechenov University"}
    assert index.search("svistunov")[0].entry.kind == "person"
    assert index.search("medicine")[0].entry.kind == "concept"
    assert index.search("plain name")[0].entry.label("en") == "Plain Name Ltd"  # foaf:name, no language


def test_limit_and_empty_queries(index: search.SearchIndex) -> None:
    assert len(index.search("с", limit=10)) > 2 and len(index.search("с", limit=2)) == 2
    assert index.search("") == [] and index.search("  «» ") == []
    assert index.search("нет такого слова") == []


def test_the_embedded_store_gets_an_index_file_per_generation(mini_settings: Settings,
                                                              mini_store: GraphStore) -> None:
    generation = mini_store.generation_id()
    path = mini_settings.store_dir / "search" / f"{generation}.sqlite"
    assert path.is_file()
    assert search.index_for(mini_store, mini_settings).path == path

    loader.build(mini_store, mini_settings, full=True)  # a new generation, a new index; the old file may stay a while
    assert mini_store.generation_id() != generation
    newer = mini_settings.store_dir / "search" / f"{mini_store.generation_id()}.sqlite"
    assert newer.is_file() and search.index_for(mini_store, mini_settings).path == newer

    other = open_store(mini_settings)  # another process would open the file rather than build it again
    try:
        stamp = newer.stat().st_mtime_ns
        assert iris(search.index_for(other, mini_settings).search("Сечен"))[0] == "organization/sechenov-university"
        assert newer.stat().st_mtime_ns == stamp
    finally:
        other.close()


def test_old_index_files_are_removed(mini_settings: Settings, mini_store: GraphStore) -> None:
    for _ in range(4):
        loader.build(mini_store, mini_settings, full=True)
    files = sorted((mini_settings.store_dir / "search").glob("*.sqlite"))
    assert len(files) == 3
    assert files[-1].stem == mini_store.generation_id()


def test_a_generation_written_without_the_loader_is_indexed_on_first_use(mini_settings: Settings,
                                                                         mini_store: GraphStore) -> None:
    turtle = f'<{ID}organization/new-one> <http://www.w3.org/2000/01/rdf-schema#label> "Новая организация"@ru .\n'
    with mini_store.new_generation(copy_current=True) as generation:
        generation.load(turtle.encode(), "application/n-triples", graph=mini_settings.base_iri + "graph/extra")
        generation.commit()
    assert not (mini_settings.store_dir / "search" / f"{mini_store.generation_id()}.sqlite").exists()
    hits = search.index_for(mini_store, mini_settings).search("новая")
    assert iris(hits) == ["organization/new-one"]
    assert (mini_settings.store_dir / "search" / f"{mini_store.generation_id()}.sqlite").is_file()


@pytest.mark.parametrize("text", ["СЕЧЕН", "sechenov", "сечёнов"])
def test_the_label_scan_is_the_slow_path_to_the_same_answer(project_settings: Settings, project_store: GraphStore,
                                                             text: str) -> None:
    """The scan ``search-labels`` was before it asked the index (tests/web/test_search_labels_rewrite.py)."""
    query = parse_query_file(REPO / "tests" / "fixtures" / "named-queries-before" / "search-labels.rq")
    rows = project_store.select(query.sparql, substitutions=query.bindings({"q": text}))
    assert ID + "organization/sechenov-university" in [r["resource"]["value"] for r in rows[:3]]
    assert [int(r["rank"]["value"]) for r in rows] == sorted(int(r["rank"]["value"]) for r in rows)
    assert all(search.normalise(text) in search.normalise(r["label"]["value"]) for r in rows)
    fast = search.index_for(project_store, project_settings).search(text, limit=50)
    assert {r["resource"]["value"] for r in rows} <= {h.entry.iri for h in fast}  # the index also reads lemmas
