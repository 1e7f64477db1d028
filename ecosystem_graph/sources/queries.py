"""The named-query catalogue: ``sparql/*.rq`` files with ``#+ key: value`` headers.

Header lines (grlc-style decorators)::

    #+ title: Signatories of an agreement with a university
    #+ description: Which organisations signed ... (competency question 1)
    #+ param: university iri https://w3id.org/ecosystem-graph/id/organization/sechenov-university
    #+ title@ru: Подписанты соглашения с университетом

``title`` and ``description`` may be given per language as ``title@ru``, ``description@en`` (the plain key is
the English, and the fallback for a language without its own line).

``param`` declares a variable of the query that callers may bind: NAME TYPE [DEFAULT]. Values are
bound by substitution of the variable in the parsed query, never by pasting text into it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..errors import NotFound, QueryError, SourceError
from ..store import Term
from ..vocab import XSD

PARAM_TYPES = ("iri", "string", "integer", "decimal", "date", "boolean")
_HEADER = re.compile(r"^#\+\s*(\w+(?:@[a-z]{2,3})?)\s*:\s*(.*?)\s*$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: str | None = None

    def bind(self, raw: str) -> Term:
        """The SPARQL-JSON term for ``raw``. :raises QueryError: if ``raw`` is not a valid value of the type."""
        try:
            return _BINDERS[self.type](raw)
        except (ValueError, InvalidOperation) as error:
            raise QueryError(f"parameter {self.name}: {raw!r} is not a valid {self.type} ({error})") from None


def _iri(raw: str) -> Term:
    value = raw.strip().removeprefix("<").removesuffix(">")
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]*$", value):
        raise ValueError("not an absolute IRI")
    return {"type": "uri", "value": value}


def _typed(datatype: str, parse: Callable[[str], object]) -> Callable[[str], Term]:
    def bind(raw: str) -> Term:
        return {"type": "literal", "value": str(parse(raw.strip())), "datatype": XSD + datatype}

    return bind


def _boolean(raw: str) -> Term:
    value = raw.strip().lower()
    if value not in ("true", "false", "1", "0"):
        raise ValueError("expected true or false")
    return {"type": "literal", "value": "true" if value in ("true", "1") else "false", "datatype": XSD + "boolean"}


_BINDERS = {
    "iri": _iri,
    "string": lambda raw: {"type": "literal", "value": raw},
    "integer": _typed("integer", int),
    "decimal": _typed("decimal", Decimal),
    "date": _typed("date", lambda s: dt.date.fromisoformat(s).isoformat()),
    "boolean": _boolean,
}


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    sparql: str
    path: Path
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)
    #: language -> title / description, from ``#+ title@ru:`` lines
    titles: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)

    def title_in(self, lang: str) -> str:
        return self.titles.get(lang, self.title)

    def description_in(self, lang: str) -> str:
        return self.descriptions.get(lang, self.description)

    def bindings(self, given: dict[str, str]) -> dict[str, Term]:
        """Typed bindings for the given raw values, defaults filled in.

        :raises QueryError: an unknown parameter or a value of the wrong type.
        """
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(given) - set(known))
        if unknown:
            raise QueryError(f"unknown parameter(s) {', '.join(unknown)}; {self.name} takes "
                             f"{', '.join(known) or 'none'}")
        out: dict[str, Term] = {}
        for name, parameter in known.items():
            raw = given.get(name, parameter.default)
            if raw is not None:
                out[name] = parameter.bind(raw)
        return out


def parse_query_file(path: Path) -> NamedQuery:
    """:raises SourceError: a malformed header, naming file and line."""
    text = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    parameters: list[Parameter] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _HEADER.match(line)
        if not match:
            continue
        key, value = match.groups()
        if key == "param":
            parts = value.split(None, 2)
            if len(parts) < 2 or parts[1] not in PARAM_TYPES or not _NAME.match(parts[0]):
                raise SourceError(path, f"'#+ param:' wants NAME TYPE [DEFAULT] with TYPE in {PARAM_TYPES}",
                                  line=number)
            parameters.append(Parameter(parts[0], parts[1], parts[2] if len(parts) > 2 else None))
        else:
            meta[key] = value
    return NamedQuery(
        name=path.stem,
        title=meta.get("title", path.stem),
        description=meta.get("description", ""),
        sparql=text,
        path=path,
        parameters=tuple(parameters),
        titles={k.partition("@")[2]: v for k, v in meta.items() if k.startswith("title@")},
        descriptions={k.partition("@")[2]: v for k, v in meta.items() if k.startswith("description@")},
    )


class QueryCatalogue:
    """The ``*.rq`` files of one folder (not its subfolders: ``checks/`` holds quality checks)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._queries = {q.name: q for q in map(parse_query_file, sorted(folder.glob("*.rq")))} \
            if folder.is_dir() else {}

    def __iter__(self) -> Iterator[NamedQuery]:
        return iter(self._queries.values())

    def __len__(self) -> int:
        return len(self._queries)

    def get(self, name: str) -> NamedQuery:
        """:raises NotFound: no query of that name."""
        try:
            return self._queries[name]
        except KeyError:
            raise NotFound(f"no named query {name!r}; see /queries") from None
