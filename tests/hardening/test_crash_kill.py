"""A load killed at random points, again and again: the store always reopens with the previous or the new
generation complete, never a mix, never corrupt."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

from ecosystem_graph.config import Settings
from ecosystem_graph.pipeline import load as loader
from ecosystem_graph.store import GraphStore, open_store

ITERATIONS = 12


def sizes(settings: Settings) -> dict[str, int]:
    store = open_store(settings.model_copy(update={"query_workers": 0}))
    try:
        assert store.ask("ASK { ?s ?p ?o }")  # opens and answers: not corrupt
        return store.graph_sizes()
    finally:
        store.close()


def test_repeated_kills_never_leave_a_mix(mini_settings: Settings, mini_store: GraphStore) -> None:
    old = sizes(mini_settings)
    big = mini_settings.project_dir / "data" / "big.nt"
    with big.open("w") as handle:
        for i in range(40_000):
            handle.write(f'<https://example.org/s{i}> <https://example.org/p{i % 7}> "v{i}" .\n')
    env = {**os.environ, "ECOSYSTEM_GRAPH_PROJECT_DIR": str(mini_settings.project_dir),
           "ECOSYSTEM_GRAPH_STORE_PATH": str(mini_settings.store_dir)}
    command = [sys.executable, "-m", "ecosystem_graph.cli", "load"]

    started = time.monotonic()
    subprocess.run(command, env=env, check=True, capture_output=True)  # one full load: the "new" state
    full_load = time.monotonic() - started
    new = sizes(mini_settings)
    assert new != old

    rng = random.Random(20261125)
    outcomes = {"old": 0, "new": 0}
    parked = big.with_suffix(".off")
    for _ in range(ITERATIONS):
        # flip the source files, so that every killed load would have changed the data
        if big.exists():
            big.rename(parked)
        else:
            parked.rename(big)
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.0, full_load * 1.1))
        process.send_signal(signal.SIGKILL)
        process.wait()
        after = sizes(mini_settings)
        assert after in (old, new), "a killed load left a mixed or partial dataset"
        outcomes["old" if after == old else "new"] += 1
    assert sum(outcomes.values()) == ITERATIONS
    # whatever happened, the next load works and cleans up the leftovers
    loader.build(mini_store, mini_settings)
    assert len(list((mini_settings.store_dir / "generations").iterdir())) <= 2
