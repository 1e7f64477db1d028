"""What the gate and the reasoner work out from a generation's schema (the class hierarchy, the rules' schema
closures), kept by generation id so that a write which leaves the schema alone does not work it out again.

A value belongs to one generation. When a write builds generation B from A with a change that touches no schema
triple, :meth:`SchemaMemo.carry` hands A's values to B: the queries that made them would give the same answer on B.
Only the newest few generations are kept (readers of older ones do not write).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

#: generations whose values are kept: the current, the one being built, and one spare for a write racing a load
_KEEP = 4


class SchemaMemo:
    """Values by (generation id, name); a generation without an id (a scratch store) is never memoised."""

    def __init__(self, keep: int = _KEEP):
        self._keep = keep
        self._values: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, generation_id: str | None, name: str) -> Any | None:
        if generation_id is None:
            return None
        with self._lock:
            return self._values.get(generation_id, {}).get(name)

    def put(self, generation_id: str | None, name: str, value: Any) -> None:
        if generation_id is None:
            return
        with self._lock:
            self._entry(generation_id)[name] = value

    def carry(self, from_id: str | None, to_id: str | None) -> None:
        """``to_id`` has the schema of ``from_id``: it starts with its values."""
        if from_id is None or to_id is None or from_id == to_id:
            return
        with self._lock:
            values = dict(self._values.get(from_id, {}))
            if values:
                self._entry(to_id).update(values)

    def _entry(self, generation_id: str) -> dict[str, Any]:
        entry = self._values.setdefault(generation_id, {})
        self._values.move_to_end(generation_id)
        while len(self._values) > self._keep:
            self._values.popitem(last=False)
        return entry


#: the memo of this process
SCHEMA_MEMO = SchemaMemo()
