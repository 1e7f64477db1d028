"""The drafting sequence: article -> sentences -> candidates -> reconciled, IRI-bearing draft (:func:`draft`)."""

from __future__ import annotations

import logging
import re
from datetime import date

from ..vocab import individual_iri, slugify
from . import entities as ents
from .agreements import agreements_and_events
from .article import split
from .grammar import find_dates, find_quantities
from .lemmas import key, lemma
from .model import DateFact, Draft, Evidence, Link, Organisation, Person, Post, Quantity, Source
from .nlp import Sentence, tools
from .posts import roles_before
from .reconcile import Catalogue

log = logging.getLogger(__name__)


class Mentions:
    """Organisations of the document, merged by lemmas, abbreviations and the graph's IRIs."""

    def __init__(self) -> None:
        self.orgs: list[Organisation] = []
        self.by_key: dict[str, Organisation] = {}
        self.at: dict[tuple[int, int], Organisation] = {}  # (sentence start, first token) -> organisation

    def add(self, m: ents.OrgMention, sentence: Sentence) -> Organisation | None:
        k = key(m.label)
        org = self.by_key.get(k)
        if org is None and m.generic:
            org = next((o for o in reversed(self.orgs) if o.head == m.head), None)  # "Технопарка": the one named
            if org is None:
                return None
        if org is None:
            conf = 0.9 if m.from_ner and m.named else 0.8 if m.named or m.from_ner else 0.65
            org = Organisation(id="", kind="organisation", label=m.label, classes=[m.cls], confidence=conf,
                               head=m.head)
            self.orgs.append(org)
            self.by_key[k] = org
        org.evidence.append(m.evidence)
        self.at[(sentence.start, m.first)] = org
        return org

    def merge_same_names(self) -> None:
        """ "Кластер «Зеленоград»" and "Инновационный территориальный кластер «Зеленоград»": one head, one name."""
        for org in list(self.orgs):
            quoted = re.findall(r"«([^»]*)»", org.label)
            if not quoted or org not in self.orgs:
                continue
            for other in self.orgs:
                if other is not org and other.head == org.head and quoted == re.findall(r"«([^»]*)»", other.label):
                    longer, shorter = (org, other) if len(org.label) >= len(other.label) else (other, org)
                    self.merge(shorter, into=longer)
                    break

    def resolve_abbreviations(self) -> None:
        """ "ММК", "ИТК «Зеленоград»", "КП «КРЗ»": merged into the organisation whose initials they are."""
        for org in list(self.orgs):
            abbr, quoted = _abbreviation(org.label)
            if not abbr:
                continue
            for full in self.orgs:
                if full is org or _abbreviation(full.label)[0]:
                    continue
                initials = ents.initials(re.sub(r"«[^»]*»", "", full.label))
                full_quoted = re.findall(r"«([^»]*)»", full.label)
                if (initials == abbr and not quoted) or (quoted and initials.startswith(abbr)
                                                         and quoted in full_quoted) \
                        or (quoted and ents.initials(full.label) == quoted):
                    self.merge(org, into=full)
                    break

    def merge(self, org: Organisation, *, into: Organisation) -> None:
        if org is into or org not in self.orgs:
            return
        into.evidence.extend(org.evidence)
        if org.label not in into.alt_labels and org.label != into.label:
            into.alt_labels.append(org.label)
        into.alt_labels.extend(a for a in org.alt_labels if a not in into.alt_labels and a != into.label)
        into.confidence = max(into.confidence, org.confidence)
        self.orgs.remove(org)
        for k, v in list(self.by_key.items()):
            if v is org:
                self.by_key[k] = into
        for at, v in list(self.at.items()):
            if v is org:
                self.at[at] = into


def _abbreviation(label: str) -> tuple[str, str]:
    """("ИТК", "Зеленоград") for "ИТК «Зеленоград»", ("", "КРЗ") for "КП «КРЗ»", ("ММК", "") for "ММК"."""
    words = re.sub(r"«[^»]*»", "", label).split()
    quoted = (re.findall(r"«([^»]*)»", label) or [""])[0]
    abbr = words[-1] if words and words[-1].isupper() and 2 <= len(words[-1]) <= 6 and len(words) == 1 else ""
    if quoted.isupper() and 2 <= len(quoted) <= 6:
        return ("", quoted) if not abbr else (abbr, quoted)
    return abbr, quoted if abbr else ""


def draft(text: str, *, file_name: str, catalogue: Catalogue, base_iri: str) -> Draft:
    """Draft the facts of one source text, reconciled against ``catalogue``."""
    nlp = tools()
    article = split(text)
    published = article.published.date() if article.published else None
    source = Source(file_name, article.title, article.kind, published,
                    article.published.isoformat() if article.published and article.has_time else None,
                    article.rubric)
    result = Draft(text, source, furniture=[f.text for f in article.furniture])
    sentences: list[Sentence] = []
    if article.title and article.title_start is not None:
        sentences += nlp.analyse(article.title, article.title_start)
    for paragraph in article.body:
        sentences += nlp.analyse(paragraph.text, paragraph.start)
    mentions = Mentions()
    people: dict[str, Person] = {}
    person_at: dict[tuple[int, int], Person] = {}
    for s in sentences:
        for m in sorted(ents.organisations(nlp, s), key=lambda m: (m.generic, m.first)):
            mentions.add(m, s)
        for pm in ents.people(nlp, s):
            pkey = key(f"{pm.given} {pm.family}")
            person = people.get(pkey)
            if person is None:
                person = Person(id="", kind="person", label=f"{pm.given} {pm.family}", classes=["Person"],
                                confidence=0.9, given=pm.given, family=pm.family)
                people[pkey] = person
            person.evidence.append(pm.evidence)
            person_at[(s.start, pm.first)] = person
    mentions.resolve_abbreviations()
    mentions.merge_same_names()
    if article.newsmaker:  # the page's tag names the article's organisation in full: an alternative label
        for org in mentions.orgs:
            if _same_name(org.label, article.newsmaker):
                org.alt_labels.append(article.newsmaker)
                break
    _reconcile_orgs(mentions, catalogue)
    result.organisations = mentions.orgs
    result.people = list(people.values())
    for person in result.people:
        links = catalogue.match(person.label, kind="person")
        _attach(person, links)
    result.posts = _posts(sentences, mentions, person_at, catalogue, published)
    result.dates = _dates(sentences, published)
    result.quantities = _quantities(sentences, mentions)
    result.agreements, result.events = agreements_and_events(sentences, mentions.orgs, mentions.at, person_at,
                                                             result.posts, result.dates, text)
    if article.advertiser:
        source.advertiser = next((o for o in mentions.orgs if article.advertiser.startswith(o.label)
                                  or o.label in article.advertiser
                                  or any(a in article.advertiser for a in o.alt_labels)), None)
    known = catalogue.by_file_name(file_name)
    if known is not None:
        source.link = Link(known.iri, known.label(), 1.0, True)
    _mint(result, base_iri, catalogue)
    return result


def _same_name(short: str, full: str) -> bool:
    """ "Первый МГМУ им. И.М. Сеченова" and "Первый Московский государственный медицинский университет имени
    И.М. Сеченова": the same proper name, and the abbreviation spells the full name's words."""
    a, b = key(short).split(), key(full).split()
    if not a or not b or a[-1] != b[-1]:
        return False
    abbr = next((w for w in short.split() if w.isupper() and len(w) > 2), "")
    return bool(abbr) and abbr in ents.initials(full)


def _attach(candidate: Organisation | Person, links: list[Link]) -> None:
    certain = [link for link in links if link.certain]
    if certain:
        candidate.link = certain[0]
        candidate.confidence = max(candidate.confidence, certain[0].score)
    candidate.alternatives = [link for link in links if not link.certain]


def _reconcile_orgs(mentions: Mentions, catalogue: Catalogue) -> None:
    by_iri: dict[str, Organisation] = {}
    for org in list(mentions.orgs):
        links: list[Link] = []
        for label in [org.label, *org.alt_labels]:
            links += catalogue.match(label, kind="organisation")
        links.sort(key=lambda link: -link.score)
        _attach(org, list({link.iri: link for link in reversed(links)}.values())[::-1])  # best link per IRI
        if org.link is not None:
            if org.link.iri in by_iri:
                mentions.merge(org, into=by_iri[org.link.iri])
                continue
            by_iri[org.link.iri] = org
        elif re.search(r"[A-Za-z]{4,}", org.label):
            org.associated = catalogue.related(org.label)


def _posts(sentences: list[Sentence], mentions: Mentions, person_at: dict[tuple[int, int], Person],
           catalogue: Catalogue, published: date | None) -> list[Post]:
    nlp = tools()
    posts: dict[tuple[int, int, str], Post] = {}
    for s in sentences:
        floor = 0
        starts = sorted(first for (start, first) in person_at if start == s.start)
        for first in starts:
            person = person_at[(s.start, first)]
            span = next(sp for sp in s.spans if sp.first == first)
            org_starts = {f for (st, f) in mentions.at if st == s.start}
            for role in roles_before(nlp, s, first, floor, org_starts):
                org = None
                if role.org_first is not None:
                    org = next((o for (st, f), o in mentions.at.items() if st == s.start
                                and f in (role.org_first, role.org_first + 1)), None)
                confidence = 0.8
                if org is None:  # "Со стороны X ... подписано <title> <name>": X; else the last named before
                    side = next((i for i, t in enumerate(s.tokens) if lemma(t.text) == "сторона"), None)
                    before = sorted((f, o) for (st, f), o in mentions.at.items() if st == s.start and f < role.first
                                    and (side is None or f > side))
                    org = before[0][1] if before and side is not None else before[-1][1] if before else None
                    confidence = 0.55
                if org is None:
                    continue
                pk = (id(person), id(org), key(role.label))
                if pk in posts:
                    posts[pk].evidence.append(Evidence(s.text, s.tokens[role.first].start, s.tokens[span.last].stop))
                    continue
                links = catalogue.match(role.label, kind="role")
                post = Post(id="", kind="post", label=f"{role.label[:1].upper()}{role.label[1:]} ({person.label})",
                            classes=["Post"], confidence=confidence, person=person, organisation=org,
                            role_label=role.label, role=links[0] if links and links[0].score >= 0.95 else None,
                            as_of=published)
                post.evidence.append(Evidence(s.text, s.tokens[role.first].start, s.tokens[span.last].stop))
                posts[pk] = post
            floor = span.last + 1
    return list(posts.values())


def _dates(sentences: list[Sentence], published: date | None) -> list[DateFact]:
    out: list[DateFact] = []
    for s in sentences:
        for m in find_dates(s.text):
            ev = Evidence(s.text, s.start + m.start, s.start + m.stop)
            if m.year_end is not None:
                out.append(DateFact(id="", kind="period", label=f"{m.year}–{m.year_end}", classes=["Period"],
                                    confidence=0.85, evidence=[ev], year=m.year, year_end=m.year_end))
                continue
            year, inferred = m.year, False
            if year is None:
                if published is None or m.month is None or m.day is None:
                    continue
                year, inferred = published.year, True
                if (m.month, m.day) > (published.month, published.day):
                    year -= 1  # "8 февраля" in a text of 28.02: this year; "24 ноября" in it: last year
            if m.month is None or m.day is None:
                continue
            try:
                value = date(year, m.month, m.day)
            except ValueError:
                continue
            out.append(DateFact(id="", kind="date", label=value.isoformat(), classes=[], confidence=0.7 if inferred
                                else 0.9, evidence=[ev], value=value, year_inferred=inferred))
    return out


def _quantities(sentences: list[Sentence], mentions: Mentions) -> list[Quantity]:
    out: list[Quantity] = []
    for s in sentences:
        orgs = sorted((f, o) for (st, f), o in mentions.at.items() if st == s.start)
        for m in find_quantities(s.text):
            ev = Evidence(s.text, s.start + m.start, s.start + m.stop)
            if m.unit is None:
                if not orgs:
                    continue
                q = Quantity(id="", kind="membership-count", label=m.text, classes=["MembershipCount"],
                             confidence=0.75 if m.value is not None else 0.6, evidence=[ev], value=m.value,
                             member_kind=m.member_kind, words=m.words, count_of=orgs[0][1])
            else:
                q = Quantity(id="", kind="quantity", label=m.text, classes=["Quantity"], confidence=0.9,
                             evidence=[ev], value=m.value, unit=m.unit)
                if m.unit not in ("HA", "M2"):
                    q.notes.append(f"unit {m.unit} is not declared in the ontology: add it before accepting")
            out.append(q)
    return out


_PATHS = {"organisation": "organization", "person": "person", "post": "post", "agreement": "agreement",
          "event": "event", "period": "period", "quantity": "quantity", "membership-count": "membership-count",
          "date": "date"}


def _mint(result: Draft, base_iri: str, catalogue: Catalogue) -> None:
    """Short review handles and IRIs: the graph's own when reconciled, else new ones that clash with nothing."""
    taken = set(catalogue.entities)
    counters: dict[str, int] = {}
    prefix = {"organisation": "o", "person": "p", "post": "post", "date": "d", "period": "d", "quantity": "q",
              "membership-count": "q", "agreement": "a", "event": "e"}
    for fact in result.facts():
        n = counters[prefix[fact.kind]] = counters.get(prefix[fact.kind], 0) + 1
        fact.id = f"{prefix[fact.kind]}{n}"
        if fact.link is not None:
            fact.iri = fact.link.iri
            continue
        if fact.kind == "date":
            continue
        iri = individual_iri(base_iri, _PATHS[fact.kind], slugify(fact.label)[:80])
        i = 2
        while iri in taken:
            iri = individual_iri(base_iri, _PATHS[fact.kind], f"{slugify(fact.label)[:80]}-{i}")
            i += 1
        taken.add(iri)
        fact.iri = iri
    known = result.source.link
    result.source.iri = known.iri if known else individual_iri(base_iri, "source", slugify(
        result.source.title or result.source.file_name)[:80])
