"""Publishing a write on a SPARQL server as the quads it changed: one update request, no staging graphs.

The builder of a write is told which triples of which graph may have changed (:meth:`.base.GenerationBuilder.
note_change`: the asserted change, and the inferred triples the incremental reasoner touched). Each candidate is
looked up in the mirror (the generation the write copied) and in the new generation; what differs is sent as ONE
``DELETE { … } INSERT { … } WHERE { … }`` request that also rewrites the control graph (generation number, id,
time, graph list), conditioned on the generation id the write copied: if another writer published meanwhile, the
request changes nothing, and the write is reported as not applied (never applied on top of a state it did not see).

A change with a blank node in it is published whole, as a load is: the server's blank nodes cannot be named.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import pyoxigraph as ox

from . import sparql_text
from .remote_generation import Live, Names

log = logging.getLogger(__name__)

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTERNAL = "urn:x-ecosystem-graph:"


class Notes:
    """What a builder was told about its change: candidate triples per graph, or that it cannot be told."""

    def __init__(self) -> None:
        self.candidates: dict[str, set[ox.Triple]] = {}
        self.unknown: str | None = None  # why the change cannot be published as quads
        self.complete = False

    def add(self, graph: str, triples: bytes | None) -> None:
        if self.unknown is not None:
            return
        if triples is None:
            self.unknown = f"<{graph}> changed in a way not told (the schema changed?)"
            return
        into = self.candidates.setdefault(graph, set())
        for quad in ox.parse(triples, format=ox.RdfFormat.N_TRIPLES):
            if isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode):
                self.unknown = f"a changed triple of <{graph}> has a blank node"
                return
            into.add(quad.triple)

    def why_whole(self) -> str | None:
        """Why the generation must be published whole, or None: these notes say the whole change."""
        if not self.complete:
            return "the writer did not state its change"
        return self.unknown


@dataclass(frozen=True)
class Change:
    """The quads a write removes and adds, and the graph list after it."""

    deleted: list[ox.Quad]
    inserted: list[ox.Quad]
    graphs: tuple[str, ...]


def change(notes: Notes, before: ox.Store, after: ox.Store, live: Live) -> Change:
    """Compare each candidate in ``before`` (the mirror of ``live``) and ``after`` (the new generation)."""
    deleted: list[ox.Quad] = []
    inserted: list[ox.Quad] = []
    graphs = set(live.graphs)
    for graph, triples in sorted(notes.candidates.items()):
        if graph.startswith(_INTERNAL):
            continue
        name = ox.NamedNode(graph)
        for triple in triples:
            quad = ox.Quad(triple.subject, triple.predicate, triple.object, name)
            was, now = quad in before, quad in after
            if was and not now:
                deleted.append(quad)
            elif now and not was:
                inserted.append(quad)
        if next(iter(after.quads_for_pattern(None, None, None, name)), None) is None:
            graphs.discard(graph)
        else:
            graphs.add(graph)
    return Change(deleted, inserted, tuple(sorted(graphs)))


def request(names: Names, live: Live, delta: Change, *, generation_id: str) -> str:
    """The one update that applies ``delta`` on top of ``live`` and publishes it as ``generation_id``."""
    control = f"<{names.control}>"
    now = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
    gone = [g for g in live.graphs if g not in delta.graphs]
    new = [g for g in delta.graphs if g not in live.graphs]
    old_facts = [f"{control} {names.term('generation')} ?generation", f"{control} {names.term('builtAt')} ?built",
                 f"{control} {names.term('generationId')} {sparql_text.literal(live.id or '')}",
                 *(f"{control} {names.term('graph')} <{g}>" for g in gone)]
    new_facts = [f"{control} {names.term('generation')} \"{live.generation + 1}\"^^<{_XSD}integer>",
                 f"{control} {names.term('generationId')} {sparql_text.literal(generation_id)}",
                 f"{control} {names.term('builtAt')} \"{now}\"^^<{_XSD}dateTime>",
                 *(f"{control} {names.term('graph')} <{g}>" for g in new)]
    return (f"DELETE {{\n{_template(delta.deleted)}GRAPH {control} {{ {' . '.join(old_facts)} }}\n}}\n"
            f"INSERT {{\n{_template(delta.inserted)}GRAPH {control} {{ {' . '.join(new_facts)} }}\n}}\n"
            f"WHERE {{ GRAPH {control} {{ {control} {names.term('generationId')} {sparql_text.literal(live.id or '')}"
            f" ; {names.term('generation')} ?generation OPTIONAL {{ {control} {names.term('builtAt')} ?built }} }} }}")


def _template(quads: list[ox.Quad]) -> str:
    """Quads as a template, grouped by graph, in N-Triples syntax (which SPARQL reads)."""
    by_graph: dict[str, list[str]] = {}
    for quad in quads:
        by_graph.setdefault(str(quad.graph_name), []).append(f"{quad.subject} {quad.predicate} {quad.object} .")
    return "".join(f"GRAPH {graph} {{\n" + "\n".join(lines) + "\n}\n" for graph, lines in by_graph.items())
