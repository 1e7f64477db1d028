"""A one-line edit of one source file, then ``load``: the incremental reload against the whole rebuild
(``load --full``) of the same edit, in one run.

    python -m benchmarks.reload --scales 100k,1m

Per scale: a synthetic project, loaded whole once (gate and reasoning on, as ``ecosystem-graph load`` does); then
one label in one data file is changed (the file keeps its size in lines), and ``ecosystem-graph load`` runs as a
user runs it (a new process, so imports and store opening count), then the same edit again with ``load --full``.
Wall-clock seconds and the peak resident memory of each command go to docs/benchmarks.md under
"## Reload after a one-line edit".
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from ecosystem_graph import synthetic

from .common import REPO, load_average, replace_section
from .run import parse_scale

HEADING = "## Reload after a one-line edit"
_LABEL = re.compile(r'^(<[^>]+> <http://www\.w3\.org/2000/01/rdf-schema#label> ")([^"]*)(".*)$')


def edit_one_line(project: Path, number: int) -> str:
    """Change the first rdfs:label of the first data file; returns the file's name."""
    path = sorted(project.glob("data/synthetic-*.nt"))[0]
    lines = path.read_text(encoding="utf-8").split("\n")
    for index, line in enumerate(lines):
        found = _LABEL.match(line)
        if found:
            lines[index] = f"{found.group(1)}{found.group(2)} (edit {number}){found.group(3)}"
            break
    path.write_text("\n".join(lines), encoding="utf-8")
    return path.name


def timed_load(project: Path, store: Path, *extra: str) -> tuple[float, float]:
    """(seconds, peak MB) of ``ecosystem-graph load`` in a new process."""
    started = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%M", sys.executable, "-m", "ecosystem_graph.cli", "load",
                           "--project", str(project), "--store", str(store), *extra],
                          capture_output=True, text=True, timeout=7200)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"load {' '.join(extra)} failed: {done.stderr[-500:]}")
    peak_kb = int(done.stderr.strip().splitlines()[-1])
    return seconds, peak_kb / 1024


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.reload", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="100k,1m")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ecosystem-graph-reload"))
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "benchmarks.md")
    args = parser.parse_args(argv)
    started_at, load_before = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), load_average()
    lines = [HEADING, "", f"`python -m benchmarks.reload --scales {args.scales}`, run {started_at} (load average "
             f"before: {load_before}). Each command in a new process, as a user runs it; peak resident memory "
             "of that process.", "", "| scale | whole first load | one-line edit, `load` | same edit, "
             "`load --full` | ratio |", "|---|---|---|---|---|"]
    for label in (text.strip() for text in args.scales.split(",")):
        work = args.workdir / label
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        project = synthetic.generate(work / "project", triples=parse_scale(label), seed=1, template=REPO).path
        first = timed_load(project, work / "store")
        edited = edit_one_line(project, 1)
        incremental = timed_load(project, work / "store")
        edit_one_line(project, 2)
        full = timed_load(project, work / "store", "--full")
        lines.append(f"| {label} (edit in {edited}) | {first[0]:.1f} s, {first[1]:,.0f} MB | {incremental[0]:.1f} s, "
                     f"{incremental[1]:,.0f} MB | {full[0]:.1f} s, {full[1]:,.0f} MB | "
                     f"{full[0] / incremental[0]:.1f}× |")
        print(lines[-1], flush=True)
    lines.append("")
    replace_section(args.output, HEADING, lines)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
