"""A write's search index: the previous generation's index file, updated in place for the resources the write
touched, at the cost of the write (copying the file was a whole-index cost: 240 MB and about a second per write
at 1M triples).

The file is SQLite in WAL mode: readers keep reading their committed snapshot while the writer updates it. The
update runs in one transaction that stays open until the write's generation is published, and is committed only
then; a write that fails before it rolls the index back with it. The new generation finds the file through a
small ``{generation}.link`` (the file's name and the generation it was made from). So the index a reader sees is
that of its generation or of a newer one, never of an older one, except in one case: a process killed between
publishing and committing leaves the index one write behind, and the next write then finds the file is not the
index of the generation it copies and leaves its own to be built whole on first use (:func:`.index.index_for`).
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..config import Settings
from ..errors import QueryError
from ..store import GenerationBuilder, GraphStore
from .build import SCHEMA_VERSION
from .follow import follow
from .index import SearchIndex, _file, drop_old_files, known, own_file, reader_of, remember, version

log = logging.getLogger(__name__)


@contextmanager
def following(store: GraphStore, generation: GenerationBuilder, settings: Settings, *, previous: str | None,
              iris: set[str] | None) -> Iterator[None]:
    """Around the publishing of ``generation``, made from ``previous`` by a change that touched the entries of
    ``iris`` (:func:`.follow.changed_resources`; None: the index cannot follow, it is built whole on first use):
    the index is updated before the block, committed after it, rolled back if it raises."""
    pending = _Pending.start(store, generation, settings, previous, iris) if iris is not None else None
    try:
        yield
    except BaseException:
        if pending is not None:
            pending.roll_back()
        raise
    if pending is not None:
        pending.commit()


class _Pending:
    """An index update waiting for its generation to be published."""

    def __init__(self, store: GraphStore, generation: str | None, db: sqlite3.Connection, path: Path | None,
                 link: Path | None):
        self.store, self.generation, self.db, self.path, self.link = store, generation, db, path, link

    @classmethod
    def start(cls, store: GraphStore, generation: GenerationBuilder, settings: Settings, previous: str | None,
              iris: set[str]) -> _Pending | None:
        started = time.perf_counter()
        source, target = _file(settings, previous), own_file(settings, generation.generation_id)
        if source is None or target is None:
            return cls._in_memory(store, generation, settings, previous, iris)
        if not source.exists() or version(source) != SCHEMA_VERSION:
            return None
        db = sqlite3.connect(source, isolation_level=None, timeout=60)
        try:
            db.execute("PRAGMA synchronous=NORMAL")  # a lost commit only leaves the index behind (see above)
            db.execute("BEGIN IMMEDIATE")
            row = db.execute("SELECT value FROM state WHERE key = 'generation'").fetchone()
            if row is None or row[0] != previous:
                log.info("the search index file is not that of generation %s; built whole on first use", previous)
            if row is None or row[0] != previous or (iris and not _apply(db, generation, settings, iris)):
                db.execute("ROLLBACK")
                db.close()
                return None
            db.execute("UPDATE state SET value = ? WHERE key = 'generation'", (generation.generation_id,))
        except BaseException:
            db.close()
            raise
        link = target.with_suffix(".link")
        tmp = link.with_name(f"{link.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"file": source.name, "previous": previous}))
        os.replace(tmp, link)
        log.info("search index follows the change: %d resource(s) in %.3f s", len(iris),
                 time.perf_counter() - started)
        return cls(store, generation.generation_id, db, source, link)

    @classmethod
    def _in_memory(cls, store: GraphStore, generation: GenerationBuilder, settings: Settings, previous: str | None,
                   iris: set[str]) -> _Pending | None:
        """Other backends keep their index in memory: a copy through SQLite's backup API, updated."""
        before = known(store, previous)
        if before is None or before.path is not None:
            return None
        db = sqlite3.connect(":memory:", check_same_thread=False)
        with before._snapshot() as source:
            source.backup(db)
        if iris and not _apply(db, generation, settings, iris):
            db.close()
            return None
        db.commit()
        return cls(store, generation.generation_id, db, None, None)

    def commit(self) -> None:
        if self.path is None:
            remember(self.store, self.generation, SearchIndex(self.db))
            return
        self.db.execute("COMMIT")
        self.db.close()
        remember(self.store, self.generation, reader_of(self.store, self.path))
        drop_old_files(self.path.parent, keep=self.path)

    def roll_back(self) -> None:
        if self.path is not None:
            self.db.execute("ROLLBACK")
        self.db.close()
        if self.link is not None:
            self.link.unlink(missing_ok=True)


def _apply(db: sqlite3.Connection, generation: GenerationBuilder, settings: Settings, iris: set[str]) -> bool:
    """Update ``db`` for the entries of ``iris``; False when it cannot (the caller rolls back)."""
    try:
        return follow(db, generation, settings.base_iri, iris)
    except (QueryError, sqlite3.Error) as error:
        log.warning("the search index could not follow the change (%s); it is built on first use", error)
        return False
