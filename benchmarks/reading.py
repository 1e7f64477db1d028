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
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ecosystem_graph import synthetic

from . import endpoint, latency, load
from .common import REPO, in_child, load_average
from .run import parse_scale

HEADING = "## Reading a request"


def reading_costs(subjects: list[str]) -> dict[str, float]:
    """Microseconds per query of each step of the reading, on texts not seen before (no memo)."""
    from ecosystem_graph.syntax import bounded, lexer, reading

    texts = [latency.POINT.format(iri=s) + f" # {i}" for i, s in enumerate(subjects)]
    out = {}
    for name, step in (("lexer (canonical tokens)", lexer.canonical.__wrapped__),
                       ("single-pattern shape", lambda t: bounded._limit_at.__wrapped__(t)),
                       ("rdflib parse (other queries)", lambda t: reading._read.__wrapped__(t, False))):
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
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(baseline)], cwd=REPO, capture_output=True)
    costs = reading_costs(subjects)
    write(args, results, costs, started=started, load_before=load_before, triples=project.triples)


def write(args: argparse.Namespace, results: list[dict], costs: dict[str, float], *, started: str,
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
    lines += ["", "The reading itself, per query text not seen before (each step is memoised per text after that):",
              "", "| step | µs per query |", "|---|---|"]
    lines += [f"| {name} | {value:,.0f} |" for name, value in costs.items()]
    lines.append("")
    text = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
    if HEADING in text:
        head, _, rest = text.partition(HEADING)
        tail = rest[rest.find("\n## ") + 1:] if "\n## " in rest else ""
        text = head + "\n".join(lines) + ("\n" + tail if tail else "")
    else:
        text = text.rstrip() + "\n\n" + "\n".join(lines)
    args.output.write_text(text, encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
