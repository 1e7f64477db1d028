"""The search index follows a write at the cost of the write, and holds exactly what a full build of the same
generation holds: random small changes (labels, types, class labels, whole resources) through the write API."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from contextlib import closing

import pytest

from ecosystem_graph.config import Settings
from ecosystem_graph.pipeline import load as loader
from ecosystem_graph.pipeline import writes
from ecosystem_graph.search import index as search
from ecosystem_graph.store import GraphStore, open_store

ECO = "https://w3id.org/ecosystem-graph/ontology#"
ID = "https://w3id.org/ecosystem-graph/id/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
FOAF = "http://xmlns.com/foaf/0.1/"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
GRAPH = ID + "graph/test-writes"
PROPERTIES = (RDFS + "label", SKOS + "prefLabel", SKOS + "altLabel", FOAF + "name")
CLASSES = (ECO + "University", ECO + "Organization", ECO + "Person", SKOS + "Concept", ECO + "Thing")
WORDS = ("Био", "биопарк", "Биотех", "Сеченов", "Sechenov", "Park", "Park Ltd", "центр", "Центра", "Зеленоград",
         "Zelenograd", "ёлка", "Елка", "Institute", "институт", "A", "Ab", "Biopark")
RESOURCES = (*(f"{ID}organization/r{n}" for n in range(8)), ID + "organization/sechenov-university",
             ID + "organization/zelenograd-development-corporation", ECO + "Person", ECO + "Organization")


@pytest.fixture
def followed(mini_settings: Settings) -> Iterator[tuple[GraphStore, Settings]]:
    settings = mini_settings.model_copy(update={"validate_shapes": False, "api_token": "t"})
    store = open_store(settings)
    loader.build(store, settings)
    yield store, settings
    store.close()


def literal(rng: random.Random) -> str:
    text = rng.choice(WORDS) + rng.choice(("", "", " " + rng.choice(WORDS)))
    lang = rng.choice(("@ru", "@en", ""))
    return '"' + text + '"' + lang


def random_write(store: GraphStore, settings: Settings, rng: random.Random, written: list[str]) -> None:
    """One random change: add or remove a label or a type, write or delete a whole resource."""
    subject = rng.choice(RESOURCES)
    action = rng.randrange(7)
    if action <= 1 or not written:
        triple = f"<{subject}> <{rng.choice(PROPERTIES)}> {literal(rng)}" if action == 0 or not written \
            else f"<{subject}> <{TYPE}> <{rng.choice(CLASSES)}>"
        writes.update(store, settings, f"INSERT DATA {{ GRAPH <{GRAPH}> {{ {triple} }} }}")
        written.append(triple)
    elif action == 2:
        triple = written.pop(rng.randrange(len(written)))
        writes.update(store, settings, f"DELETE DATA {{ GRAPH <{GRAPH}> {{ {triple} }} }}")
    elif action == 3:
        body = (f"<{subject}> a <{rng.choice(CLASSES)}> ; <{RDFS}label> {literal(rng)} ; "
                f"<{SKOS}altLabel> {literal(rng)}, {literal(rng)} .")
        writes.add_to_graph(store, settings, GRAPH, [(body.encode(), "text/turtle")])
    elif action == 4 and not subject.startswith(ECO):  # a class's own triples include its place in the hierarchy
        writes.update(store, settings, f"DELETE WHERE {{ GRAPH ?g {{ <{subject}> ?p ?o }} }}")
        written[:] = [t for t in written if not t.startswith(f"<{subject}>")]
    elif action == 5:  # nothing the index holds
        writes.update(store, settings, f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <{subject}> <{RDFS}comment> '
                                       f'"{rng.random()}" }} }}')
    else:  # an instance of a class whose labels may have changed
        writes.update(store, settings, f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <{ID}organization/r{rng.randrange(8)}> "
                                       f"<{TYPE}> <{subject if subject.startswith(ECO) else ECO + 'Person'}> }} }}")


def content(db: sqlite3.Connection) -> dict[str, object]:
    """Everything an index holds, with label ids replaced by their place in id order (which is what search reads)."""
    place = {label: n for n, (label,) in enumerate(db.execute("SELECT id FROM label ORDER BY id"))}
    db.execute("INSERT INTO label_fts (label_fts) VALUES ('integrity-check')")
    return {
        "entity": sorted(db.execute("SELECT iri, kind, rank, weight, class, label_ru, label_en, label_any, class_ru, "
                                    "class_en FROM entity")),
        "label": [row[1:] for row in db.execute("SELECT l.id, e.iri, l.text, l.lang, l.norm, l.alt, l.keys "
                                                "FROM label l JOIN entity e ON e.id = l.entity ORDER BY l.id")],
        "word": sorted((w, place[label]) for w, label in db.execute("SELECT word, label FROM word")),
        "lemma": sorted((k, place[label]) for k, label in db.execute("SELECT key, label FROM lemma")),
        "lemma_key": sorted(db.execute("SELECT key, labels FROM lemma_key")),
        "trigrams": [[place[r] for (r,) in db.execute("SELECT rowid FROM label_fts WHERE label_fts MATCH ? "
                                                      "ORDER BY rowid", (f'"{q}"',))] for q in ("био", "park", "енов")],
    }


def results(index: search.SearchIndex) -> list[object]:
    return [[(h.entry, h.matched, h.matched_lang, h.tier) for h in index.search(q, lang=lang, limit=5)]
            for q in ("био", "биопарк", "Park", "сеченов", "елка", "центр", "zelen", "a", "институт", "Организация")
            for lang in ("ru", "en")]


def test_the_index_after_random_writes_is_the_full_build(followed: tuple[GraphStore, Settings]) -> None:
    store, settings = followed
    rng, written = random.Random(18), []
    for _ in range(40):
        random_write(store, settings, rng, written)
        path = search._file(settings, store.generation_id())
        assert path is not None and path.exists(), "the write's generation got no index before its first use"
        mine = search.index_for(store, settings)
        assert mine.path == path
        whole = search.build(store, settings.base_iri)
        with closing(sqlite3.connect(path, isolation_level=None)) as db:
            assert content(db) == content(whole._db)
        assert results(mine) == results(whole)


def test_writes_update_one_file_in_place(followed: tuple[GraphStore, Settings]) -> None:
    """No copy of the index per write: the generations of a write of nothing indexed and of a new label are served
    by the file of the loaded one, and a reader still on the old generation reads on meanwhile."""
    store, settings = followed
    loaded = search.index_for(store, settings)
    before = loaded.path
    writes.update(store, settings, f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <{ID}organization/r1> <{RDFS}comment> "x" }} }}')
    assert search._file(settings, store.generation_id()) == before
    writes.update(store, settings, f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <{ID}organization/r1> <{RDFS}label> '
                                   '"Лабиринт"@ru } }')
    assert search._file(settings, store.generation_id()) == before
    assert before is not None and sorted(p.name for p in before.parent.glob("*.sqlite")) == [before.name]
    assert [h.entry.iri for h in search.index_for(store, settings).search("лабиринт")] == [f"{ID}organization/r1"]
    assert [h.entry.iri for h in loaded.search("лабиринт")] == [f"{ID}organization/r1"]  # same file, newer state


def test_a_write_that_fails_after_the_index_followed_leaves_it_as_it_was(followed: tuple[GraphStore, Settings]) -> None:
    store, settings = followed
    generation = store.generation_id()
    settings.changes_dir.parent.mkdir(parents=True, exist_ok=True)
    settings.changes_dir.write_text("not a folder")  # the journal cannot be written: the write fails before publishing
    with pytest.raises(OSError):
        writes.update(store, settings, f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <{ID}organization/r2> <{RDFS}label> '
                                       '"Лабиринт"@ru } }')
    assert store.generation_id() == generation
    assert search.index_for(store, settings).search("лабиринт") == []
    assert not list(settings.store_dir.glob("search/*.link"))
    settings.changes_dir.unlink()
    writes.update(store, settings, f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <{ID}organization/r3> <{RDFS}label> '
                                   '"Лабиринт"@ru } }')
    assert [h.entry.iri for h in search.index_for(store, settings).search("лабиринт")] == [f"{ID}organization/r3"]


def test_a_class_relabelled_is_shown_so_beside_its_instances(followed: tuple[GraphStore, Settings]) -> None:
    store, settings = followed
    writes.update(store, settings, f'DELETE DATA {{ GRAPH <{ID}graph/ontology/mini> {{ <{ECO}University> '
                                   f'<{RDFS}label> "Университет"@ru }} }}')
    writes.update(store, settings, f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <{ECO}University> <{RDFS}label> "Вуз"@ru }} }}')
    hit = search.index_for(store, settings).search("Сеченовский")[0]
    assert hit.entry.class_label("ru") == "Вуз"


def test_a_change_of_the_class_hierarchy_builds_the_index_whole(followed: tuple[GraphStore, Settings]) -> None:
    store, settings = followed
    writes.update(store, settings, f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <{ECO}University> <{RDFS}subClassOf> "
                                   f"<{ECO}Person> }} }}")
    path = search._file(settings, store.generation_id())
    assert path is not None and not path.exists()
    hit = search.index_for(store, settings).search("Сеченовский")[0]  # built now, on first use
    assert hit.entry.kind == "organisation" and path.exists()


def test_an_index_in_memory_follows_too(mini_project: object, tmp_path: object) -> None:
    settings = Settings(project_dir=mini_project, store_path=tmp_path, backend="memory",  # type: ignore[arg-type]
                        validate_shapes=False, api_token="t")
    store = open_store(settings)
    loader.build(store, settings)
    search.index_for(store, settings)
    writes.update(store, settings, f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <{ID}organization/r1> a <{ECO}University> ; '
                                   f'<{RDFS}label> "Биопарк"@ru }} }}')
    generation = store.generation_id()
    assert generation in search._indexes[store]  # followed, not waiting for a build on first use
    mine = search.index_for(store, settings)
    assert content(mine._db) == content(search.build(store, settings.base_iri)._db)
    store.close()
