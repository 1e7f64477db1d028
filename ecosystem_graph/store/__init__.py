"""The store layer: one interface (``GraphStore``), several backends. Only this package imports pyoxigraph."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ConfigError
from ..vocab import inferred_graph_iri
from .base import GenerationBuilder, GraphStore, QueryOutput, QueryRequest, Term

if TYPE_CHECKING:  # not imported at run time: the query processes import this package, and pydantic is slow to
    from ..config import Settings  # import

__all__ = ["GenerationBuilder", "GraphStore", "QueryOutput", "QueryRequest", "Term", "open_store", "scratch_builder"]


def scratch_builder() -> GenerationBuilder:
    """A generation in memory that is never published (:func:`.embedded.scratch_builder`)."""
    from .embedded import scratch_builder as make

    return make()


def open_store(settings: Settings) -> GraphStore:
    """The backend the settings ask for.

    :raises ConfigError: remote backend without its URLs.
    """
    inferred = inferred_graph_iri(settings.base_iri)
    if settings.backend == "memory":
        from .embedded import MemoryStore

        return MemoryStore(settings.base_iri, inferred, max_bytes=settings.max_result_bytes)
    if settings.backend == "remote":
        try:
            from .remote import RemoteStore
        except ImportError as error:  # pragma: no cover - until the remote backend lands
            raise ConfigError(f"remote backend unavailable: {error}") from None
        return RemoteStore.from_settings(settings)
    from .embedded import EmbeddedStore

    return EmbeddedStore(settings.store_dir, settings.base_iri, inferred, workers=settings.query_workers,
                         max_bytes=settings.max_result_bytes, default_timeout=settings.query_timeout,
                         cache_entries=settings.result_cache_entries, offline=not settings.allow_service)
