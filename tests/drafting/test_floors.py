"""The issue's floors, measured: each source drafted with its curated file removed from the graph, then compared
with that file (recall per kind, precision overall, no facts from page furniture, shared entities linked)."""

from __future__ import annotations

import pytest

from ecosystem_graph.drafting.compare import Curated, compare
from ecosystem_graph.drafting.drafter import draft
from ecosystem_graph.drafting.reconcile import Catalogue
from ecosystem_graph.vocab import graph_iri

from .conftest import BASE, SOURCES, source_path, store_of

FLOORS = {"organisations": 0.9, "people": 0.9, "dates": 0.8, "quantities": 0.8, "posts": 0.8}


@pytest.fixture(scope="module", params=sorted(SOURCES))
def measured(request, full_store):  # type: ignore[no-untyped-def]
    name = request.param
    curated_file = SOURCES[name]
    reduced = store_of(without=curated_file)
    catalogue = Catalogue.read(reduced, BASE)
    result = draft(source_path(name).read_text(encoding="utf-8"), file_name=name, catalogue=catalogue, base_iri=BASE)
    curated = Curated.read(full_store, graph_iri(BASE, curated_file), BASE)
    return name, result, curated, catalogue, compare(result, curated)


def test_recall_floors(measured) -> None:  # type: ignore[no-untyped-def]
    name, _draft, _curated, _catalogue, comparison = measured
    low = {k: f"{comparison.scores[k].found}/{comparison.scores[k].curated}" for k, floor in FLOORS.items()
           if comparison.scores[k].recall < floor}
    assert not low, f"{name}: recall below the floor: {low}"


def test_precision_floor(measured) -> None:  # type: ignore[no-untyped-def]
    name, _draft, _curated, _catalogue, comparison = measured
    assert comparison.precision >= 0.75, f"{name}: precision {comparison.precision:.2f}"


def test_no_facts_from_furniture(measured) -> None:  # type: ignore[no-untyped-def]
    name, result, _curated, _catalogue, comparison = measured
    assert comparison.furniture_facts == [], f"{name}: facts from page furniture: {comparison.furniture_facts}"
    assert result.furniture, "the furniture lines are reported"
    every = " ".join(s for f in result.facts() for s in f.sentences)
    for teaser in ("Суворов", "Мать-героиня", "Поделиться", "Просмотров", "консультации врача"):
        assert teaser not in every


def test_shared_entities_link_to_the_same_iri(measured, full_store) -> None:  # type: ignore[no-untyped-def]
    """An entity of this source that the graph (the other source) already names gets its IRI, not a new one."""
    name, result, curated, catalogue, _comparison = measured
    shared = {iri for iri in [*curated.orgs, *curated.people] if iri in catalogue.entities
              and catalogue.entities[iri].labels}
    # what the curated file of this source points at and the other source describes
    rows = full_store.select(f"SELECT DISTINCT ?o WHERE {{ GRAPH <{graph_iri(BASE, SOURCES[name])}> {{ ?s ?p ?o }} "
                             "FILTER(isIRI(?o)) }")
    shared |= {r["o"]["value"] for r in rows if r["o"]["value"] in catalogue.entities
               and catalogue.entities[r["o"]["value"]].kind in ("organisation", "person")
               and catalogue.entities[r["o"]["value"]].labels}
    linked = {f.link.iri for f in result.facts() if f.link} | {o.associated.iri for o in result.organisations
                                                             if o.associated}
    assert shared <= linked, f"{name}: not linked: {sorted(shared - linked)}"
    minted = {f.iri for f in result.facts() if f.link is None}
    assert not minted & set(catalogue.entities), "a minted IRI clashes with an existing one"
