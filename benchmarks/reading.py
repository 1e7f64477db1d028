"""The cost of reading every request once (issue 16): ``ecosystem-graph serve`` at this commit against the same
server at a baseline commit (before the one reading), and ``oxigraph serve``, in one run, on one store.

    python -m benchmarks.reading --baseline 736220a --triples 100k

Per server: wrk on loopback, point queries on one fixed subject and on subjects drawn at random (the in-process
lane), and an aggregate (a query worker), with the result cache off so every request is read and evaluated, then
on; and the cost of the reading itself per query, in this process (lexer, rdflib parse). The table goes to
docs/benchmarks.md under "## Reading a request".
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ecosystem_graph import synthetic

from . import endpoint, latency, load
from .common import REPO, in_child, load_average, replace_section
from .run import parse_scale

HEADING = "## Reading a request"

#: run by ``python -c`` with each checkout on PYTHONPATH: microseconds per request of the ASGI app in-process (no
#: socket, no HTTP parsing), for a point query answered from the result cache: the Python layer's own cost
IN_PROCESS = """
import asyncio, sys, time, urllib.parse
from pathlib import Path
from ecosystem_graph.config import Settings
from ecosystem_graph.store import open_store
from ecosystem_graph.web import create_app
store_dir, project, iri, variant = sys.argv[1:5]
settings = Settings(project_dir=Path(project), store_path=Path(store_dir), query_workers=1)
store = open_store(settings)
app = create_app(settings, store=store)
if variant == "without the caching middleware":
    app.user_middleware = [m for m in app.user_middleware if m.cls.__name__ != "GenerationCaching"]
query = urllib.parse.urlencode({"query": f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}"}).encode()
scope = {"type": "http", "method": "GET", "path": "/sparql", "raw_path": b"/sparql", "query_string": query,
         "root_path": "", "headers": [(b"accept", b"application/sparql-results+json"), (b"host", b"127.0.0.1")],
         "scheme": "http", "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 1), "http_version": "1.1",
         "asgi": {"version": "3.0"}}
async def main():
    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}
    async def send(message):
        assert message["type"] != "http.response.start" or message["status"] == 200, message
    for _ in range(300):
        await app(dict(scope), receive, send)
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(2000):
            await app(dict(scope), receive, send)
        best = min(best, (time.perf_counter() - started) / 2000 * 1e6)
    print(best)
asyncio.run(main())
store.close()
"""


def reading_costs(subjects: list[str]) -> dict[str, float]:
    """Microseconds per query of each step of the reading, on texts not seen before (no memo)."""
    from ecosystem_graph.syntax import bounded, lexer, reading

    texts = [latency.POINT.format(iri=s) + f" # {i}" for i, s in enumerate(subjects)]
    out = {}
    for name, step in (("lexer (canonical tokens)", lexer.canonical.__wrapped__),
                       ("single-pattern shape", lambda t: bounded._limit_at.__wrapped__(t)),
                       ("rdflib parse (other queries)", lambda t: reading._read_once(t, False, None))):
        started = time.perf_counter()
        for text in texts:
            step(text)
        out[name] = (time.perf_counter() - started) / len(texts) * 1e6
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.reading", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", default="736220a", help="git revision before the change")
    parser.add_argument("--triples", type=parse_scale, default=100_000)
    parser.add_argument("--duration", type=int, default=5, help="wrk seconds per query")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--subjects", type=int, default=2000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ecosystem-graph-reading"))
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "benchmarks.md")
    args = parser.parse_args(argv)
    work = args.workdir
    subprocess.run(["rm", "-rf", str(work)], check=True)
    work.mkdir(parents=True)
    started, load_before = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), load_average()
    project = synthetic.generate(work / "project", triples=args.triples, seed=1, template=REPO)
    built = in_child(load.ours, str(project.path), str(work / "store"), validate=False, reason=False, commit=True,
                     timeout=1800)
    if not built.ok:
        raise SystemExit(f"could not build the store: {built.error}")
    in_child(load.oxigraph_cli_load, str(project.path), str(work / "oxigraph"), timeout=1800)
    found = in_child(latency.subjects, str(project.path), str(work / "store"), timeout=600)
    subjects = (found.value or [])[:: max(1, len(found.value or []) // args.subjects)][: args.subjects]
    fixed = project.parameters["university"]
    baseline = Path(tempfile.mkdtemp(prefix="eg-baseline-"))
    subprocess.run(["git", "worktree", "add", "--detach", str(baseline), args.baseline], cwd=REPO, check=True,
                   capture_output=True)
    try:
        def serve() -> list[str]:
            return [sys.executable, "-m", "ecosystem_graph.cli", "serve", "--project", str(project.path), "--store",
                    str(work / "store"), "--no-rebuild", "--host", "127.0.0.1", "--port", "{port}", "--workers", "1"]

        servers = []
        for cache in ("0", "1024"):
            for label, code in ((f"baseline {args.baseline}", baseline), ("this commit", REPO)):
                servers.append(endpoint.Server(f"{label}, result cache {'off' if cache == '0' else 'on'}",
                                               serve(), "/sparql", cwd=str(code),
                                               env={"PYTHONPATH": str(code),
                                                    "ECOSYSTEM_GRAPH_RESULT_CACHE_ENTRIES": cache}))
        servers.append(endpoint.Server("oxigraph serve", ["oxigraph", "serve", "--location", str(work / "oxigraph"),
                                                          "--bind", "127.0.0.1:{port}", "--union-default-graph"],
                                       "/query"))
        results = [endpoint.measure(server, fixed_iri=fixed, subjects=subjects, folder=work,
                                    connections=args.connections, duration=args.duration, start_timeout=600)
                   for server in servers]
        in_process = {}
        for label, code, variant in ((f"baseline {args.baseline}", baseline, "as served"),
                                     ("this commit", REPO, "as served"),
                                     ("this commit", REPO, "without the caching middleware")):
            done = subprocess.run([sys.executable, "-c", IN_PROCESS, str(work / "store"), str(project.path), fixed,
                                   variant], env={**os.environ, "PYTHONPATH": str(code)}, cwd=str(code),
                                  capture_output=True, text=True, timeout=600)
            in_process[f"{label}, {variant}"] = float(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 \
                else float("nan")
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(baseline)], cwd=REPO, capture_output=True)
    costs = reading_costs(subjects)
    write(args, results, costs, in_process, started=started, load_before=load_before, triples=project.triples)


def write(args: argparse.Namespace, results: list[dict], costs: dict[str, float], in_process: dict[str, float], *,
          started: str,
          load_before: str, triples: int) -> None:
    queries = ("point (fixed subject)", "point (varying subjects)", "aggregate")
    lines = [HEADING, "", f"`python -m benchmarks.reading --baseline {args.baseline} --triples {args.triples}` at "
             f"{triples:,} triples, run {started} (load average before: {load_before}); wrk -c{args.connections}, "
             f"{args.duration} s per query, one HTTP process each. Requests/s, and the ratio to the baseline.", "",
             "| server | " + " | ".join(queries) + " | non-2xx |", "|---|" + "---|" * (len(queries) + 1)]
    by_name = {r["name"]: r for r in results}
    for result in results:
        if "error" in result:
            lines.append(f"| {result['name']} | error: {result['error'][:80]} |" + " |" * len(queries))
            continue
        peer = by_name.get(result["name"].replace("this commit", f"baseline {args.baseline}"))
        cells = []
        for query in queries:
            rate = result["wrk"][query]["rps"]
            base = peer["wrk"][query]["rps"] if peer and "wrk" in peer and peer is not result else None
            cells.append(f"{rate:,.0f}" + (f" ({rate / base:.2f}×)" if base else ""))
        bad = sum(result["wrk"][q].get("non_2xx", 0) for q in queries)
        lines.append(f"| {result['name']} | " + " | ".join(cells) + f" | {bad} |")
    lines += ["", "The Python layer alone: the ASGI app called in-process (no socket, no HTTP parsing) for the point "
              "query answered from the result cache, best of 5 × 2,000 requests:", "",
              "| code | µs per request |", "|---|---|"]
    lines += [f"| {name} | {value:,.0f} |" for name, value in in_process.items()]
    lines += ["", "The reading itself, per query text not seen before (each step is memoised per text after that):",
              "", "| step | µs per query |", "|---|---|"]
    lines += [f"| {name} | {value:,.0f} |" for name, value in costs.items()]
    lines.append("")
    replace_section(args.output, HEADING, lines)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
