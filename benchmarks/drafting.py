"""The drafting assistant on the two source texts: seconds per article (model load included, in a fresh process)
and the comparison with the curated files, each drafted with its own curated file removed from the graph.

    python benchmarks/drafting.py [--sources ../shared/sources]

Prints one table per source (recall and precision per kind of fact, facts from page furniture) and the time of
`ecosystem-graph draft` as a user runs it: a new process, imports, natasha's models, the graph read for
reconciliation, the draft written. docs/curation.md reports the figures.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ecosystem_graph.drafting.compare import Curated, compare, project_store
from ecosystem_graph.drafting.drafter import draft
from ecosystem_graph.drafting.reconcile import Catalogue
from ecosystem_graph.store import GraphStore
from ecosystem_graph.vocab import graph_iri

REPO = Path(__file__).resolve().parents[1]
BASE = "https://w3id.org/ecosystem-graph/"
CURATED = {"000_787c4306e1906a61.txt": "data/sechenov-zelenograd-agreement-2017.ttl",
           "003_d2016b0dd33eddae.txt": "data/international-medical-cluster-biotech.ttl"}


def store_without(without: str | None) -> GraphStore:
    return project_store(REPO, without=without)


def cli_seconds(source: Path, runs: int = 3) -> list[float]:
    """Wall time of `ecosystem-graph draft SOURCE` in a new process, each run."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(runs):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "ecosystem_graph.cli", "draft", str(source), "--project", str(REPO),
                            "--out", f"{tmp}/{n}.ttl"], check=True, capture_output=True)
            out.append(time.perf_counter() - started)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=Path, default=REPO.parent / "shared" / "sources")
    args = parser.parse_args(argv)
    full = store_without(None)
    for name, curated_file in CURATED.items():
        path = args.sources / name
        catalogue = Catalogue.read(store_without(curated_file), BASE)
        result = draft(path.read_text(encoding="utf-8"), file_name=name, catalogue=catalogue, base_iri=BASE)
        comparison = compare(result, Curated.read(full, graph_iri(BASE, curated_file), BASE))
        print(f"\n{name} (curated: {curated_file})")
        print("| facts | recall | precision |\n|---|---|---|")
        for s in comparison.scores.values():
            print(f"| {s.kind} | {s.found}/{s.curated} = {s.recall:.0%} | {s.right}/{s.drafted} = {s.precision:.0%} |")
        print(f"| all drafted facts | | {comparison.precision:.0%} |")
        print(f"facts from page furniture: {len(comparison.furniture_facts)}; furniture lines: {len(result.furniture)}")
        seconds = cli_seconds(path)
        print(f"ecosystem-graph draft, new process each run: {', '.join(f'{s:.2f}' for s in seconds)} s")


if __name__ == "__main__":
    main()
