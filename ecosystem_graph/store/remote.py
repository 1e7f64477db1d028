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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pyoxigraph as ox

from ..config import Settings
from ..errors import ConfigError, NotAcceptable, ResultTooLarge, StoreUnavailable
from ..vocab import inferred_graph_iri
from . import formats, remote_generation, sparql_text
from .base import GenerationBuilder, GraphStore, Kind, QueryOutput, QueryRequest
from .embedded import LocalBuilder
from .engine import has_dataset_clause
from .remote_generation import Live, Names
from .remote_http import Dataset, SparqlHttp
from .results import convert, reader, stream_triples

log = logging.getLogger(__name__)

_JSON = "application/sparql-results+json"
_XML = "application/sparql-results+xml"
_NTRIPLES = "application/n-triples"
_RETRIES = 3
_DUMP_BATCH = 20_000


class RemoteStore(GraphStore):
    """A dataset of named graphs on a SPARQL server, published in atomic generations."""

    def __init__(self, http: SparqlHttp, base_iri: str, inferred_graph: str, *, default_timeout: float = 30.0,
                 max_bytes: int = 1 << 30):
        self.base_iri = base_iri
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
                   default_timeout=settings.query_timeout, max_bytes=settings.max_result_bytes)

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
        """A generation built in a local in-memory pyoxigraph store (so validation and reasoning run as on the
        embedded backend), uploaded and switched in by :meth:`GenerationBuilder.commit`.

        One writer at a time per process; across processes the remote store assumes a single writer.
        """
        with self._write_lock:
            work_dir = Path(tempfile.mkdtemp(prefix="ecosystem-graph-generation-"))
            try:
                local = ox.Store()
                if copy_current:
                    self._copy_live_into(local)

                def publish(builder: LocalBuilder) -> None:
                    remote_generation.publish(self._http, self._names, builder.store,
                                              generation_id=builder.generation_id, work_dir=work_dir,
                                              current=self._read_live)
                    self._read_live()

                builder = LocalBuilder(local, self._inferred_graph, publish, lambda _builder: None)
                builder.generation_id = uuid.uuid4().hex
                yield builder
                if not builder.done:
                    builder.abort()
            finally:
                shutil.rmtree(work_dir, ignore_errors=True)

    def _copy_live_into(self, local: ox.Store) -> None:
        """The live dataset into ``local``, in one parse, so that blank node labels keep meaning one node
        across graphs (pyoxigraph renames them per load call)."""
        local.bulk_load(reader(self.dump("application/n-quads")), format=ox.RdfFormat.N_QUADS)

    def close(self) -> None:
        self._http.close()


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
