"""Writing the label search index (see :mod:`ecosystem_graph.search`): the text form of labels, the tables, and
filling them from a store or a generation under construction with three SELECTs (labels, asserted types,
the subclass closure). Each label is also written as its words' lemma keys (:mod:`.morphology`), with a table
from key to labels, for matching word forms and the other script."""

from __future__ import annotations

import logging
import re
import sqlite3
import time
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache

from ..vocab import FOAF, RDF, RDFS, SKOS
from .kinds import KIND_ORDER, NARY_KINDS, Classifier, Queryable, select_all
from .morphology import keys_text, label_keys

log = logging.getLogger(__name__)

#: label property -> priority as the display label (lower wins); skos:altLabel is only ever matched.
LABEL_PROPERTIES = {RDFS + "label": 0, SKOS + "prefLabel": 1, FOAF + "name": 2, SKOS + "altLabel": 3}
ALT = LABEL_PROPERTIES[SKOS + "altLabel"]
LANGUAGES = ("ru", "en")
#: label ids are multiples of this: an index that follows a change (:mod:`.follow`) puts a new label between two
#: others in id order without renumbering them
GAP = 1 << 24

_NON_WORD = re.compile(r"[\W_]+")
_SHORT_I = "\ue000"  # a private-use character holding й while NFKD would split it
#: combining marks (accents, breves, diaereses) that NFKD splits off their letters
_MARKS = re.compile("[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")

_LABELS = ("SELECT ?s ?p ?l WHERE { VALUES ?p { " + " ".join(f"<{p}>" for p in LABEL_PROPERTIES) + " } "
           "?s ?p ?l . FILTER(isIRI(?s) && isLiteral(?l)) }")
_TYPES = f"SELECT ?s ?c WHERE {{ ?s <{RDF}type> ?c . FILTER(isIRI(?s) && isIRI(?c)) }}"

SCHEMA = """
CREATE TABLE entity (id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, rank INTEGER NOT NULL,
                     weight INTEGER NOT NULL, class TEXT, label_ru TEXT, label_en TEXT, label_any TEXT,
                     class_ru TEXT, class_en TEXT);
CREATE TABLE label (id INTEGER PRIMARY KEY, entity INTEGER NOT NULL, text TEXT NOT NULL, lang TEXT NOT NULL,
                    norm TEXT NOT NULL, alt INTEGER NOT NULL, keys TEXT NOT NULL);
CREATE TABLE word (word TEXT NOT NULL, label INTEGER NOT NULL, PRIMARY KEY (word, label)) WITHOUT ROWID;
-- the labels of a key, when the key is not one of the label's words as written (those are in the table word)
CREATE TABLE lemma (key TEXT NOT NULL, label INTEGER NOT NULL, PRIMARY KEY (key, label)) WITHOUT ROWID;
-- labels per key, both tables together
CREATE TABLE lemma_key (key TEXT PRIMARY KEY, labels INTEGER NOT NULL) WITHOUT ROWID;
CREATE VIRTUAL TABLE label_fts USING fts5(norm, content='label', content_rowid='id', tokenize='trigram');
-- the generation the index is of ('generation'): writes update the file in place (.index.following)
CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
"""
#: written to ``PRAGMA user_version``; an index file of another version is built again, not read
SCHEMA_VERSION = 4
_INDEXES = """
CREATE INDEX label_norm ON label (norm);
CREATE INDEX entity_kind ON entity (kind, rank);
-- for a write's update of the index (.follow): the labels of a resource, the instances of a relabelled class
CREATE INDEX label_entity ON label (entity);
CREATE INDEX entity_class ON entity (class);
"""


def normalise(text: str) -> str:
    """Accent-, case- and punctuation-insensitive form: ``"Сечёнов, I.M."`` -> ``"сеченов i m"``.

    й is a letter of its own, not an accented и: it is kept, so that the analyser knows "инновационный".
    """
    text = text.replace("й", _SHORT_I).replace("Й", _SHORT_I)
    stripped = _MARKS.sub("", unicodedata.normalize("NFKD", text)).replace(_SHORT_I, "й")
    return _NON_WORD.sub(" ", stripped.casefold().replace("ё", "е")).strip()


def weight(kind: str) -> int:
    """Within a tier: ecosystem things first, then n-ary facts, then vocabulary terms and the unclassified."""
    return 2 if kind in ("term", "other") else 1 if kind in (*NARY_KINDS, "quotation") else 0


def display(labels: set[tuple[int, str, str]]) -> dict[str, str]:
    """Display label per language ("" for plain) from (priority, lang, text); skos:altLabel never wins."""
    best: dict[str, tuple[int, int, str]] = {}
    for priority, lang, text in labels:
        key, rank = lang if lang in LANGUAGES else "", (priority, len(text), text)
        if priority < ALT and (key not in best or rank < best[key]):
            best[key] = rank
    return {key: rank[2] for key, rank in best.items()}


def key_rows(label_rows: list[tuple]) -> Iterator[tuple[str, int, int]]:
    """(key, label, 1 if the label has the key as one of its written words else 0), each pair once."""
    for row in label_rows:
        spelled = set(row[4].split())
        for key in set(row[6].replace("|", " ").split()):
            yield key, row[0], int(key in spelled)


#: rows per page of the label and type queries: a page of SPARQL JSON rows costs about 2 kB a row in Python
_PAGE = 100_000

_SCRATCH_TABLES = """
CREATE TEMP TABLE raw_label (iri TEXT NOT NULL, priority INTEGER NOT NULL, lang TEXT NOT NULL, text TEXT NOT NULL);
CREATE TEMP TABLE raw_type (iri TEXT NOT NULL, class TEXT NOT NULL);
CREATE TEMP TABLE pending (weight INTEGER, size INTEGER, norm TEXT, entity INTEGER, text TEXT, lang TEXT,
                           alt INTEGER);
"""
_SCRATCH_INDEXES = """
CREATE INDEX temp.raw_label_iri ON raw_label (iri);
CREATE INDEX temp.raw_type_iri ON raw_type (iri);
"""


def _labels_of(db: sqlite3.Connection, iri: str) -> set[tuple[int, str, str]]:
    return set(db.execute("SELECT priority, lang, text FROM raw_label WHERE iri = ?", (iri,)))


def _resources(db: sqlite3.Connection) -> Iterator[tuple[str, frozenset[str], set[tuple[int, str, str]]]]:
    """(IRI, its asserted classes, its labels) of every labelled or typed resource, in IRI order: two sorted
    scans merged, one resource in memory at a time."""
    labels = db.cursor().execute("SELECT iri, priority, lang, text FROM raw_label ORDER BY iri")
    types = db.cursor().execute("SELECT iri, class FROM raw_type ORDER BY iri")
    label, typed = next(labels, None), next(types, None)
    while label is not None or typed is not None:
        iri = min(row[0] for row in (label, typed) if row is not None)
        found: set[tuple[int, str, str]] = set()
        while label is not None and label[0] == iri:
            found.add(label[1:])
            label = next(labels, None)
        classes: set[str] = set()
        while typed is not None and typed[0] == iri:
            classes.add(typed[1])
            typed = next(types, None)
        yield iri, frozenset(classes), found


def _label_rows(pending: Iterable[tuple]) -> Iterator[tuple]:
    """The label table's rows, in id order, from the sorted (weight, length, norm, entity, text, lang, alt)."""
    for n, (_w, _size, norm, entity, text, lang, alt) in enumerate(pending, start=1):
        yield n * GAP, entity, text, lang, norm, alt, keys_text(norm)


def _chunks(rows: Iterator[tuple], size: int) -> Iterator[list[tuple]]:
    chunk: list[tuple] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def fill(db: sqlite3.Connection, target: Queryable, base_iri: str) -> None:
    """Read labels and classes from ``target`` and write the tables.

    Label ids follow (entity weight, normalised length), so that scanning any candidate list in id order meets
    the best-ranked labels first and a search can stop after a few. What is read is kept in temporary tables
    and read back in IRI order, one resource at a time, so memory does not grow with the graph.
    """
    db.executescript(_SCRATCH_TABLES)
    db.executemany("INSERT INTO raw_label VALUES (?,?,?,?)", (
        (row["s"]["value"], LABEL_PROPERTIES[row["p"]["value"]], row["l"].get("xml:lang", "").lower(),
         row["l"]["value"]) for row in select_all(target, _LABELS, paged=True, page=_PAGE)))
    db.executemany("INSERT INTO raw_type VALUES (?,?)", ((row["s"]["value"], row["c"]["value"]) for row in
                                                        select_all(target, _TYPES, include_inferred=False, page=_PAGE,
                                                                   paged=True)))
    db.executescript(_SCRATCH_INDEXES)
    classifier = Classifier.load(target, base_iri)
    classify = lru_cache(maxsize=None)(lambda classes: (classifier.kind(classes), classifier.most_specific(classes)))
    class_labels = lru_cache(maxsize=4096)(lambda iri: display(_labels_of(db, iri)))
    db.executescript(SCHEMA)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    resources = 0

    def entities() -> Iterator[tuple]:
        nonlocal resources
        pending = db.cursor()
        for number, (iri, classes, found) in enumerate(_resources(db), start=1):
            kind, most = classify(classes)
            own, of_class = display(found), class_labels(most) if most else {}
            resources = number
            yield (number, iri, kind, KIND_ORDER[kind], weight(kind), most, own.get("ru"), own.get("en"),
                   own.get(""), of_class.get("ru"), of_class.get("en"))
            rows = [(weight(kind), len(norm), norm, number, text, lang, int(priority == ALT))
                    for priority, lang, text in found if (norm := normalise(text))]
            pending.executemany("INSERT INTO pending VALUES (?,?,?,?,?,?,?)", rows)

    db.executemany("INSERT INTO entity VALUES (?,?,?,?,?,?,?,?,?,?,?)", entities())
    db.execute("DROP TABLE raw_label")
    db.execute("DROP TABLE raw_type")
    # the label rows in id order: SQLite sorts (BINARY, that is UTF-8 byte order: the code point order of Python)
    pending = db.cursor().execute("SELECT * FROM pending ORDER BY weight, size, norm, entity, text, lang, alt")
    # (word, label) and (key, label, spelled) rows: SQLite sorts them into their tables, not Python (a list of every
    # word of every label is the largest thing an index build would hold); a key that is also one of the label's
    # words as written is found in the word table and is only counted here
    db.execute("CREATE TEMP TABLE word_row (word TEXT NOT NULL, label INTEGER NOT NULL)")
    db.execute("CREATE TEMP TABLE key_row (key TEXT NOT NULL, label INTEGER NOT NULL, spelled INTEGER NOT NULL)")
    started, count = time.perf_counter(), 0
    writer = db.cursor()
    for chunk in _chunks(_label_rows(pending), 50_000):
        count += len(chunk)
        writer.executemany("INSERT INTO label VALUES (?,?,?,?,?,?,?)", chunk)
        writer.executemany("INSERT INTO word_row VALUES (?,?)", ((word, row[0]) for row in chunk
                                                                 for word in set(row[4].split())))
        writer.executemany("INSERT INTO key_row VALUES (?,?,?)", key_rows(chunk))
    db.execute("DROP TABLE pending")
    log.info("search index: lemma keys of %d labels (%d distinct words) in %.1f s", count,
             label_keys.cache_info().currsize, time.perf_counter() - started)
    db.execute("INSERT INTO word SELECT DISTINCT word, label FROM word_row ORDER BY word, label")
    db.execute("INSERT INTO lemma SELECT key, label FROM key_row WHERE NOT spelled ORDER BY key, label")
    db.execute("INSERT INTO lemma_key SELECT key, count(*) FROM key_row GROUP BY key ORDER BY key")
    db.execute("DROP TABLE key_row")
    db.execute("DROP TABLE word_row")
    db.execute("INSERT INTO label_fts (rowid, norm) SELECT id, norm FROM label")
    db.executescript(_INDEXES)
    db.commit()
    log.info("search index: %d resources, %d labels", resources, count)
