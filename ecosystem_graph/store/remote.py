"""The remote backend: any server that speaks the SPARQL 1.1 Protocol, Update and Graph Store Protocol
(Oxigraph server, Virtuoso, Fuseki, GraphDB, Neptune).

The store keeps its own graphs on the server and names them in a control graph (``{base}store/control``).
Every query is sent with that list as its dataset (``default-graph-uri`` for the union default graph,
``named-graph-uri`` for ``GRAPH``), so staging graphs of a load in progress and the control graph stay
invisible, on every server alike. After the answer a one-line ASK checks that the generation did not
change meanwhile; if it did (and so maybe the graph list), the query runs again on the new one.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pyoxigraph as ox

from ..config import Settings
from ..errors import ConfigError, NotAcceptable, ResultTooLarge, StoreUnavailable
from ..vocab import inferred_graph_iri
from . import formats, remote_delta, remote_generation, sparql_text
from .base import GenerationBuilder, GraphStore, Kind, QueryOutput, QueryRequest
from .embedded import LocalBuilder
from .engine import has_dataset_clause
from .remote_generation import Live, Names
from .remote_http import Dataset, SparqlHttp
from .remote_mirror import Mirror
from .results import convert, reader, stream_triples

log = logging.getLogger(__name__)

_JSON = "application/sparql-results+json"
_XML = "application/sparql-results+xml"
_NTRIPLES = "application/n-triples"
_RETRIES = 3
_DUMP_BATCH = 20_000
_RACED = "another writer published while this write was built; it was not applied: send it again"


class RemoteStore(GraphStore):
    """A dataset of named graphs on a SPARQL server, published in atomic generations."""

    def __init__(self, http: SparqlHttp, base_iri: str, inferred_graph: str, *, default_timeout: float = 30.0,
                 max_bytes: int = 1 << 30, mirror_dir: Path | None = None):
        self.base_iri = base_iri
        self._mirror = Mirror(mirror_dir) if mirror_dir is not None else None
        self._http = http
        self._names = Names(base_iri)
        self._inferred_graph = inferred_graph
        self._default_timeout = default_timeout
        self._max_bytes = max_bytes
        self._live_cache: Live | None = None
        self._write_lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> RemoteStore:
        """:raises ConfigError: no query URL."""
        if not settings.remote_query_url:
            raise ConfigError("the remote backend needs ECOSYSTEM_GRAPH_REMOTE_QUERY_URL")
        password = settings.remote_password.get_secret_value() if settings.remote_password else None
        http = SparqlHttp(settings.remote_query_url, settings.remote_update_url, settings.remote_graph_store_url,
                          user=settings.remote_user, password=password, max_bytes=settings.max_result_bytes)
        return cls(http, settings.base_iri, inferred_graph_iri(settings.base_iri),
                   default_timeout=settings.query_timeout, max_bytes=settings.max_result_bytes,
                   mirror_dir=settings.store_dir / "remote-mirror")

    # --- the published generation ----------------------------------------------------------------------
    def _read_live(self) -> Live:
        control = self._names.control
        _type, body = self._http.query(f"SELECT ?p ?o WHERE {{ GRAPH <{control}> {{ <{control}> ?p ?o }} }}",
                                       accept=_JSON, dataset=[], timeout=self._default_timeout)
        live = remote_generation.read_live(json.loads(body)["results"]["bindings"])
        self._live_cache = live
        return live

    def _live(self) -> Live:
        return self._live_cache or self._read_live()

    def _unchanged(self, live: Live) -> bool:
        control = f"<{self._names.control}>"
        ask = f"ASK {{ GRAPH {control} {{ {control} {self._names.term('generationId')} " \
              f"{sparql_text.literal(live.id or '')} }} }}"
        _type, body = self._http.query(ask, accept=_JSON, dataset=[], timeout=self._default_timeout)
        return bool(json.loads(body)["boolean"])

    def is_empty(self) -> bool:
        return not self._read_live().graphs

    def built_at(self) -> float | None:
        return self._read_live().built_at

    def generation_id(self) -> str | None:
        return self._read_live().id

    # --- queries -----------------------------------------------------------------------------------------
    def query(self, request: QueryRequest) -> QueryOutput:
        kind = sparql_text.query_kind(request.sparql)
        media_type = formats.pick(kind, request.accept)
        if media_type is None:
            offered = formats.GRAPH_MEDIA_TYPES if kind == "graph" else formats.RESULT_MEDIA_TYPES
            raise NotAcceptable(f"a {kind} result can be had as {', '.join(offered)}")
        sparql = sparql_text.with_base(sparql_text.bind(request.sparql, request.substitutions), request.base_iri)
        timeout = request.timeout or self._default_timeout
        if request.default_graphs is not None or request.named_graphs is not None:
            return self._send(sparql, kind, media_type, self._protocol_dataset(request), timeout)
        if has_dataset_clause(request.sparql):
            return self._send(sparql, kind, media_type, [], timeout)
        for _attempt in range(_RETRIES):
            live = self._live()
            if live.generation == 0:
                live = self._read_live()
                if live.generation == 0:
                    raise StoreUnavailable("nothing has been loaded into the remote store yet; run "
                                           "`ecosystem-graph load`")
            output = self._send(sparql, kind, media_type, self._dataset(live, request.include_inferred), timeout)
            if self._unchanged(live):
                return output
            self._read_live()
        raise StoreUnavailable("the remote store changed during every try of the query; try again")

    def _graphs(self, graphs: list[str]) -> list[str]:
        return graphs or [self._names.empty]

    def _dataset(self, live: Live, include_inferred: bool) -> Dataset:
        graphs = self._graphs([g for g in live.graphs if include_inferred or g != self._inferred_graph])
        return [("default-graph-uri", g) for g in graphs] + [("named-graph-uri", g) for g in graphs]

    def _protocol_dataset(self, request: QueryRequest) -> Dataset:
        default = self._graphs(list(request.default_graphs or []))
        named = list(request.named_graphs) if request.named_graphs is not None else list(self._live().graphs)
        return [("default-graph-uri", g) for g in default] + [("named-graph-uri", g) for g in self._graphs(named)]

    def _send(self, sparql: str, kind: Kind, media_type: str, dataset: Dataset, timeout: float) -> QueryOutput:
        """Ask for ``media_type``, or a format every server writes; re-serialise locally if need be.
        CSV and TSV are always made here: servers write them differently (Virtuoso quotes IRIs)."""
        fallback = _NTRIPLES if kind == "graph" else _JSON
        asked = media_type if kind == "graph" or media_type in (_JSON, _XML) else fallback
        try:
            accept = asked if asked == fallback else f"{asked}, {fallback};q=0.5"
            answered, body = self._http.query(sparql, accept=accept, dataset=dataset, timeout=timeout)
        except NotAcceptable:  # Virtuoso answers 406 to some lists of types instead of taking the second
            if asked == fallback:
                raise
            answered, body = self._http.query(sparql, accept=fallback, dataset=dataset, timeout=timeout)
        if answered != media_type:
            body = convert(body, answered, media_type, kind)
            if len(body) > self._max_bytes:
                raise ResultTooLarge(f"the result is larger than {self._max_bytes} bytes; add a LIMIT")
        return QueryOutput(kind=kind, media_type=media_type, body=body)

    def graph_sizes(self) -> dict[str, int]:
        if self.is_empty():
            return {}
        rows = self.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return {row["g"]["value"]: int(row["n"]["value"]) for row in rows}

    # --- reading whole graphs ----------------------------------------------------------------------------
    @contextmanager
    def _graph_response(self, graph: str) -> Iterator[httpx.Response]:
        """One live graph as N-Triples, streamed (Graph Store GET, or CONSTRUCT without a graph store URL)."""
        if self._http.graph_store_url:
            stream = self._http.get_graph(graph, _NTRIPLES)
        else:
            stream = self._http.stream_query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
                                             accept=_NTRIPLES, dataset=[("named-graph-uri", graph)], timeout=None)
        with stream as response:
            yield response

    def _stable_blank_nodes(self) -> bool:
        return self._http.dialect is not None and self._http.dialect.stable_blank_nodes

    def dump(self, media_type: str, *, graph: str | None = None) -> Iterator[bytes]:
        """Stream the dataset (or one graph) in ``media_type``, a graph at a time.

        Blank node labels are kept as the server gives them when they are its own ids (Oxigraph, Virtuoso),
        so a node shared by two graphs stays one; otherwise each graph's are made unique. N-Triples and
        N-Quads pass through line by line; other formats are re-serialised in batches.
        """
        rdf_format = ox.RdfFormat.from_media_type(formats.canonical(media_type))
        if rdf_format is None:
            raise NotAcceptable(f"cannot write RDF as {media_type}")
        whole = rdf_format in (ox.RdfFormat.RDF_XML, ox.RdfFormat.JSON_LD)  # one document, not a concatenation
        kept: list[ox.Triple | ox.Quad] = []
        for name in [graph] if graph else list(self._read_live().graphs):
            with self._graph_response(name) as response:
                answered = formats.canonical(response.headers.get("content-type", _NTRIPLES))
                if answered == _NTRIPLES and self._stable_blank_nodes() and rdf_format == ox.RdfFormat.N_TRIPLES:
                    yield from response.iter_bytes()
                    continue
                if answered == _NTRIPLES and self._stable_blank_nodes() and rdf_format == ox.RdfFormat.N_QUADS:
                    yield from _as_nquads(response.iter_lines(), name)
                    continue
                target = ox.NamedNode(name)
                batch: list[ox.Triple | ox.Quad] = []
                for triple in stream_triples(response, answered, rename_blank_nodes=not self._stable_blank_nodes()):
                    batch.append(_in_graph(triple, target) if rdf_format.supports_datasets else triple)
                    if len(batch) >= _DUMP_BATCH and not whole:
                        yield ox.serialize(batch, format=rdf_format)
                        batch = []
                if whole:
                    kept.extend(batch)
                elif batch:
                    yield ox.serialize(batch, format=rdf_format)
        if whole:
            yield ox.serialize(kept, format=rdf_format)

    # --- writing -----------------------------------------------------------------------------------------
    @contextmanager
    def new_generation(self, *, copy_current: bool = False) -> Iterator[GenerationBuilder]:
        """A generation built in a local pyoxigraph store (so validation and reasoning run as on the embedded
        backend) and published by :meth:`GenerationBuilder.commit`: a write that stated its change as the quads
        it changed (:mod:`.remote_delta`), anything else uploaded whole and switched in (:mod:`.remote_generation`).

        With a mirror folder the local store is on disk: a copy of the current generation is a checkpoint of the
        mirror (:mod:`.remote_mirror`), copied from the server first when it holds another generation. Without
        one it is in memory and a copy is fetched from the server each time.

        One writer at a time per process, and per mirror folder across processes.
        """
        if self._mirror is None:
            with self._write_lock, self._memory_generation(copy_current) as builder:
                yield builder
            return
        with self._write_lock, self._mirror.locked(), self._mirror_generation(self._mirror, copy_current) as builder:
            yield builder

    @contextmanager
    def _memory_generation(self, copy_current: bool) -> Iterator[GenerationBuilder]:
        work_dir = Path(tempfile.mkdtemp(prefix="ecosystem-graph-generation-"))
        try:
            local = ox.Store()
            if copy_current:
                self._copy_live_into(local)

            def publish(builder: LocalBuilder) -> None:
                self._publish_whole(builder, work_dir)

            builder = LocalBuilder(local, self._inferred_graph, publish, lambda _builder: None)
            builder.generation_id = uuid.uuid4().hex
            yield builder
            if not builder.done:
                builder.abort()
        finally:
            shutil.rmtree(work_dir, ignore_errors=True)

    @contextmanager
    def _mirror_generation(self, mirror: Mirror, copy_current: bool) -> Iterator[GenerationBuilder]:
        work_dir = Path(tempfile.mkdtemp(prefix="ecosystem-graph-generation-"))
        path = mirror.new_path()
        adopted = False
        builder: _MirrorBuilder | None = None
        try:
            live, base = self._read_live(), None
            if copy_current and live.generation:
                base = self._synced_mirror(mirror, live)
                local = mirror.checkpoint(base, path)
            else:
                local = mirror.create(path)

            def publish(built: LocalBuilder) -> None:
                nonlocal adopted
                assert isinstance(built, _MirrorBuilder)
                why = "the generation was not copied from the live one" if base is None else built.notes.why_whole()
                if why is None and base is not None:
                    self._publish_change(built, base, live)
                else:
                    log.info("publishing the generation whole: %s", why)
                    self._publish_whole(built, work_dir)
                mirror.adopt(path, built.generation_id or "")
                adopted = True

            def still_live() -> None:  # before the write is journaled: most races are told before anything is kept
                if not self._unchanged(live):
                    raise StoreUnavailable(_RACED)

            builder = _MirrorBuilder(local, self._inferred_graph, publish, lambda _builder: None,
                                     notes_changes=base is not None, on_noted=still_live)
            builder.generation_id = uuid.uuid4().hex
            yield builder
            if not builder.done:
                builder.abort()
        finally:
            if not adopted:
                if builder is not None:
                    builder.store = ox.Store()  # let go of the working copy before its folder goes
                mirror.discard(path)
            shutil.rmtree(work_dir, ignore_errors=True)

    def _synced_mirror(self, mirror: Mirror, live: Live) -> ox.Store:
        """The mirror of ``live``: the one on disk if it holds that generation, else the live dataset copied."""
        held = mirror.current(live.id)
        if held is not None:
            return held
        for _attempt in range(_RETRIES):
            log.info("the remote mirror does not hold generation %s: copying the live dataset", live.id)
            path = mirror.new_path()
            store = mirror.create(path)
            self._copy_live_into(store)
            if self._unchanged(live):
                mirror.adopt(path, live.id or "")
                return store
            mirror.discard(path)
            live = self._read_live()
        raise StoreUnavailable("the remote store changed during every try to copy it; try again")

    def _publish_change(self, builder: _MirrorBuilder, base: ox.Store, live: Live) -> None:
        """Send what the write changed, in one conditional update.

        :raises StoreUnavailable: another writer published since the write copied the live generation."""
        delta = remote_delta.change(builder.notes, base, builder.store, live)
        generation_id = builder.generation_id or ""
        self._http.update(remote_delta.request(self._names, live, delta, generation_id=generation_id))
        if self._read_live().id != generation_id:
            raise StoreUnavailable(_RACED)
        log.info("published generation %s as a change: %d quads removed, %d added", generation_id,
                 len(delta.deleted), len(delta.inserted))

    def _publish_whole(self, builder: LocalBuilder, work_dir: Path) -> None:
        remote_generation.publish(self._http, self._names, builder.store, generation_id=builder.generation_id or "",
                                  work_dir=work_dir, current=self._read_live)
        self._read_live()

    def _copy_live_into(self, local: ox.Store) -> None:
        """The live dataset into ``local``, in one parse, so that blank node labels keep meaning one node
        across graphs (pyoxigraph renames them per load call)."""
        local.bulk_load(reader(self.dump("application/n-quads")), format=ox.RdfFormat.N_QUADS)

    def close(self) -> None:
        self._http.close()


class _MirrorBuilder(LocalBuilder):
    """A generation in a store on disk beside the mirror, told what changed (:class:`.remote_delta.Notes`)."""

    def __init__(self, store: ox.Store, inferred_graph: str, on_commit, on_abort, *, notes_changes: bool,
                 on_noted: Callable[[], None]):
        super().__init__(store, inferred_graph, on_commit, on_abort)
        self.notes_changes = notes_changes
        self.notes = remote_delta.Notes()
        self._on_noted = on_noted

    def note_change(self, graph: str, triples: bytes | None) -> None:
        if self.notes_changes:
            self.notes.add(graph, triples)

    def all_changes_noted(self) -> None:
        self.notes.complete = True
        if self.notes_changes:
            self._on_noted()


def _in_graph(triple: ox.Triple, graph: ox.NamedNode) -> ox.Quad:
    return ox.Quad(triple.subject, triple.predicate, triple.object, graph)


def _as_nquads(lines: Iterator[str], graph: str) -> Iterator[bytes]:
    """N-Triples lines as N-Quads lines in ``graph``, in batches."""
    suffix = f" <{graph}> .\n"
    batch: list[str] = []
    for line in lines:
        triple = line.strip()
        if not triple or triple.startswith("#"):
            continue
        batch.append(triple.removesuffix(".").rstrip() + suffix)
        if len(batch) >= _DUMP_BATCH:
            yield "".join(batch).encode()
            batch = []
    if batch:
        yield "".join(batch).encode()
