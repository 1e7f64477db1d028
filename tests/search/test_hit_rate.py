"""The search test set (tests/search/queries.tsv): Russian case forms, partial names, surnames in every case and
transliterations, each with the resource a person means; at least 95 % must have it in the top 5."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from ecosystem_graph.config import Settings
from ecosystem_graph.search import index as search
from ecosystem_graph.store import GraphStore

QUERIES = Path(__file__).with_name("queries.tsv")
TOP = 5
REQUIRED = 0.95

log = logging.getLogger(__name__)


def cases() -> list[tuple[str, str, str]]:
    rows = [line.rstrip("\n").split("\t") for line in QUERIES.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    return [(query, iri, note) for query, iri, note in rows]


def test_the_set_is_large_and_names_real_resources(project_store: GraphStore) -> None:
    found = cases()
    assert len(found) >= 40
    iris = sorted({iri for _query, iri, _note in found})
    values = " ".join(f"<{iri}>" for iri in iris)
    rows = project_store.select(f"SELECT DISTINCT ?s WHERE {{ VALUES ?s {{ {values} }} ?s a ?type }}")
    assert sorted(row["s"]["value"] for row in rows) == iris  # every expected IRI is described in data/


def test_hit_rate_in_the_top_five(project_settings: Settings, project_store: GraphStore,
                                  record_property: pytest.RecordProperty) -> None:
    index = search.index_for(project_store, project_settings)
    misses = []
    found = cases()
    for query, iri, note in found:
        top = [hit.entry.iri for hit in index.search(query, limit=TOP)]
        if iri not in top:
            misses.append(f"{query!r} ({note}): expected {iri}, got {top}")
    rate = 1 - len(misses) / len(found)
    record_property("search_hit_rate", f"{rate:.3f}")
    log.info("search hit rate: %d of %d queries (%.1f %%) have the expected resource in the top %d",
             len(found) - len(misses), len(found), 100 * rate, TOP)
    assert rate >= REQUIRED, f"hit rate {rate:.1%} < {REQUIRED:.0%}; misses:\n" + "\n".join(misses)
