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
from dataclasses import dataclass, field
from typing import Any

from ..errors import QueryError
from .lexer import canonical

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
    #: an update's rdflib algebra (base IRI applied), so that applying a stated change parses nothing again
    algebra: Any = field(default=None, compare=False, repr=False)


def _parse(text: str, *, update: bool, base: str | None = None) -> Any:
    import rdflib
    from rdflib.plugins.sparql.algebra import translateUpdate
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    with _PARSING:
        normalise, rdflib.NORMALIZE_LITERALS = rdflib.NORMALIZE_LITERALS, False
        try:
            # a query's parse tree holds all it is checked for; an update's targets need its prefixes resolved
            return translateUpdate(parseUpdate(text), base=base) if update else parseQuery(text)
        except RecursionError:
            raise QueryError("the request nests too deeply to be read") from None
        except Exception as error:  # pyparsing and rdflib raise several types for malformed text
            raise QueryError(f"not a SPARQL {'update' if update else 'query'}: {_message(error)}") from None
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


#: the readings made, oldest first: one memo, which :func:`is_read` asks too (a lookup, not a parse)
_READ_BEFORE: dict[tuple[str, bool, str | None], Reading] = {}
_MEMO_SIZE = 1024
_MEMO = threading.Lock()


def _read(text: str, update: bool, base: str | None = None) -> Reading:
    key = (text, update, base)
    found = _READ_BEFORE.get(key)
    if found is not None:
        return found
    reading = _read_once(text, update, base)
    with _MEMO:
        if len(_READ_BEFORE) >= _MEMO_SIZE:
            _READ_BEFORE.pop(next(iter(_READ_BEFORE)))
        _READ_BEFORE[key] = reading
    return reading


def _read_once(text: str, update: bool, base: str | None) -> Reading:
    tree = _parse(text, update=update, base=base)
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
    operations = getattr(tree, "algebra", None) or []
    return Reading(text, True, _named(operations, "ServiceGraphPattern"), _named(operations, "Load"), False,
                   tuple(written), tuple(emptied), variable, tree)


def is_read(text: str, *, update: bool = False) -> bool:
    """Whether ``text`` was read already (its parse is memoised): then reading it again costs a lookup."""
    try:
        key = canonical(text).text
    except QueryError:
        return True  # refused at once, by the tokens alone
    return (key, update, None) in _READ_BEFORE


def read_query(text: str) -> Reading:
    """:raises QueryError: not a query, with the parser's message and the position in ``text``."""
    return _located(text, update=False)


def read_update(text: str, *, base: str | None = None) -> Reading:
    """:raises QueryError: not an update, with the parser's message and the position in ``text``."""
    return _located(text, update=True, base=base)


_AT = re.compile(r"\s*\(at char (\d+)\), \(line:\d+, col:\d+\)")


def _located(text: str, *, update: bool, base: str | None = None) -> Reading:
    read = canonical(text)
    try:
        return _read(read.text, update, base)
    except QueryError as error:
        found = _AT.search(str(error))
        if found is None:
            raise
        position = read.position(int(found.group(1)), text)
        raise QueryError(f"error at {position}: {_AT.sub('', str(error))}") from None
