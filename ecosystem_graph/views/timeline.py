"""The ecosystem in time: dated events and agreements, publications of the sources, and planned periods.

Read from the ontology's own properties (see ``ontology/ecosystem.ttl``): ``eco:date`` on events and
agreements; ``dcterms:issued`` on source documents; a status assertion (``eco:hasStatus``) with an
``eco:period`` whose ``eco:beginYear``/``eco:endYear`` bound it (the industrial park "under construction
2017–2020"); and an event without a date of its own that is ``eco:partOfEvent`` a dated one takes that date.
Kinds and labels come from the search index. Items are sorted by start, then end, then kind
(an event before the agreement signed at it).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ..search.index import Entry, SearchIndex
from ..search.kinds import local_name, select
from ..store import GraphStore
from ..vocab import DCT, ontology_ns

_QUERY = """SELECT ?item ?date ?begin ?end ?thing ?status ?parent WHERE {{
  {{ ?item eco:date ?date . }}
  UNION {{ ?item <{dct}issued> ?date . }}
  UNION {{ ?item eco:period ?period .
          OPTIONAL {{ ?period eco:beginYear ?begin }} OPTIONAL {{ ?period eco:endYear ?end }}
          OPTIONAL {{ ?thing eco:hasStatus ?item }} OPTIONAL {{ ?item eco:status ?status }}
          FILTER(BOUND(?begin) || BOUND(?end)) }}
  UNION {{ ?item eco:partOfEvent ?parent . ?parent eco:date ?date . FILTER NOT EXISTS {{ ?item eco:date ?own }} }}
}}"""

#: kinds shown with their own date (others, such as signatures, repeat what these show), in the order of a day.
DATED_KINDS = ("event", "agreement", "source")
_ORDER = {"period": 0, "event": 1, "agreement": 2, "source": 3}


@dataclass(frozen=True)
class Item:
    iri: str
    kind: str  # event, agreement, source (a publication) or period
    label: str
    start: str  # ISO date (a year's 1 January for a period)
    end: str  # ISO date (a year's 31 December for a period)
    precision: str  # "day" or "year"
    class_label: str | None = None
    subject: str | None = None  # the thing a period is about (a status assertion's subject)
    subject_label: str | None = None
    status: str | None = None  # the status during a period
    part_of: str | None = None  # the dated event an undated one is part of
    part_of_label: str | None = None


def _year(value: str | None) -> str | None:
    if not value:
        return None
    digits = value.strip()[:4]
    return digits if digits.isdigit() else None


def _labelled(entries: dict[str, Entry], iri: str | None, lang: str) -> str | None:
    if iri is None:
        return None
    entry = entries.get(iri)
    return entry.label(lang) if entry else local_name(iri)


def timeline(store: GraphStore, index: SearchIndex, *, lang: str = "ru") -> list[Item]:
    """Every dated event, agreement and publication, and every period, sorted."""
    prologue = f"PREFIX eco: <{ontology_ns(store.base_iri)}>\n"
    rows = select(store, prologue + _QUERY.format(dct=DCT), include_inferred=False)
    value = lambda row, key: row[key]["value"] if key in row else None  # noqa: E731
    iris = {value(r, k) for r in rows for k in ("item", "thing", "status", "parent")} - {None}
    entries = index.entries(sorted(iris))
    items: dict[tuple[str, str], Item] = {}
    for row in rows:
        iri, date = value(row, "item"), value(row, "date")
        entry = entries.get(iri)
        kind = entry.kind if entry else "other"
        common = {"iri": iri, "label": _labelled(entries, iri, lang),
                  "class_label": entry.class_label(lang) if entry else None}
        if date is not None:
            if kind not in DATED_KINDS:
                continue
            day = date[:10]
            parent = value(row, "parent")
            items[(iri, "day")] = Item(**common, kind=kind, start=day, end=day, precision="day", part_of=parent,
                                       part_of_label=_labelled(entries, parent, lang))
            continue
        begin, end = _year(value(row, "begin")), _year(value(row, "end"))
        thing = value(row, "thing")
        items[(iri, "year")] = Item(
            **{**common, "label": _labelled(entries, thing, lang) or common["label"]},
            kind="period", start=f"{begin or end}-01-01", end=f"{end or begin}-12-31", precision="year",
            subject=thing, subject_label=_labelled(entries, thing, lang),
            status=_labelled(entries, value(row, "status"), lang),
        )
    return sorted(items.values(), key=lambda i: (i.start, i.end, _ORDER.get(i.kind, 9), i.part_of is not None, i.label))


def as_data(items: list[Item]) -> dict[str, Any]:
    """JSON-ready: the items and the span they cover."""
    return {
        "items": [asdict(i) for i in items],
        "start": min((i.start for i in items), default=None),
        "end": max((i.end for i in items), default=None),
    }
