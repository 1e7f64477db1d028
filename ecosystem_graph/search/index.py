"""Find resources by any of their labels: an index built once per store generation, not a scan per keystroke.

Every ``rdfs:label``, ``skos:prefLabel``, ``skos:altLabel`` and ``foaf:name`` (``@ru``, ``@en`` or plain) of
every resource is normalised (:func:`normalise`: NFKD, combining marks dropped, case folded, ё → е,
punctuation → spaces) and written to a SQLite database (:mod:`.build`). Hits are ranked:
the whole label (an index on the normalised label), then a label that starts with the query (the same index),
then a word that does (a table of words), then any substring (an FTS5 **trigram** index; queries of three
characters or more); within each tier, whole words before parts of words ("sechenov" finds "Sechenov
University" before "SechenovTech"), ecosystem things before n-ary fact nodes before ontology terms, then shorter
labels first. Label ids are assigned in that last order, so each tier reads only its first few candidates in id
order: a query that matches half a million labels costs about what one matching ten does.

Each literal tier has a twin by lemmas, ranked just after it (:mod:`.matching`): the whole label, its first
words, or some of its words, matched on the keys :mod:`.morphology` gives each word (Russian lemmas, English
stems, both as transliteration skeletons), so "Зайцевым", "Zaitsev" and "Зайцев" find one person.

The embedded store gets its index as ``{store_dir}/search/{generation}.sqlite``, written by the loader right
after reasoning (:func:`build_index`), so it is ready when the generation is published; other backends and
generations written without the loader (Graph Store writes) get theirs built on first use
(:func:`index_for`). The index is read from three SELECTs over the store: labels, asserted types and the
subclass closure. A write that states its change updates the previous generation's index file in place for the
resources it touched (:mod:`.following`, :mod:`.follow`), committed when its generation is published.
"""

from __future__ import annotations

import heapq
import json
import logging
import os
import sqlite3
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..config import Settings
from ..store import GenerationBuilder, GraphStore
from .build import LANGUAGES, SCHEMA_VERSION, fill, normalise
from .kinds import Queryable, local_name
from .matching import WHOLE, QueryWord, lemma_tier, read_query

log = logging.getLogger(__name__)

MAX_LIMIT = 50
_KEEP_FILES = 3  # index files kept in store_dir/search (the current generation's and the ones before)
_KEEP_LINKS = 8  # generations made by writes whose index file is named (the newest ones)

#: candidate labels per tier, best first (label ids follow entity weight, then label length)
_TIERS = (
    "SELECT id FROM label WHERE norm = :q ORDER BY id LIMIT :k",
    "SELECT id FROM label WHERE norm > :q AND norm < :q || char(1114111) ORDER BY id LIMIT :k",
    "SELECT DISTINCT w.label FROM word w JOIN label l ON l.id = w.label WHERE w.word >= :first "
    "AND w.word < :first || char(1114111) AND instr(' ' || l.norm, ' ' || :q) > 0 ORDER BY w.label LIMIT :k",
    "SELECT rowid FROM label_fts WHERE label_fts MATCH :match ORDER BY rowid LIMIT :k",
)
_CANDIDATES = "SELECT l.id, l.entity, l.text, l.lang, l.norm, l.alt, e.weight, e.rank, e.iri, l.keys FROM label l " \
              "JOIN entity e ON e.id = l.entity WHERE l.id IN ({ids})"
_COLUMNS = "iri, kind, class, label_ru, label_en, label_any, class_ru, class_en"
_ENTRY = f"SELECT {_COLUMNS} FROM entity"
_SCAN = 20_000  # labels read at most for the lemma tier
_BATCH = 1024  # labels whose keys are read at once, at most
_RANGE_CHECK = 2_000  # a prefix range looked up per batch of candidates only when it is this small
_NO_MATCH = 99
_TOP = "char(1114111)"
#: where a key's labels are: keys unlike any written word, and the words as written (a key is often one)
_POSTINGS = (("lemma", "key"), ("word", "word"))
_UNBOUNDED = -1  # a prefix range with more than _SCAN postings: not read
#: postings of a query word: per key, and in its prefix range (None: no prefix; _UNBOUNDED: too many to read)
_Cost = tuple[dict[str, int], int | None]


def _cost(cost: _Cost) -> int:
    """What reading a word's postings costs; a word with an unreadable prefix range drives last (reading only
    its keys would miss the labels its prefix matches)."""
    exact, ranged = cost
    return sum(exact.values()) + (ranged if ranged is not None and ranged >= 0 else 0) + \
        (1 << 40 if ranged == _UNBOUNDED else 0)


def _literal_tier(q: str, norm: str) -> tuple[int, bool]:
    """(tier, partial) of a label by its normalised text: 0 whole, 2 prefix, 4 word, 6 substring; 99 none."""
    spaced = f" {norm}"
    if norm == q:
        tier = 0
    elif norm.startswith(q):
        tier = 2
    elif spaced.find(f" {q}") >= 0:
        tier = 4
    elif q in norm:
        tier = 6
    else:
        tier = _NO_MATCH
    return tier, f" {q} " not in f" {norm} "


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
    tier: int  # 0 whole label, 1 whole label by lemmas, 2 label prefix, 3 by lemmas, 4 word, 5 by lemmas, 6 substring


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
        # not opened immutable: a write updates the file in place (:func:`following`); each read is one snapshot
        db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        return cls(db, path=path)

    @contextmanager
    def _snapshot(self) -> Iterator[sqlite3.Connection]:
        """The index as one committed state, while a writer may be updating the file."""
        with self._lock:
            if self._db.in_transaction:  # an index in memory being written (it is the only one that sees it)
                yield self._db
                return
            self._db.execute("BEGIN")
            try:
                yield self._db
            finally:
                self._db.execute("COMMIT")

    def search(self, text: str, *, lang: str = "ru", limit: int = 10) -> list[Hit]:
        """The best ``limit`` resources with a label matching ``text``, ranked.

        Each tier yields its best few candidates in label-id order (entity weight, then label length), so a
        query matching half the graph costs no more than one matching a handful.
        """
        q = normalise(text)
        limit = max(1, min(limit, MAX_LIMIT))
        if not q:
            return []
        query = read_query(q)
        params = {"q": q, "first": q.split()[0], "match": '"' + q + '"', "k": 4 * limit}
        with self._snapshot() as db:
            ids = {row[0] for sql in (_TIERS if len(q) >= 3 else _TIERS[:3]) for row in db.execute(sql, params)}
            ids |= self._lemma_candidates(query, 4 * limit)
            rows = db.execute(_CANDIDATES.format(ids=",".join(map(str, ids)))).fetchall() if ids else []
            top, entries = self._ranked(q, query, lang, limit, rows)
        return [Hit(entries[entity], matched, matched_lang, order[0])
                for entity, (_pick, order, matched, matched_lang) in top]

    def _ranked(self, q: str, query: tuple[QueryWord, ...], lang: str, limit: int,
                rows: list[tuple]) -> tuple[list[tuple[int, tuple]], dict[int, Entry]]:
        """The best ``limit`` entities of the candidate label ``rows`` and their entries (read in the snapshot)."""
        best: dict[int, tuple] = {}
        for _id, entity, matched, matched_lang, norm, alt, weight, rank, iri, keys in rows:
            tier, partial = _literal_tier(q, norm)
            by_lemmas = lemma_tier(query, keys) if tier > WHOLE else None
            if by_lemmas is not None and by_lemmas < (tier, partial):
                tier, partial = by_lemmas
            if tier == _NO_MATCH:
                continue
            pick = (tier, partial, matched_lang != lang, len(norm), alt)
            if entity not in best or pick < best[entity][0]:
                best[entity] = (pick, (tier, partial, weight, len(norm), rank, alt, iri), matched, matched_lang)
        top = sorted(best.items(), key=lambda item: item[1][1])[:limit]
        return top, self._by_id([entity for entity, _ in top])

    def _lemma_candidates(self, query: tuple[QueryWord, ...], k: int) -> set[int]:
        """The first ``k`` labels (in id order) whose words match every query word by lemma keys.

        Postings are read for the query word with the fewest (the ``lemma_key`` counts), one stream per key in
        label order merged lazily; the other words are looked up for each batch of those labels (the primary
        key of ``lemma``), and at most :data:`_SCAN` labels are read. A prefix with more postings than that (a
        query of two or three letters) is left to the literal tiers, which find such prefixes anyway.
        """
        if not query:
            return set()
        costs = {word: self._postings(word) for word in query}
        driver = min(query, key=lambda word: _cost(costs[word]))
        exact, ranged = costs[driver]
        streams = [self._db.execute(f"SELECT label FROM {table} WHERE {column} = ? ORDER BY label", (key,))
                   for key in exact for table, column in _POSTINGS]
        if ranged is not None and ranged > 0:
            streams += [self._db.execute(f"SELECT label FROM {table} WHERE {column} > ? AND {column} < ? || {_TOP} "
                                         "ORDER BY label", (driver.prefix, driver.prefix))
                        for table, column in _POSTINGS]
        others = [(word, costs[word]) for word in query if word is not driver]
        found: set[int] = set()
        read, last, batch, size = 0, -1, [], k
        for (label,) in heapq.merge(*streams):
            if label == last:
                continue
            last = label
            batch.append(label)
            read += 1
            if len(batch) == size or read >= _SCAN:
                found |= self._having(others, batch)
                batch, size = [], min(4 * size, _BATCH)  # few labels at first: most queries stop there
                if len(found) >= k or read >= _SCAN:
                    break
        if batch and len(found) < k:
            found |= self._having(others, batch)
        for stream in streams:
            stream.close()
        return set(sorted(found)[:k])

    def _having(self, words: list[tuple[QueryWord, _Cost]], labels: list[int]) -> set[int]:
        """The ``labels`` that have a key of each of ``words`` (or one in its prefix range, when that is small)."""
        keep = set(labels)
        for word, (exact, ranged) in words:
            if not keep:
                break
            ids = ",".join(map(str, sorted(keep)))
            having: set[int] = set()
            for table, column in _POSTINGS:
                where, args = f"{column} IN ({','.join('?' * len(exact))})", list(exact)
                if ranged is not None and 0 < ranged <= _RANGE_CHECK:
                    where = f"({where} OR ({column} > ? AND {column} < ? || {_TOP}))"
                    args += [word.prefix, word.prefix]
                if args:
                    having.update(row[0] for row in self._db.execute(
                        f"SELECT label FROM {table} WHERE label IN ({ids}) AND {where}", args))
            keep &= having
        return keep

    def _postings(self, word: QueryWord) -> _Cost:
        """Postings per key of a word ({key: labels}, keys without any left out) and in its prefix range (None
        when the word has no prefix, :data:`_UNBOUNDED` when that holds more than :data:`_SCAN`)."""
        exact = dict(self._db.execute(f"SELECT key, labels FROM lemma_key WHERE key IN "
                                      f"({','.join('?' * len(word.keys))})", sorted(word.keys)).fetchall())
        if not word.prefix:
            return exact, None
        total, keys = self._db.execute(f"SELECT coalesce(sum(labels), 0), count(*) FROM (SELECT labels FROM "
                                       f"lemma_key WHERE key > ? AND key < ? || {_TOP} LIMIT {_SCAN + 1})",
                                       (word.prefix, word.prefix)).fetchone()
        return exact, _UNBOUNDED if total > _SCAN or keys > _SCAN else int(total)

    def _by_id(self, ids: list[int]) -> dict[int, Entry]:
        """(Within :meth:`_snapshot`.)"""
        sql = f"SELECT id, {_COLUMNS} FROM entity WHERE id IN ({','.join(map(str, ids))})"
        return {row[0]: _entry(row[1:]) for row in self._db.execute(sql)} if ids else {}

    def entries(self, iris: list[str]) -> dict[str, Entry]:
        """The known resources among ``iris``."""
        out: dict[str, Entry] = {}
        with self._snapshot():
            for start in range(0, len(iris), 500):
                chunk = iris[start:start + 500]
                sql = f"{_ENTRY} WHERE iri IN ({','.join('?' * len(chunk))})"
                out.update((row[0], _entry(row)) for row in self._db.execute(sql, chunk))
        return out

    def of_kinds(self, kinds: tuple[str, ...], *, limit: int) -> list[Entry]:
        """Resources of the given kinds, in kind order, at most ``limit``."""
        sql = f"{_ENTRY} WHERE kind IN ({','.join('?' * len(kinds))}) ORDER BY rank, iri LIMIT ?"
        with self._snapshot():
            return [_entry(row) for row in self._db.execute(sql, (*kinds, limit))]

    def size(self) -> tuple[int, int]:
        """(resources, labels)."""
        with self._snapshot():
            return (self._db.execute("SELECT count(*) FROM entity").fetchone()[0],
                    self._db.execute("SELECT count(*) FROM label").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()


def build(target: Queryable, base_iri: str, *, path: Path | None = None, generation: str | None = None) -> SearchIndex:
    """Build the index of ``target`` in memory, or at ``path`` (written beside it, then renamed into place) as the
    index of ``generation``."""
    if path is None:
        db = sqlite3.connect(":memory:", check_same_thread=False)
        fill(db, target, base_iri)
        return SearchIndex(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    try:
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
        fill(db, target, base_iri)
        db.execute("INSERT INTO state VALUES ('generation', ?)", (generation or "",))
        db.commit()
        db.execute("PRAGMA journal_mode=WAL")  # later writes update it in place, readers reading on meanwhile
    finally:
        db.close()
    os.replace(tmp, path)
    drop_old_files(path.parent, keep=path)
    return SearchIndex.open(path)


def version(path: Path) -> int:
    """The schema version an index file was written with (an older release's file is built again)."""
    db = sqlite3.connect(path)
    try:
        return int(db.execute("PRAGMA user_version").fetchone()[0])
    finally:
        db.close()


def drop_old_files(folder: Path, *, keep: Path) -> None:
    """Keep the newest index files (and the links of generations to them, :mod:`.following`)."""
    files = sorted(folder.glob("*.sqlite"))
    for old in files[:-_KEEP_FILES]:
        if old != keep:
            for part in (old, old.with_name(old.name + "-wal"), old.with_name(old.name + "-shm")):
                part.unlink(missing_ok=True)
    for link in sorted(folder.glob("*.link"))[:-_KEEP_LINKS]:
        link.unlink(missing_ok=True)


# --- one index per store and generation ---------------------------------------------------------------
_indexes: weakref.WeakKeyDictionary[GraphStore, dict[str | None, SearchIndex]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def own_file(settings: Settings, generation: str | None) -> Path | None:
    """Where a generation's index is built (the embedded store only)."""
    if settings.backend != "embedded" or not generation:
        return None
    return settings.store_dir / "search" / f"{generation}.sqlite"


def _file(settings: Settings, generation: str | None) -> Path | None:
    """The index file that serves ``generation``: its own, or the one a write updated for it in place (named by
    ``{generation}.link``), or None when there is none (build it)."""
    path = own_file(settings, generation)
    if path is None or path.exists():
        return path
    try:
        linked = path.with_name(json.loads(path.with_suffix(".link").read_text())["file"])
    except (OSError, ValueError, KeyError, TypeError):
        return path
    return linked if linked.exists() else path


def remember(store: GraphStore, generation: str | None, index: SearchIndex) -> SearchIndex:
    """Keep the index of ``generation`` and of the one before (the loader indexes a generation before it is
    published, and readers may still be on the old one); older ones are dropped, not closed: a request may
    still be reading one, and its connection closes when the last reference goes."""
    with _lock:
        known = _indexes.setdefault(store, {})
        known.pop(generation, None)
        known[generation] = index
        for old in list(known)[:-2]:
            del known[old]
        return index


def known(store: GraphStore, generation: str | None) -> SearchIndex | None:
    with _lock:
        return _indexes.get(store, {}).get(generation)


def reader_of(store: GraphStore, path: Path) -> SearchIndex:
    """A reader of the index file ``path``: the one this process has open (a write updates the file it reads),
    else a new one."""
    with _lock:
        found = _reading(store, path)
    return found or SearchIndex.open(path)


def _reading(store: GraphStore, path: Path | None) -> SearchIndex | None:
    """(Under ``_lock``.) The index this process reads from the file ``path``, if any."""
    return next((i for i in _indexes.get(store, {}).values() if path is not None and i.path == path), None)


def build_index(store: GraphStore, generation: GenerationBuilder, settings: Settings) -> SearchIndex:
    """Index a generation under construction (the loader calls this just before it commits)."""
    index = build(generation, settings.base_iri, path=own_file(settings, generation.generation_id),
                  generation=generation.generation_id)
    return remember(store, generation.generation_id, index)


def index_for(store: GraphStore, settings: Settings) -> SearchIndex:
    """The index of the store's published generation: opened from disk, or built now if it is missing.

    :raises StoreUnavailable: nothing has been loaded yet.
    """
    generation = store.generation_id()
    found = known(store, generation)
    if found is not None:
        return found
    with _lock:  # one build at a time
        path = _file(settings, generation)
        reading = _reading(store, path)
        if reading is not None:  # a write's generation, served by the file this process reads already
            index = reading
        elif path is not None and path.exists() and version(path) == SCHEMA_VERSION:
            index = SearchIndex.open(path)
        else:
            log.info("building the search index of generation %s on first use", generation)
            index = build(store, settings.base_iri, path=own_file(settings, generation), generation=generation)
    return remember(store, generation, index)
