"""The SPARQL 1.1 Protocol's rules, independent of HTTP: which operation a request carries, its dataset, and
the checks made on the text before it reaches the store, and the operation a POST body carries.

The checks are made on the one reading of the request (:mod:`.reading`): ``SERVICE`` is refused unless
federation is allowed, ``LOAD`` always; the ``using-graph-uri`` / ``using-named-graph-uri`` parameters of an
update become ``USING`` clauses of each ``INSERT``/``DELETE`` operation (the Protocol defines them as exactly that).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from ..errors import QueryError, UnsupportedMediaType
from .bounded import is_bounded
from .lexer import canonical, write
from .reading import Reading, read_query, read_update

_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\s]*$")


def checked_query(text: str, *, allow_service: bool) -> str:
    """The text the engine is to run for the query ``text``: its canonical form, once the parse of that form
    shows no ``SERVICE`` (unless federation is allowed). A single triple pattern (:mod:`.bounded`) is read from
    its tokens alone: its grammar has no place for SERVICE.

    :raises QueryError: malformed, too deep, or calls SERVICE while federation is disabled.
    """
    if is_bounded(text):
        return canonical(text).text
    reading = read_query(text)
    if reading.uses_service and not allow_service:
        raise QueryError("federated queries (SERVICE) are disabled on this endpoint")
    return reading.text


def checked_update(text: str, *, allow_service: bool, base: str | None = None) -> Reading:
    """The reading of the update ``text``, whose :attr:`Reading.text` the engine is to run.

    :raises QueryError: malformed, too deep, calls SERVICE while federation is disabled, or uses ``LOAD``, which
        would make the server fetch a URL for the client (server-side request forgery); data comes in through
        the Graph Store Protocol or ``ecosystem-graph load``.
    """
    reading = read_update(text, base=base)
    if reading.uses_service and not allow_service:
        raise QueryError("federated queries (SERVICE) are disabled on this endpoint")
    if reading.uses_load:
        raise QueryError("LOAD is disabled on this endpoint: send the data itself with the Graph Store Protocol "
                         "(PUT or POST /rdf-graph-store)")
    return reading


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
    tokens = canonical(update).tokens
    parts: list[str] = []
    previous = ""  # the last token outside braces: DELETE right before WHERE is the DELETE WHERE short form
    written = 0
    for index, token in enumerate(tokens):
        if token.depth or token.kind != "word":
            previous = token.text if not token.depth else previous
            continue
        word = token.text.upper()
        if word in ("USING", "WITH"):
            raise QueryError("using-graph-uri / using-named-graph-uri cannot be combined with USING or WITH "
                             "in the update itself")
        if word == "WHERE":
            if previous == "DELETE":
                raise QueryError("using-graph-uri / using-named-graph-uri cannot apply to DELETE WHERE; "
                                 "write DELETE { ... } WHERE { ... }")
            parts += [write(tokens[written:index]), clauses.strip()]
            written = index
        previous = word
    return " ".join(part for part in [*parts, write(tokens[written:])] if part)


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


# --- a POST's body -----------------------------------------------------------------------------------------------
FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"


def post_operation(content_type_header: str | None, body: bytes,
                   params: list[tuple[str, str]]) -> Operation | None:
    """The operation a POST carries; a form's fields are added to ``params`` (the URL's parameters).

    :raises UnsupportedMediaType: see :func:`_content_type`.
    :raises QueryError: a body that is not UTF-8, or an operation :func:`read_operation` refuses.
    """
    media_type = _content_type(content_type_header)
    text = _decode(body)
    if media_type == FORM:
        try:
            params += parse_qsl(text, keep_blank_values=True, errors="strict")
        except UnicodeDecodeError:
            raise QueryError("the form's fields are not UTF-8 once percent-decoded") from None
        return read_operation(params)
    direct = {"direct_query": text} if media_type == QUERY else {"direct_update": text}
    return read_operation(params, **direct)


def _content_type(header: str | None) -> str:
    """The media type of a query or update body.

    :raises UnsupportedMediaType: not one of the three the Protocol defines, or a charset other than UTF-8.
    """
    media_type, *params = [part.strip() for part in (header or "").split(";")]
    media_type = media_type.lower()
    if media_type not in (FORM, QUERY, UPDATE):
        raise UnsupportedMediaType(f"POST a query as {FORM} or {QUERY}, an update as {FORM} or {UPDATE}; "
                                   f"got {media_type or 'no Content-Type'}")
    charset = next((p.split("=", 1)[1].strip().strip('"').lower() for p in params
                    if p.lower().startswith("charset=")), None)
    if charset not in (None, "utf-8", "utf8", "us-ascii"):
        raise UnsupportedMediaType(f"request bodies are read as UTF-8, not {charset}")
    return media_type


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise QueryError(f"the request body is not UTF-8: {error}") from None
