"""The answer to the obvious question about a resource, at the top of its page.

An organisation: its agreements (the other party and the date), its units, its people and their posts, its
sites. A person: posts, quotations, events, the agreements they signed. An agreement: its parties, who signed
and when. The full description below still holds every fact; this is the short list a reader asks for first,
one SELECT per line of the summary (asserted triples only, so nothing is listed twice under a super-property).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .. import vocab
from ..search.index import SearchIndex
from ..search.kinds import local_name
from ..store import GraphStore
from .describe import iri_ref

#: summary section -> (the kinds it is asked for, its SELECT; ``R`` stands for the resource). Variables: ``?item``
#: the thing listed, ``?with`` the other party or organisation, ``?role`` a post's role, ``?date``, ``?text``.
QUERIES: dict[str, tuple[tuple[str, ...], str]] = {
    "agreements": (("organisation",), """SELECT ?item ?date ?with WHERE {
  { ?item eco:hasParty ?p . ?p eco:partyOrganization R }
  UNION { ?item eco:hasSignature ?s . ?s eco:onBehalfOf R }
  OPTIONAL { ?item eco:date ?date }
  OPTIONAL { ?item eco:hasParty ?p2 . ?p2 eco:partyOrganization ?with FILTER(?with != R) }
}"""),
    "units": (("organisation",), """SELECT ?item WHERE {
  { ?item eco:unitOf R } UNION { ?item eco:subOrganizationOf R } UNION { ?item eco:blockOf R }
}"""),
    "people": (("organisation",), """SELECT ?item ?role ?date WHERE {
  ?post eco:postIn R ; eco:heldBy ?item . OPTIONAL { ?post eco:role ?role } OPTIONAL { ?post eco:asOf ?date }
}"""),
    "sites": (("organisation", "project", "event"), """SELECT ?item WHERE {
  { R eco:hasSite ?item } UNION { R eco:venue ?item }
}"""),
    "posts": (("person",), """SELECT ?item ?role ?date WHERE {
  ?post eco:heldBy R ; eco:postIn ?item . OPTIONAL { ?post eco:role ?role } OPTIONAL { ?post eco:asOf ?date }
}"""),
    "quotes": (("person",), """SELECT ?item ?text WHERE {
  ?item eco:spokenBy R . OPTIONAL { ?item eco:quoteText ?text }
}"""),
    "events": (("person", "organisation"), """SELECT ?item ?date ?role WHERE {
  { ?part eco:participationIn ?item ; eco:participant R . OPTIONAL { ?part eco:participantRole ?role } }
  UNION { ?part eco:participationIn ?item ; eco:representing R }
  UNION { ?item eco:hasParticipant R } UNION { ?item eco:hasSpeaker R } UNION { ?item eco:organizer R }
  OPTIONAL { ?item eco:date ?date }
}"""),
    "signed": (("person",), """SELECT ?item ?date ?with WHERE {
  ?item eco:hasSignature ?s . ?s eco:signatory R .
  OPTIONAL { ?s eco:date ?date } OPTIONAL { ?s eco:onBehalfOf ?with }
}"""),
    "parties": (("agreement",), """SELECT ?item WHERE { R eco:hasParty ?p . ?p eco:partyOrganization ?item }"""),
    "signatories": (("agreement",), """SELECT ?item ?date ?with ?role WHERE {
  R eco:hasSignature ?s . ?s eco:signatory ?item .
  OPTIONAL { ?s eco:date ?date } OPTIONAL { ?s eco:onBehalfOf ?with }
  OPTIONAL { ?s eco:inCapacityOf ?post . ?post eco:role ?role }
}"""),
}


@dataclass(frozen=True)
class Link:
    text: str
    href: str | None = None
    iri: str | None = None


@dataclass(frozen=True)
class Line:
    """One line of a summary section: the item, and what qualifies it (date, other party, role, quoted text)."""

    item: Link
    date: str | None = None
    with_: tuple[Link, ...] = ()
    role: Link | None = None
    text: str | None = None
    text_lang: str | None = None


@dataclass(frozen=True)
class Section:
    key: str
    lines: tuple[Line, ...]


def summary(store: GraphStore, index: SearchIndex, iri: str, *, lang: str, href: Callable[[str], str | None],
            timeout: float | None = None) -> tuple[Section, ...]:
    """The summary sections that have something to say about ``iri`` (none for kinds without a summary)."""
    entry = index.entries([iri]).get(iri)
    kind = entry.kind if entry else "other"
    prologue = vocab.sparql_prologue(store.base_iri)
    found: list[tuple[str, list[dict]]] = []
    for key, (kinds, text) in QUERIES.items():
        if kind not in kinds:
            continue
        sparql = prologue + re.sub(r"\bR\b", lambda _m: iri_ref(iri), text)
        rows = store.select(sparql, include_inferred=False, timeout=timeout)
        if rows:
            found.append((key, rows))
    iris = sorted({t["value"] for _, rows in found for row in rows for t in row.values() if t["type"] == "uri"})
    entries = index.entries(iris)

    def link(term: dict) -> Link:
        value = term["value"]
        if term["type"] != "uri":
            return Link(value)
        known = entries.get(value)
        return Link(known.label(lang) if known else local_name(value), href(value), value)

    sections = []
    for key, rows in found:
        lines: dict[str, Line] = {}
        for row in rows:
            item = row["item"]["value"]
            line = lines.get(item) or Line(link(row["item"]))
            others = line.with_ + tuple(link(row["with"]) for _ in (1,) if "with" in row
                                        and row["with"]["value"] not in {w.iri for w in line.with_})
            quoted: str | None = line.text
            quoted_lang: str | None = line.text_lang
            if "text" in row and (quoted is None or (quoted_lang != lang and row["text"].get("xml:lang") == lang)):
                quoted, quoted_lang = row["text"]["value"], row["text"].get("xml:lang")
            lines[item] = Line(line.item, date=line.date or (row["date"]["value"] if "date" in row else None),
                               with_=others, role=line.role or (link(row["role"]) if "role" in row else None),
                               text=quoted, text_lang=quoted_lang)
        ordered = sorted(lines.values(), key=lambda ln: (ln.date or "9999", ln.item.text.lower()))
        sections.append(Section(key, tuple(ordered)))
    return tuple(sections)
