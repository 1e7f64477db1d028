"""Pages of a named query's answer: ``LIMIT``/``OFFSET`` over an order made total.

A page is only well defined when the order is: rows that tie on the query's own ``ORDER BY`` could come in another
order on the next request (a different ``LIMIT`` lets the engine plan differently), and a row would then appear on
two pages or on none. So the page's text orders by the query's own keys first, then by every projected variable
(every variable of the pattern for ``SELECT *``): on distinct rows that is a total order, and rows that tie on
all of them are identical, so which comes first does not show. The query's own ``LIMIT``/``OFFSET`` still hold:
the pages are pages of its answer. The text is rewritten from its exact tokens (:mod:`..syntax.lexer`), after the
outermost ``WHERE`` group, where only solution modifiers can stand.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import QueryError
from ..store.sparql_text import where_group
from ..syntax.lexer import Token, canonical, write

#: the largest page and offset a caller may ask for (beyond them a number is a mistake, not a page)
MAX_LIMIT = 10_000_000
MAX_OFFSET = 10**12


@dataclass(frozen=True)
class Page:
    """``limit`` rows (all the rest when None) after the first ``offset``."""

    limit: int | None = None
    offset: int = 0

    @classmethod
    def from_params(cls, limit: str | None, offset: str | None) -> Page | None:
        """The page the ``limit`` and ``offset`` query parameters ask for; None when neither is given.

        :raises QueryError: a value that is not a whole number in range.
        """
        if limit is None and offset is None:
            return None
        return cls(limit=None if limit is None else _number("limit", limit, 1, MAX_LIMIT),
                   offset=0 if offset is None else _number("offset", offset, 0, MAX_OFFSET))


def _number(name: str, raw: str, low: int, high: int) -> int:
    text = raw.strip()
    if not text.isascii() or not text.isdigit():
        raise QueryError(f"{name} must be a whole number from {low} to {high:,}, not {raw!r}")
    value = int(text)
    if not low <= value <= high:
        raise QueryError(f"{name} must be a whole number from {low} to {high:,}, not {value:,}")
    return value


def _is_word(token: Token, word: str) -> bool:
    return token.kind == "word" and token.text.upper() == word


def _projected(tokens: tuple[Token, ...], form: int, opening: int) -> list[str] | None:
    """The variables a SELECT projects, in order (None for ``SELECT *``)."""
    depth, out = tokens[form].depth, []
    for index in range(form + 1, opening):
        token = tokens[index]
        if token.depth == depth and token.text == "*":
            return None
        if token.kind == "var" and (token.depth == depth or _is_word(tokens[index - 1], "AS")):
            out.append("?" + token.text[1:])
        if token.depth == depth and _is_word(token, "WHERE"):
            break
    return list(dict.fromkeys(out))


def _limit_offset(modifiers: list[Token], depth: int) -> tuple[list[Token], int | None, int]:
    """The modifiers without their top-level LIMIT and OFFSET clauses, and the values those gave."""
    kept: list[Token] = []
    limit, offset, index = None, 0, 0
    while index < len(modifiers):
        token = modifiers[index]
        if token.depth == depth and (_is_word(token, "LIMIT") or _is_word(token, "OFFSET")) and \
                index + 1 < len(modifiers) and modifiers[index + 1].kind == "number":
            value = int(modifiers[index + 1].text)
            if _is_word(token, "LIMIT"):
                limit = value
            else:
                offset = value
            index += 2
            continue
        kept.append(token)
        index += 1
    return kept, limit, offset


def paged(sparql: str, page: Page) -> str:
    """The text of one page of the SELECT query ``sparql``.

    :raises QueryError: not a SELECT query, or no WHERE group to page.
    """
    tokens = canonical(sparql).tokens
    group = where_group(tokens)
    form = next((i for i, t in enumerate(tokens) if t.kind == "word" and t.text.upper() in
                 ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")), -1)
    if group is None or form < 0 or not _is_word(tokens[form], "SELECT"):
        raise QueryError("limit and offset page the rows of a SELECT query; this query answers with "
                         "a graph or a boolean")
    opening, closing = group
    depth = tokens[closing].depth
    tail = list(tokens[closing + 1:])
    values_at = next((i for i, t in enumerate(tail) if t.depth == depth and _is_word(t, "VALUES")), len(tail))
    modifiers, trailing_values = tail[:values_at], tail[values_at:]
    modifiers, own_limit, own_offset = _limit_offset(modifiers, depth)

    order_at = next((i for i in range(len(modifiers) - 1) if modifiers[i].depth == depth and
                     _is_word(modifiers[i], "ORDER") and _is_word(modifiers[i + 1], "BY")), None)
    before = modifiers if order_at is None else modifiers[:order_at]
    keys = [] if order_at is None else modifiers[order_at + 2:]
    ordered = {"?" + t.text[1:] for t in keys if t.kind == "var" and t.depth == depth}
    projected = _projected(tokens, form, opening)
    if projected is None:  # SELECT *: every variable of the pattern (one out of scope is unbound alike everywhere)
        projected = list(dict.fromkeys("?" + t.text[1:] for t in tokens[opening:closing] if t.kind == "var"))
    extra = [v for v in projected if v not in ordered]

    offset = own_offset + page.offset
    limit = page.limit
    if own_limit is not None:
        left = max(0, own_limit - page.offset)
        limit = left if limit is None else min(limit, left)
    parts = [write(tokens[:closing + 1]), write(before)]
    if keys or extra:
        parts += ["ORDER BY", write(keys), " ".join(extra)]
    if limit is not None:
        parts.append(f"LIMIT {limit}")
    if offset:
        parts.append(f"OFFSET {offset}")
    parts.append(write(trailing_values))
    return " ".join(part for part in parts if part)
