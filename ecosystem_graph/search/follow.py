"""Follow a change of the store in a copy of the search index, at the cost of the change.

An entry depends on its resource's own labels (asserted or inferred), its asserted types, the class hierarchy and
the labels of its most specific class. So a change that leaves the hierarchy and the property axioms alone (those
can change every entry: then the index is built whole) changes the entries of the subjects of its triples, and of
the resources whose class is one of those subjects when that class's display labels changed. Those entries are
read again from the new generation (the same SELECTs :func:`.build.fill` runs, bound to these IRIs) and their rows
replaced. Label ids keep the order a full build gives them (entity weight, normalised length, text, IRI): a new
label takes an id between its neighbours' (full builds leave :data:`.build.GAP` between ids); where no id is free,
the caller builds the index whole. ``tests/pipeline/test_search_follows.py`` checks the result equals a full build.
"""

from __future__ import annotations

import logging
import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence

from ..errors import QueryError
from ..store.memo import SCHEMA_MEMO
from ..vocab import OWL, RDF, RDFS
from .build import ALT, GAP, LABEL_PROPERTIES, display, key_rows, normalise, weight
from .kinds import KIND_ORDER, Classifier, Queryable, select, values_block
from .morphology import keys_text

log = logging.getLogger(__name__)

#: predicates whose change can alter any entry: the class hierarchy (kinds, most specific classes) and the property
#: axioms the reasoner derives labels through
SCHEMA_PREDICATES = frozenset({RDFS + "subClassOf", OWL + "equivalentClass", RDFS + "subPropertyOf",
                               OWL + "equivalentProperty", OWL + "inverseOf", OWL + "propertyChainAxiom"})
#: changed triples beyond which the index is built whole (so many entries cost about what a build does)
MAX_CHANGED = 20_000
_CHUNK = 500
_LABEL_PROPS = " ".join(f"<{p}>" for p in LABEL_PROPERTIES)

#: (weight, normalised length, normalised text, IRI, text, lang, alt): a label's place in id order
LabelKey = tuple[int, int, str, str, str, str, int]


def changed_resources(target: Queryable, graphs: Sequence[str]) -> set[str] | None:
    """The IRIs whose entries a change can alter: the subjects of the triples in ``graphs`` (the change's added and
    removed triples) that state a label, a type, or a property the reasoner makes a label of; None when the index
    must be built whole (a schema change, too many triples, an IRI no query can name)."""
    named = " ".join(f"<{g}>" for g in graphs)
    rows = select(target, f"SELECT DISTINCT ?s ?p WHERE {{ VALUES ?_g {{ {named} }} GRAPH ?_g {{ ?s ?p ?o }} }} "
                          f"LIMIT {MAX_CHANGED + 1}")
    if len(rows) > MAX_CHANGED or any(row["p"]["value"] in SCHEMA_PREDICATES for row in rows):
        return None
    indexed = {*LABEL_PROPERTIES, RDF + "type"}
    others = {row["p"]["value"] for row in rows} - indexed
    if others:
        try:
            found = select(target, f"SELECT DISTINCT ?p WHERE {{ {values_block('p', sorted(others))} VALUES ?l "
                                   f"{{ {_LABEL_PROPS} }} ?p (<{RDFS}subPropertyOf>|<{OWL}equivalentProperty>|"
                                   f"^<{OWL}equivalentProperty>)+ ?l }}")
        except QueryError:
            return None
        indexed |= {row["p"]["value"] for row in found}
    return {row["s"]["value"] for row in rows if row["s"]["type"] == "uri" and row["p"]["value"] in indexed}


def _chunks(iris: Iterable[str]) -> Iterable[list[str]]:
    ordered = sorted(iris)
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start:start + _CHUNK]


def _labels(target: Queryable, iris: Iterable[str]) -> dict[str, set[tuple[int, str, str]]]:
    out: dict[str, set[tuple[int, str, str]]] = {}
    for chunk in _chunks(iris):
        for row in select(target, f"SELECT ?s ?p ?l WHERE {{ {values_block('s', chunk)} VALUES ?p {{ {_LABEL_PROPS} }} "
                                  "?s ?p ?l . FILTER(isLiteral(?l)) }"):
            out.setdefault(row["s"]["value"], set()).add(
                (LABEL_PROPERTIES[row["p"]["value"]], row["l"].get("xml:lang", "").lower(), row["l"]["value"]))
    return out


def _types(target: Queryable, iris: Iterable[str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for chunk in _chunks(iris):
        for row in select(target, f"SELECT ?s ?c WHERE {{ {values_block('s', chunk)} ?s <{RDF}type> ?c . "
                                  "FILTER(isIRI(?c)) }", include_inferred=False):
            out.setdefault(row["s"]["value"], set()).add(row["c"]["value"])
    return out


def follow(db: sqlite3.Connection, target: Queryable, base_iri: str, iris: set[str]) -> bool:
    """Make the index in ``db`` (that of the generation before the change) that of ``target`` for the entries of
    ``iris`` and those that show their labels as a class's; False when a new label finds no free id (``db`` is then
    half-updated: build the index whole). Does not commit.

    :raises QueryError: an IRI that cannot be written in a query (build the index whole).
    """
    types = _types(target, iris)
    classifier = _classifier(target, base_iri)
    classified = {iri: (classifier.kind(types[iri]), classifier.most_specific(types[iri])) for iri in types}
    classes = {most for _kind, most in classified.values() if most}
    labels = _labels(target, iris | classes)
    shown = {iri: display(found) for iri, found in labels.items()}
    old = {row[0]: row[1:] for chunk in _chunks(iris) for row in db.execute(
        f"SELECT iri, id, label_ru, label_en FROM entity WHERE iri IN ({','.join('?' * len(chunk))})", chunk)}
    inserts: list[tuple[LabelKey, int]] = []  # (key, entity id)
    next_id = int(db.execute("SELECT coalesce(max(id), 0) FROM entity").fetchone()[0]) + 1
    for iri in sorted(iris):
        entity = old.get(iri)
        if iri not in labels and iri not in types:
            if entity is not None:
                _drop_labels(db, entity[0], Counter())
                db.execute("DELETE FROM entity WHERE id = ?", (entity[0],))
            continue
        kind, most = classified.get(iri, (classifier.kind(()), None))
        own, of_class = shown.get(iri, {}), shown.get(most or "", {})
        row = (kind, KIND_ORDER[kind], weight(kind), most, own.get("ru"), own.get("en"), own.get(""),
               of_class.get("ru"), of_class.get("en"))
        wanted = Counter((weight(kind), len(norm), norm, iri, text, lang, int(priority == ALT))
                         for priority, lang, text in labels.get(iri, ()) if (norm := normalise(text)))
        if entity is None:
            number, next_id = next_id, next_id + 1
            db.execute("INSERT INTO entity VALUES (?,?,?,?,?,?,?,?,?,?,?)", (number, iri, *row))
            missing = sorted(wanted.elements())
        else:
            number = entity[0]
            missing = _drop_labels(db, number, wanted)  # keys read with the weight the labels were written with
            db.execute("UPDATE entity SET kind=?, rank=?, weight=?, class=?, label_ru=?, label_en=?, label_any=?, "
                       "class_ru=?, class_en=? WHERE id = ?", (*row, number))
        inserts += [(key, number) for key in missing]
    # a class whose display labels changed is shown beside each of its instances
    for iri in sorted(iris):
        before = old.get(iri)
        now = shown.get(iri, {})
        if (before[1:] if before else (None, None)) != (now.get("ru"), now.get("en")):
            db.execute("UPDATE entity SET class_ru = ?, class_en = ? WHERE class = ?",
                       (now.get("ru"), now.get("en"), iri))
    return _insert_labels(db, inserts)


def _classifier(target: Queryable, base_iri: str) -> Classifier:
    """The class hierarchy of ``target``, read once per generation (:mod:`..store.memo`: a write that leaves the
    schema alone carries it to the next; a change of the hierarchy builds the index whole, without this)."""
    generation_id = getattr(target, "generation_id", None)
    generation_id = generation_id if isinstance(generation_id, str) else None  # a store's is a method: not kept
    kept = SCHEMA_MEMO.get(generation_id, f"search-classifier {base_iri}")
    if kept is None:
        kept = Classifier.load(target, base_iri)
        SCHEMA_MEMO.put(generation_id, f"search-classifier {base_iri}", kept)
    return kept


def _drop_labels(db: sqlite3.Connection, entity: int, wanted: Counter[LabelKey]) -> list[LabelKey]:
    """Delete the labels of ``entity`` that are not among ``wanted``; returns the wanted ones it lacks."""
    missing = Counter(wanted)
    rows = db.execute("SELECT l.id, e.weight, l.norm, e.iri, l.text, l.lang, l.alt, l.keys FROM label l "
                      "JOIN entity e ON e.id = l.entity WHERE l.entity = ?", (entity,)).fetchall()
    for label, weight_, norm, iri, text, lang, alt, keys in rows:
        key = (weight_, len(norm), norm, iri, text, lang, alt)
        if missing[key] > 0:
            missing[key] -= 1
            continue
        db.executemany("DELETE FROM word WHERE word = ? AND label = ?", [(w, label) for w in set(norm.split())])
        counted = [k for k, _label, _spelled in key_rows([(label, entity, text, lang, norm, alt, keys)])]
        db.executemany("DELETE FROM lemma WHERE key = ? AND label = ?", [(k, label) for k in counted])
        db.executemany("UPDATE lemma_key SET labels = labels - 1 WHERE key = ?", [(k,) for k in counted])
        db.executemany("DELETE FROM lemma_key WHERE key = ? AND labels <= 0", [(k,) for k in counted])
        db.execute("INSERT INTO label_fts (label_fts, rowid, norm) VALUES ('delete', ?, ?)", (label, norm))
        db.execute("DELETE FROM label WHERE id = ?", (label,))
    return sorted(missing.elements())


def _key_of(db: sqlite3.Connection, where: str, args: tuple[int, ...]) -> tuple[int, LabelKey] | None:
    row = db.execute(f"SELECT l.id, e.weight, l.norm, e.iri, l.text, l.lang, l.alt FROM label l JOIN entity e "
                     f"ON e.id = l.entity WHERE {where} LIMIT 1", args).fetchone()
    if row is None:
        return None
    label, weight_, norm, iri, text, lang, alt = row
    return label, (weight_, len(norm), norm, iri, text, lang, alt)


def _gap(db: sqlite3.Connection, key: LabelKey, top: int) -> tuple[int, int]:
    """The ids of the labels just before and just after ``key`` in id order (0 and ``top`` at the ends): label ids
    follow the keys, so a search on id values finds them."""
    low, high = 0, top
    while True:
        middle = (low + high) // 2
        found = _key_of(db, "l.id >= ? AND l.id < ? ORDER BY l.id", (max(middle, low + 1), high)) or \
            _key_of(db, "l.id > ? AND l.id < ? ORDER BY l.id DESC", (low, middle))
        if found is None:
            return low, high
        label, other = found
        if other < key:
            low = label
        else:
            high = label


def _insert_labels(db: sqlite3.Connection, inserts: list[tuple[LabelKey, int]]) -> bool:
    """Write the new labels at ids between their neighbours', spread evenly where several share a gap."""
    top = int(db.execute("SELECT coalesce(max(id), 0) FROM label").fetchone()[0]) + 2 * GAP
    by_gap: dict[tuple[int, int], list[tuple[LabelKey, int]]] = {}
    for key, entity in inserts:
        by_gap.setdefault(_gap(db, key, top), []).append((key, entity))
    rows = []
    for (low, high), group in by_gap.items():
        step = (high - low) // (len(group) + 1)
        if step < 1:
            log.info("search index: no free label id between %d and %d; building it whole", low, high)
            return False
        for n, ((_w, _size, norm, _iri, text, lang, alt), entity) in enumerate(sorted(group), start=1):
            rows.append((low + n * step, entity, text, lang, norm, alt, keys_text(norm)))
    db.executemany("INSERT INTO label VALUES (?,?,?,?,?,?,?)", rows)
    db.executemany("INSERT INTO word VALUES (?,?)", sorted({(w, row[0]) for row in rows for w in row[4].split()}))
    counted = list(key_rows(rows))
    db.executemany("INSERT INTO lemma VALUES (?,?)", [(k, label) for k, label, spelled in counted if not spelled])
    db.executemany("INSERT INTO lemma_key VALUES (?, 1) ON CONFLICT (key) DO UPDATE SET labels = labels + 1",
                   [(k,) for k, _label, _spelled in counted])
    db.executemany("INSERT INTO label_fts (rowid, norm) VALUES (?, ?)", [(row[0], row[4]) for row in rows])
    log.info("search index: %d label(s) written", len(rows))
    return True

