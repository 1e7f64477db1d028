"""What replacing a graph by new content changes, worked out beside a generation (``GenerationBuilder.difference``):
the incremental reload compares a changed file with its graph this way, so the generation on disk sees only the
triples that differ."""

from __future__ import annotations

from ecosystem_graph.config import Settings
from ecosystem_graph.store import scratch_builder

from .conftest import open_for_test

EX = "https://example.org/d/"
OLD = "".join(f"<{EX}s{i}> <{EX}p> \"{i}\" .\n" for i in range(50)).encode()


def test_only_the_triples_that_differ_come_out(mini_settings: Settings) -> None:
    store = open_for_test(mini_settings)
    with store.new_generation() as generation:
        generation.load(OLD, "application/n-triples", graph=EX + "g")
        side = scratch_builder()
        new = OLD.replace(b'"7"', b'"seven"') + f"<{EX}s99> <{EX}p> \"99\" .\n".encode()
        side.load(new, "application/n-triples", graph=EX + "new")
        leaving, coming = generation.difference(EX + "g", side, EX + "new")
        generation.abort()
    assert leaving.decode().strip() == f'<{EX}s7> <{EX}p> "7" .'
    assert sorted(coming.decode().strip().splitlines()) == sorted([f'<{EX}s7> <{EX}p> "seven" .',
                                                                   f'<{EX}s99> <{EX}p> "99" .'])
    assert side.export("application/n-triples", graphs=[EX + "new"]).count(b"\n") == 51, "the side keeps its own"
