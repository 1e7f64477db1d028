"""The store interface every backend implements."""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["select", "ask", "graph"]

#: A term as in the SPARQL 1.1 JSON results format: {"type": "uri"|"literal"|"bnode", "value": ..., ...}.
Term = dict[str, str]


@dataclass(frozen=True)
class QueryRequest:
    """A query and its dataset, as the SPARQL Protocol states them."""

    def cache_key(self) -> tuple:
        """Everything that decides the answer (the timeout does not)."""
        return (self.sparql, tuple(self.accept or ()), tuple(self.default_graphs or ()) if self.default_graphs
                is not None else None, tuple(self.named_graphs) if self.named_graphs is not None else None,
                self.include_inferred, tuple(sorted((k, tuple(sorted(v.items()))) for k, v in
                                                    self.substitutions.items())), self.base_iri)

    sparql: str
    accept: list[str] | None = None
    default_graphs: list[str] | None = None
    named_graphs: list[str] | None = None
    include_inferred: bool = True
    substitutions: dict[str, Term] = field(default_factory=dict)
    base_iri: str | None = None
    timeout: float | None = None


@dataclass(frozen=True)
class QueryOutput:
    """A serialised query result."""

    kind: Kind
    media_type: str
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def rows(self) -> list[dict[str, Term]]:
        """The bindings of a SELECT result serialised as SPARQL JSON."""
        return self.json()["results"]["bindings"]

    def boolean(self) -> bool:
        return bool(self.json()["boolean"])


class GenerationBuilder(ABC):
    """A new store generation under construction: invisible to readers until :meth:`commit`."""

    #: Identifies this generation once published (see :meth:`GraphStore.generation_id`); None if the backend
    #: has no such notion. Lets derived data (the search index) be built beside it and keyed by it.
    generation_id: str | None = None

    #: whether the builder publishes what changed rather than the whole generation (the remote backend), and so
    #: wants to be told what changed (:meth:`note_change`); writers skip that bookkeeping when it does not
    notes_changes: bool = False

    def note_change(self, graph: str, triples: bytes | None) -> None:  # noqa: B027 - optional hook
        """``graph`` gained or lost triples since the generation this one copies, all of them among ``triples``
        (N-Triples; a superset is fine); None: it changed in a way not told (the whole generation is published)."""

    def all_changes_noted(self) -> None:  # noqa: B027 - optional hook
        """Every change since the copy went through :meth:`note_change`: :meth:`commit` may publish only those.

        :raises StoreUnavailable: the generation copied is no longer the published one (another writer)."""

    @abstractmethod
    def load(self, data: bytes | None, media_type: str, *, path: str | None = None, graph: str | None = None,
             base_iri: str | None = None) -> None:
        """Bulk-load RDF into ``graph``. :raises SourceError: on a syntax error."""

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run SPARQL Update on the new generation. :raises QueryError: if malformed."""

    @abstractmethod
    def query(self, request: QueryRequest) -> QueryOutput:
        """Query the new generation (for validation and reasoning)."""

    @abstractmethod
    def export(self, media_type: str, *, graphs: list[str] | None = None) -> bytes:
        """Serialise the given graphs (all when None) in a dataset format."""

    @abstractmethod
    def difference(self, graph: str, other: GenerationBuilder, other_graph: str) -> tuple[bytes, bytes]:
        """(the triples of ``graph`` not in ``other_graph`` of ``other``, those of ``other_graph`` not in ``graph``),
        as N-Triples: what replacing one by the other changes, worked out beside this generation, not in it."""

    @abstractmethod
    def commit(self) -> None:
        """Publish the generation: readers see it from now on, atomically."""

    @abstractmethod
    def abort(self) -> None:
        """Throw the generation away."""


class GraphStore(ABC):
    """A dataset of named graphs that answers SPARQL; the default graph is the union of the named graphs."""

    base_iri: str

    @abstractmethod
    def query(self, request: QueryRequest) -> QueryOutput:
        """Run one query.

        :raises QueryError: malformed query.
        :raises NotAcceptable: no requested media type suits the result.
        :raises QueryTimeout: the query ran past ``request.timeout``.
        :raises StoreUnavailable: nothing has been loaded yet.
        """

    async def aquery(self, request: QueryRequest) -> QueryOutput:
        """:meth:`query` for async callers; backends with native async I/O override it."""
        import asyncio  # here: the query processes import this module, and need no asyncio

        return await asyncio.to_thread(self.query, request)

    @abstractmethod
    def new_generation(self, *, copy_current: bool = False) -> AbstractContextManager[GenerationBuilder]:
        """A builder for the next generation; empty, or a copy of the current one for incremental writes."""

    @abstractmethod
    def graph_sizes(self) -> dict[str, int]:
        """Triples per named graph."""

    @abstractmethod
    def dump(self, media_type: str, *, graph: str | None = None) -> Iterator[bytes]:
        """Stream the dataset (or one graph) in ``media_type``."""

    @abstractmethod
    def is_empty(self) -> bool:
        """True before the first load."""

    def built_at(self) -> float | None:
        """When the current generation was published (epoch seconds), if known."""
        return None

    def generation_id(self) -> str | None:
        """Identifies the published generation (changes with every commit); None if the backend cannot tell."""
        return None

    def published(self) -> tuple[str | None, float | None]:
        """``(generation_id(), built_at())``, together (the HTTP caching asks both on every request)."""
        return self.generation_id(), self.built_at()

    def warm_up(self) -> None:  # noqa: B027 - optional hook
        """Start what the first query would otherwise wait for (worker processes, connections)."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release resources (worker processes, connections)."""

    # Conveniences over query(), shared by every backend.
    def select(self, sparql: str, **options: Any) -> list[dict[str, Term]]:
        return self.query(QueryRequest(sparql, accept=["application/sparql-results+json"], **options)).rows()

    def ask(self, sparql: str, **options: Any) -> bool:
        return self.query(QueryRequest(sparql, accept=["application/sparql-results+json"], **options)).boolean()

    def construct(self, sparql: str, media_type: str = "application/n-triples", **options: Any) -> bytes:
        return self.query(QueryRequest(sparql, accept=[media_type], **options)).body
