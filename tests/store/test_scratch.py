"""The scratch store's transit through N-Triples files (store/scratch.py): every line reaches every target, and a
blank node stays the very node (the bulk loader would rename it), a literal that merely contains ``_:`` too."""

from __future__ import annotations

import pyoxigraph as ox

from ecosystem_graph.store.embedded import scratch_builder
from ecosystem_graph.store.scratch import copy_graphs, disk_scratch

EX = "https://example.org/"
G = ox.NamedNode(EX + "g")


def _source():
    source = scratch_builder()
    node = ox.BlankNode()
    source.store.extend([
        ox.Quad(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.NamedNode(EX + "b"), G),
        ox.Quad(node, ox.NamedNode(EX + "p"), ox.NamedNode(EX + "b"), G),
        ox.Quad(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "q"), node, G),
        ox.Quad(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.Literal("not a _:node"), G),
        ox.Quad(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "label"), ox.Literal("left out"), G),
    ])
    return source, node


def _triples(store: ox.Store, graph: str) -> set[ox.Triple]:
    return {q.triple for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))}


def test_copy_keeps_blank_nodes_and_filters_predicates(tmp_path) -> None:
    source, node = _source()
    with disk_scratch(tmp_path) as work:
        copy_graphs(source, [G.value], work, EX + "all", predicates=[EX + "p", EX + "q"], folder=work.folder)
        copied = _triples(work.store, EX + "all")
    assert copied == {q.triple for q in source.store if q.predicate.value != EX + "label"}
    assert ox.Triple(node, ox.NamedNode(EX + "p"), ox.NamedNode(EX + "b")) in copied  # the same node


def test_construct_into_fills_every_graph_and_the_mirror(tmp_path) -> None:
    source, node = _source()
    mirror = scratch_builder()
    with disk_scratch(tmp_path) as work:
        copy_graphs(source, [G.value], work, EX + "all", folder=work.folder)
        work.construct_into(f"CONSTRUCT {{ ?o <{EX}back> ?s }} WHERE {{ ?s <{EX}p>|<{EX}q> ?o }}",
                            [EX + "one", EX + "two"], default_graphs=[EX + "all"], named_graphs=[],
                            mirror=(mirror, EX + "inferred"))
        one, two = _triples(work.store, EX + "one"), _triples(work.store, EX + "two")
    expected = {ox.Triple(ox.NamedNode(EX + "b"), ox.NamedNode(EX + "back"), ox.NamedNode(EX + "a")),
                ox.Triple(ox.NamedNode(EX + "b"), ox.NamedNode(EX + "back"), node),
                ox.Triple(node, ox.NamedNode(EX + "back"), ox.NamedNode(EX + "a"))}
    assert one == two == _triples(mirror.store, EX + "inferred") == expected
    assert not any(tmp_path.iterdir())  # the scratch folder is gone
