"""Time and peak resident memory of each step of a load (parse+store, validate, reason, search index).

On Linux the kernel keeps the process's resident high-water mark (``VmHWM`` in ``/proc/self/status``); writing
``5`` to ``/proc/self/clear_refs`` resets it to the current resident size, so resetting it when a step starts and
reading it when the step ends gives that step's own peak, native memory (RocksDB, the query engine) included.
Where that file cannot be written, a thread samples ``VmRSS`` instead; where neither exists (not Linux), the
process's lifetime peak from :func:`resource.getrusage` is the best there is.
"""

from __future__ import annotations

import logging
import re
import resource
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)

_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")
_SAMPLE_SECONDS = 0.05


def _status_kib(field: str) -> int | None:
    try:
        found = re.search(rf"^{field}:\s+(\d+) kB", _STATUS.read_text(), re.MULTILINE)
    except OSError:
        return None
    return int(found.group(1)) if found else None


def _reset_high_water_mark() -> bool:
    try:
        _CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True


def _lifetime_peak_kib() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # bytes on macOS, KiB elsewhere


class _Sampler:
    """The largest ``VmRSS`` seen by a background thread while a step runs."""

    def __init__(self) -> None:
        self.peak = _status_kib("VmRSS") or 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(_SAMPLE_SECONDS):
            self.peak = max(self.peak, _status_kib("VmRSS") or 0)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return max(self.peak, _status_kib("VmRSS") or 0)


@contextmanager
def measured(name: str, seconds: dict[str, float], peak_rss_mb: dict[str, float] | None) -> Iterator[None]:
    """Record the step's wall-clock time in ``seconds[name]`` and its peak resident memory (MiB) in
    ``peak_rss_mb[name]`` (not measured when that is None)."""
    sampler = None
    if peak_rss_mb is not None and not _reset_high_water_mark() and _status_kib("VmRSS") is not None:
        sampler = _Sampler()
    started = time.perf_counter()
    try:
        yield
    finally:
        seconds[name] = time.perf_counter() - started
        if peak_rss_mb is not None:
            kib = sampler.stop() if sampler else (_status_kib("VmHWM") or _lifetime_peak_kib())
            peak_rss_mb[name] = kib / 1024
