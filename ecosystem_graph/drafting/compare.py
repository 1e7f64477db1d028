"""A draft measured against the curated file of the same source: recall and precision per kind of fact, and the
facts drafted from page furniture (there must be none). The benchmark and the floor test both use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..config import Settings
from ..sources.files import discover
from ..store import GraphStore, open_store
from ..vocab import RDFS, SKOS, ontology_ns
from .article import split
from .lemmas import key
from .model import Candidate, Draft
from .reconcile import Queryable, _select


@dataclass
class Curated:
    """The facts of one curated file, as comparable values."""

    orgs: dict[str, list[str]] = field(default_factory=dict)  # IRI -> label keys
    people: dict[str, list[str]] = field(default_factory=dict)
    posts: list[tuple[str, str]] = field(default_factory=list)  # (person IRI, organisation IRI)
    dates: set[Any] = field(default_factory=set)  # date, or (begin year, end year)
    quantities: set[Any] = field(default_factory=set)  # (value, unit) or count words
    agreements: list[set[str]] = field(default_factory=list)  # party organisation IRIs
    events: set[str] = field(default_factory=set)  # class local names

    @classmethod
    def read(cls, target: Queryable, graph: str, base_iri: str) -> Curated:
        eco = ontology_ns(base_iri)
        out = cls()

        def labels(kind: str) -> dict[str, list[str]]:
            rows = _select(target, f"SELECT ?s ?l WHERE {{ GRAPH <{graph}> {{ ?s a ?c }} ?c <{RDFS}subClassOf>* "
                                   f"<{eco}{kind}> . ?s <{RDFS}label>|<{SKOS}altLabel> ?l }}")
            found: dict[str, list[str]] = {}
            for r in rows:
                found.setdefault(r["s"]["value"], []).append(key(r["l"]["value"]))
            return found

        out.orgs, out.people = labels("Organization"), labels("Person")
        out.posts = [(r["p"]["value"], r["o"]["value"]) for r in _select(
            target, f"SELECT ?p ?o WHERE {{ GRAPH <{graph}> {{ ?x a <{eco}Post> ; <{eco}heldBy> ?p ; "
                    f"<{eco}postIn> ?o }} }}")]
        for r in _select(target, f"SELECT DISTINCT ?d WHERE {{ GRAPH <{graph}> {{ ?x <{eco}date> ?d }} }}"):
            out.dates.add(date.fromisoformat(r["d"]["value"]))
        for r in _select(target, f"SELECT ?b ?e WHERE {{ GRAPH <{graph}> {{ ?x a <{eco}Period> ; <{eco}beginYear> ?b "
                                 f"OPTIONAL {{ ?x <{eco}endYear> ?e }} }} }}"):
            out.dates.add((int(r["b"]["value"]), int(r["e"]["value"]) if "e" in r else None))
        for r in _select(target, f"SELECT ?v ?u WHERE {{ GRAPH <{graph}> {{ ?x <{eco}numericValue> ?v ; "
                                 f"<{eco}unit> ?u }} }}"):
            out.quantities.add((Decimal(r["v"]["value"]).normalize(), r["u"]["value"].rsplit("/", 1)[-1]))
        for r in _select(target, f"SELECT ?v WHERE {{ GRAPH <{graph}> {{ ?x <{eco}memberCount> ?v }} }}"):
            out.quantities.add((Decimal(r["v"]["value"]).normalize(), None))
        for r in _select(target, f"SELECT ?v WHERE {{ GRAPH <{graph}> {{ ?x <{eco}countText> ?v "
                                 "FILTER(lang(?v) = 'ru') } }"):
            out.quantities.add(r["v"]["value"])
        parties: dict[str, set[str]] = {}
        for r in _select(target, f"SELECT ?a ?o WHERE {{ GRAPH <{graph}> {{ ?a <{eco}hasParty> ?p . "
                                 f"?p <{eco}partyOrganization> ?o }} }}"):
            parties.setdefault(r["a"]["value"], set()).add(r["o"]["value"])
        out.agreements = list(parties.values())
        for r in _select(target, f"SELECT ?c WHERE {{ GRAPH <{graph}> {{ ?x a ?c }} "
                                 f"?c <{RDFS}subClassOf>* <{eco}Event> }}"):
            out.events.add(r["c"]["value"].rsplit("#", 1)[-1])
        return out


def _same(a: list[str], b: list[str]) -> bool:
    """Two names for one thing: the same lemmas, or all of one's (two or more) among the other's, with the same
    first word ("клиника травматология" for "клиника травматология ортопедия сеченовский университет"; not "город
    москва" for "комплекс градостроительный политика ... город москва")."""
    for x in a:
        for y in b:
            if x == y:
                return True
            wx, wy = set(x.split()), set(y.split())
            if len(wx & wy) >= 2 and (wx <= wy or wy <= wx) and x.split()[0] == y.split()[0]:
                return True
    return False


@dataclass
class Score:
    kind: str
    found: int  # curated facts the draft has
    curated: int
    right: int  # drafted facts that are curated ones
    drafted: int

    @property
    def recall(self) -> float:
        return self.found / self.curated if self.curated else 1.0

    @property
    def precision(self) -> float:
        return self.right / self.drafted if self.drafted else 1.0


@dataclass
class Comparison:
    scores: dict[str, Score]
    furniture_facts: list[str]

    @property
    def precision(self) -> float:
        right = sum(s.right for s in self.scores.values())
        drafted = sum(s.drafted for s in self.scores.values())
        return right / drafted if drafted else 1.0


def project_store(project_dir: Path, *, without: str | None = None) -> GraphStore:
    """The project's source files, minus ``without`` (a path relative to the project), in a memory store and
    ungated: the graph a draft of that file is measured against, as if the file had never been curated."""
    settings = Settings(project_dir=project_dir, backend="memory")
    store = open_store(settings)
    with store.new_generation() as generation:
        for found in discover(settings.source_paths, project_dir=project_dir, base_iri=settings.base_iri):
            if str(found.relative) != without:
                generation.load(None, found.media_type, path=str(found.path), graph=found.graph)
        generation.commit()
    return store


def compare(draft: Draft, curated: Curated) -> Comparison:
    def names(c: Candidate) -> list[str]:
        return [key(n) for n in [c.label, *getattr(c, "alt_labels", [])]]

    def org_matches(c: Candidate) -> set[str]:
        return {iri for iri, labels in curated.orgs.items()
                if (c.link and c.link.iri == iri) or _same(names(c), labels)}

    def person_matches(c: Candidate) -> set[str]:
        return {iri for iri, labels in curated.people.items() if key(c.label) in labels}

    scores: dict[str, Score] = {}
    o = {id(c): org_matches(c) for c in draft.organisations}
    found = set().union(*o.values()) if o else set()
    scores["organisations"] = Score("organisations", len(found), len(curated.orgs), sum(1 for v in o.values() if v),
                                    len(o))
    p = {id(c): person_matches(c) for c in draft.people}
    found = set().union(*p.values()) if p else set()
    scores["people"] = Score("people", len(found), len(curated.people), sum(1 for v in p.values() if v), len(p))
    hits = set()
    right = 0
    for post in draft.posts:
        assert post.person is not None and post.organisation is not None
        pairs = {(pi, oi) for pi in p.get(id(post.person), set()) for oi in o.get(id(post.organisation), set())}
        got = pairs & set(curated.posts)
        hits |= got
        right += bool(got)
    scores["posts"] = Score("posts", len(hits), len(set(curated.posts)), right, len(draft.posts))
    drafted_dates = [d.value if d.value else (d.year, d.year_end) for d in draft.dates]
    scores["dates"] = Score("dates", len(curated.dates & set(drafted_dates)), len(curated.dates),
                            sum(1 for d in drafted_dates if d in curated.dates), len(drafted_dates))
    drafted_q = [(q.value.normalize(), q.unit) if q.value is not None else q.words for q in draft.quantities]
    scores["quantities"] = Score("quantities", len(curated.quantities & set(drafted_q)), len(curated.quantities),
                                 sum(1 for q in drafted_q if q in curated.quantities), len(drafted_q))
    right_a = sum(1 for a in draft.agreements
                  if any(len({i for party in a.parties for i in o.get(id(party), set())} & c) >= 2
                         for c in curated.agreements))
    scores["agreements"] = Score("agreements", min(right_a, len(curated.agreements)), len(curated.agreements), right_a,
                                 len(draft.agreements))
    right_e = [e for e in draft.events if e.classes[0] in curated.events]
    scores["events"] = Score("events", len({e.classes[0] for e in right_e}), len(curated.events), len(right_e),
                             len(draft.events))
    article = split(draft.text)
    title = (article.title_start, article.title_start + len(article.title)) if article.title and \
        article.title_start is not None else (-1, -1)
    furniture = [f.id for f in draft.facts() for e in f.evidence
                 if not article.in_body(e.start, e.stop) and not (title[0] <= e.start and e.stop <= title[1])]
    return Comparison(scores, sorted(set(furniture)))
