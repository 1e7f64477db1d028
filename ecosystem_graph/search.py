"""Find resources by any of their labels: an index built once per store generation, not a scan per keystroke.

Every ``rdfs:label``, ``skos:prefLabel``, ``skos:altLabel`` and ``foaf:name`` (``@ru``, ``@en`` or plain) of
every resource is normalised (:func:`normalise`: NFKD, combining marks dropped, case folded, ё → е,
punctuation → spaces) and written to a SQLite database with an FTS5 **trigram** index, which answers
"contains this substring" in time that depends on the hits, not on the size of the graph; queries of one or
two characters use a table of words instead (word prefixes). Hits are ranked: the whole label, then a label
that starts with the query, then a word that does, then any substring; within each, whole words before parts
of words ("sechenov" finds "Sechenov University" before "SechenovTech"), ecosystem things before n-ary fact
nodes before ontology terms, then shorter labels first.

The embedded store gets its index as ``{store_dir}/search/{generation}.sqlite``, written by the loader right
after reasoning (:func:`build_index`), so it is ready when the generation is published; other backends and
generations written without the loader (Graph Store writes) get theirs built on first use
(:func:`index_for`). The index is read from three SELECTs over the store: labels, asserted types and the
subclass closure.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import threading
import unicodedata
import weakref
from dataclasses import dataclass
from pathlib import Path

from .config import Settings
from .kinds import KIND_ORDER, NARY_KINDS, Classifier, Queryable, local_name, select
from .store import GenerationBuilder, GraphStore
from .vocab import FOAF, RDF, RDFS, SKOS

log = logging.getLogger(__name__)

#: label property -> priority as the display label (lower wins); skos:altLabel is only ever matched.
LABEL_PROPERTIES = {RDFS + "label": 0, SKOS + "prefLabel": 1, FOAF + "name": 2, SKOS + "altLabel": 3}
LANGUAGES = ("ru", "en")
MAX_LIMIT = 50
_KEEP_FILES = 3  # index files kept in store_dir/search (the current generation's and the ones before)

_LABELS = ("SELECT ?s ?p ?l WHERE { VALUES ?p { " + " ".join(f"<{p}>" for p in LABEL_PROPERTIES) + " } "
           "?s ?p ?l . FILTER(isIRI(?s) && isLiteral(?l)) }")
_TYPES = f"SELECT ?s ?c WHERE {{ ?s <{RDF}type> ?c . FILTER(isIRI(?s) && isIRI(?c)) }}"
_NON_WORD = re.compile(r"[\W_]+")

_SCHEMA = """
CREATE TABLE entity (id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, rank INTEGER NOT NULL,
                     weight INTEGER NOT NULL, class TEXT, label_ru TEXT, label_en TEXT, label_any TEXT,
                     class_ru TEXT, class_en TEXT);
CREATE TABLE label (id INTEGER PRIMARY KEY, entity INTEGER NOT NULL, text TEXT NOT NULL, lang TEXT NOT NULL,
                    norm TEXT NOT NULL, alt INTEGER NOT NULL);
CREATE TABLE word (word TEXT NOT NULL, label INTEGER NOT NULL, PRIMARY KEY (word, label)) WITHOUT ROWID;
CREATE VIRTUAL TABLE label_fts USING fts5(norm, content='label', content_rowid='id', tokenize='trigram');
CREATE INDEX entity_kind ON entity (kind, rank);
"""

_RANKED = """
WITH hits AS ({candidates}),
scored AS (
  SELECT l.entity AS entity, l.text AS text, l.lang AS lang, l.alt AS alt, length(l.norm) AS size,
         CASE WHEN l.norm = :q THEN 0 WHEN substr(l.norm, 1, length(:q)) = :q THEN 1
              WHEN instr(' ' || l.norm, ' ' || :q) > 0 THEN 2 ELSE 3 END AS tier,
         instr(' ' || l.norm || ' ', ' ' || :q || ' ') = 0 AS partial
  FROM hits JOIN label l ON l.id = hits.id WHERE instr(l.norm, :q) > 0
),
best AS (
  SELECT *, row_number() OVER (PARTITION BY entity ORDER BY tier, partial, lang != :lang, size, alt) AS pick FROM scored
)
SELECT e.iri, e.kind, e.class, e.label_ru, e.label_en, e.label_any, e.class_ru, e.class_en,
       best.text, best.lang, best.tier
FROM best JOIN entity e ON e.id = best.entity
WHERE pick = 1 ORDER BY best.tier, best.partial, e.weight, best.size, e.rank, best.alt, e.iri LIMIT :limit
"""
_TRIGRAMS = "SELECT rowid AS id FROM label_fts WHERE label_fts MATCH :match"
_WORDS = "SELECT DISTINCT label AS id FROM word WHERE word >= :first AND word < :first || char(1114111)"
_ENTRY = "SELECT iri, kind, class, label_ru, label_en, label_any, class_ru, class_en FROM entity"


def normalise(text: str) -> str:
    """Accent-, case- and punctuation-insensitive form: ``"Сечёнов, I.M."`` -> ``"сеченов i m"``."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", stripped.casefold().replace("ё", "е")).strip()


@dataclass(frozen=True)
class Entry:
    """A resource as the index knows it: kind, most specific class and labels in both languages."""

    iri: str
    kind: str
    class_iri: str | None
    labels: dict[str, str]  # "ru", "en", "" (plain or another language)
    class_labels: dict[str, str]

    def label(self, lang: str) -> str:
        """The label in ``lang``, else in the other language, else plain, else the IRI's last segment."""
        for key in (lang, *LANGUAGES, ""):
            if self.labels.get(key):
                return self.labels[key]
        return local_name(self.iri)

    def class_label(self, lang: str) -> str | None:
        if not self.class_iri:
            return None
        return next((self.class_labels[k] for k in (lang, *LANGUAGES) if self.class_labels.get(k)),
                    local_name(self.class_iri))


@dataclass(frozen=True)
class Hit:
    entry: Entry
    matched: str  # the label that matched, as written
    matched_lang: str
    tier: int  # 0 whole label, 1 label prefix, 2 word prefix, 3 substring


def _entry(row: tuple) -> Entry:
    iri, kind, class_iri, ru, en, plain, class_ru, class_en = row[:8]
    return Entry(iri, kind, class_iri, {k: v for k, v in (("ru", ru), ("en", en), ("", plain)) if v},
                 {k: v for k, v in (("ru", class_ru), ("en", class_en)) if v})


class SearchIndex:
    """One generation's label index (read-only once built); safe to share between threads."""

    def __init__(self, connection: sqlite3.Connection, *, path: Path | None = None):
        self._db = connection
        self.path = path
        self._lock = threading.Lock()

    @classmethod
    def open(cls, path: Path) -> SearchIndex:
        db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        return cls(db, path=path)

    def search(self, text: str, *, lang: str = "ru", limit: int = 10) -> list[Hit]:
        """The best ``limit`` resources with a label containing ``text`` (normalised), ranked."""
        q = normalise(text)
        limit = max(1, min(limit, MAX_LIMIT))
        if not q:
            return []
        if len(q) >= 3:
            sql, params = _RANKED.format(candidates=_TRIGRAMS), {"match": '"' + q + '"'}
        else:
            sql, params = _RANKED.format(candidates=_WORDS), {"first": q.split()[0]}
        with self._lock:
            rows = self._db.execute(sql, {**params, "q": q, "lang": lang, "limit": limit}).fetchall()
        return [Hit(_entry(row), row[8], row[9], row[10]) for row in rows]

    def entries(self, iris: list[str]) -> dict[str, Entry]:
        """The known resources among ``iris``."""
        out: dict[str, Entry] = {}
        with self._lock:
            for start in range(0, len(iris), 500):
                chunk = iris[start:start + 500]
                sql = f"{_ENTRY} WHERE iri IN ({','.join('?' * len(chunk))})"
                out.update((row[0], _entry(row)) for row in self._db.execute(sql, chunk))
        return out

    def of_kinds(self, kinds: tuple[str, ...], *, limit: int) -> list[Entry]:
        """Resources of the given kinds, in kind order, at most ``limit``."""
        sql = f"{_ENTRY} WHERE kind IN ({','.join('?' * len(kinds))}) ORDER BY rank, iri LIMIT ?"
        with self._lock:
            return [_entry(row) for row in self._db.execute(sql, (*kinds, limit))]

    def size(self) -> tuple[int, int]:
        """(resources, labels)."""
        with self._lock:
            return (self._db.execute("SELECT count(*) FROM entity").fetchone()[0],
                    self._db.execute("SELECT count(*) FROM label").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _weight(kind: str) -> int:
    """Within a tier: ecosystem things first, then n-ary facts, then vocabulary terms and the unclassified."""
    return 2 if kind in ("term", "other") else 1 if kind in (*NARY_KINDS, "quotation") else 0


def _best_labels(labels: list[tuple[int, str, str]]) -> dict[str, str]:
    """Display label per language from (priority, lang, text); skos:altLabel never wins."""
    out: dict[str, str] = {}
    for _priority, lang, text in sorted(labels, key=lambda t: (t[0], len(t[2]), t[2])):
        key = lang if lang in LANGUAGES else ""
        if _priority < LABEL_PROPERTIES[SKOS + "altLabel"]:
            out.setdefault(key, text)
    return out


def _fill(db: sqlite3.Connection, target: Queryable, base_iri: str) -> None:
    """Read labels and classes from ``target`` and write the tables."""
    labels: dict[str, set[tuple[int, str, str]]] = {}
    for row in select(target, _LABELS):
        labels.setdefault(row["s"]["value"], set()).add(
            (LABEL_PROPERTIES[row["p"]["value"]], row["l"].get("xml:lang", "").lower(), row["l"]["value"]))
    types: dict[str, set[str]] = {}
    for row in select(target, _TYPES, include_inferred=False):
        types.setdefault(row["s"]["value"], set()).add(row["c"]["value"])
    classifier = Classifier.load(target, base_iri)
    display = {iri: _best_labels(list(found)) for iri, found in labels.items()}
    entities, label_rows, words = [], [], []
    for number, iri in enumerate(sorted(labels.keys() | types.keys()), start=1):
        classes = types.get(iri, set())
        kind = classifier.kind(classes)
        most = classifier.most_specific(classes)
        own, of_class = display.get(iri, {}), display.get(most or "", {})
        entities.append((number, iri, kind, KIND_ORDER[kind], _weight(kind), most, own.get("ru"), own.get("en"),
                         own.get(""), of_class.get("ru"), of_class.get("en")))
        for priority, lang, text in labels.get(iri, ()):
            norm = normalise(text)
            if not norm:
                continue
            label_rows.append((len(label_rows) + 1, number, text, lang, norm, int(priority == 3)))
            words.extend((word, len(label_rows)) for word in set(norm.split()))
    db.executescript(_SCHEMA)
    db.executemany("INSERT INTO entity VALUES (?,?,?,?,?,?,?,?,?,?,?)", entities)
    db.executemany("INSERT INTO label VALUES (?,?,?,?,?,?)", label_rows)
    db.executemany("INSERT INTO word VALUES (?,?)", words)
    db.execute("INSERT INTO label_fts (rowid, norm) SELECT id, norm FROM label")
    db.commit()
    log.info("search index: %d resources, %d labels", len(entities), len(label_rows))


def build(target: Queryable, base_iri: str, *, path: Path | None = None) -> SearchIndex:
    """Build the index of ``target`` in memory, or at ``path`` (written beside it, then renamed into place)."""
    if path is None:
        db = sqlite3.connect(":memory:", check_same_thread=False)
        _fill(db, target, base_iri)
        return SearchIndex(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    try:
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
        _fill(db, target, base_iri)
    finally:
        db.close()
    os.replace(tmp, path)
    _drop_old_files(path.parent, keep=path)
    return SearchIndex.open(path)


def _drop_old_files(folder: Path, *, keep: Path) -> None:
    files = sorted(folder.glob("*.sqlite"))
    for old in files[:-_KEEP_FILES]:
        if old != keep:
            old.unlink(missing_ok=True)


# --- one index per store and generation ---------------------------------------------------------------
_indexes: weakref.WeakKeyDictionary[GraphStore, dict[str | None, SearchIndex]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def _file(settings: Settings, generation: str | None) -> Path | None:
    if settings.backend != "embedded" or not generation:
        return None
    return settings.store_dir / "search" / f"{generation}.sqlite"


def _remember(store: GraphStore, generation: str | None, index: SearchIndex) -> SearchIndex:
    known = _indexes.setdefault(store, {})
    for old in [g for g in known if g != generation]:
        known.pop(old).close()
    known[generation] = index
    return index


def build_index(store: GraphStore, generation: GenerationBuilder, settings: Settings) -> SearchIndex:
    """Index a generation under construction (the loader calls this just before it commits)."""
    index = build(generation, settings.base_iri, path=_file(settings, generation.generation_id))
    with _lock:
        return _remember(store, generation.generation_id, index)


def index_for(store: GraphStore, settings: Settings) -> SearchIndex:
    """The index of the store's published generation: opened from disk, or built now if it is missing.

    :raises StoreUnavailable: nothing has been loaded yet.
    """
    generation = store.generation_id()
    with _lock:
        known = _indexes.get(store, {})
        if generation in known:
            return known[generation]
        path = _file(settings, generation)
        if path is not None and path.exists():
            index = SearchIndex.open(path)
        else:
            log.info("building the search index of generation %s on first use", generation)
            index = build(store, settings.base_iri, path=path)
        return _remember(store, generation, index)
