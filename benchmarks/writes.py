"""Write latency: what one acknowledged, durable write costs, gate and reasoning included, against ``oxigraph serve``
applying the same writes in the same run.

    python -m benchmarks.writes                          # 100k and 1M triples, 30 writes of each kind
    python -m benchmarks.writes --scales 10m --writes 10

Per scale: a synthetic project (``ecosystem-graph generate``, fixed seed) loaded whole (gate and reasoning on) and
served with an API token; the same files loaded by ``oxigraph load`` and served by ``oxigraph serve``. Then, one at
a time, each server gets: a single-triple ``INSERT DATA``; a Graph Store POST of 100 triples; a ``DELETE WHERE``
of one resource (a copy of a company, made just before by a POST that is not timed). The table, with medians and
p95 and the ratio to the peer, is written to the "Writes" section of docs/benchmarks.md.

Then the first search after a single-triple write that changes a label: the write states its change (``INSERT
DATA``: the search index follows it) or does not (``INSERT ... WHERE {}``: the index is built whole on first use,
as every write did before), and what copying the index file costs (a file copy, SQLite's backup API).

With ``--remote`` (or ``--only-remote``), the remote backend over ``oxigraph serve`` too: the same project loaded into
an empty ``oxigraph serve`` through the backend, then single-triple ``INSERT DATA`` writes (``pipeline.writes.update``
in this process, gate, reasoning and journal included) on the write path that sends the change (a local mirror,
docs/remote-store.md) and on the old one (the live dataset copied into memory, re-uploaded into staging graphs and
switched), against the same ``INSERT DATA`` posted straight to that ``oxigraph serve``.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import time
from pathlib import Path

import httpx

from ecosystem_graph import synthetic

from . import endpoint, load
from .common import REPO, in_child, load_average, median, p95

TOKEN = "bench-writes-token"
RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
ALT_LABEL = "http://www.w3.org/2004/02/skos/core#altLabel"
SECTION = "## Writes"


class Writer:
    """One server's write interface: SPARQL Update and Graph Store, as each server names them."""

    def __init__(self, server: endpoint.Server, update_path: str, store_path: str, headers: dict[str, str]):
        self.server, self.update_path, self.store_path, self.headers = server, update_path, store_path, headers
        self.client = httpx.Client(base_url=server.base, timeout=600, headers=headers)

    def update(self, sparql: str) -> None:
        answer = self.client.post(self.update_path, content=sparql.encode(),
                                  headers={"Content-Type": "application/sparql-update"})
        if answer.status_code >= 300:
            raise RuntimeError(f"{self.server.name}: update answered {answer.status_code}: {answer.text[:300]}")

    def post(self, graph: str, turtle: str) -> None:
        answer = self.client.post(self.store_path, params={"graph": graph}, content=turtle.encode(),
                                  headers={"Content-Type": "text/turtle"})
        if answer.status_code >= 300:
            raise RuntimeError(f"{self.server.name}: POST answered {answer.status_code}: {answer.text[:300]}")


def company_copy(project: Path, number: int) -> tuple[str, str]:
    """(IRI, Turtle) of a new company described like the first generated one."""
    first = next(project.glob("data/synthetic-*.nt"))
    company = None
    lines = []
    for line in first.read_text(encoding="utf-8").splitlines():
        subject = line.split(" ", 1)[0]
        if company is None and subject.endswith("-company-1>"):
            company = subject
        if company is not None and subject == company:
            lines.append(line)
    assert company is not None, "no company in the generated data"
    copy = company[:-1] + f"-bench-{number}>"
    return copy[1:-1], "\n".join(copy + line[len(company):] for line in lines) + "\n"


def measure(writer: Writer, project: Path, graph: str, university: str, count: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"INSERT DATA, 1 triple": [], "Graph Store POST, 100 triples": [],
                                     "DELETE WHERE, one resource": []}
    for i in range(count):
        started = time.perf_counter()
        writer.update(f'INSERT DATA {{ GRAPH <{graph}> {{ <{university}> <{RDFS_COMMENT}> "write {i}"@en }} }}')
        times["INSERT DATA, 1 triple"].append(time.perf_counter() - started)

        body = "".join(f'<{university}> <{RDFS_COMMENT}> "batch {i} line {k}"@en .\n' for k in range(100))
        started = time.perf_counter()
        writer.post(graph, body)
        times["Graph Store POST, 100 triples"].append(time.perf_counter() - started)

        iri, turtle = company_copy(project, i)
        writer.post(graph, turtle)
        started = time.perf_counter()
        writer.update(f"DELETE WHERE {{ GRAPH ?g {{ <{iri}> ?p ?o }} }}")
        times["DELETE WHERE, one resource"].append(time.perf_counter() - started)
    return times


def search_after_write(writer: Writer, graph: str, university: str, count: int) -> dict[str, list[float]]:
    """Seconds of a label write and of the first search after it, with the index following the write or built
    whole (a new label each time, so that the search must see it)."""
    times: dict[str, list[float]] = {}
    for i in range(count):
        for how, text in (("follows the write (INSERT DATA)", "INSERT DATA {{ GRAPH <{g}> {{ {t} }} }}"),
                          ("built whole on first use (INSERT … WHERE {})", "INSERT {{ GRAPH <{g}> {{ {t} }} }} "
                                                                            "WHERE {{}}")):
            word = f"Searchbench{i}{'a' if 'DATA' in how else 'b'}"
            started = time.perf_counter()
            writer.update(text.format(g=graph, t=f'<{university}> <{ALT_LABEL}> "{word}"@en'))
            written = time.perf_counter()
            answer = writer.client.get("/api/search", params={"q": word.lower()})
            done = time.perf_counter()
            if answer.status_code != 200 or university not in answer.text:
                raise RuntimeError(f"search for {word} answered {answer.status_code}: {answer.text[:300]}")
            times.setdefault(f"write, index {how}", []).append(written - started)
            times.setdefault(f"first search, index {how}", []).append(done - written)
    return times


def copy_costs(store: Path) -> tuple[int, float, float]:
    """(bytes, seconds of a file copy, seconds of SQLite's backup API) of the newest search index file."""
    source = max((store / "search").glob("*.sqlite"), key=lambda f: f.stat().st_mtime)
    target = source.with_name("copy-cost.tmp")
    started = time.perf_counter()
    shutil.copyfile(source, target)
    copied = time.perf_counter() - started
    target.unlink()
    started = time.perf_counter()
    with sqlite3.connect(source) as old, sqlite3.connect(target) as new:
        old.backup(new)
    backed_up = time.perf_counter() - started
    target.unlink()
    return source.stat().st_size, copied, backed_up


def run_scale(label: str, triples: int, args: argparse.Namespace) -> list[str]:
    work = args.workdir / label
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    reused = args.reuse.get(label)
    if reused is not None:  # a project generated and loaded whole by `python -m benchmarks --keep`: moved here
        shutil.move(str(reused / "project"), work / "project")
        shutil.move(str(reused / "store"), work / "store")
        project = synthetic.GeneratedProject(**{**synthetic.read_manifest(work / "project"), "path": work / "project"})
        stored = in_child(load.stored_triples, str(work / "store"), timeout=args.step_timeout).value
    else:
        project = synthetic.generate(work / "project", triples=triples, seed=args.seed, template=REPO)
        built = in_child(load.ours, str(project.path), str(work / "store"), validate=True, reason=True,
                         commit=True, timeout=args.step_timeout)
        if not built.ok:
            raise RuntimeError(f"load failed: {built.error}")
        stored = built.value["triples"]
    in_child(load.oxigraph_cli_load, str(project.path), str(work / "oxigraph"), timeout=args.step_timeout)
    graph = next(f for f in load.project_files(str(project.path)) if "synthetic-" in f[0])[2]
    university = project.parameters["university"]
    ours = endpoint.Server("ecosystem-graph serve", [
        sys.executable, "-m", "ecosystem_graph.cli", "serve", "--project", str(project.path), "--store",
        str(work / "store"), "--no-rebuild", "--host", "127.0.0.1", "--port", "{port}"], "/sparql",
        env={"ECOSYSTEM_GRAPH_API_TOKEN": TOKEN, "ECOSYSTEM_GRAPH_CHANGES_PATH": str(work / "changes")})
    peer = endpoint.Server("oxigraph serve", ["oxigraph", "serve", "--location", str(work / "oxigraph"), "--bind",
                                              "127.0.0.1:{port}", "--union-default-graph"], "/query")
    results = {}
    for server, update_path, store_path, headers in (
            (ours, "/sparql", "/rdf-graph-store", {"Authorization": f"Bearer {TOKEN}"}),
            (peer, "/update", "/store", {})):
        server.port = endpoint.free_port()
        server.argv = [a.replace("{port}", str(server.port)) for a in server.argv]
        endpoint.start(server, "ASK { ?s ?p ?o }", work / f"{server.name.split()[0]}.log", args.step_timeout)
        try:
            writer = Writer(server, update_path, store_path, headers)
            results[server.name] = measure(writer, project.path, graph, university, args.writes)
            if server is ours:
                searches = search_after_write(writer, graph, university, args.searches)
        finally:
            peak = endpoint.stop(server)
        print(f"[{label}] {server.name} done (peak {peak:.0f} MB)", flush=True)
    lines = [f"### {label} ({project.triples:,} triples generated, {stored:,} stored with "
             f"inferences; {args.writes} writes of each kind, one at a time; load average {load_average()})", "",
             "| write | ecosystem-graph p50 | p95 | oxigraph serve p50 | p95 | ratio of p50 |",
             "|---|---|---|---|---|---|"]
    for kind, ours_times in results["ecosystem-graph serve"].items():
        peer_times = results["oxigraph serve"][kind]
        lines.append(f"| {kind} | {median(ours_times) * 1000:.1f} ms | {p95(ours_times) * 1000:.1f} ms | "
                     f"{median(peer_times) * 1000:.1f} ms | {p95(peer_times) * 1000:.1f} ms | "
                     f"{median(ours_times) / median(peer_times):.1f}× |")
    size, copied, backed_up = copy_costs(work / "store")
    lines += ["", f"First search after a single-triple write of a label ({args.searches} of each, the search "
                  "`GET /api/search` for the new label). A write that states its change updates the index file "
                  f"in place (search/following.py); the file is {size / 2**20:.0f} MiB, and what a write would "
                  f"cost that copied it: a file copy {copied * 1000:.0f} ms, SQLite's backup API "
                  f"{backed_up * 1000:.0f} ms:", "", "| step | p50 | p95 |", "|---|---|---|"]
    lines += [f"| {step} | {median(t) * 1000:.1f} ms | {p95(t) * 1000:.1f} ms |" for step, t in searches.items()]
    return [*lines, ""]


def remote_scale(label: str, triples: int, args: argparse.Namespace) -> list[str]:
    """Single-triple writes through the remote backend over ``oxigraph serve``: the change sent, the old
    re-upload, and the server's own update latency as the peer."""
    from ecosystem_graph.config import Settings
    from ecosystem_graph.pipeline import load as loader
    from ecosystem_graph.pipeline import writes
    from ecosystem_graph.store.remote import RemoteStore
    from ecosystem_graph.store.remote_http import SparqlHttp
    from ecosystem_graph.vocab import inferred_graph_iri

    work = args.workdir / f"{label}-remote"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    project = synthetic.generate(work / "project", triples=triples, seed=args.seed, template=REPO)
    graph = next(f for f in load.project_files(str(project.path)) if "synthetic-" in f[0])[2]
    university = project.parameters["university"]
    server = endpoint.Server("oxigraph serve", ["oxigraph", "serve", "--location", str(work / "oxigraph"), "--bind",
                                                "127.0.0.1:{port}"], "/query")
    server.port = endpoint.free_port()
    server.argv = [a.replace("{port}", str(server.port)) for a in server.argv]
    endpoint.start(server, "ASK { ?s ?p ?o }", work / "oxigraph.log", args.step_timeout)
    try:
        settings = Settings(project_dir=project.path, store_path=work / "store", changes_path=work / "changes",
                            backend="remote", query_workers=0, remote_query_url=server.base + "/query",
                            remote_update_url=server.base + "/update", remote_graph_store_url=server.base + "/store")
        store = RemoteStore.from_settings(settings)
        started = time.perf_counter()
        report = loader.build(store, settings, full=True)
        loaded = time.perf_counter() - started
        old = RemoteStore(SparqlHttp(server.base + "/query", server.base + "/update", server.base + "/store"),
                          settings.base_iri, inferred_graph_iri(settings.base_iri), mirror_dir=None)
        times: dict[str, list[float]] = {}
        for how, writer, count in (("the change sent (mirror)", store, args.remote_writes),
                                   ("re-upload (old path)", old, args.remote_before)):
            for i in range(count):
                triple = f'<{university}> <{RDFS_COMMENT}> "remote {how} {i}"@en'
                sparql = f"INSERT DATA {{ GRAPH <{graph}> {{ {triple} }} }}"
                started = time.perf_counter()
                writes.update(writer, settings, sparql)
                times.setdefault(how, []).append(time.perf_counter() - started)
            print(f"[{label} remote] {how}: {count} writes done", flush=True)
        peer = Writer(server, "/update", "/store", {})
        for i in range(args.remote_writes):
            started = time.perf_counter()
            triple = f'<{university}> <{RDFS_COMMENT}> "peer {i}"@en'
            peer.update(f"INSERT DATA {{ GRAPH <urn:peer:writes> {{ {triple} }} }}")
            times.setdefault("peer", []).append(time.perf_counter() - started)
        store.close()
        old.close()
    finally:
        endpoint.stop(server)
    peer_p50 = median(times["peer"])
    lines = [f"### {label}, remote backend over `oxigraph serve` ({report.triples:,} triples stored with inferences, "
             f"loaded through the backend in {loaded:.1f} s; load average {load_average()})", "",
             "| single-triple INSERT DATA | writes | p50 | p95 | ratio of p50 to the peer |", "|---|---|---|---|---|"]
    for how in ("the change sent (mirror)", "re-upload (old path)", "peer"):
        name = "`oxigraph serve` alone (peer, the same server)" if how == "peer" else f"ecosystem-graph, {how}"
        lines.append(f"| {name} | {len(times[how])} | {median(times[how]) * 1000:.1f} ms | "
                     f"{p95(times[how]) * 1000:.1f} ms | {median(times[how]) / peer_p50:.1f}× |")
    return [*lines, ""]


def write_section(lines: list[str]) -> None:
    page = REPO / "docs" / "benchmarks.md"
    text = page.read_text(encoding="utf-8")
    intro = (f"{SECTION}\n\n`python -m benchmarks.writes`: each write acknowledged only once it is journaled "
             "(`changes/`), gate and reasoning included, against `oxigraph serve` applying the same writes in the "
             "same run (docs/architecture.md, \"Writes\").\n\n")
    head, _, rest = text.partition(f"\n{SECTION}\n")
    tail = rest[rest.find("\n## "):] if "\n## " in rest else ""
    body = rest[:len(rest) - len(tail)]
    kept = _by_scale(body.splitlines())  # the scales this run did not measure keep their subsections
    kept.update(_by_scale(lines))
    merged = [line for block in kept.values() for line in block]
    page.write_text(head.rstrip() + "\n\n" + intro + "\n".join(merged) + tail, encoding="utf-8")


def _by_scale(lines: list[str]) -> dict[str, list[str]]:
    """The subsections of the section, by the scale their heading names (``### 1m (...)``: ``1m``); a scale's
    remote subsection (``### 1m, remote ...``) is its own entry."""
    blocks: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines:
        if line.startswith("### "):
            current = blocks.setdefault(line[4:].split(" (")[0], [])
        if current is not None:
            current.append(line)
    return blocks


def main(argv: list[str] | None = None) -> None:
    from .run import parse_scale

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="100k,1m")
    parser.add_argument("--writes", type=int, default=30)
    parser.add_argument("--searches", type=int, default=3, help="first searches after a write, of each kind")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, default=REPO / "var" / "bench-writes")
    parser.add_argument("--step-timeout", type=float, default=3600)
    parser.add_argument("--no-report", action="store_true", help="print the table, leave docs/benchmarks.md alone")
    parser.add_argument("--remote", action="store_true", help="the remote backend over oxigraph serve too")
    parser.add_argument("--only-remote", action="store_true", help="the remote backend only")
    parser.add_argument("--remote-writes", type=int, default=30, help="remote writes on the change path, and peer")
    parser.add_argument("--remote-before", type=int, default=3, help="remote writes on the old re-upload path")
    parser.add_argument("--reuse", action="append", default=[], metavar="SCALE=DIR",
                        help="a scale's project and store from `python -m benchmarks --keep` (DIR holds project/ "
                             "and store/, loaded whole with gate and reasoning), moved into the work folder")
    args = parser.parse_args(argv)
    args.reuse = {label: Path(folder) for label, _, folder in (r.partition("=") for r in args.reuse)}
    lines = []
    for label in (s.strip() for s in args.scales.split(",") if s.strip()):
        if not args.only_remote:
            lines += run_scale(label, parse_scale(label), args)
        if args.remote or args.only_remote:
            lines += remote_scale(label, parse_scale(label), args)
    print("\n".join(lines))
    if not args.no_report:
        write_section(lines)


if __name__ == "__main__":
    main()
