"""First answer after start: from launching the server to the first 200 answer to a SPARQL point query, for
``ecosystem-graph serve`` (as the README starts it: the default HTTP processes) and ``oxigraph serve`` on the same
data, alternating, in one run.

    python -m benchmarks.startup --runs 5

The store is built from the project's own files (``ecosystem-graph load``); ``oxigraph serve`` opens a copy of the
published generation (the same quads, inferences included). Each run is a new process tree, polled every 2 ms
with the query until it answers 200; the time includes the interpreter's start, the imports and the store's
opening. Bytecode is compiled first, as ``pip install`` leaves it. Results go to docs/benchmarks.md under
"## First answer after start".
"""

from __future__ import annotations

import argparse
import compileall
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from .common import REPO, load_average, median, replace_section

HEADING = "## First answer after start"
POINT = ("SELECT ?p ?o WHERE { <https://w3id.org/ecosystem-graph/id/organization/sechenov-institute-of-pharmacy> "
         "?p ?o } LIMIT 5")
PATIENCE = 60.0  # seconds before a run is given up


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def first_answer(command: list[str], port: int, env: dict[str, str]) -> float:
    """Seconds from launching ``command`` to the first 200 answer to :data:`POINT` on ``port``."""
    path = "/sparql?" + urlencode({"query": POINT})
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        while time.perf_counter() - started < PATIENCE:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=PATIENCE)
                connection.request("GET", path, headers={"Accept": "application/sparql-results+json"})
                response = connection.getresponse()
                response.read()
                connection.close()
                if response.status == 200:
                    return time.perf_counter() - started
            except OSError:
                pass
            if process.poll() is not None:
                raise RuntimeError(f"{command[0]} exited with {process.returncode} before answering")
            time.sleep(0.002)
        raise RuntimeError(f"{command[0]} did not answer within {PATIENCE:g} s")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def build_store(work: Path) -> tuple[Path, Path]:
    """(our store, a copy of its published generation for oxigraph), from the project's files."""
    store = work / "store"
    subprocess.run([sys.executable, "-m", "ecosystem_graph.cli", "load", "--project", str(REPO), "--store",
                    str(store)], check=True, capture_output=True, timeout=600)
    generation = store / "generations" / (store / "CURRENT").read_text().strip()
    copy = work / "oxigraph"
    shutil.copytree(generation, copy)
    return store, copy


def measure(work: Path, runs: int) -> tuple[list[float], list[float]]:
    """First-answer seconds of ``ecosystem-graph serve`` and of ``oxigraph serve``, ``runs`` each, alternating."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    compileall.compile_dir(REPO / "ecosystem_graph", quiet=1)
    store, copy = build_store(work)
    env = {**os.environ, "ECOSYSTEM_GRAPH_PROJECT_DIR": str(REPO), "ECOSYSTEM_GRAPH_STORE_PATH": str(store),
           "ECOSYSTEM_GRAPH_RESULT_CACHE_ENTRIES": "0"}
    ours, theirs = [], []
    for _ in range(runs):
        port = free_port()
        ours.append(first_answer([sys.executable, "-m", "ecosystem_graph.cli", "serve", "--host", "127.0.0.1",
                                  "--port", str(port)], port, env))
        port = free_port()
        theirs.append(first_answer(["oxigraph", "serve", "--location", str(copy), "--bind", f"127.0.0.1:{port}"],
                                   port, env))
    return ours, theirs


def section(ours: list[float], theirs: list[float], command: str, load_before: str) -> list[str]:
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    row = "| {} | {:.3f} s | {:.3f} s | {:.3f} s |"
    return [HEADING, "", f"`{command}`, run {started} (load average before: {load_before}, after: "
            f"{load_average()}). From launching the server over the project's data to its first 200 answer to a "
            f"point query (`{POINT}`), polled every 2 ms; `ecosystem-graph serve` as the README starts it (one HTTP "
            "process per core, each with its query processes, which it starts after its first answer; the result cache "
            "off), `oxigraph serve` on a copy "
            "of the same generation; alternating runs.", "",
            "| server | median | fastest | slowest |", "|---|---|---|---|",
            row.format("ecosystem-graph serve", median(ours), min(ours), max(ours)),
            row.format("oxigraph serve", median(theirs), min(theirs), max(theirs)),
            f"| ratio (ours / oxigraph, medians) | {median(ours) / median(theirs):.1f}× | | |", ""]


def run(output: Path, work: Path, runs: int, command: str) -> list[str]:
    """Measure and write the report section; its lines."""
    if shutil.which("oxigraph") is None:
        lines = [HEADING, "", "Not measured: the `oxigraph` command is not installed.", ""]
    else:
        load_before = load_average()
        ours, theirs = measure(work, runs)
        lines = section(ours, theirs, command, load_before)
    replace_section(output, HEADING, lines)
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.startup", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="launches of each server (alternating)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ecosystem-graph-startup"))
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "benchmarks.md")
    args = parser.parse_args(argv)
    command = "python -m benchmarks.startup " + " ".join(sys.argv[1:] if argv is None else argv)
    print("\n".join(run(args.output, args.workdir, args.runs, command.strip())))


if __name__ == "__main__":
    main()
