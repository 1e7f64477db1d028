"""The one reading of a request: the canonical text (:mod:`.lexer`) parsed by a grammar-complete SPARQL 1.1
parser (rdflib's), and the facts the endpoint decides on taken from that parse.

Whatever is decided here (does the request call ``SERVICE``, ``LOAD`` a URL, name its own dataset, which graphs
does an update write or empty) is decided on :attr:`Reading.text`, and that text, not the one the client sent, is
what the engine runs. Two parsers can read one text two ways; they cannot disagree about which text was run.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..errors import MalformedRequest, QueryError
from .lexer import Canonical, canonical

_PARSING = threading.Lock()  # rdflib's literal normalisation is a module flag: off while we parse


@dataclass(frozen=True)
class Reading:
    """What a parsed request does, read from its parse tree."""

    text: str  # the canonical text: what was parsed, and what the engine runs
    is_update: bool
    uses_service: bool
    uses_load: bool
    dataset_clause: bool  # a query's own FROM / FROM NAMED
    written: tuple[str, ...]  # graphs an update adds to or deletes from ("DEFAULT" for the default graph)
    emptied: tuple[str, ...]  # what an update drops or clears whole: graph IRIs, "ALL", "NAMED" or "DEFAULT"
    variable_graph: bool  # an update writes into GRAPH ?g: any graph, named at run time


def _parse(text: str, *, update: bool) -> Any:
    import rdflib
    from rdflib.plugins.sparql.algebra import translateUpdate
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    with _PARSING:
        normalise, rdflib.NORMALIZE_LITERALS = rdflib.NORMALIZE_LITERALS, False
        try:
            # a query's parse tree holds all it is checked for; an update's targets need its prefixes resolved
            return translateUpdate(parseUpdate(text)) if update else parseQuery(text)
        except RecursionError:
            raise QueryError("the request nests too deeply to be read") from None
        except Exception as error:  # pyparsing and rdflib raise several types for malformed text
            raise MalformedRequest(f"not a SPARQL {'update' if update else 'query'}: {_message(error)}") from None
        finally:
            rdflib.NORMALIZE_LITERALS = normalise


def _message(error: Exception) -> str:
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return text[:300]


def _nodes(value: Any) -> Iterator[Any]:
    """Every node of an rdflib parse or algebra tree (CompValues are dicts with a name, ParseResults lists)."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            yield node
            stack.extend(node.values())
        elif isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
            stack.extend(node)


def _named(tree: Any, *names: str) -> bool:
    return any(getattr(node, "name", None) in names for node in _nodes(tree))


def _get(node: Any, key: str) -> Any:
    """A field of a CompValue, or None (its own ``get`` answers a missing key with the key itself)."""
    return dict.get(node, key)


def _graph_name(term: Any) -> str:
    return "DEFAULT" if term is None or str(term).upper() == "DEFAULT" else str(term)


@lru_cache(maxsize=1024)
def _read(text: str, update: bool) -> Reading:
    tree = _parse(text, update=update)
    if not update:
        return Reading(text, False, _named(tree, "ServiceGraphPattern"), False, _named(tree, "DatasetClause"),
                       (), (), False)
    written: list[str] = []
    emptied: list[str] = []
    variable = False
    for operation in getattr(tree, "algebra", None) or []:  # an empty update translates to a bare list
        name = operation.name
        if name in ("InsertData", "DeleteData", "DeleteWhere", "Modify"):
            default = _graph_name(_get(operation, "withClause"))
            parts = [operation] if name != "Modify" else [_get(operation, k) for k in ("insert", "delete")]
            for part in parts:
                if not part:
                    continue
                if _get(part, "triples"):
                    written.append(default)
                for graph in _get(part, "quads") or {}:
                    if type(graph).__name__ == "Variable":
                        variable = True
                    else:
                        written.append(_graph_name(graph))
        elif name == "Load":
            written.append(_graph_name(_get(operation, "graphiri")))
        elif name in ("Drop", "Clear"):
            emptied.append(_graph_name(_get(operation, "graphiri")))
        elif name in ("Add", "Copy", "Move"):
            source, target = (_graph_name(graph) for graph in operation["graph"])
            written.append(target)
            emptied += [target] if name == "Copy" else [target, source] if name == "Move" else []
    return Reading(text, True, _named(tree.algebra, "ServiceGraphPattern"),
                   _named(tree.algebra, "Load"), False, tuple(written), tuple(emptied), variable)


def read_query(text: str) -> Reading:
    """:raises QueryError: not a query, with the parser's message and the position in ``text``."""
    return _located(text, update=False)


def read_update(text: str) -> Reading:
    """:raises QueryError: not an update, with the parser's message and the position in ``text``."""
    return _located(text, update=True)


_AT = re.compile(r"\s*\(at char (\d+)\), \(line:\d+, col:\d+\)")


def _located(text: str, *, update: bool) -> Reading:
    read = canonical(text)
    try:
        return _read(read.text, update)
    except QueryError as error:
        found = _AT.search(str(error))
        if found is None:
            raise
        position = read.position(int(found.group(1)), text)
        raise MalformedRequest(f"error at {position}: {_AT.sub('', str(error))}") from None


def tokens_of(text: str) -> Canonical:
    """The canonical tokens alone, without the parse (the fast lane's shape test, :mod:`..store.bounded`)."""
    return canonical(text)
