"""Search by lemmas against the search it replaced (literal: whole label, prefix, word, substring), same run.

    python -m benchmarks.search                          # 1M triples, and about 1M labels (4.5M triples)
    python -m benchmarks.search --scales 1m --no-report  # print only

Per scale: a synthetic project (``ecosystem-graph generate``, fixed seed), loaded by each side's own loader in
a child process (embedded store, no SHACL gate or reasoning: the index reads asserted labels and the subclass
closure either way), which builds the search index as ``ecosystem-graph load`` does. The peer is the package as
it was at ``--peer`` (by default the commit before search by lemmas), unpacked with ``git archive`` and imported in
its child instead of this checkout. Reported: the index build time at load, its size on disk, the labels
indexed, and the latency of the same queries (p50 and p99 over every run of every query, warm, one at a
time), with the first query after opening (the analyser's load) apart. The table is written to the "Search"
section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

from .common import REPO, in_child, load_average, median

SECTION = "## Search"
#: queries on the synthetic vocabulary (ecosystem_graph/synthetic/names.py): case forms, both scripts, prefixes
QUERIES = ["Зайцевым", "Семёновой", "Ольгой Семёновой", "Медицинском университете", "медицинского университета "
           "Обнинск", "биомедицинского кластера", "Краснозаводска", "генерального директора", "Kuznetsov",
           "Zaitseva", "Биофарм", "соглашения о сотрудничестве", "зел", "ор", "Lebedev 21"]


def peer_tree(revision: str, folder: Path) -> str:
    """``ecosystem_graph/`` at ``revision`` unpacked under ``folder``; returns the commit's short id."""
    commit = subprocess.run(["git", "rev-parse", "--short", revision], cwd=REPO, capture_output=True, text=True,
                            check=True).stdout.strip()
    archive = subprocess.run(["git", "archive", commit, "ecosystem_graph"], cwd=REPO, capture_output=True,
                             check=True).stdout
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return commit


def literal_revision() -> str:
    """The last commit before search by lemmas (the parent of the one that added search/morphology.py)."""
    added = subprocess.run(["git", "log", "--diff-filter=A", "--format=%H", "--",
                            "ecosystem_graph/search/morphology.py"], cwd=REPO, capture_output=True, text=True,
                           check=True).stdout.split()
    if not added:
        raise SystemExit("search/morphology.py is not in this history: give the peer with --peer")
    return added[-1] + "^"


def side(code: str, project: str, store_dir: str, repeat: int) -> dict:
    """In a child: load with the package found at ``code``, then time the queries on its index."""
    sys.path.insert(0, code)
    from ecosystem_graph.config import Settings
    from ecosystem_graph.pipeline import load as loader
    from ecosystem_graph.search import index as search
    from ecosystem_graph.store import open_store

    assert Path(loader.__file__).is_relative_to(code), f"imported {loader.__file__}, not the code at {code}"
    settings = Settings(project_dir=Path(project), store_path=Path(store_dir), backend="embedded", query_workers=0,
                        validate_shapes=False, reasoning=False)
    store = open_store(settings)
    started = time.perf_counter()
    report = loader.build(store, settings)
    load_seconds = time.perf_counter() - started
    files = list((settings.store_dir / "search").glob("*.sqlite"))
    started = time.perf_counter()
    index = search.index_for(store, settings)
    first = index.search(QUERIES[0], limit=10)
    first_ms = (time.perf_counter() - started) * 1000
    times: dict[str, list[float]] = {}
    hits: dict[str, int] = {"": len(first)}
    for text in QUERIES:
        index.search(text, limit=10)  # warm: the words' keys are cached, as for a user typing on
        runs = []
        for _ in range(repeat):
            started = time.perf_counter()
            found = index.search(text, limit=10)
            runs.append((time.perf_counter() - started) * 1000)
        times[text], hits[text] = runs, len(found)
    resources, labels = index.size()
    store.close()
    return {"index_seconds": report.seconds.get("search index"), "load_seconds": load_seconds,
            "index_bytes": sum(f.stat().st_size for f in files), "labels": labels, "resources": resources,
            "triples": report.triples, "first_ms": first_ms, "times": times, "hits": hits}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run_scale(label: str, triples: int, args: argparse.Namespace, peer_code: str, peer_commit: str) -> list[str]:
    from ecosystem_graph import synthetic

    from .run import git_commit

    work = args.workdir / label
    shutil.rmtree(work / "project", ignore_errors=True)
    project = synthetic.generate(work / "project", triples=triples, seed=args.seed, template=REPO)
    results = {}
    for name, code in (("lemmas (this commit)", str(REPO)), (f"literal ({peer_commit})", peer_code)):
        store = work / f"store-{len(results)}"
        shutil.rmtree(store, ignore_errors=True)
        outcome = in_child(side, code, str(project.path), str(store), args.repeat, timeout=args.step_timeout)
        if not outcome.ok:
            raise RuntimeError(f"{name}: {outcome.error}")
        results[name] = outcome.value | {"peak_mb": outcome.peak_mb}
        shutil.rmtree(store, ignore_errors=True)
        print(f"[{label}] {name} done", flush=True)
    ours, peer = results.values()
    lines = [f"### {label} ({project.triples:,} triples generated, {ours['labels']:,} labels of "
             f"{ours['resources']:,} resources; {len(QUERIES)} queries × {args.repeat} runs each, one at a time; "
             f"commit {git_commit()}; load average {load_average()})", "",
             "| search | index build at load | index on disk | first query after opening | p50 | p99 | "
             "peak memory of the load |", "|---|---|---|---|---|---|---|"]
    for name, value in results.items():
        pooled = [t for runs in value["times"].values() for t in runs]
        lines.append(f"| {name} | {value['index_seconds']:.1f} s | {value['index_bytes'] / 2**20:.0f} MiB | "
                     f"{value['first_ms']:.1f} ms | {median(pooled):.2f} ms | {percentile(pooled, 0.99):.2f} ms | "
                     f"{value['peak_mb']:.0f} MB |")
    lines += ["", "| query | hits, lemmas | p50 | p99 | hits, literal | p50 | p99 |", "|---|---|---|---|---|---|---|"]
    for text in QUERIES:
        a, b = ours["times"][text], peer["times"][text]
        lines.append(f"| {text} | {ours['hits'][text]} | {median(a):.2f} ms | {percentile(a, 0.99):.2f} ms | "
                     f"{peer['hits'][text]} | {median(b):.2f} ms | {percentile(b, 0.99):.2f} ms |")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return [*lines, ""]


def write_section(lines: list[str], command: str) -> None:
    page = REPO / "docs" / "benchmarks.md"
    text = page.read_text(encoding="utf-8")
    intro = (f"{SECTION}\n\n`{command}`: the label index by lemmas (docs/ui.md, \"Search\") against the "
             "literal one it replaced, each side loading the same synthetic project with its own loader in a child "
             "process; hits are of at most 10. The search test set (tests/search/queries.tsv) is the measure of "
             "what it finds.\n\n")
    head, _, rest = text.partition(f"\n{SECTION}\n")
    tail = rest[rest.find("\n## "):] if "\n## " in rest else ""
    page.write_text(head.rstrip() + "\n\n" + intro + "\n".join(lines) + tail, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    from .run import parse_scale

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="1m,4.5m", help="triples; 4.5M triples hold about a million labels")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--peer", default="", help="git revision of the peer (default: the commit before lemmas)")
    parser.add_argument("--workdir", type=Path, default=REPO / "var" / "bench-search")
    parser.add_argument("--step-timeout", type=float, default=3600)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--no-report", action="store_true", help="print the tables, leave docs/benchmarks.md alone")
    args = parser.parse_args(argv)
    revision = args.peer or literal_revision()
    peer_commit = peer_tree(revision, args.workdir / "peer")
    lines = []
    for label in (s.strip() for s in args.scales.split(",") if s.strip()):
        lines += run_scale(label, parse_scale(label), args, str(args.workdir / "peer"), peer_commit)
    print("\n".join(lines))
    if not args.no_report:
        write_section(lines, "python -m benchmarks.search" + (" " + " ".join(argv or sys.argv[1:])).rstrip())


if __name__ == "__main__":
    main()
