"""Queries whose cost is bounded by their answer: one triple pattern, looked up and streamed out.

Such a query (``SELECT ?p ?o WHERE { <s> ?p ?o }``, ``ASK { ?s a <C> }``) reads one index range and writes
every row it reads, so stopping its serialisation at a byte limit also stops its evaluation. The embedded store
answers it in the calling process under a small byte limit, without the round trip to a query worker that a
hard timeout needs; anything else (joins, filters, paths, DISTINCT, ORDER BY, aggregates, OFFSET, a repeated
variable, a dataset clause) may read far more than it returns and goes to the workers.

The test is on the query text with literals, IRIs and comments masked (:func:`sparql_text.mask`), so that what
they contain cannot change the shape; anything it does not recognise counts as unbounded.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .sparql_text import mask

_PROLOGUE = r"(?:\s*(?:PREFIX\s+(?:[A-Za-z][\w.-]*)?:\s*<\s*>|BASE\s*<\s*>))*"
_VARIABLE = r"[?$](\w+)"
_IRI = r"<\s*>|(?:[A-Za-z][\w.-]*)?:(?:[\w%-][\w.%:-]*[\w%:-]|[\w%-])?"
_STRING = r'(?:"\s*"|\'\s*\')(?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*|\^\^(?:' + _IRI + r"))?"
_LITERAL = rf"{_STRING}|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false"
_SUBJECT = rf"(?:{_VARIABLE}|{_IRI})"
_PREDICATE = rf"(?:{_VARIABLE}|{_IRI}|a)"
_OBJECT = rf"(?:{_VARIABLE}|{_IRI}|{_LITERAL})"
_PATTERN = rf"\{{\s*{_SUBJECT}\s+{_PREDICATE}\s+{_OBJECT}\s*\.?\s*\}}"
_PROJECTION = rf"(?:\*|(?:\s*{_VARIABLE})+)"
_SHAPE = re.compile(
    rf"^{_PROLOGUE}\s*(?:SELECT\s+{_PROJECTION}\s*(?:WHERE\s*)?|ASK\s*(?:WHERE\s*)?)(?P<pattern>{_PATTERN})"
    r"\s*(?:LIMIT\s+\d+\s*)?$",
    re.IGNORECASE,
)
_VARIABLES = re.compile(_VARIABLE)


#: longer texts are not single patterns worth the test (and would make the memo large)
_MAX_LENGTH = 4096


def is_bounded(sparql: str) -> bool:
    """Whether ``sparql`` is a single triple pattern whose evaluation stops when its output does."""
    return len(sparql) <= _MAX_LENGTH and _is_bounded(sparql)


@lru_cache(maxsize=4096)
def _is_bounded(sparql: str) -> bool:
    match = _SHAPE.match(mask(sparql))
    if match is None:
        return False
    names = _VARIABLES.findall(match.group("pattern"))
    return len(names) == len(set(names))  # ?x ?p ?x filters what it reads
