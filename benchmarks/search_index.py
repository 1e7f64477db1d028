"""Label search on a synthetic million-triple graph: the load-time index (/api/search) against the SPARQL slow path.

    python benchmarks/search_index.py [--entities 250000]

Each synthetic resource has a type, a Russian and an English label and one link (4 triples), so 250,000
resources make a million triples. Prints the index build time and size, the latency of the same queries
through the index and through the label scan ``search-labels`` was before it asked the index
(tests/fixtures/named-queries-before/search-labels.rq: LCASE/CONTAINS over every label),
and how long the graph view and the timeline take on that graph.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from ecosystem_graph.config import Settings
from ecosystem_graph.search import index as search
from ecosystem_graph.sources.queries import parse_query_file
from ecosystem_graph.store import open_store
from ecosystem_graph.views import graph_view as graphview
from ecosystem_graph.views import timeline

REPO = Path(__file__).resolve().parents[1]
#: the SPARQL slow path: every label scanned
SCAN = REPO / "tests" / "fixtures" / "named-queries-before" / "search-labels.rq"
BASE = "https://w3id.org/ecosystem-graph/"
RU = ["бел", "вор", "гра", "дуб", "зел", "кам", "лес", "мир", "нов", "озе", "пер", "рад", "сев", "сол", "тех", "чер"]
EN = ["bel", "vor", "gra", "dub", "zel", "kam", "les", "mir", "nov", "oze", "per", "rad", "sev", "sol", "tekh", "cher"]
KINDS = ["Organization", "Person", "Event", "Site", "Agreement"]
QUERIES = ["зел", "зеленог", "техно", "tekh", "sevsol", "ор", "ск институт", "mirnov 12"]


def synthetic(entities: int, seed: int = 7) -> bytes:
    rnd = random.Random(seed)
    lines = []
    for n in range(entities):
        parts = [rnd.randrange(len(RU)) for _ in range(rnd.randint(2, 4))]
        ru = "".join(RU[p] for p in parts).capitalize() + rnd.choice(["ский институт", "ская компания", " центр", ""])
        en = "".join(EN[p] for p in parts).capitalize() + f" {n % 997}"
        iri = f"<{BASE}id/thing/t{n}>"
        lines += [
            f"{iri} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{BASE}ontology#{KINDS[n % len(KINDS)]}> .",
            f'{iri} <http://www.w3.org/2000/01/rdf-schema#label> "{ru} {n}"@ru .',
            f'{iri} <http://www.w3.org/2000/01/rdf-schema#label> "{en}"@en .',
            f"{iri} <{BASE}ontology#associatedWith> <{BASE}id/thing/t{rnd.randrange(entities)}> .",
        ]
    return ("\n".join(lines) + "\n").encode()


def timed(function, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        out.append((time.perf_counter() - started) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entities", type=int, default=250_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(project_dir=REPO, backend="memory", store_path=Path(tmp) / "store")
        store = open_store(settings)
        with store.new_generation() as generation:
            generation.load(synthetic(args.entities), "application/n-triples", graph=BASE + "graph/synthetic")
            generation.commit()
        triples = sum(store.graph_sizes().values())
        started = time.perf_counter()
        index = search.build(store, settings.base_iri, path=Path(tmp) / "index.sqlite")
        build = time.perf_counter() - started
        size = (Path(tmp) / "index.sqlite").stat().st_size
        print(f"{triples:,} triples; index of {index.size()[1]:,} labels built in {build:.1f} s, "
              f"{size / 2**20:.0f} MiB on disk")
        slow = parse_query_file(SCAN)
        print(f"{'query':<14}{'hits':>6}{'index p50 ms':>14}{'p95':>8}{'SPARQL p50 ms':>15}{'ratio':>8}")
        for text in QUERIES:
            hits = len(index.search(text, limit=10))
            fast = timed(lambda text=text: index.search(text, limit=10), args.repeat)
            sparql = timed(lambda text=text: store.select(slow.sparql, substitutions=slow.bindings({"q": text})),
                           max(2, args.repeat // 10))
            p50, s50 = statistics.median(fast), statistics.median(sparql)
            p95 = sorted(fast)[int(0.95 * (len(fast) - 1))]
            print(f"{text:<14}{hits:>6}{p50:>14.2f}{p95:>8.2f}{s50:>15.0f}{s50 / p50:>7.0f}x")
        for name, call in (
            ("graph neighbourhood", lambda: graphview.neighbourhood(store, index, f"{BASE}id/thing/t42", depth=2)),
            ("graph overview (400 nodes)", lambda: graphview.overview(store, index)),
            ("timeline", lambda: timeline.timeline(store, index)),
        ):
            print(f"{name:<28}{statistics.median(timed(call, 3)):>8.0f} ms")
        index.close()


if __name__ == "__main__":
    main()
