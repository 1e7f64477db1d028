"""Run queries and updates on a pyoxigraph Store: the code shared by in-process and worker execution."""

from __future__ import annotations

import io

import pyoxigraph as ox

from ..errors import NotAcceptable, QueryError, ResultTooLarge, SourceError
from ..syntax.lexer import canonical
from . import formats, sparql_text
from .base import QueryOutput, QueryRequest


def has_dataset_clause(sparql: str) -> bool:
    """Whether the query names its own dataset: FROM is a reserved word of one production, the dataset clause,
    so the keyword token is the clause (a query reaching the engine was parsed whole before, :mod:`..syntax`)."""
    if "from" not in sparql.lower():  # the common case, without reading tokens
        return False
    return "FROM" in canonical(sparql).words()


def dataset_options(store: ox.Store, request: QueryRequest, inferred_graph: str) -> dict:
    """pyoxigraph keyword arguments for the query's dataset.

    Protocol parameters win; then the query's own FROM clauses; otherwise the union of the named graphs
    (minus the inferred graph when the caller asked for asserted triples only).
    """
    if request.default_graphs is not None or request.named_graphs is not None:
        return {
            "default_graph": [ox.NamedNode(g) for g in request.default_graphs or []] or ox.DefaultGraph(),
            "named_graphs": [ox.NamedNode(g) for g in request.named_graphs] if request.named_graphs is not None
            else None,
        }
    if has_dataset_clause(request.sparql):
        return {}
    if request.include_inferred:
        return {"use_default_graph_as_union": True}
    asserted = [g for g in store.named_graphs() if not (isinstance(g, ox.NamedNode) and g.value == inferred_graph)]
    return {"default_graph": asserted or ox.DefaultGraph(), "named_graphs": asserted}


def _too_large(limit: int) -> ResultTooLarge:
    return ResultTooLarge(f"the result is larger than {limit} bytes; add a LIMIT or narrow the query")


class _LimitedBuffer(io.RawIOBase):
    """A byte sink that refuses to grow past ``limit`` (pyoxigraph streams into it, so a huge result stops early)."""

    def __init__(self, limit: int):
        self.buffer = bytearray()
        self.limit = limit

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        if len(self.buffer) + len(data) > self.limit:
            raise _too_large(self.limit)
        self.buffer += data
        return len(data)


def execute(store: ox.Store, request: QueryRequest, *, inferred_graph: str, max_bytes: int,
            whole: bool = False) -> QueryOutput:
    """Evaluate and serialise one query.

    ``whole``: serialised in one piece and measured after, for a result that is small by construction (the
    in-process lane's bounded queries) or that the caller takes whatever its size (the pipeline's own queries).
    pyoxigraph then writes into its own buffer, not through a Python file object, which costs a third of a
    point lookup's time; otherwise the serialisation stops as soon as it passes ``max_bytes``.

    :raises QueryError: malformed query.
    :raises NotAcceptable: nothing in ``request.accept`` suits the result.
    :raises ResultTooLarge: the serialisation grew past ``max_bytes``.
    """
    options = dataset_options(store, request, inferred_graph)
    # Parameters become a VALUES block at the start of the WHERE group, built from terms (their N-Triples form
    # is fully escaped), never from caller text. Not pyoxigraph's substitutions: it joins them after evaluating
    # the whole pattern, so a query bound to one node costs as much as one over all of them (cq12 at 1M
    # triples: 17.8 s substituted, 0.025 s with the leading VALUES).
    sparql = sparql_text.bind(request.sparql, request.substitutions)
    try:
        result = store.query(sparql, base_iri=request.base_iri, **options)
    except SyntaxError as error:
        raise QueryError(str(error)) from None
    except RuntimeError as error:
        raise QueryError(f"query evaluation failed: {error}") from None
    if isinstance(result, ox.QueryTriples):
        kind = "graph"
    else:
        kind = "ask" if isinstance(result, ox.QueryBoolean) else "select"
    media_type = formats.pick(kind, request.accept)
    if media_type is None:
        offered = formats.GRAPH_MEDIA_TYPES if kind == "graph" else formats.RESULT_MEDIA_TYPES
        raise NotAcceptable(f"a {kind} result can be had as {', '.join(offered)}")
    written_as = (ox.RdfFormat.from_media_type(media_type) if kind == "graph"
                  else ox.QueryResultsFormat.from_media_type(media_type))
    if whole:
        try:
            body = result.serialize(format=written_as)
        except (OSError, RuntimeError) as error:  # the query is evaluated as it is serialised
            raise QueryError(f"query evaluation failed: {error}") from None
        if len(body) > max_bytes:
            raise _too_large(max_bytes)
        return QueryOutput(kind=kind, media_type=media_type, body=body)
    sink = _LimitedBuffer(max_bytes)
    try:
        result.serialize(sink, format=written_as)
    except OSError as error:
        cause = error.__context__ or error.__cause__
        if isinstance(cause, ResultTooLarge):
            raise cause from None
        if "larger than" in str(error):
            raise ResultTooLarge(str(error)) from None
        raise QueryError(f"query evaluation failed: {error}") from None
    return QueryOutput(kind=kind, media_type=media_type, body=bytes(sink.buffer))


def run_update(store: ox.Store, sparql: str, *, base_iri: str | None = None) -> None:
    """:raises QueryError: malformed update."""
    try:
        store.update(sparql, base_iri=base_iri)
    except SyntaxError as error:
        raise QueryError(str(error)) from None
    except OSError as error:
        raise QueryError(f"update failed: {error}") from None


#: a document up to this size is loaded in one transaction, not by the bulk loader: the bulk loader writes new
#: files on disk, about 25 ms however little it loads (a write of one triple), the transaction costs per triple
SMALL_LOAD_BYTES = 256 * 1024


def bulk_load(store: ox.Store, data: bytes | None, media_type: str, *, path: str | None, graph: str | None,
              base_iri: str | None) -> None:
    """:raises SourceError: syntax error, with line and column."""
    fmt = ox.RdfFormat.from_media_type(media_type)
    if fmt is None:
        raise SourceError(path or "<input>", f"unsupported RDF media type {media_type}")
    target = ox.NamedNode(graph) if graph else None
    if fmt == ox.RdfFormat.JSON_LD:
        _check_json_ld_document(data, path)
    try:
        if path is not None:
            store.bulk_load(path=path, format=fmt, to_graph=target, base_iri=base_iri)
        elif data is not None and len(data) <= SMALL_LOAD_BYTES:
            store.load(data, format=fmt, to_graph=target, base_iri=base_iri)
        else:
            store.bulk_load(data, format=fmt, to_graph=target, base_iri=base_iri)
    except SyntaxError as error:
        message = str(error.msg if hasattr(error, "msg") else error)
        raise SourceError(path or "<input>", _strip_position(message), line=error.lineno,
                          column=error.offset) from None
    except (OSError, ValueError) as error:
        raise SourceError(path or "<input>", str(error)) from None


def _check_json_ld_document(data: bytes | None, path: str | None) -> None:
    """pyoxigraph reads a bare scalar (``null``, ``5``) as an empty JSON-LD document; JSON-LD 1.1 (section 9)
    allows only an object or an array at the top. :raises SourceError: anything else."""
    if path is not None:
        with open(path, "rb") as handle:
            head = handle.read(4096)
            while head.strip() == b"" and (more := handle.read(65536)):
                head = more
    else:
        head = (data or b"")[:65536]
    first = head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1]
    if first and first not in b"{[":
        raise SourceError(path or "<input>", "a JSON-LD document is a JSON object or array", line=1)


def _strip_position(message: str) -> str:
    """pyoxigraph prefixes 'Parser error between line X column Y and ...: '; we report the position ourselves."""
    head, sep, rest = message.partition(": ")
    return rest if sep and head.startswith("Parser error") else message


def difference(store: ox.Store, graph: str, other: ox.Store, other_graph: str) -> tuple[bytes, bytes]:
    """What replacing ``graph`` of ``store`` by ``other_graph`` of ``other`` removes and adds, as N-Triples.

    ``graph`` is copied into ``other`` (memory, where the comparison is cheap: on disk, loading the new content and
    dropping it again would cost a write of every triple), and compared there both ways."""
    old = ox.NamedNode("urn:x-ecosystem-graph:difference-old")
    new = ox.NamedNode(other_graph)
    other.extend(ox.Quad(q.subject, q.predicate, q.object, old)
                 for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))

    def only(first: ox.NamedNode, second: ox.NamedNode) -> bytes:
        found = other.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{first.value}> {{ ?s ?p ?o }} "
                            f"FILTER NOT EXISTS {{ GRAPH <{second.value}> {{ ?s ?p ?o }} }} }}")
        return ox.serialize(found, format=ox.RdfFormat.N_TRIPLES) or b""

    try:
        return only(old, new), only(new, old)
    finally:
        other.remove_graph(old)


def export(store: ox.Store, media_type: str, *, graphs: list[str] | None = None) -> bytes:
    fmt = ox.RdfFormat.from_media_type(media_type)
    if graphs is None:
        return store.dump(format=fmt)
    out = bytearray()
    for g in graphs:
        quads = store.quads_for_pattern(None, None, None, ox.NamedNode(g))
        out += ox.serialize(quads if fmt.supports_datasets else (q.triple for q in quads), format=fmt)
    return bytes(out)
