"""SPARQL text handling: the query form, and safe binding of parameters, for every backend.

A binding becomes a ``VALUES`` block placed at the start of the query's outermost ``WHERE`` group (a remote
server has no substitution API, and pyoxigraph's joins the values only after the whole pattern is evaluated).
That keeps the meaning of a pre-bound variable for the
queries we write (the value is joined before OPTIONAL, FILTER, GROUP BY and aggregates see it), where a
trailing ``VALUES`` after the query would be joined only after aggregation. Terms are serialised by us,
with every character that could end a string or an IRI escaped or refused, so a value is always data.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from ..errors import QueryError
from .base import Kind, Term

# Literals, IRIs and comments, leftmost first: their insides must not count as braces or keywords.
_OPAQUE = re.compile(
    r'<[^<>"{}|^`\\\s]*>|"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*'
)
_FORM = re.compile(r"(?<![\w:?$.-])(SELECT|CONSTRUCT|DESCRIBE|ASK)(?![\w:-])", re.IGNORECASE)
_WHERE = re.compile(r"(?<![\w:?$.-])WHERE(?![\w:-])", re.IGNORECASE)
_SUBSELECT = re.compile(r"\s*SELECT(?![\w:-])", re.IGNORECASE)
_FORBIDDEN_IN_IRI = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_LANGUAGE = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_VARIABLE = re.compile(r"^\w+$")
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def mask(sparql: str) -> str:
    """``sparql`` with the insides of literals, IRIs and comments blanked; positions are kept."""

    def blank(match: re.Match[str]) -> str:
        text = match.group(0)
        if text[0] == "#":
            return " " * len(text)
        return text[0] + re.sub(r"[^\n]", " ", text[1:-1]) + text[-1]

    return _OPAQUE.sub(blank, sparql)


def query_kind(sparql: str) -> Kind:
    """``select``, ``ask`` or ``graph`` (CONSTRUCT and DESCRIBE). :raises QueryError: no query form found."""
    match = _FORM.search(mask(sparql))
    if match is None:
        raise QueryError("not a SPARQL query: it has no SELECT, CONSTRUCT, DESCRIBE or ASK")
    form = match.group(1).upper()
    return "select" if form == "SELECT" else "ask" if form == "ASK" else "graph"


def _top_level_brace(masked: str, start: int) -> int:
    """Index of the first ``{`` at or after ``start`` outside parentheses (expressions), or -1."""
    depth = 0
    for index in range(start, len(masked)):
        char = masked[index]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "{" and depth == 0:
            return index
    return -1


def _closing_brace(masked: str, opening: int) -> int:
    depth = 0
    for index in range(opening, len(masked)):
        if masked[index] == "{":
            depth += 1
        elif masked[index] == "}":
            depth -= 1
            if depth == 0:
                return index
    raise QueryError("unbalanced braces in the query")


def where_group(sparql: str) -> tuple[int, int] | None:
    """Positions of the ``{`` and ``}`` of the outermost WHERE group, or None if the query has none that can
    take a VALUES block (DESCRIBE without WHERE, the short ``CONSTRUCT WHERE { template }``)."""
    masked = mask(sparql)
    form = _FORM.search(masked)
    if form is None:
        raise QueryError("not a SPARQL query: it has no SELECT, CONSTRUCT, DESCRIBE or ASK")
    opening = _top_level_brace(masked, form.end())
    if opening < 0:
        return None
    if form.group(1).upper() == "CONSTRUCT":
        if _WHERE.search(masked, form.end(), opening):
            return None  # CONSTRUCT WHERE { ... }: the group is also the template
        opening = _top_level_brace(masked, _closing_brace(masked, opening) + 1)
        if opening < 0:
            raise QueryError("a CONSTRUCT query needs a WHERE clause")
    return opening, _closing_brace(masked, opening)


def iri(value: str) -> str:
    """``<value>``. :raises QueryError: not an absolute IRI, or a character that could end it."""
    if _FORBIDDEN_IN_IRI.search(value):
        raise QueryError(f"not an IRI: {value!r}")
    try:
        ox.NamedNode(value)
    except ValueError:
        raise QueryError(f"not an absolute IRI: {value!r}") from None
    return f"<{value}>"


def literal(value: str) -> str:
    """A quoted SPARQL string; quotes, backslashes and line breaks escaped, so it cannot end early."""
    return '"' + "".join(_ECHAR.get(char, char) for char in value) + '"'


def term(value: Term) -> str:
    """A SPARQL-JSON term written as SPARQL. :raises QueryError: blank nodes and malformed terms."""
    kind = value.get("type")
    text = value.get("value")
    if not isinstance(text, str):
        raise QueryError("a bound term needs a string value")
    if kind == "uri":
        return iri(text)
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in value:
            if not _LANGUAGE.match(value["xml:lang"]):
                raise QueryError(f"not a language tag: {value['xml:lang']!r}")
            return literal(text) + "@" + value["xml:lang"]
        if "datatype" in value:
            return literal(text) + "^^" + iri(value["datatype"])
        return literal(text)
    if kind == "bnode":
        raise QueryError("a blank node cannot be bound in a query sent to a SPARQL server")
    raise QueryError(f"unknown term type {kind!r}")


def values_block(substitutions: dict[str, Term]) -> str:
    names = list(substitutions)
    for name in names:
        if not _VARIABLE.match(name):
            raise QueryError(f"not a variable name: {name!r}")
    row = " ".join(term(substitutions[name]) for name in names)
    return f"VALUES ({' '.join('?' + name for name in names)}) {{ ({row}) }}"


def bind(sparql: str, substitutions: dict[str, Term]) -> str:
    """``sparql`` with each variable of ``substitutions`` bound to its term.

    :raises QueryError: a malformed term or variable name, or a query whose braces do not balance.
    """
    if not substitutions:
        return sparql
    block = values_block(substitutions)
    group = where_group(sparql)
    if group is None:
        return f"{sparql}\n{block}\n"
    opening, closing = group
    if _SUBSELECT.match(mask(sparql), opening + 1):  # WHERE { SELECT ... }: VALUES cannot precede it bare
        return f"{sparql[:opening + 1]} {block} {{{sparql[opening + 1:closing]}}} {sparql[closing:]}"
    return f"{sparql[:opening + 1]} {block}\n{sparql[opening + 1:]}"


def with_base(sparql: str, base_iri: str | None) -> str:
    """Resolve the query's relative IRIs against ``base_iri`` (a BASE in the query itself still wins)."""
    return sparql if base_iri is None else f"BASE {iri(base_iri)}\n{sparql}"
