"""Writes through the API: a SPARQL Update or a Graph Store Protocol PUT/POST/DELETE.

Every write builds a new store generation copied from the current one, applies the change, and then
passes the same sequence as a load before it is published (:func:`.publish.gate_and_reason`: the SHACL contract,
then the re-materialised inferences). A rejected write changes nothing.

Two rules keep the dataset in the shape the loader gives it:

* every triple lives in a named graph: what a write puts in the store's own default graph (``INSERT DATA``
  without ``GRAPH``, or a Graph Store write to ``?default``) is moved to ``{base}graph/updates``;
* the inferred graph is computed: it is dropped and derived again after each write.

Every accepted write is journaled (:mod:`.journal`) before it is acknowledged; ``ecosystem-graph load`` replays the
journal on top of the files, so a write survives loads, restarts and rebuilds.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import TypeVar

from ..config import Settings
from ..errors import NotFound, QueryError, SourceError, UnsupportedMediaType
from ..reasoning.materialise import stats_graph_iri
from ..search.follow import changed_resources
from ..search.following import following
from ..sources.files import SourceFile, discover
from ..store import GenerationBuilder, GraphStore, QueryRequest
from ..store.formats import canonical
from ..syntax import protocol
from ..syntax.reading import Reading
from ..vocab import inferred_graph_iri, updates_graph_iri
from . import reload
from .delta import Delta, NotStated, Step, data_steps
from .journal import Journal
from .publish import gate_and_reason

log = logging.getLogger(__name__)

T = TypeVar("T")

#: What a Graph Store write may carry: graph formats only, so a body cannot write outside its target graph.
GRAPH_BODY_TYPES: tuple[str, ...] = ("text/turtle", "application/n-triples", "application/rdf+xml",
                                     "application/ld+json")

_JSON = "application/sparql-results+json"
_POSITION = re.compile(r"error at (\d+):")
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


def new_graph_iri(base_iri: str) -> str:
    """A fresh graph IRI for a Graph Store POST to the store itself (graph creation)."""
    return f"{base_iri}graph/uploads/{uuid.uuid4().hex}"


def body_media_type(content_type: str | None) -> str:
    """The RDF format of a Graph Store request body.

    :raises UnsupportedMediaType: no or an unknown content type, or a dataset format.
    """
    media_type = canonical(content_type or "")
    if media_type not in GRAPH_BODY_TYPES:
        raise UnsupportedMediaType(f"a graph is sent as {', '.join(GRAPH_BODY_TYPES)}; "
                                   f"got {content_type or 'no Content-Type'}")
    return media_type


def check_body(data: bytes, media_type: str) -> None:
    """Refuse what a parser should never see from a client: RDF/XML with a document type declaration. Its
    entities could name local files or URLs (XXE) or expand without bound ("billion laughs"), and pyoxigraph
    expands internal ones; RDF/XML needs no DTD, so refusing them all costs nothing.

    :raises SourceError: RDF/XML with ``<!DOCTYPE``.
    """
    if media_type == "application/rdf+xml" and _DOCTYPE.search(data):
        raise SourceError("<request body>", "RDF/XML with a DOCTYPE (DTD or entity declarations) is not accepted; "
                          "write the IRIs out in full, or send Turtle")


def update(store: GraphStore, settings: Settings, sparql: str, *, base_iri: str | None = None,
           using_graphs: list[str] | None = None, using_named_graphs: list[str] | None = None) -> None:
    """Run a SPARQL Update as one atomic, validated, journaled write.

    An update of ``INSERT DATA``/``DELETE DATA`` operations is applied as the change it states, and what follows
    (gate, reasoning, journal) costs what it changes; any other update runs as it is and is checked whole.

    :raises QueryError: malformed update, a refused SERVICE call or LOAD, or a dataset conflict.
    :raises ValidationFailed: the result breaks the SHACL contract (nothing is written).
    """
    if base_iri is not None:
        protocol.check_iri(base_iri, parameter="base")
    reading = checked_update(settings, sparql, base_iri=base_iri)
    sparql = reading.text
    if not using_graphs and not using_named_graphs:
        steps = data_steps(sparql, default_graph=updates_graph_iri(settings.base_iri), base_iri=base_iri,
                           algebra=reading.algebra)
        if steps is not None:
            try:
                _write_delta(store, settings, lambda delta, generation: delta.apply(generation, steps))
                return
            except NotStated as why:  # nothing was published: run the update as it is
                log.debug("%s: the update runs whole", why)
    text = protocol.with_using_dataset(sparql, using_graphs or [], using_named_graphs or [])
    if base_iri is not None:
        text = f"BASE <{base_iri}>\n{text}"

    def change(generation: GenerationBuilder) -> None:
        try:
            generation.update(text)
        except QueryError as error:
            raise QueryError(_unshift(str(error)) if base_iri is not None else str(error)) from None

    _write(store, settings, change, journal_text=text)


def checked_update(settings: Settings, sparql: str, *, base_iri: str | None = None) -> Reading:
    """The reading of the update ``sparql`` (:func:`protocol.checked_update`), whose text is to run, once it is
    shown to write no computed graph and, unless ``allow_graph_management`` is set, to empty no whole dataset
    (``DROP ALL``, ``CLEAR NAMED``...) and no ontology graph.

    :raises QueryError: malformed, SERVICE, LOAD, or one of the writes above.
    """
    reading = protocol.checked_update(sparql, allow_service=settings.allow_service, base=base_iri)
    computed = set(_computed_graphs(settings))
    if touched := computed & {*reading.written, *reading.emptied}:
        raise QueryError(f"<{min(touched)}> is computed from the other graphs and cannot be written")
    if not settings.allow_graph_management:
        ontology = settings.base_iri + "graph/ontology/"
        whole = [g for g in reading.emptied if g in ("ALL", "NAMED") or g.startswith(ontology)]
        if whole:
            what = f"DROP/CLEAR {whole[0]}" if whole[0] in ("ALL", "NAMED") else f"emptying the ontology <{whole[0]}>"
            raise QueryError(f"{what} is refused on this endpoint (set ECOSYSTEM_GRAPH_ALLOW_GRAPH_MANAGEMENT=true "
                             "to allow it)")
    return reading


def _unshift(message: str) -> str:
    """Report positions in the text the client sent, not in the one with our BASE line in front."""
    return _POSITION.sub(lambda m: f"error at {max(int(m.group(1)) - 1, 1)}:", message, count=1)


def replace_graph(store: GraphStore, settings: Settings, graph: str | None, data: bytes, media_type: str) -> bool:
    """Graph Store PUT: ``graph`` (None: the default graph) becomes exactly ``data``. Returns True if created.

    :raises SourceError: the body does not parse. :raises ValidationFailed: it breaks the contract.
    """
    target = _target(settings, graph)
    check_body(data, media_type)

    def change(delta: Delta, generation: GenerationBuilder) -> bool:
        created = not _exists(generation, target)
        delta.apply(generation, [Step("drop", graph=target)])
        delta.add_document(generation, data, media_type, graph=target, base_iri=target)
        return created

    return _write_delta(store, settings, change)


def add_to_graph(store: GraphStore, settings: Settings, graph: str | None, bodies: list[tuple[bytes, str]]) -> bool:
    """Graph Store POST: merge each ``(data, media type)`` into ``graph``. Returns True if the graph was created.

    :raises SourceError: a body does not parse. :raises ValidationFailed: the result breaks the contract.
    """
    target = _target(settings, graph)
    for data, media_type in bodies:
        check_body(data, media_type)

    def change(delta: Delta, generation: GenerationBuilder) -> bool:
        created = not _exists(generation, target)
        for data, media_type in bodies:
            delta.add_document(generation, data, media_type, graph=target, base_iri=target)
        return created

    return _write_delta(store, settings, change)


def drop_graph(store: GraphStore, settings: Settings, graph: str | None) -> None:
    """Graph Store DELETE. :raises NotFound: the named graph does not exist."""
    target = _target(settings, graph)
    if target.startswith(settings.base_iri + "graph/ontology/") and not settings.allow_graph_management:
        raise QueryError(f"deleting the ontology <{target}> is refused on this endpoint (set "
                         "ECOSYSTEM_GRAPH_ALLOW_GRAPH_MANAGEMENT=true to allow it)")

    def change(delta: Delta, generation: GenerationBuilder) -> None:
        if graph is not None and not _exists(generation, target):
            raise NotFound(f"no graph <{target}>")
        delta.apply(generation, [Step("drop", graph=target)])

    _write_delta(store, settings, change)


def _target(settings: Settings, graph: str | None) -> str:
    if graph is None:
        return updates_graph_iri(settings.base_iri)
    protocol.check_iri(graph, parameter="graph")
    if graph == inferred_graph_iri(settings.base_iri):
        raise QueryError("the inferred graph is computed from the others and cannot be written")
    return graph


def _exists(generation: GenerationBuilder, graph: str) -> bool:
    return generation.query(QueryRequest(
        "ASK { GRAPH ?g { ?s ?p ?o } }", accept=[_JSON], substitutions={"g": {"type": "uri", "value": graph}},
    )).boolean()


def _write_delta(store: GraphStore, settings: Settings, change: Callable[[Delta, GenerationBuilder], T]) -> T:
    """Apply a change that states its quads to a copy of the current generation; check the nodes it touched,
    follow it with the reasoner and the search index, journal it, publish. A change that changes nothing publishes
    nothing."""
    copied_from = store.generation_id()
    with store.new_generation(copy_current=True) as generation:
        delta = Delta(excluded=_computed_graphs(settings), based_on=copied_from)
        result = change(delta, generation)
        if not delta.records:
            generation.abort()
            return result
        gate_and_reason(generation, _gate_files(settings, generation), settings, delta=delta)
        touched = changed_resources(generation, [delta.added, delta.removed])
        delta.drop(generation)
        with following(store, generation, settings, previous=copied_from, iris=touched):
            generation.all_changes_noted()  # the remote backend then sends just the change
            entry = Journal(settings.changes_dir).record_patch(delta.records)  # on disk before it is acknowledged
            generation.commit()
    if entry is not None:
        reload.after_write(settings, store, copied_from, entry.path.name)
    log.info("write committed (%d change record(s))", len(delta.records))
    return result


def _write(store: GraphStore, settings: Settings, change: Callable[[GenerationBuilder], T], *,
           journal_text: str) -> T:
    """Apply an update that does not state its change to a copy of the current generation; pass the whole
    load gate, journal its text, publish."""
    inferred = inferred_graph_iri(settings.base_iri)
    with store.new_generation(copy_current=True) as generation:
        result = change(generation)
        generation.update(f"ADD SILENT DEFAULT TO <{updates_graph_iri(settings.base_iri)}> ; CLEAR SILENT DEFAULT")
        generation.update(f"DROP SILENT GRAPH <{inferred}>")
        gate_and_reason(generation, _gate_files(settings, generation), settings)
        Journal(settings.changes_dir).record_update(journal_text)
        generation.commit()
    log.info("write committed")
    return result


def _computed_graphs(settings: Settings) -> tuple[str, ...]:
    return inferred_graph_iri(settings.base_iri), stats_graph_iri(settings.base_iri)


def _gate_files(settings: Settings, generation: GenerationBuilder) -> list[SourceFile]:
    """The graphs of the generation as the gate sees them: the source files they came from, where there is
    one, and for graphs made through the API an entry named after the graph (ontology ones by their IRI)."""
    try:
        files = {f.graph: f for f in discover(settings.source_paths, project_dir=settings.project_dir,
                                              base_iri=settings.base_iri)}
    except SourceError as error:
        log.debug("source files not available to name graphs: %s", error)
        files = {}
    rows = generation.query(QueryRequest("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", accept=[_JSON]))
    ontology_prefix = settings.base_iri + "graph/ontology/"
    out = []
    computed = _computed_graphs(settings)  # the contract is on what was asserted
    for row in rows.rows():
        graph = row["g"]["value"]
        if graph in computed or graph.startswith("urn:x-ecosystem-graph:"):
            continue
        if graph in files:
            out.append(files[graph])
        elif row["g"]["type"] == "uri":
            head = "ontology" if graph.startswith(ontology_prefix) else "api"
            out.append(SourceFile(path=Path(graph), relative=PurePosixPath(head, graph.rsplit("/", 1)[-1]),
                                  media_type="application/n-triples", graph=graph))
    return out
