"""Label search in plain SPARQL: the magic property ``eco:textSearch``, after Fuseki's ``text:query`` and
Blazegraph's ``bds:search``, for users who cannot call ``/api/search``::

    PREFIX eco: <https://w3id.org/ecosystem-graph/ontology#>
    SELECT ?org ?label WHERE { ?org eco:textSearch "Сеченовского" . ?org rdfs:label ?label }

The text may also be a variable the request binds by substitution (a named query's parameter, as in
``sparql/search-labels.rq``: ``?resource eco:textSearch ?q``). Before the query is read (:mod:`..syntax`), each
pattern ``?var eco:textSearch "text"`` becomes
``VALUES ?var { <iri> ... }``, the best hits of the label index (word forms, either script; at most
:data:`MAX_HITS`, best first), so the engine joins a few resources instead of scanning every label with a regular
expression. The rewritten text is what is then checked and run, like any other.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from ..errors import QueryError
from ..syntax.lexer import Token, canonical, string_value, write

if TYPE_CHECKING:
    from ..config import Settings
    from ..store import GraphStore
    from .index import SearchIndex

#: the most resources one pattern stands for: the index's own most per search (index.MAX_LIMIT, which this
#: module does not import: the endpoint imports it at start, the index only for a query that asks it)
MAX_HITS = 50
LOCAL_NAME = "textSearch"


def _prefixes(tokens: tuple[Token, ...]) -> dict[str, str]:
    found = {}
    for index, token in enumerate(tokens[:-2]):
        if token.kind == "word" and token.text.upper() == "PREFIX" and tokens[index + 1].kind == "pname" \
                and tokens[index + 2].kind == "iri":
            found[tokens[index + 1].text[:-1]] = tokens[index + 2].text[1:-1]
    return found


def _names(token: Token, prefixes: dict[str, str], iri: str) -> bool:
    if token.kind == "iri":
        return token.text[1:-1] == iri
    if token.kind == "pname" and ":" in token.text:
        prefix, local = token.text.split(":", 1)
        return prefixes.get(prefix, "") + local == iri
    return False


def served(sparql: str, store: GraphStore, settings: Settings,
           bound: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """``sparql`` as the endpoint runs it: its ``eco:textSearch`` patterns answered by the label index of
    ``store`` (opened, or built, only for a query that has one)."""
    if LOCAL_NAME not in sparql:
        return sparql
    from ..vocab import ontology_ns
    from .index import index_for

    return expand(sparql, index_hits(index_for(store, settings)), ontology=ontology_ns(settings.base_iri),
                  bound=bound)


def index_hits(index: SearchIndex) -> Callable[[str, int], list[str]]:
    """The search :func:`expand` asks: the IRIs of the index's best hits for a text, best first, each once."""
    def hits(text: str, limit: int) -> list[str]:
        return list(dict.fromkeys(hit.entry.iri for hit in index.search(text, lang="ru", limit=limit)))

    return hits


def expand(sparql: str, search: Callable[[str, int], list[str]], *, ontology: str,
           bound: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """``sparql`` with each ``?var eco:textSearch "text"`` pattern replaced by the IRIs ``search(text, limit)`` finds.
    The text may be a variable that ``bound`` (the request's substitutions, SPARQL-JSON terms) binds to a literal.

    :raises QueryError: the property used other than as ``?variable eco:textSearch "a string"`` on its own.
    """
    if LOCAL_NAME not in sparql:  # the common case, without reading tokens
        return sparql
    tokens = canonical(sparql).tokens
    prefixes, iri = _prefixes(tokens), ontology + LOCAL_NAME
    out: list[str] = []
    written = 0
    at = 0
    while at < len(tokens):
        if not _names(tokens[at], prefixes, iri) or (at and tokens[at - 1].text.upper() == "PREFIX"):
            at += 1
            continue
        subject, value = tokens[at - 1] if at else None, tokens[at + 1] if at + 1 < len(tokens) else None
        after = tokens[at + 2].text if at + 2 < len(tokens) else ""
        text = None if value is None else _text(value, bound or {})
        if subject is None or subject.kind != "var" or text is None or \
                after not in (".", "}") or (at >= 2 and tokens[at - 2].text in (";", ",")):
            raise QueryError(f"eco:{LOCAL_NAME} is written as a pattern of its own: ?resource eco:{LOCAL_NAME} "
                             '"words" (a variable, then a string or a variable bound to one)')
        found = search(text, MAX_HITS)
        values = " ".join(f"<{hit}>" for hit in found)
        out += [write(tokens[written:at - 1]), f"VALUES {subject.text} {{ {values} }}"]
        at += 2 if after == "}" else 3  # the pattern's own "." goes with it
        written = at
    return " ".join(part for part in [*out, write(tokens[written:])] if part)


def _text(token: Token, bound: Mapping[str, Mapping[str, str]]) -> str | None:
    """The words a pattern's object gives: a string's value, or the literal a bound variable stands for."""
    if token.kind == "string":
        return string_value(token)
    term = bound.get(token.text[1:]) if token.kind == "var" else None
    return term["value"] if term is not None and term.get("type") in ("literal", "typed-literal") else None
