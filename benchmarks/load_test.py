"""A bounded load test of ``ecosystem-graph serve`` on loopback, and runaway queries under load.

    python benchmarks/load_test.py [--datasets project synthetic] [--triples 1000000] [--duration 20]
                                   [--clients 16] [--max-requests 100000] [--output docs/load-test.md]

For each dataset (the curated project in this repository; a synthetic one of ``--triples`` triples written by
``ecosystem-graph generate``) the store is built with ``ecosystem-graph load`` and served by
``ecosystem-graph serve`` on 127.0.0.1 (a child process, as deployed: one HTTP process, its query worker
processes). Then two phases, each bounded in time and in requests:

* **load**: ``--clients`` concurrent clients (httpx AsyncClient) send a mix of point lookups, two-pattern joins
  and GROUP BY aggregates over IRIs sampled from the data, for ``--duration`` seconds. The result cache is off
  (``ECOSYSTEM_GRAPH_RESULT_CACHE_ENTRIES=0``) unless ``--cache``: every request is evaluated.
* **runaway**: one client keeps sending queries that would run for hours (a three-way cartesian product, an
  unbounded property path over every link in both directions) while the other clients keep sending point
  lookups; the server's query timeout is ``--timeout`` seconds. Every runaway must come back 503 (stopped);
  every point lookup must be answered.

An error is any answer other than the expected status (200; 503 for a runaway), a transport error or a client
timeout (``--client-timeout``). Prints a Markdown report (and writes it to ``--output``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import shutil
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
JSON = "application/sparql-results+json"


# --- the queries ----------------------------------------------------------------------------------------------
def point(iri: str) -> str:
    return f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}"


def join(iri: str) -> str:
    return (f"SELECT ?p ?o ?label WHERE {{ <{iri}> ?p ?o . ?o <{RDFS_LABEL}> ?label "
            f'FILTER(lang(?label) = "en") }}')


def aggregate(iri: str) -> str:
    """Incoming links of a resource by predicate and by the linking resource's class."""
    return (f"SELECT ?p ?class (COUNT(?s) AS ?n) WHERE {{ ?s ?p <{iri}> . OPTIONAL {{ ?s a ?class }} }} "
            f"GROUP BY ?p ?class ORDER BY DESC(?n)")


MIX = {"point": (point, 0.5), "join": (join, 0.3), "aggregate": (aggregate, 0.2)}

RUNAWAYS = {
    "cartesian product": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "unbounded path": f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a (<{RDFS_LABEL}>|!<{RDFS_LABEL}>|"
                      f"^!<{RDFS_LABEL}>)* ?b }}",
}


# --- measuring ------------------------------------------------------------------------------------------------
@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    tried: int = 0
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def record(self, kind: str, seconds: float, error: str | None) -> None:
        self.tried += 1
        if error is not None:
            self.errors += 1
            if len(self.error_samples) < 5:
                self.error_samples.append(f"{kind}: {error}")
        else:
            self.latencies.setdefault(kind, []).append(seconds)

    def answered(self, kinds: tuple[str, ...] | None = None) -> list[float]:
        return sorted(x for kind, values in self.latencies.items() if kinds is None or kind in kinds for x in values)


def percentile(ordered: list[float], q: float) -> float:
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


async def send(client: httpx.AsyncClient, url: str, sparql: str) -> tuple[int, bytes]:
    answer = await client.post(url + "sparql", data={"query": sparql}, headers={"Accept": JSON})
    return answer.status_code, answer.content


async def timed(client: httpx.AsyncClient, url: str, sparql: str, expected: int) -> tuple[float, str | None]:
    started = time.perf_counter()
    try:
        status, body = await send(client, url, sparql)
    except httpx.HTTPError as error:
        return time.perf_counter() - started, f"{type(error).__name__}: {error}"
    seconds = time.perf_counter() - started
    if status != expected:
        return seconds, f"{status} {body[:200]!r}"
    if status == 200:
        try:
            json.loads(body)["results"]["bindings"]
        except (ValueError, KeyError) as error:
            return seconds, f"unreadable answer: {error}"
    return seconds, None


async def load_phase(url: str, iris: list[str], *, clients: int, duration: float, max_requests: int,
                     client_timeout: float, seed: int) -> Tally:
    tally = Tally()
    kinds = list(MIX)
    weights = [MIX[k][1] for k in kinds]
    deadline = time.monotonic() + duration

    async def one_client(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        async with httpx.AsyncClient(timeout=client_timeout) as client:
            while time.monotonic() < deadline and tally.tried < max_requests:
                kind = rng.choices(kinds, weights)[0]
                seconds, error = await timed(client, url, MIX[kind][0](rng.choice(iris)), 200)
                tally.record(kind, seconds, error)

    started = time.perf_counter()
    await asyncio.gather(*(one_client(n) for n in range(clients)))
    tally.seconds = time.perf_counter() - started
    return tally


async def runaway_phase(url: str, iris: list[str], *, clients: int, duration: float, max_requests: int,
                        client_timeout: float, seed: int) -> Tally:
    """One client sends runaways back to back; the others send point lookups meanwhile."""
    tally = Tally()
    deadline = time.monotonic() + duration

    async def runaway_client() -> None:
        async with httpx.AsyncClient(timeout=client_timeout) as client:
            names = list(RUNAWAYS)
            i = 0
            while time.monotonic() < deadline:
                name = names[i % len(names)]
                i += 1
                seconds, error = await timed(client, url, RUNAWAYS[name], 503)
                tally.record(f"runaway: {name}", seconds, error)

    async def cheap_client(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        async with httpx.AsyncClient(timeout=client_timeout) as client:
            while time.monotonic() < deadline and tally.tried < max_requests:
                seconds, error = await timed(client, url, point(rng.choice(iris)), 200)
                tally.record("point", seconds, error)

    started = time.perf_counter()
    await asyncio.gather(runaway_client(), *(cheap_client(n) for n in range(max(1, clients - 1))))
    tally.seconds = time.perf_counter() - started
    return tally


# --- the server -----------------------------------------------------------------------------------------------
def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cli(*args: str, env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ecosystem_graph.cli", *args], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


class Server:
    """``ecosystem-graph serve`` in a child process on 127.0.0.1."""

    def __init__(self, project: Path, store: Path, log: Path, env: dict[str, str]):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ecosystem_graph.cli", "serve", "--host", "127.0.0.1", "--port", str(self.port),
             "--project", str(project), "--store", str(store), "--no-rebuild"],
            env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}; see {log}")
            try:
                if httpx.get(self.url + "health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("the server did not start")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def wait_for_queries(url: str) -> None:
    """The query processes start with the first query; until they run, a query may time out."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        answer = httpx.post(url + "sparql", data={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": JSON}, timeout=60)
        if answer.status_code == 200:
            return
        time.sleep(0.5)
    raise RuntimeError("the server does not answer queries")


def sample_iris(url: str, count: int, seed: int) -> list[str]:
    """Subjects of typed resources, for the queries to start from."""
    answer = httpx.post(url + "sparql", data={"query": "SELECT DISTINCT ?s WHERE { ?s a ?c FILTER(isIRI(?s)) } "
                                                        "LIMIT 200000"}, headers={"Accept": JSON}, timeout=120)
    answer.raise_for_status()
    iris = [row["s"]["value"] for row in answer.json()["results"]["bindings"]]
    return random.Random(seed).sample(iris, min(count, len(iris)))


def count_triples(url: str) -> int:
    answer = httpx.post(url + "sparql", data={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
                        headers={"Accept": JSON}, timeout=120)
    answer.raise_for_status()
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


# --- one dataset ----------------------------------------------------------------------------------------------
@dataclass
class Run:
    dataset: str
    triples: int
    build_seconds: float
    load: Tally
    runaway: Tally | None
    load_average: tuple[float, float]  # the machine's 1-minute load average before and after the phases


def prepare(name: str, args: argparse.Namespace) -> tuple[Path, Path]:
    work: Path = args.work
    if name == "project":
        return REPO, work / "store-project"
    project = work / f"synthetic-{args.triples}"
    manifest = project / "synthetic.json"
    if not manifest.exists():
        shutil.rmtree(project, ignore_errors=True)
        cli("generate", "--output", str(project), "--triples", str(args.triples), "--project", str(REPO))
    return project, work / f"store-synthetic-{args.triples}"


def run_dataset(name: str, args: argparse.Namespace) -> Run:
    project, store = prepare(name, args)
    env = {**os.environ, "ECOSYSTEM_GRAPH_QUERY_TIMEOUT": str(args.timeout),
           "ECOSYSTEM_GRAPH_RESULT_CACHE_ENTRIES": "1024" if args.cache else "0"}
    env.pop("ECOSYSTEM_GRAPH_API_TOKEN", None)
    if args.workers is not None:
        env["ECOSYSTEM_GRAPH_QUERY_WORKERS"] = str(args.workers)
    build = float("nan")
    if not (args.reuse_store and (store / "CURRENT").exists()):
        shutil.rmtree(store, ignore_errors=True)
        load_env = dict(env)
        if name == "synthetic" and not args.validate:  # valid by construction; pySHACL on 1M triples takes long
            load_env["ECOSYSTEM_GRAPH_VALIDATE_SHAPES"] = "false"
        build = cli("load", "--project", str(project), "--store", str(store), env=load_env)
    server = Server(project, store, args.work / f"serve-{name}.log", env)
    try:
        wait_for_queries(server.url)
        load_before = os.getloadavg()[0]
        iris = sample_iris(server.url, 5000, args.seed)
        triples = count_triples(server.url)
        bounds = {"clients": args.clients, "max_requests": args.max_requests, "client_timeout": args.client_timeout,
                  "seed": args.seed}
        asyncio.run(load_phase(server.url, iris, duration=min(2.0, args.duration), **bounds))  # warm-up
        load = asyncio.run(load_phase(server.url, iris, duration=args.duration, **bounds))
        runaway = None
        if not args.no_runaway:
            runaway = asyncio.run(runaway_phase(server.url, iris, duration=args.duration, **bounds))
        health = httpx.get(server.url + "health", timeout=10)
        if health.status_code != 200:
            load.errors += 1
            load.error_samples.append(f"health after the run: {health.status_code}")
        load_after = os.getloadavg()[0]
    finally:
        server.stop()
    return Run(name, triples, build, load, runaway, (load_before, load_after))


# --- report ---------------------------------------------------------------------------------------------------
def report(runs: list[Run], args: argparse.Namespace) -> str:
    import pyoxigraph

    lines = [
        "# Load test",
        "",
        "Generated by `benchmarks/load_test.py` "
        f"(`python benchmarks/load_test.py --duration {args.duration:g} --clients {args.clients} "
        f"--triples {args.triples} --timeout {args.timeout:g}`); do not edit by hand.",
        "",
        f"Machine: {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, Python "
        f"{platform.python_version()}, pyoxigraph {pyoxigraph.__version__}. Server: `ecosystem-graph serve` on "
        f"127.0.0.1, one HTTP process, {args.workers if args.workers is not None else 'the default number of'} query "
        f"worker processes, query timeout {args.timeout:g} s, result cache "
        f"{'on' if args.cache else 'off (every request evaluated)'}. Clients: {args.clients} concurrent httpx "
        f"AsyncClients in one process on the same machine (they share the CPUs with the server). Each phase runs "
        f"{args.duration:g} s, at most {args.max_requests} requests; a 2 s warm-up is not counted. The store build is "
        "`ecosystem-graph load` (parse, SHACL, reasoning, search index; SHACL skipped for the synthetic dataset, "
        "valid by construction, unless `--validate`). The machine load "
        "(1-minute load average) is shown because other work on the machine slows the server down with it.",
        "",
        "## Mixed load",
        "",
        f"Point lookups ({MIX['point'][1]:.0%}), two-pattern joins with a language filter ({MIX['join'][1]:.0%}) and "
        f"GROUP BY aggregates over incoming links ({MIX['aggregate'][1]:.0%}), each from an IRI sampled at random "
        "from the typed resources of the data.",
        "",
        "| dataset | triples (with inferred) | store build (s) | requests tried | errors | throughput (req/s) "
        "| p50 (ms) | p99 (ms) | p99 point / join / aggregate (ms) | machine load before / after |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for run in runs:
        all_ = run.load.answered()
        per_kind = " / ".join(ms(percentile(run.load.answered((k,)), 0.99)) for k in MIX)
        lines.append(f"| {run.dataset} | {run.triples:,} | {run.build_seconds:.1f} | {run.load.tried:,} | "
                     f"{run.load.errors} | {run.load.tried / run.load.seconds:,.0f} | {ms(statistics.median(all_))} | "
                     f"{ms(percentile(all_, 0.99))} | {per_kind} | {run.load_average[0]:.1f} / "
                     f"{run.load_average[1]:.1f} |")
    runaway_runs = [run for run in runs if run.runaway is not None]
    if runaway_runs:
        lines += [
            "",
            "## Runaway queries under load",
            "",
            "One client sends, back to back, a three-way cartesian product (`SELECT (COUNT(*) AS ?n) WHERE { ?a ?b "
            "?c . ?d ?e ?f . ?g ?h ?i }`) and an unbounded property path over every link in both directions; each "
            f"must be stopped at the {args.timeout:g} s timeout (503). The other {max(1, args.clients - 1)} clients "
            "send point lookups meanwhile; each must be answered. While a runaway runs, one query process is busy "
            "until the timeout, then killed and replaced: the point lookups queue on the others meanwhile, and "
            "the replacement opens the store at its first query. That is the tail (p99, max) below.",
            "",
            "| dataset | runaways sent | stopped (503) | runaway answer time, max (s) | point lookups | errors | "
            "p50 (ms) | p99 (ms) | max (ms) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for run in runaway_runs:
            assert run.runaway is not None
            runaways = run.runaway.answered(tuple(f"runaway: {name}" for name in RUNAWAYS))
            sent = sum(1 for _ in runaways) + sum(1 for s in run.runaway.error_samples if s.startswith("runaway"))
            points = run.runaway.answered(("point",))
            lines.append(f"| {run.dataset} | {sent} | {len(runaways)} | {max(runaways, default=float('nan')):.2f} | "
                         f"{len(points):,} | {run.runaway.errors} | {ms(statistics.median(points))} | "
                         f"{ms(percentile(points, 0.99))} | {ms(max(points))} |")
    samples = [s for run in runs for tally in (run.load, run.runaway) if tally for s in tally.error_samples]
    if samples:
        lines += ["", "## Errors (first few)", "", *[f"- `{s}`" for s in samples]]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", nargs="+", choices=["project", "synthetic"], default=["project", "synthetic"])
    parser.add_argument("--triples", type=int, default=1_000_000, help="size of the synthetic dataset")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per phase")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--max-requests", type=int, default=100_000, help="cap per phase")
    parser.add_argument("--timeout", type=float, default=5.0, help="the server's query timeout (s)")
    parser.add_argument("--client-timeout", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=None, help="query worker processes (default: the setting)")
    parser.add_argument("--cache", action="store_true", help="keep the server's result cache on")
    parser.add_argument("--no-runaway", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--validate", action="store_true", help="run SHACL when building the synthetic store too")
    parser.add_argument("--reuse-store", action="store_true", help="serve a store built by an earlier run")
    parser.add_argument("--work", type=Path, default=REPO / "var" / "load-test", help="generated data and stores")
    parser.add_argument("--output", type=Path, help="also write the report here (e.g. docs/load-test.md)")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    runs = [run_dataset(name, args) for name in args.datasets]
    text = report(runs, args)
    print(text)
    if args.output:
        args.output.write_text(text)
    return 1 if any(run.load.errors or (run.runaway and run.runaway.errors) for run in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
