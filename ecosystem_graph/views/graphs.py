"""Reading one graph of the dataset, as the Graph Store Protocol does."""

from __future__ import annotations

from ..errors import NotFound
from ..store import GraphStore

_ALL_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
_GRAPH_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
_GRAPH_EXISTS = "ASK { GRAPH ?g { ?s ?p ?o } }"


def graph_exists(store: GraphStore, graph: str) -> bool:
    """Whether ``graph`` holds at least one triple (an empty graph does not exist for the protocol)."""
    return store.ask(_GRAPH_EXISTS, substitutions={"g": {"type": "uri", "value": graph}})


def read_graph(store: GraphStore, graph: str | None, media_type: str, *, include_inferred: bool = True) -> bytes:
    """The triples of ``graph`` (None: the default graph, the union of all) serialised as ``media_type``.

    Runs as a query, so the query timeout and result size limit apply; the whole dataset streams from
    ``GraphStore.dump`` instead.

    :raises NotFound: the named graph has no triples.
    """
    if graph is None:
        return store.construct(_ALL_TRIPLES, media_type, include_inferred=include_inferred)
    if not graph_exists(store, graph):
        raise NotFound(f"no graph <{graph}>")
    return store.construct(_GRAPH_TRIPLES, media_type, substitutions={"g": {"type": "uri", "value": graph}})
