"""SPARQL text handling: the query form, and safe binding of parameters, for every backend, read from the exact
tokens (:mod:`..syntax.lexer`).

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
from ..syntax.lexer import Token, canonical, write
from .base import Kind, Term

_FORMS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}
_FORBIDDEN_IN_IRI = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_LANGUAGE = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_VARIABLE = re.compile(r"^\w+$")
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _form(tokens: tuple[Token, ...]) -> int:
    """Index of the query form's keyword. :raises QueryError: there is none."""
    for index, token in enumerate(tokens):
        if token.kind == "word" and token.text.upper() in _FORMS:
            return index
    raise QueryError("not a SPARQL query: it has no SELECT, CONSTRUCT, DESCRIBE or ASK")


def query_kind(sparql: str) -> Kind:
    """``select``, ``ask`` or ``graph`` (CONSTRUCT and DESCRIBE). :raises QueryError: no query form found."""
    tokens = canonical(sparql).tokens
    return _FORMS[tokens[_form(tokens)].text.upper()]  # type: ignore[return-value]


def _group(tokens: tuple[Token, ...], start: int) -> int:
    """Index of the first ``{`` at or after ``start`` outside parentheses (expressions), or -1."""
    depth = tokens[start].depth if start < len(tokens) else 0
    for index in range(start, len(tokens)):
        if tokens[index].text == "{" and tokens[index].depth == depth:
            return index
    return -1


def _closing(tokens: tuple[Token, ...], opening: int) -> int:
    depth = tokens[opening].depth
    for index in range(opening + 1, len(tokens)):
        if tokens[index].text == "}" and tokens[index].depth == depth:
            return index
    raise QueryError("unbalanced braces in the query")


def where_group(tokens: tuple[Token, ...]) -> tuple[int, int] | None:
    """Token indices of the ``{`` and ``}`` of the outermost WHERE group, or None if the query has none that can
    take a VALUES block (DESCRIBE without WHERE, the short ``CONSTRUCT WHERE { template }``)."""
    form = _form(tokens)
    opening = _group(tokens, form + 1)
    if opening < 0:
        return None
    if tokens[form].text.upper() == "CONSTRUCT":
        if any(t.kind == "word" and t.text.upper() == "WHERE" for t in tokens[form + 1:opening]):
            return None  # CONSTRUCT WHERE { ... }: the group is also the template
        opening = _group(tokens, _closing(tokens, opening) + 1)
        if opening < 0:
            raise QueryError("a CONSTRUCT query needs a WHERE clause")
    return opening, _closing(tokens, opening)


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
    """The canonical text of ``sparql`` with each variable of ``substitutions`` bound to its term.

    :raises QueryError: a malformed term or variable name, or a query whose braces do not balance.
    """
    if not substitutions:
        return sparql
    block = values_block(substitutions)
    read = canonical(sparql)
    tokens = read.tokens
    group = where_group(tokens)
    if group is None:
        return f"{read.text}\n{block}\n"
    opening, closing = group
    head, inside, tail = write(tokens[:opening + 1]), write(tokens[opening + 1:closing]), write(tokens[closing:])
    if opening + 1 < closing and tokens[opening + 1].kind == "word" and tokens[opening + 1].text.upper() == "SELECT":
        return f"{head} {block} {{ {inside} }} {tail}"  # WHERE { SELECT ... }: VALUES cannot precede it bare
    return f"{head} {block} {inside} {tail}"


def with_base(sparql: str, base_iri: str | None) -> str:
    """Resolve the query's relative IRIs against ``base_iri`` (a BASE in the query itself still wins)."""
    return sparql if base_iri is None else f"BASE {iri(base_iri)}\n{sparql}"
