"""Shared by the benchmark modules: measurements in child processes (own peak memory, hard time limit),
statistics, process-tree memory from /proc, and the versions and machine facts every report states."""

from __future__ import annotations

import multiprocessing
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ["ecosystem-graph", "pyoxigraph", "oxigraph", "rdflib", "pyshacl", "owlready2", "rdflib-endpoint",
            "fastapi", "uvicorn", "httpx", "pydantic"]


@dataclass
class Outcome:
    """What a child measurement returned, its peak resident memory, and why it has no value if it has none."""

    value: Any = None
    peak_mb: float | None = None
    seconds: float = 0.0
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


#: address-space limit (bytes) for every child measurement; 0 for none (set by run.py from --memory-limit-gb)
MEMORY_LIMIT = {"bytes": 0}


def _child(target: Callable, args: tuple, kwargs: dict, queue: multiprocessing.Queue, limit: int) -> None:
    if limit:  # a runaway step fails with MemoryError instead of pushing the machine into swap or the OOM killer
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        value = target(*args, **kwargs)
        error = None
    except BaseException as failure:  # report it to the parent; a benchmark row then says what went wrong
        value, error = None, f"{type(failure).__name__}: {failure}"
        traceback.print_exc()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((value, peak_mb, error))


def in_child(target: Callable, *args: Any, timeout: float, **kwargs: Any) -> Outcome:
    """Run ``target(*args, **kwargs)`` in a fresh (spawned) process, stopped after ``timeout`` seconds."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(target, args, kwargs, queue, MEMORY_LIMIT["bytes"]))
    started = time.perf_counter()
    process.start()
    deadline = started + timeout
    result = None
    while time.perf_counter() < deadline:
        try:
            result = queue.get(timeout=0.5)
            break
        except Exception:  # queue.Empty: still working
            if not process.is_alive():
                break
    seconds = time.perf_counter() - started
    if result is None:
        process.kill()
        process.join(5)
        return Outcome(seconds=seconds, error="stopped after the time limit" if process.exitcode in (None, -9)
                       else f"exited with {process.exitcode}")
    process.join(10)
    value, peak_mb, error = result
    return Outcome(value=value, peak_mb=peak_mb, seconds=seconds, error=error)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def p95(values: list[float]) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def timed(function: Callable[[], Any], *, repeat: int, budget: float) -> tuple[list[float], Any]:
    """Wall seconds of up to ``repeat`` calls (at least one), stopping once ``budget`` seconds are spent."""
    times, value, spent = [], None, 0.0
    for _ in range(repeat):
        started = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - started)
        spent += times[-1]
        if spent > budget:
            break
    return times, value


def tree_pids(root: int) -> list[int]:
    """``root`` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def tree_peak_mb(root: int) -> float:
    """Sum of the peak resident memory (VmHWM) of a process and its descendants (shared pages counted in each)."""
    total = 0
    for pid in tree_pids(root):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def versions() -> dict[str, str]:
    found = {}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    found["python"] = platform.python_version()
    for tool, argv in (("oxigraph (CLI)", ["oxigraph", "--version"]), ("wrk", ["wrk", "--version"]),
                       ("virtuoso-t", ["virtuoso-t", "-?"])):
        if shutil.which(argv[0]):
            done = subprocess.run(argv, capture_output=True, text=True, timeout=10)
            text = (done.stdout + done.stderr).strip().splitlines()
            found[tool] = next((line for line in text if any(c.isdigit() for c in line)), "present")[:80]
    return found


def machine() -> dict[str, str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    return {"cpu": cpu, "cores": str(os.cpu_count()), "memory": f"{memory / 1024 / 1024:.0f} GB",
            "os": f"{platform.system()} {platform.release()}", "python": sys.version.split()[0]}


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


@dataclass
class ScaleResult:
    """Everything measured at one scale, in the shape report.py renders."""

    scale: str
    triples: int
    files: int
    load: dict[str, Outcome] = field(default_factory=dict)
    latency: dict[str, Any] = field(default_factory=dict)
    endpoint: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def replace_section(page: Path, heading: str, lines: list[str]) -> None:
    """Put ``lines`` (starting with ``heading``) in place of that section of ``page``, or at its end."""
    text = page.read_text(encoding="utf-8") if page.exists() else ""
    if heading in text:
        head, _, rest = text.partition(heading)
        tail = rest[rest.find("\n## ") + 1:] if "\n## " in rest else ""
        text = head + "\n".join(lines) + ("\n" + tail if tail else "")
    else:
        text = text.rstrip() + "\n\n" + "\n".join(lines)
    page.write_text(text, encoding="utf-8")
