"""A local copy of the remote dataset on disk, tagged with the remote generation it holds.

A write on the remote backend starts from a RocksDB checkpoint of the mirror (hard links: milliseconds), so the
gate and the reasoner run locally and exactly, and only what changed is sent (:mod:`.remote_delta`). Whoever
publishes a generation makes its local store the mirror of it. Layout of the folder::

    CURRENT       {"dir": ..., "generation": ...}: the mirror and the remote generation id it holds (os.replace)
    <name>/       one RocksDB database per store: the mirror and the working copies of writes in progress
    write.lock    flock held while a generation is built (one writer across processes)

A mirror is only ever used for the generation id it is tagged with; anything else (another writer, a load from
another machine, a server wiped) makes the next write copy the live dataset again.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

log = logging.getLogger(__name__)

#: open RocksDB handles by folder: a database opens once per process (several stores may share a mirror)
_OPEN: dict[str, ox.Store] = {}
_OPEN_LOCK = threading.Lock()
_THREADS: dict[str, threading.Lock] = {}


class Mirror:
    """The mirror folder of one remote store."""

    def __init__(self, folder: Path):
        self.folder = folder

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Held while a generation is built: one writer at a time, in this process and across processes."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with _OPEN_LOCK:
            thread_lock = _THREADS.setdefault(str(self.folder.resolve()), threading.Lock())
        with thread_lock, open(self.folder / "write.lock", "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def new_path(self) -> Path:
        return self.folder / uuid.uuid4().hex

    def current(self, generation_id: str | None) -> ox.Store | None:
        """The mirror, if it holds the remote generation ``generation_id``."""
        if generation_id is None:
            return None
        try:
            tag = json.loads((self.folder / "CURRENT").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if tag.get("generation") != generation_id:
            return None
        try:
            return _open(self.folder / tag["dir"])
        except OSError as error:  # held by another process: copy the live data again
            log.info("the remote mirror cannot be opened (%s): copying the live dataset", error)
            return None

    def checkpoint(self, mirror: ox.Store, path: Path) -> ox.Store:
        """A working copy of ``mirror`` at ``path`` (a RocksDB checkpoint: hard links where it can)."""
        mirror.backup(str(path))
        return _open(path)

    def create(self, path: Path) -> ox.Store:
        return _open(path)

    def adopt(self, path: Path, generation_id: str) -> None:
        """The store at ``path`` holds the remote generation ``generation_id`` now: it becomes the mirror, and the
        others (older mirrors, copies left by writes that died) go."""
        current = self.folder / "CURRENT"
        partial = self.folder / ".CURRENT.partial"
        partial.write_text(json.dumps({"dir": path.name, "generation": generation_id}), encoding="utf-8")
        os.replace(partial, current)
        for other in self.folder.iterdir():
            if other.is_dir() and other != path:
                self.discard(other)

    def discard(self, path: Path) -> None:
        with _OPEN_LOCK:
            _OPEN.pop(str(path.resolve()), None)
        shutil.rmtree(path, ignore_errors=True)


def _open(path: Path) -> ox.Store:
    """The process's one handle on the database at ``path``. :raises OSError: another process holds it."""
    key = str(path.resolve())
    with _OPEN_LOCK:
        store = _OPEN.get(key)
        if store is None:
            store = _OPEN[key] = ox.Store(key)
        return store
