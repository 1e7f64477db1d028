"""The named queries as pages for people: each query with its title and description in the reader's language,
a form for its typed parameters, its answer as a table (IRIs shown by label and linked to our own pages) and
links to the same answer in each SPARQL result format. Plain data; ``web/templates/queries.html`` renders it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from urllib.parse import quote, urlencode

from ..errors import QueryError
from ..search import text_query
from ..search.index import SearchIndex
from ..sources.queries import NamedQuery, QueryCatalogue
from ..store import GraphStore, QueryRequest, Term
from ..vocab import ontology_ns

log = logging.getLogger(__name__)

#: ``?format=`` names of the SPARQL result formats offered for download, in this order.
DOWNLOADS = ("json", "xml", "csv", "tsv")
#: what a person can type into each parameter type's field (HTML input types).
INPUT_TYPES = {"iri": "url", "string": "text", "integer": "number", "decimal": "number", "date": "date",
               "boolean": "text"}
#: rows shown on the page; the downloads carry all of them.
MAX_ROWS = 500


@dataclass(frozen=True)
class Field:
    """A parameter's form field: its name, type, the value it holds now and the HTML input type."""

    name: str
    type: str
    value: str
    default: str | None
    input_type: str


@dataclass(frozen=True)
class Cell:
    """A result value as shown: the text (a label for IRIs), and where it links."""

    text: str
    href: str | None = None
    iri: str | None = None
    lang: str | None = None


@dataclass(frozen=True)
class Answer:
    """A query's answer: a table (SELECT) or a yes/no (ASK), or the error that stopped it."""

    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Cell | None, ...], ...] = ()
    total: int = 0
    boolean: bool | None = None
    error: str | None = None


@dataclass(frozen=True)
class QueryView:
    name: str
    title: str
    description: str
    sparql: str
    fields: tuple[Field, ...]
    page_href: str
    downloads: tuple[tuple[str, str], ...] = ()
    answer: Answer | None = None


def _fields(query: NamedQuery, given: dict[str, str]) -> tuple[Field, ...]:
    return tuple(Field(p.name, p.type, given.get(p.name, p.default or ""), p.default, INPUT_TYPES[p.type])
                 for p in query.parameters)


def query_view(query: NamedQuery, *, lang: str, given: dict[str, str] | None = None) -> QueryView:
    """The query's card, without running it."""
    given = {k: v for k, v in (given or {}).items() if v != ""}
    base = f"/queries/{quote(query.name)}"
    downloads = tuple((name, f"{base}?{urlencode({**given, 'format': name})}") for name in DOWNLOADS)
    return QueryView(name=query.name, title=query.title_in(lang), description=query.description_in(lang),
                     sparql=_without_headers(query.sparql), fields=_fields(query, given),
                     page_href=f"{base}?{urlencode({**given, 'lang': lang})}",
                     downloads=downloads)


def _without_headers(sparql: str) -> str:
    """The query text as shown: the ``#+`` header lines are on the page already, as its title and form."""
    return "\n".join(line for line in sparql.splitlines() if not line.startswith("#+")).strip() + "\n"


def catalogue_view(catalogue: QueryCatalogue, *, lang: str) -> list[QueryView]:
    """Every named query's card, in the catalogue's order."""
    return [query_view(q, lang=lang) for q in catalogue]


def _cell(term: Term, labels: dict[str, str], href: Callable[[str], str | None]) -> Cell:
    if term["type"] == "uri":
        iri = term["value"]
        return Cell(labels.get(iri, iri), href=href(iri), iri=iri)
    if term["type"] == "bnode":
        return Cell("_:" + term["value"])
    return Cell(term["value"], lang=term.get("xml:lang"))


def run(store: GraphStore, index: SearchIndex, query: NamedQuery, given: dict[str, str], *, lang: str,
        href: Callable[[str], str | None], timeout: float | None = None) -> QueryView:
    """Run ``query`` with the ``given`` raw parameter values and shape the answer as a table.

    A value of the wrong type, or a query the engine refuses, comes back as the answer's error (shown beside
    the form) rather than as an error page.
    """
    given = {k: v for k, v in given.items() if v != ""}
    view = query_view(query, lang=lang, given=given)
    try:
        bindings = query.bindings(given)
        sparql = text_query.expand(query.sparql, text_query.index_hits(index), ontology=ontology_ns(store.base_iri),
                                   bound=bindings)  # eco:textSearch, as the endpoint reads it (web/answer.py)
        request = QueryRequest(sparql, accept=["application/sparql-results+json"], substitutions=bindings,
                               base_iri=store.base_iri, timeout=timeout)
        result = store.query(request).json()
    except QueryError as error:
        return _with(view, Answer(error=str(error)))
    if "boolean" in result:
        return _with(view, Answer(boolean=bool(result["boolean"])))
    variables = tuple(result["head"]["vars"])
    bindings = result["results"]["bindings"]
    shown = bindings[:MAX_ROWS]
    iris = sorted({t["value"] for row in shown for t in row.values() if t["type"] == "uri"})
    labels = {iri: entry.label(lang) for iri, entry in index.entries(iris).items()}
    rows = tuple(tuple(_cell(row[v], labels, href) if v in row else None for v in variables) for row in shown)
    log.debug("named query %s: %d rows", query.name, len(bindings))
    return _with(view, Answer(variables=variables, rows=rows, total=len(bindings)))


def _with(view: QueryView, answer: Answer) -> QueryView:
    return replace(view, answer=answer)
