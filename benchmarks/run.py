"""Run the whole benchmark suite at the chosen scales and write docs/benchmarks.md.

    python -m benchmarks                      # 100k and 1M triples
    python -m benchmarks --scales 10m --repeat 1 --rdflib-max 0 --append      # 10M, separately, added to the report
    python -m benchmarks --scales 1m --steps endpoint --append                 # measure one step again
    python -m benchmarks --steps startup                                       # first answer after start only

Per scale: a synthetic project (``ecosystem-graph generate``, fixed seed); load throughput of our loader against
raw ``pyoxigraph.Store.bulk_load`` on the same files (alternating runs, medians); the SHACL gate (SPARQL engine;
pySHACL up to ``--pyshacl-max``); reasoning and the whole ``load`` once; the peers' loads (``oxigraph load``,
owlready2's quadstore, rdflib in memory up to ``--rdflib-max``); query latency (median and p95); endpoint
throughput with wrk; peak memory of every child process. Once per run (the project's own data, not a scale): the
first answer after start of ``ecosystem-graph serve`` and ``oxigraph serve`` (benchmarks/startup.py). Peers are
measured in the same run, so ratios hold on this machine at this moment even when other work shares it (the load
average is recorded).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

from ecosystem_graph import synthetic

from . import common, endpoint, latency, load, report, startup, virtuoso
from .common import REPO, ScaleResult, in_child, load_average

SUFFIXES = {"k": 1_000, "m": 1_000_000}


def parse_scale(text: str) -> int:
    text = text.strip().lower()
    return int(float(text[:-1]) * SUFFIXES[text[-1]]) if text[-1] in SUFFIXES else int(text)


def git_commit() -> str:
    """The measured code's commit (``+changes`` when the work tree differs from it)."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", ".",
                                ":!docs/benchmarks.md", ":!docs/benchmarks.json"],  # the report itself
                               cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+changes" if dirty else "")


STEPS = ("load", "full", "peers", "latency", "endpoint", "startup")


def run_scale(label: str, triples: int, args: argparse.Namespace) -> ScaleResult:
    """Every step in ``args.steps`` at one scale; with ``--append``, the steps not run keep their earlier results."""
    work = args.workdir / label
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    project = synthetic.generate(work / "project", triples=triples, seed=args.seed, template=REPO)
    result = args.earlier.get(label) or ScaleResult(scale=label, triples=project.triples, files=len(project.files) + 1)
    if label not in args.earlier:
        result.notes.append(f"generated in {project.seconds:.1f} s ({project.triples_per_second:,.0f} triples/s)")
    result.notes.append(f"run {args.started}, commit {args.commit}, steps {', '.join(args.steps)}: "
                        f"`{args.command.strip()}`")
    path, limit = str(project.path), args.step_timeout
    print(f"[{label}] {project.triples:,} triples in {work}", flush=True)

    if "load" in args.steps:
        for i in range(args.repeat):  # alternate ours and raw, so that drift in the machine's load hits both alike
            result.load[f"raw disk {i}"] = in_child(load.raw_bulk_load, path, str(work / f"raw-{i}"), timeout=limit)
            result.load[f"ours {i}"] = in_child(load.ours, path, str(work / f"ours-{i}"), validate=True,
                                                reason=False, commit=False, timeout=limit)
            shutil.rmtree(work / f"raw-{i}", ignore_errors=True)
            shutil.rmtree(work / f"ours-{i}", ignore_errors=True)
            print(f"[{label}] load run {i + 1}/{args.repeat} done", flush=True)
        result.load["raw memory"] = in_child(load.raw_bulk_load, path, None, timeout=limit)
    if "full" in args.steps:
        result.load["full load"] = in_child(load.ours, path, str(work / "store"), validate=True, reason=True,
                                            commit=True, timeout=limit)
        print(f"[{label}] full load (validate, reason, search index) done", flush=True)
    elif "latency" in args.steps:  # the store the queries need, built without the (already measured) gate
        in_child(load.ours, path, str(work / "store"), validate=False, reason=True, commit=True, timeout=limit)
    if "peers" in args.steps:
        run_peers(result, project, work, triples, args)
    if "latency" in args.steps:
        measured = in_child(latency.ours, path, str(work / "store"), args.latency_repeat, 10.0, args.query_timeout,
                            timeout=limit)
        result.latency = {"ours": measured}
        print(f"[{label}] latency done", flush=True)
        save(args, result)  # a long run keeps what it measured should a later step be stopped
    if "endpoint" in args.steps and args.endpoint_duration > 0:
        result.endpoint = run_endpoints(project, work, triples, args)
    save(args, result)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return result


def run_peers(result: ScaleResult, project: synthetic.GeneratedProject, work: Path, triples: int,
              args: argparse.Namespace) -> None:
    path, limit = str(project.path), args.step_timeout
    if triples <= args.pyshacl_max:
        result.load["pyshacl"] = in_child(load.ours, path, str(work / "pyshacl"), validate=True, reason=False,
                                          commit=False, engine="pyshacl", timeout=limit)
    result.load["oxigraph load"] = in_child(load.oxigraph_cli_load, path, str(work / "oxigraph"), timeout=limit)
    result.load["owlready2"] = in_child(load.owlready2_quadstore, path, timeout=limit)
    if triples <= args.rdflib_max:
        queries = latency.for_rdflib(project.path) if triples <= args.rdflib_query_max else {}
        result.load["rdflib"] = in_child(load.rdflib_memory, path, queries, 3, args.rdflib_query_timeout,
                                         timeout=limit)
    print(f"[{project.path.parent.name}] peers loaded", flush=True)


def save(args: argparse.Namespace, result: ScaleResult) -> None:
    report.write(args.output, sorted([*args.done, result], key=lambda r: r.triples), args)


def run_endpoints(project: synthetic.GeneratedProject, work: Path, triples: int, args: argparse.Namespace) -> dict:
    """Each server on the same asserted triples: ours is loaded without reasoning, like the peers."""
    plain = in_child(load.ours, str(project.path), str(work / "plain"), validate=False, reason=False, commit=True,
                     timeout=args.step_timeout)
    if not plain.ok:
        return {"error": f"could not build the store to serve: {plain.error}"}
    found = in_child(latency.subjects, str(project.path), str(work / "plain"), timeout=args.step_timeout)
    everything = found.value if found.ok else []
    subjects = everything[:: max(1, len(everything) // args.subjects)][: args.subjects]
    if not subjects:
        return {"error": f"no subjects for the point queries: {found.error}"}
    if not (work / "oxigraph").exists():  # its load was measured in an earlier run (steps without peers)
        in_child(load.oxigraph_cli_load, str(project.path), str(work / "oxigraph"), timeout=args.step_timeout)
    files = [p for p, _m, _g in load.project_files(str(project.path))]
    fixed = project.parameters["university"]
    def serve(workers: int) -> list[str]:
        return [sys.executable, "-m", "ecosystem_graph.cli", "serve", "--project", str(project.path), "--store",
                str(work / "plain"), "--no-rebuild", "--host", "127.0.0.1", "--port", "{port}", "--workers",
                str(workers)]

    ours = f"ecosystem-graph serve --workers {args.workers}"
    servers = [
        endpoint.Server("ecosystem-graph serve --workers 1 (start only)", serve(1), "/sparql"),
        endpoint.Server(f"{ours} (result cache on)", serve(args.workers), "/sparql"),
        endpoint.Server(f"{ours} (result cache off)", serve(args.workers), "/sparql",
                        env={"ECOSYSTEM_GRAPH_RESULT_CACHE_ENTRIES": "0"}),
        endpoint.Server("oxigraph serve", ["oxigraph", "serve", "--location", str(work / "oxigraph"), "--bind",
                                           "127.0.0.1:{port}", "--union-default-graph"], "/query"),
    ]
    if triples <= args.rdflib_query_max:
        servers.append(endpoint.Server("rdflib-endpoint", ["rdflib-endpoint", "serve", "--host", "127.0.0.1",
                                                           "--port", "{port}", *files], "/"))
    found = {"plain_load": plain}
    for server in servers:
        duration = 0 if "start only" in server.name else args.endpoint_duration
        found[server.name] = endpoint.measure(server, fixed_iri=fixed, subjects=subjects, folder=work,
                                              connections=args.connections, duration=duration,
                                              start_timeout=args.step_timeout)
        print(f"[{project.path.parent.name}] endpoint {server.name} done", flush=True)
    if args.virtuoso:
        found["virtuoso"] = virtuoso.measure(project, work, fixed, subjects, args)
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="100k,1m", help="comma-separated triple counts: 100k, 1m, 10m ...")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="runs of load and validation per scale (median)")
    parser.add_argument("--latency-repeat", type=int, default=20, help="runs per query (at most 10 s per query)")
    parser.add_argument("--pyshacl-max", type=parse_scale, default=100_000, help="largest scale pySHACL runs at")
    parser.add_argument("--rdflib-max", type=parse_scale, default=1_000_000, help="largest scale rdflib loads at")
    parser.add_argument("--rdflib-query-max", type=parse_scale, default=100_000,
                        help="largest scale rdflib queries and rdflib-endpoint are measured at")
    parser.add_argument("--rdflib-query-timeout", type=int, default=20, help="seconds per rdflib query")
    parser.add_argument("--query-timeout", type=float, default=30, help="seconds before a timed query is stopped")
    parser.add_argument("--endpoint-duration", type=int, default=5, help="wrk seconds per query (0: skip)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="HTTP processes of ecosystem-graph serve")
    parser.add_argument("--subjects", type=int, default=2000, help="subjects the varying point query draws from")
    parser.add_argument("--virtuoso", action=argparse.BooleanOptionalAction, default=shutil.which("virtuoso-t")
                        is not None, help="also measure Virtuoso (scripts/virtuoso.sh)")
    parser.add_argument("--step-timeout", type=float, default=1800, help="seconds before a step is stopped")
    parser.add_argument("--memory-limit-gb", type=float, default=0,
                        help="address-space limit of each measuring child process (0: none)")
    parser.add_argument("--startup-runs", type=int, default=5,
                        help="launches of each server for the first answer after start (startup step)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ecosystem-graph-bench"))
    parser.add_argument("--keep", action="store_true", help="keep the generated projects and stores")
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "benchmarks.md")
    parser.add_argument("--append", action="store_true", help="keep the scales already in --output (10M later)")
    parser.add_argument("--steps", default=",".join(STEPS),
                        help="steps to run: load (ours against raw, alternating), full (the whole load once), peers "
                             "(the other loaders), latency, endpoint, startup (first answer after start, on the "
                             "project's data); with --append the others keep their results")
    args = parser.parse_args(argv)
    args.command = "python -m benchmarks " + " ".join(sys.argv[1:] if argv is None else argv)
    args.load_before = load_average()
    args.started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    args.commit = git_commit()
    scales = [text.strip() for text in args.scales.split(",")]
    args.steps = [step.strip() for step in args.steps.split(",") if step.strip()]
    if unknown := set(args.steps) - set(STEPS):
        parser.error(f"unknown steps {', '.join(sorted(unknown))}; choose from {', '.join(STEPS)}")
    earlier = report.previous(args.output) if args.append else []
    # a scale measured again replaces its section; with some steps only, it is updated in place
    args.earlier = {r.scale: r for r in earlier if r.scale in scales} if set(args.steps) != set(STEPS) else {}
    args.done = [r for r in earlier if r.scale not in scales]
    common.MEMORY_LIMIT["bytes"] = int(args.memory_limit_gb * 2**30)
    if shutil.which("wrk") is None:
        args.endpoint_duration = 0
    scale_steps = set(args.steps) - {"startup"}
    for text in scales if scale_steps else []:
        args.done.append(run_scale(text, parse_scale(text), args))
        args.done.sort(key=lambda r: r.triples)
    if scale_steps:
        report.write(args.output, args.done, args)
    if "startup" in args.steps:  # the project's own data, not a scale: its own section (benchmarks/startup.py)
        startup.run(args.output, args.workdir / "startup", args.startup_runs, args.command.strip())
    print(f"wrote {args.output}")
