"""Readers never wait for a writer: point-query latency with and without a stream of writes, against
``oxigraph serve`` doing the same in the same run.

    python -m benchmarks.readers_during_writes --triples 100k --seconds 10

Per server: wrk on loopback sends point queries on subjects drawn at random for ``--seconds`` with no writes,
then again while one client applies single-triple ``INSERT DATA`` writes back to back (each acknowledged, so
durable, before the next). Result cache off on ours, so every read is evaluated. p50/p99 of the reads in both
runs, their ratio (the target: p99 with writes within 2× of p99 without), and the writes applied per second.
Ours twice: as configured by default (the write process below the HTTP processes' CPU priority) and with
``ECOSYSTEM_GRAPH_WRITE_NICENESS=0``; each gets one write before its first run, so that its write process has
started before the measuring does.
The table goes to docs/benchmarks.md under "## Readers during writes".
"""

from __future__ import annotations

import argparse
import shutil
import sys
import threading
import time
from pathlib import Path

import httpx

from ecosystem_graph import synthetic

from . import endpoint, latency, load
from .common import REPO, in_child, load_average, replace_section
from .run import parse_scale

TOKEN = "bench-readers-token"
HEADING = "## Readers during writes"
COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"


def writes_until(stop: threading.Event, base: str, path: str, headers: dict[str, str], graph: str,
                 subject: str, done: list[float]) -> None:
    """Single-triple writes one after the other until ``stop``; each one's latency into ``done``."""
    with httpx.Client(base_url=base, timeout=600, headers=headers) as client:
        number = 0
        while not stop.is_set():
            started = time.perf_counter()
            write_once(client, path, graph, subject, number)
            done.append(time.perf_counter() - started)
            number += 1


def write_once(client: httpx.Client, path: str, graph: str, subject: str, number: int) -> None:
    answer = client.post(path, content=f'INSERT DATA {{ GRAPH <{graph}> {{ <{subject}> <{COMMENT}> '
                         f'"reader test {number}" }} }}'.encode(),
                         headers={"Content-Type": "application/sparql-update"})
    if answer.status_code >= 300:
        raise RuntimeError(f"write answered {answer.status_code}: {answer.text[:200]}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.readers_during_writes", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--triples", type=parse_scale, default=100_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ecosystem-graph-readers"))
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "benchmarks.md")
    args = parser.parse_args(argv)
    work = args.workdir
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    started_at, load_before = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), load_average()
    project = synthetic.generate(work / "project", triples=args.triples, seed=1, template=REPO)
    built = in_child(load.ours, str(project.path), str(work / "store"), validate=True, reason=True, commit=True,
                     timeout=1800)
    if not built.ok:
        raise SystemExit(f"load failed: {built.error}")
    in_child(load.oxigraph_cli_load, str(project.path), str(work / "oxigraph"), timeout=1800)
    found = in_child(latency.subjects, str(project.path), str(work / "store"), timeout=600)
    subjects = (found.value or [])[:: max(1, len(found.value or []) // 2000)][:2000]
    graph = next(f for f in load.project_files(str(project.path)) if "synthetic-" in f[0])[2]
    university = project.parameters["university"]
    ours = [sys.executable, "-m", "ecosystem_graph.cli", "serve", "--project", str(project.path), "--store",
            str(work / "store"), "--no-rebuild", "--host", "127.0.0.1", "--port", "{port}"]
    env = {"ECOSYSTEM_GRAPH_API_TOKEN": TOKEN, "ECOSYSTEM_GRAPH_CHANGES_PATH": str(work / "changes"),
           "ECOSYSTEM_GRAPH_RESULT_CACHE_ENTRIES": "0"}
    servers = [  # as configured by default (the write process below the HTTP processes' CPU priority), and not
        (endpoint.Server("ecosystem-graph serve", ours, "/sparql", env=env), "/sparql",
         {"Authorization": f"Bearer {TOKEN}"}),
        (endpoint.Server("ecosystem-graph serve, write niceness 0", list(ours), "/sparql",
                         env={**env, "ECOSYSTEM_GRAPH_WRITE_NICENESS": "0"}), "/sparql",
         {"Authorization": f"Bearer {TOKEN}"}),
        (endpoint.Server("oxigraph serve", ["oxigraph", "serve", "--location", str(work / "oxigraph"), "--bind",
                                            "127.0.0.1:{port}", "--union-default-graph"], "/query"), "/update", {}),
    ]
    rows = []
    for server, update_path, headers in servers:
        server.port = endpoint.free_port()
        server.argv = [a.replace("{port}", str(server.port)) for a in server.argv]
        endpoint.start(server, "ASK { ?s ?p ?o }", work / f"{len(rows)}-{server.name.split()[0]}.log", 600)
        try:
            script = endpoint.scripts(work, server.path, university, subjects)["point (varying subjects)"]
            with httpx.Client(base_url=server.base, timeout=600, headers=headers) as client:
                write_once(client, update_path, graph, university, -1)  # a write process starts before, not in
            quiet = endpoint.wrk(server.base, script, connections=args.connections, duration=args.seconds)
            stop, done = threading.Event(), []
            writer = threading.Thread(target=writes_until, args=(stop, server.base, update_path, headers, graph,
                                                                 university, done))
            writer.start()
            busy = endpoint.wrk(server.base, script, connections=args.connections, duration=args.seconds)
            stop.set()
            writer.join(120)
        finally:
            endpoint.stop(server)
        rows.append((server.name, quiet, busy, len(done) / args.seconds, done))
        print(f"{server.name} done", flush=True)
    lines = [HEADING, "", f"`python -m benchmarks.readers_during_writes --triples {args.triples} --seconds "
             f"{args.seconds}` at {project.triples:,} triples ({built.value['triples']:,} stored with inferences), "
             f"run {started_at} (load average before: {load_before}); wrk -c{args.connections} point queries on "
             "random subjects, with no writes and then beside one client writing single triples back to back.", "",
             "| server | p50 / p99, no writes | p50 / p99, during writes | p99 ratio | writes/s | write p50 |",
             "|---|---|---|---|---|---|"]
    for name, quiet, busy, rate, done in rows:
        ratio = (busy["p99_ms"] or 0) / quiet["p99_ms"] if quiet.get("p99_ms") else float("nan")
        write_p50 = sorted(done)[len(done) // 2] * 1000 if done else float("nan")
        lines.append(f"| {name} | {quiet['p50_ms']:.2f} / {quiet['p99_ms']:.2f} ms | {busy['p50_ms']:.2f} / "
                     f"{busy['p99_ms']:.2f} ms | {ratio:.2f}× | {rate:.1f} | {write_p50:.0f} ms |")
    lines.append("")
    replace_section(args.output, HEADING, lines)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
