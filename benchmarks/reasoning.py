"""Materialisation time against owlrl (the rdflib OWL 2 RL reference) at 10k, 100k and 1M asserted triples.

    python benchmarks/reasoning.py [--sizes 10000 100000 1000000] [--owlrl-max 100000] [--owlrl-timeout 1800]

The data is the deterministic synthetic dataset of the tests (tests/support/reasoning_data.py: class and
property hierarchies, equivalences, inverse, symmetric and transitive properties, 2- and 3-step and recursive
property chains), all individuals named by IRIs unless ``--blank-nodes``. Ours: ``reasoning.materialise`` into a
store generation, on disk (RocksDB, what ``ecosystem-graph load`` uses) and in memory; loading is not timed.
owlrl: ``DeductiveClosure(OWLRL_Semantics)`` on the same triples, filtered to our rule subset as in the equality
tests (parsing not timed), in a child process stopped after ``--owlrl-timeout`` seconds; above ``--owlrl-max``
triples it is not run. Where owlrl finishes, the two sets of conclusions are compared. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ecosystem_graph.reasoning import materialise as reasoning  # noqa: E402
from ecosystem_graph.store.embedded import EmbeddedStore, MemoryStore  # noqa: E402
from ecosystem_graph.vocab import inferred_graph_iri  # noqa: E402
from tests.support import owlrl_reference, reasoning_data  # noqa: E402

BASE = "https://example.org/synthetic/"


def ours(data: bytes, store) -> tuple[float, int, bytes]:
    """(seconds, inferred triples, N-Quads dump of the result) for one materialisation in ``store``."""
    with store.new_generation() as generation:
        generation.load(data, "application/n-quads")
        started = time.perf_counter()
        counts = reasoning.materialise(generation, BASE)
        seconds = time.perf_counter() - started
        generation.commit()
    dump = b"".join(store.dump("application/n-quads")) if isinstance(store, MemoryStore) else b""
    store.close()
    return seconds, sum(counts.values()), dump


def _owlrl_child(data: bytes, queue: multiprocessing.Queue) -> None:
    graphs = owlrl_reference.parse_nquads(data, {})
    ours_inferred = graphs.pop(inferred_graph_iri(BASE))
    graphs.pop(reasoning.stats_graph_iri(BASE))
    asserted = set().union(*graphs.values())
    started = time.perf_counter()
    expected = owlrl_reference.owlrl_conclusions(asserted)
    queue.put((time.perf_counter() - started, len(expected), expected == ours_inferred))


def owlrl(dump: bytes, timeout: float) -> tuple[float, int, bool] | None:
    """(seconds, conclusions, same as ours) or None after ``timeout`` seconds."""
    queue: multiprocessing.Queue = multiprocessing.Queue()
    child = multiprocessing.Process(target=_owlrl_child, args=(dump, queue))
    child.start()
    try:
        return queue.get(timeout=timeout + 120)  # + parsing, which is not timed
    except Exception:  # queue.Empty: the child ran out of time
        return None
    finally:
        child.kill()
        child.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--owlrl-max", type=int, default=100_000, help="largest size owlrl is run on")
    parser.add_argument("--owlrl-timeout", type=float, default=1800)
    parser.add_argument("--blank-nodes", action="store_true", help="make every 50th individual a blank node "
                        "(their conclusions are derived again in place: see docs/reasoning.md)")
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        data = reasoning_data.dataset(size, blank_nodes=args.blank_nodes)
        asserted = data.count(b"\n")
        with tempfile.TemporaryDirectory() as folder:
            disk, inferred, _ = ours(data, EmbeddedStore(Path(folder), BASE, inferred_graph_iri(BASE), workers=0))
        memory, _, dump = ours(data, MemoryStore(BASE, inferred_graph_iri(BASE)))
        print(f"{asserted} asserted: ours {disk:.2f} s on disk, {memory:.2f} s in memory, {inferred} inferred",
              file=sys.stderr, flush=True)
        reference = owlrl(dump, args.owlrl_timeout) if size <= args.owlrl_max else None
        if size > args.owlrl_max:
            theirs, ratio, same = "not run", "", "–"
        elif reference is None:
            theirs, ratio, same = f"> {args.owlrl_timeout:.0f}", f"> {args.owlrl_timeout / disk:.0f}×", ""
        else:
            theirs, ratio = f"{reference[0]:.1f}", f"{reference[0] / disk:.0f}×"
            same = "yes" if reference[2] else f"NO ({reference[1]} vs {inferred})"
        print(f"  owlrl: {theirs}", file=sys.stderr, flush=True)
        rows.append(f"| {asserted:,} | {inferred:,} | {disk:.2f} | {memory:.2f} | {theirs} | {ratio} | {same} |")
    print("| asserted triples | inferred | ours on disk (s) | ours in memory (s) | owlrl (s) | owlrl / ours on disk "
          "| same conclusions |")
    print("|---:|---:|---:|---:|---:|---:|:---:|")
    print("\n".join(rows))
    if any(size > args.owlrl_max for size in args.sizes):
        print(f"\nowlrl is not run above {args.owlrl_max:,} triples (raise --owlrl-max to try; "
              "its time grows faster than linearly).")


if __name__ == "__main__":
    main()
