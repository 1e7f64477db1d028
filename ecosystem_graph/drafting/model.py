"""What a draft holds: candidate facts, each with the verbatim sentence it comes from and a confidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(eq=False)
class Evidence:
    sentence: str  # verbatim, as in the source file
    start: int  # offset of the mention in the source file
    stop: int

    def mention(self, text: str) -> str:
        return text[self.start:self.stop]


@dataclass(eq=False)
class Link:
    """The graph's answer for a candidate: an existing IRI, how sure, and the label that matched."""

    iri: str
    label: str
    score: float
    certain: bool


@dataclass(eq=False)
class Candidate:
    """One drafted node: its own IRI (minted or reconciled), class, labels, evidence and confidence."""

    id: str  # short handle for review: o1, p2, post3 ...
    kind: str
    label: str
    classes: list[str]
    confidence: float
    evidence: list[Evidence] = field(default_factory=list)
    alt_labels: list[str] = field(default_factory=list)
    link: Link | None = None
    alternatives: list[Link] = field(default_factory=list)  # uncertain matches, for the curator
    iri: str = ""
    notes: list[str] = field(default_factory=list)  # what the curator should check

    @property
    def sentences(self) -> list[str]:
        seen: list[str] = []
        for e in self.evidence:
            if e.sentence not in seen:
                seen.append(e.sentence)
        return seen


@dataclass(eq=False)
class Organisation(Candidate):
    head: str = ""  # lemma of the head noun: кластер, университет ...
    associated: Link | None = None  # an existing organisation the name points to (SechenovTech -> Sechenov)


@dataclass(eq=False)
class Person(Candidate):
    given: str = ""
    family: str = ""


@dataclass(eq=False)
class Post(Candidate):
    person: Person | None = None
    organisation: Organisation | None = None
    role_label: str = ""
    role: Link | None = None
    as_of: date | None = None
    as_of_inferred: bool = True


@dataclass(eq=False)
class DateFact(Candidate):
    value: date | None = None
    year: int | None = None
    year_end: int | None = None
    year_inferred: bool = False


@dataclass(eq=False)
class Quantity(Candidate):
    value: Decimal | None = None
    unit: str | None = None  # QUDT local name; None for a count of members
    member_kind: str | None = None
    words: str | None = None
    count_of: Organisation | None = None


@dataclass(eq=False)
class Event(Candidate):
    when: DateFact | None = None
    organisations: list[Organisation] = field(default_factory=list)
    agreement: Agreement | None = None


@dataclass(eq=False)
class Signature:
    person: Person
    on_behalf_of: Organisation
    post: Post | None
    evidence: Evidence


@dataclass(eq=False)
class Agreement(Candidate):
    parties: list[Organisation] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)
    when: DateFact | None = None


@dataclass(eq=False)
class Source:
    file_name: str
    title: str | None
    kind: str  # news-article | advertising
    published: date | None
    published_at: str | None  # xsd:dateTime lexical form when the page gives a time
    rubric: str | None
    advertiser: Organisation | None = None
    link: Link | None = None  # the source document already in the graph (same file name)
    iri: str = ""


@dataclass(eq=False)
class Draft:
    text: str
    source: Source
    organisations: list[Organisation] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    dates: list[DateFact] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    furniture: list[str] = field(default_factory=list)

    def facts(self) -> list[Candidate]:
        """Every drafted fact, in the order the review shows them."""
        return [*self.organisations, *self.people, *self.posts, *self.dates, *self.quantities, *self.agreements,
                *self.events]
