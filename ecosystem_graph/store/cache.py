"""A small LRU of serialised query results. Safe without invalidation because the key includes the
generation, and a published generation never changes."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

from .base import QueryOutput

#: results larger than this are not kept (a dump-sized answer would evict everything else).
MAX_CACHED_BODY = 256 * 1024


class ResultCache:
    def __init__(self, entries: int):
        self._entries = entries
        self._items: OrderedDict[Hashable, QueryOutput] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return bool(self._entries)

    def get(self, key: Hashable) -> QueryOutput | None:
        if not self._entries:
            return None
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: Hashable, output: QueryOutput) -> None:
        if not self._entries or len(output.body) > MAX_CACHED_BODY:
            return
        with self._lock:
            self._items[key] = output
            self._items.move_to_end(key)
            while len(self._items) > self._entries:
                self._items.popitem(last=False)
