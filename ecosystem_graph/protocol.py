"""The SPARQL 1.1 Protocol's rules, independent of HTTP: which operation a request carries, its dataset, and
the checks made on the text before it reaches the store.

The text checks work on tokens, so keywords inside strings, IRIs and comments never count:
``SERVICE`` is refused unless federation is allowed, and the ``using-graph-uri`` /
``using-named-graph-uri`` parameters of an update become ``USING`` clauses of each ``INSERT``/``DELETE``
operation (the Protocol defines them as exactly that).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from .errors import QueryError

_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
      | (?P<string>\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
      | (?P<iri><[^<>"{}|^`\\\s]*>)
      | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
      | (?P<pname>(?:[^\W\d][\w.-]*)?:[\w.:%\\-]*)
      | (?P<word>[^\W\d_]\w*)
      | (?P<open>\{) | (?P<close>\}) | (?P<semicolon>;)
      | (?P<space>\s+)
      | (?P<other>.)""",
    re.VERBOSE,
)

_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\s]*$")


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    depth: int
    start: int


def tokens(text: str) -> Iterator[Token]:
    """Significant tokens (no spaces or comments) with their brace depth."""
    depth = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind in ("space", "comment"):
            continue
        if kind == "close":
            depth = max(depth - 1, 0)
        yield Token(kind, match.group(), depth, match.start())
        if kind == "open":
            depth += 1


def keywords(text: str) -> Iterator[Token]:
    """Bare words (keywords, ``a``, function names), upper-cased; never parts of strings, IRIs or names."""
    for token in tokens(text):
        if token.kind == "word":
            yield Token("word", token.text.upper(), token.depth, token.start)


def uses_service(text: str) -> bool:
    """Whether the query or update calls a remote endpoint (``SERVICE``)."""
    if "service" not in text.lower():  # the common case, without tokenising
        return False
    return any(token.text == "SERVICE" for token in keywords(text))


def check_service(text: str, *, allow_service: bool) -> None:
    """:raises QueryError: ``SERVICE`` is used while federation is disabled."""
    if not allow_service and uses_service(text):
        raise QueryError("federated queries (SERVICE) are disabled on this endpoint")


def check_load(text: str) -> None:
    """:raises QueryError: the update uses ``LOAD``, which would make the server fetch a URL for the client
    (server-side request forgery); data comes in through the Graph Store Protocol or ``ecosystem-graph load``."""
    if "load" in text.lower() and any(token.text == "LOAD" for token in keywords(text)):
        raise QueryError("LOAD is disabled on this endpoint: send the data itself with the Graph Store Protocol "
                         "(PUT or POST /rdf-graph-store)")


def check_iri(iri: str, *, parameter: str) -> str:
    """:raises QueryError: ``iri`` is not an absolute IRI (so it can never break out of ``<...>``)."""
    if not _ABSOLUTE_IRI.match(iri):
        raise QueryError(f"{parameter}: {iri!r} is not an absolute IRI")
    return iri


def with_using_dataset(update: str, using_graphs: Sequence[str], using_named_graphs: Sequence[str]) -> str:
    """The update with ``USING``/``USING NAMED`` clauses for the protocol's dataset parameters.

    :raises QueryError: the update has its own ``USING``/``WITH`` (the Protocol forbids both), or uses
        ``DELETE WHERE``, whose short form cannot take a dataset.
    """
    if not using_graphs and not using_named_graphs:
        return update
    clauses = "".join(f" USING <{check_iri(g, parameter='using-graph-uri')}>" for g in using_graphs)
    clauses += "".join(f" USING NAMED <{check_iri(g, parameter='using-named-graph-uri')}>"
                       for g in using_named_graphs)
    inserts: list[int] = []
    previous = ""  # the last token outside braces: DELETE right before WHERE is the DELETE WHERE short form
    for token in tokens(update):
        if token.depth:
            continue
        if token.kind != "word":
            previous = token.text
            continue
        if token.text.upper() in ("USING", "WITH"):
            raise QueryError("using-graph-uri / using-named-graph-uri cannot be combined with USING or WITH "
                             "in the update itself")
        if token.text.upper() == "WHERE":
            if previous == "DELETE":
                raise QueryError("using-graph-uri / using-named-graph-uri cannot apply to DELETE WHERE; "
                                 "write DELETE { ... } WHERE { ... }")
            inserts.append(token.start)
        previous = token.text.upper()
    for position in reversed(inserts):
        update = update[:position] + clauses.lstrip() + " " + update[position:]
    return update


@dataclass(frozen=True)
class Operation:
    """What one Protocol request asks for: a query or an update, and the dataset it names."""

    query: str | None = None
    update: str | None = None
    default_graphs: list[str] | None = None
    named_graphs: list[str] | None = None
    using_graphs: list[str] = field(default_factory=list)
    using_named_graphs: list[str] = field(default_factory=list)
    include_inferred: bool = True

    @property
    def is_update(self) -> bool:
        return self.update is not None


_FALSE = {"false", "0", "no", "off"}
_TRUE = {"true", "1", "yes", "on", ""}


def _flag(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in _FALSE:
        return False
    if value in _TRUE:
        return True
    raise QueryError(f"{name} must be true or false, not {raw!r}")


def wants_inferred(params: Sequence[tuple[str, str]]) -> bool:
    """Whether the default graph includes the inferred graph: ``inference=false`` (or ``include-inferred``)
    leaves it out. :raises QueryError: a value that is not a boolean."""
    flags = [(name, value) for name, value in params if name in ("inference", "include-inferred")]
    return _flag(*flags[-1]) if flags else True


def read_operation(params: Sequence[tuple[str, str]], *, direct_query: str | None = None,
                   direct_update: str | None = None) -> Operation | None:
    """The operation of a request from its parameters (URL and form, in order) and a direct POST body.

    Returns None when the request names no operation at all (then the endpoint describes itself).

    :raises QueryError: two queries, two updates, a query and an update, dataset parameters of the other
        kind of operation, or a malformed IRI or flag.
    """
    values: dict[str, list[str]] = {}
    for name, value in params:
        values.setdefault(name, []).append(value)
    queries = values.get("query", []) + ([direct_query] if direct_query is not None else [])
    updates = values.get("update", []) + ([direct_update] if direct_update is not None else [])
    if len(queries) > 1:
        raise QueryError("the request carries more than one query")
    if len(updates) > 1:
        raise QueryError("the request carries more than one update")
    if queries and updates:
        raise QueryError("the request carries both a query and an update")
    include_inferred = wants_inferred(params)

    def iris(name: str) -> list[str]:
        return [check_iri(v, parameter=name) for v in values.get(name, [])]

    if updates:
        if "default-graph-uri" in values or "named-graph-uri" in values:
            raise QueryError("default-graph-uri / named-graph-uri belong to queries; updates take "
                             "using-graph-uri / using-named-graph-uri")
        return Operation(update=updates[0], using_graphs=iris("using-graph-uri"),
                         using_named_graphs=iris("using-named-graph-uri"), include_inferred=include_inferred)
    if "using-graph-uri" in values or "using-named-graph-uri" in values:
        raise QueryError("using-graph-uri / using-named-graph-uri belong to updates")
    if not queries:
        return None
    if "default-graph-uri" not in values and "named-graph-uri" not in values:
        return Operation(query=queries[0], include_inferred=include_inferred)
    # A protocol dataset replaces the query's own: graphs not named in it are not part of it.
    return Operation(query=queries[0], default_graphs=iris("default-graph-uri"),
                     named_graphs=iris("named-graph-uri"), include_inferred=include_inferred)
