"""Load, validation and reasoning: our loader against raw pyoxigraph and the other peers, on the same files.

Every function here runs in its own child process (see :func:`benchmarks.common.in_child`) and returns plain
data; the parent records the child's peak resident memory beside it. One scale on its own, the whole load step by
step (seconds, peak resident memory of each step, × raw ``Store.bulk_load`` of the same files in the same run)::

    python -m benchmarks.load --triples 1000000          # a synthetic project of that size, generated first
    python -m benchmarks.load --project path/to/project  # or an existing one
"""

from __future__ import annotations

import signal
import tempfile
import time
from pathlib import Path

from ecosystem_graph.config import Settings
from ecosystem_graph.sources.files import discover


def project_files(project: str) -> list[tuple[str, str, str]]:
    """(path, media type, graph) of every file ``ecosystem-graph load`` reads from ``project``."""
    settings = Settings(project_dir=Path(project))
    return [(str(f.path), f.media_type, f.graph)
            for f in discover(settings.source_paths, project_dir=settings.project_dir, base_iri=settings.base_iri)]


def raw_bulk_load(project: str, folder: str | None) -> dict:
    """pyoxigraph ``Store.bulk_load`` of the same files into the same named graphs (on disk unless no folder)."""
    import pyoxigraph as ox

    store = ox.Store(folder) if folder else ox.Store()
    files = project_files(project)
    started = time.perf_counter()
    for path, media_type, graph in files:
        store.bulk_load(path=path, format=ox.RdfFormat.from_media_type(media_type), to_graph=ox.NamedNode(graph))
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "triples": len(store)}


def ours(project: str, store_dir: str, *, validate: bool, reason: bool, commit: bool,
         engine: str = "sparql") -> dict:
    """``loader.build`` as ``ecosystem-graph load`` runs it (embedded store on disk), with its phase times."""
    from ecosystem_graph.pipeline import load as loader
    from ecosystem_graph.store import open_store

    settings = Settings(project_dir=Path(project), store_path=Path(store_dir), backend="embedded", query_workers=0,
                        validate_shapes=validate, reasoning=reason, shacl_engine=engine)
    store = open_store(settings)
    started = time.perf_counter()
    report = loader.build(store, settings, commit=commit)
    total = time.perf_counter() - started
    store.close()
    return {"phases": report.seconds, "peak_rss_mb": report.peak_rss_mb, "total": total, "triples": report.triples,
            "inferred": sum(report.inferred.values())}


def stored_triples(store_dir: str) -> int:
    """The quads of a store's published generation (inferences included)."""
    import pyoxigraph as ox

    generation = Path(store_dir) / "generations" / (Path(store_dir) / "CURRENT").read_text().strip()
    return len(ox.Store.read_only(str(generation)))


def oxigraph_cli_load(project: str, folder: str) -> dict:
    """``oxigraph load`` (the server's own bulk loader, parallel over files) into the store ``oxigraph serve`` uses."""
    import subprocess

    paths = [path for path, _media, _graph in project_files(project)]
    started = time.perf_counter()
    subprocess.run(["oxigraph", "load", "--location", folder, "--file", *paths], check=True, capture_output=True)
    return {"seconds": time.perf_counter() - started}


class _Alarm(Exception):
    pass


def _on_alarm(_signum, _frame):
    raise _Alarm()


def rdflib_memory(project: str, queries: dict[str, str], repeat: int, query_timeout: int) -> dict:
    """rdflib: parse every file into one in-memory Dataset (union default graph), then run ``queries``."""
    from rdflib import Dataset

    dataset = Dataset(default_union=True)
    started = time.perf_counter()
    for path, media_type, graph in project_files(project):
        dataset.graph(graph).parse(path, format={"text/turtle": "turtle"}.get(media_type, "nt"))
    load_seconds = time.perf_counter() - started
    signal.signal(signal.SIGALRM, _on_alarm)
    results: dict[str, dict] = {}
    for name, sparql in queries.items():
        times, rows = [], None
        try:
            for _ in range(repeat):
                signal.alarm(query_timeout)
                begin = time.perf_counter()
                rows = len(list(dataset.query(sparql)))
                times.append(time.perf_counter() - begin)
                signal.alarm(0)
        except _Alarm:
            results[name] = {"error": f"over {query_timeout} s"}
            continue
        except Exception as error:  # rdflib does not support some SPARQL: say so in the table
            signal.alarm(0)
            results[name] = {"error": f"{type(error).__name__}"}
            continue
        results[name] = {"times": times, "rows": rows}
    return {"seconds": load_seconds, "triples": len(dataset), "queries": results}


def owlready2_quadstore(project: str) -> dict:
    """owlready2: its N-Triples parser into its SQLite quadstore on disk (Turtle files it cannot read are left out)."""
    import owlready2

    with tempfile.TemporaryDirectory() as folder:
        world = owlready2.World(filename=str(Path(folder) / "quadstore.sqlite3"))
        files = [(p, g) for p, media, g in project_files(project) if media == "application/n-triples"]
        started = time.perf_counter()
        for path, graph in files:
            with open(path, "rb") as handle:
                world.get_ontology(graph + "#").load(fileobj=handle, format="ntriples")
        world.save()
        seconds = time.perf_counter() - started
        triples = world.graph.execute("SELECT COUNT(*) FROM quads").fetchone()[0]
        world.close()
    return {"seconds": seconds, "triples": triples}


def step_table(full: dict, raw_seconds: float) -> list[str]:
    """The whole load's steps as a Markdown table: seconds, peak resident memory, × raw bulk load."""
    peaks = full.get("peak_rss_mb", {})
    lines = ["| step | seconds | peak RSS MB | × raw bulk load |", "|---|---|---|---|"]
    for step, seconds in full["phases"].items():
        peak = f"{peaks[step]:,.0f}" if step in peaks else "–"
        lines.append(f"| {step} | {seconds:.2f} | {peak} | {seconds / raw_seconds:.2f} |")
    top = max(peaks.values(), default=0.0)
    lines.append(f"| whole `load` ({full['inferred']:,} inferred) | {full['total']:.2f} | {top:,.0f} | "
                 f"{full['total'] / raw_seconds:.2f} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    """The whole load of one project, step by step, beside raw pyoxigraph on the same files."""
    import argparse
    import shutil

    from ecosystem_graph import synthetic

    from .common import REPO, in_child

    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=main.__doc__)
    parser.add_argument("--project", type=Path, help="an existing project (default: generate one)")
    parser.add_argument("--triples", type=int, default=100_000, help="size of the generated project")
    parser.add_argument("--workdir", type=Path, default=REPO / "var" / "bench-load")
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per child process")
    args = parser.parse_args(argv)
    shutil.rmtree(args.workdir, ignore_errors=True)
    args.workdir.mkdir(parents=True)
    project = args.project or synthetic.generate(args.workdir / "project", triples=args.triples, seed=0,
                                                 template=REPO).path
    raw = in_child(raw_bulk_load, str(project), str(args.workdir / "raw"), timeout=args.timeout)
    full = in_child(ours, str(project), str(args.workdir / "store"), validate=True, reason=True, commit=True,
                    timeout=args.timeout)
    shutil.rmtree(args.workdir, ignore_errors=True)
    if not (raw.ok and full.ok):
        print(f"failed: raw {raw.error or 'ok'}, ours {full.error or 'ok'}")
        return 1
    print(f"raw `Store.bulk_load` of the same files: {raw.value['seconds']:.2f} s, {raw.value['triples']:,} "
          f"triples, peak {raw.peak_mb or 0:,.0f} MB")
    print("\n".join(step_table(full.value, raw.value["seconds"])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
