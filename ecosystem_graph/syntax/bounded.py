"""Queries whose cost is bounded by their answer: one triple pattern, looked up and streamed out.

Such a query (``SELECT ?p ?o WHERE { <s> ?p ?o }``, ``ASK { ?s a <C> }``) reads one index range and writes
every row it reads, so stopping its serialisation at a byte limit also stops its evaluation. The embedded store
answers it in the calling process under a small byte limit, without the round trip to a query worker that a
hard timeout needs; anything else (joins, filters, paths, DISTINCT, ORDER BY, aggregates, OFFSET, a repeated
variable, a dataset clause) may read far more than it returns and goes to the workers.

The shape is read from the canonical tokens (:mod:`.lexer`), and what runs here is the canonical text of
exactly those tokens, with a ``LIMIT`` that also bounds the rows read (:func:`inline_text`): the rdflib parse the
other checks use would cost three times the query itself, and a text of this shape has one reading.
"""

from __future__ import annotations

from functools import lru_cache

from ..errors import QueryError
from .lexer import Token, canonical, write

#: longer texts are not single patterns worth the test (and would make the memo large)
_MAX_LENGTH = 4096
_TERM_KINDS = {"var", "iri", "pname"}


def _term(tokens: tuple[Token, ...], at: int, *, position: str) -> int:
    """The index after the term at ``at`` that may stand in ``position`` (subject, predicate, object), or -1."""
    if at >= len(tokens):
        return -1
    token = tokens[at]
    if token.kind in _TERM_KINDS:
        return at + 1
    if position == "predicate":
        return at + 1 if token.kind == "word" and token.text == "a" else -1
    if position != "object":
        return -1
    if token.kind == "number" or (token.kind == "word" and token.text in ("true", "false")):
        return at + 1
    if token.kind != "string":
        return -1
    following = tokens[at + 1] if at + 1 < len(tokens) else None
    if following is not None and following.kind == "langtag":
        return at + 2
    if following is not None and following.text == "^^":
        datatype = tokens[at + 2] if at + 2 < len(tokens) else None
        return at + 3 if datatype is not None and datatype.kind in ("iri", "pname") else -1
    return at + 1


def _word(tokens: tuple[Token, ...], at: int, *words: str) -> bool:
    return at < len(tokens) and tokens[at].kind == "word" and tokens[at].text.upper() in words


@lru_cache(maxsize=4096)
def _limit_at(sparql: str) -> tuple[int, int | None] | None:
    """(index of the LIMIT's place, the query's own LIMIT) for a single-pattern query, or None."""
    try:
        tokens = canonical(sparql).tokens
    except QueryError:
        return None
    at = 0
    while _word(tokens, at, "PREFIX", "BASE"):
        if tokens[at].text.upper() == "PREFIX":
            if at + 2 >= len(tokens) or tokens[at + 1].kind != "pname" or not tokens[at + 1].text.endswith(":") \
                    or tokens[at + 2].kind != "iri":
                return None
            at += 3
        else:
            if at + 1 >= len(tokens) or tokens[at + 1].kind != "iri":
                return None
            at += 2
    if _word(tokens, at, "SELECT"):
        at += 1
        if at < len(tokens) and tokens[at].text == "*":
            at += 1
        else:
            start = at
            while at < len(tokens) and tokens[at].kind == "var":
                at += 1
            if at == start:
                return None
    elif _word(tokens, at, "ASK"):
        at += 1
    else:
        return None
    if _word(tokens, at, "WHERE"):
        at += 1
    if at >= len(tokens) or tokens[at].text != "{":
        return None
    pattern_start = at + 1
    at = _term(tokens, pattern_start, position="subject")
    at = _term(tokens, at, position="predicate") if at > 0 else -1
    at = _term(tokens, at, position="object") if at > 0 else -1
    if at < 0:
        return None
    variables = [token.text[1:] for token in tokens[pattern_start:at] if token.kind == "var"]
    if len(variables) != len(set(variables)):  # ?x ?p ?x filters what it reads
        return None
    if at < len(tokens) and tokens[at].text == ".":
        at += 1
    if at >= len(tokens) or tokens[at].text != "}":
        return None
    at += 1
    if at == len(tokens):
        return at, None
    if _word(tokens, at, "LIMIT") and at + 2 == len(tokens) and tokens[at + 1].text.isdigit():
        return at, int(tokens[at + 1].text)
    return None


def is_bounded(sparql: str) -> bool:
    """Whether ``sparql`` is a single triple pattern whose evaluation stops when its output does."""
    return len(sparql) <= _MAX_LENGTH and _limit_at(sparql) is not None


def inline_text(sparql: str, *, max_rows: int) -> str | None:
    """The canonical text of a single-pattern query with a ``LIMIT`` of at most ``max_rows``, or None for any
    other query. The pattern reads no more rows than it writes, so the LIMIT bounds what it reads too."""
    if len(sparql) > _MAX_LENGTH or (found := _limit_at(sparql)) is None:
        return None
    at, own = found
    read = canonical(sparql)
    if own is None:
        return f"{read.text} LIMIT {max_rows}"
    return f"{write(read.tokens[:at])} LIMIT {min(own, max_rows)}"
