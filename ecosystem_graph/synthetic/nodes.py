"""Writers for the node patterns of the curated data (facts with labels, source and evidence; organisations,
people and their posts, statuses, quantities, agreements with parties and signatures) as N-Triples blocks."""

from __future__ import annotations

from dataclasses import dataclass, field
from random import Random

from .names import FAMILY, GIVEN, TOWNS
from .terms import Block, Predicates, en, ru, typed

Concept = tuple[str, str, str]  # (N-Triples IRI, Russian label, English label)
Node = tuple[str, str, str]  # (N-Triples IRI, Russian label, English label)


@dataclass
class Context:
    """What every region shares: the base IRI, predicates and the controlled vocabularies."""

    base_iri: str
    p: Predicates
    fields: list[Concept]
    roles: list[Concept]
    statuses: dict[str, Concept]  # planned, under-construction, in-development, operating
    speaker: str
    company_kind: str
    news_kind: str
    advertising_kind: str
    samples: dict[str, str] = field(default_factory=dict)

    def id(self, kind: str, slug: str) -> str:
        return f"<{self.base_iri}id/{kind}/{slug}>"


def region_codes(number: int) -> tuple[str, str]:
    """The Russian and English code of region ``number`` (a town name and the number: unique at any scale)."""
    town_ru, town_en = TOWNS[number % len(TOWNS)]
    return f"{town_ru}-{number}", f"{town_en}-{number}"


class NodeWriter:
    """Writes nodes of one region; subclasses decide which."""

    news: str

    def __init__(self, ctx: Context, number: int, rng: Random):
        self.ctx, self.p, self.r, self.rng = ctx, ctx.p, number, rng
        self.ru_code, self.en_code = region_codes(number)
        self.year = 2015 + number % 10
        self.people = 0

    def slug(self, name: str) -> str:
        return f"syn-{self.r}-{name}"

    def date(self, month: int | None = None) -> str:
        month = month or self.rng.randint(1, 12)
        return typed(f"{self.year}-{month:02d}-{self.rng.randint(1, 28):02d}", "date")

    def fact(self, b: Block, node: str, types: tuple[str, ...], label_ru: str, label_en: str, evidence: str,
             source: str | None = None) -> None:
        p = self.p
        for name in types:
            b.add(node, p.a, p.cls[name])
        b.add(node, p.label, ru(label_ru))
        b.add(node, p.label, en(label_en))
        b.add(node, p.source, source or self.news)
        b.add(node, p.evidence, ru(evidence))

    def org(self, b: Block, name: str, types: tuple[str, ...], label_ru: str, label_en: str, evidence: str,
            source: str | None = None) -> Node:
        node = self.ctx.id("organization", self.slug(name))
        self.fact(b, node, types, label_ru, label_en, evidence, source)
        return node, label_ru, label_en

    def status(self, b: Block, thing: Node, name: str, key: str, *, as_of: bool = False,
               period: str | None = None) -> None:
        concept, status_ru, status_en = self.ctx.statuses[key]
        node = self.ctx.id("status", self.slug(f"{name}-{key}"))
        self.fact(b, node, ("StatusAssertion",), f"{thing[1]}: {status_ru}", f"{thing[2]}: {status_en}",
                  f"Статус объекта {thing[1]}: {status_ru}.")
        b.add(node, self.p.status, concept)
        if as_of:
            b.add(node, self.p.asOf, self.date())
        if period:
            b.add(node, self.p.period, period)
        b.add(thing[0], self.p.hasStatus, node)

    def quantity(self, b: Block, name: str, value: float, square_metres: bool) -> str:
        node = self.ctx.id("quantity", self.slug(name))
        text = f"{value:.1f}"
        unit_ru, unit_en = ("м²", "m²") if square_metres else ("га", "ha")
        self.fact(b, node, ("Quantity",), f"{text.replace('.', ',')} {unit_ru}", f"{text} {unit_en}",
                  f"Площадь составляет {text.replace('.', ',')} {unit_ru}.")
        b.add(node, self.p.numericValue, typed(text, "decimal"))
        b.add(node, self.p.unit, self.p.square_metre if square_metres else self.p.hectare)
        return node

    def person(self, b: Block, where: Node) -> Node:
        given_ru, given_en, female = GIVEN[self.rng.randrange(len(GIVEN))]
        family = FAMILY[self.rng.randrange(len(FAMILY))]
        family_ru, family_en = (family[1], family[3]) if female else (family[0], family[2])
        self.people += 1
        number = f"{self.r}-{self.people}"
        node = self.ctx.id("person", self.slug(f"person-{self.people}"))
        label_ru, label_en = f"{given_ru} {family_ru} ({number})", f"{given_en} {family_en} ({number})"
        self.fact(b, node, ("Person",), label_ru, label_en, f"{label_ru} представляет организацию {where[1]}.")
        b.add(node, self.p.givenName, ru(given_ru))
        b.add(node, self.p.givenName, en(given_en))
        b.add(node, self.p.familyName, ru(family_ru))
        b.add(node, self.p.familyName, en(family_en))
        return node, label_ru, label_en

    def post(self, b: Block, person: Node, org: Node, role: Concept | None = None) -> str:
        role = role or self.ctx.roles[self.rng.randrange(len(self.ctx.roles))]
        node = self.ctx.id("post", f"{person[0][1:-1].rsplit('/', 1)[1]}-{org[0][1:-1].rsplit('/', 1)[1]}")
        self.fact(b, node, ("Post",), f"{role[1]}: {org[1]} ({person[1]})", f"{role[2]}, {org[2]} ({person[2]})",
                  f"{person[1]} занимает должность «{role[1]}» в организации {org[1]}.")
        b.add(node, self.p.heldBy, person[0])
        b.add(node, self.p.postIn, org[0])
        b.add(node, self.p.role, role[0])
        b.add(node, self.p.asOf, self.date())
        return node

    def fields(self, count: int) -> list[Concept]:
        return self.rng.sample(self.ctx.fields, count)

    def agreement(self, b: Block, name: str, first: tuple[Node, Node, str], second: tuple[Node, Node, str]) -> Node:
        """A cooperation agreement with its two parties and one signature per party (n-ary nodes)."""
        p, ctx = self.p, self.ctx
        node = ctx.id("agreement", self.slug(name))
        label = f"Соглашение о сотрудничестве: {first[0][1]} и {second[0][1]}", \
            f"Cooperation agreement: {first[0][2]} and {second[0][2]}"
        self.fact(b, node, ("CooperationAgreement",), *label, f"Подписано {label[0].lower()}.")
        date = self.date()
        b.add(node, p.date, date)
        b.many(node, p.hasField, [f[0] for f in self.fields(2)])
        b.add(node, p.description, ru("Соглашение определяет принципы сотрудничества сторон."))
        b.add(node, p.description, en("The agreement sets out the principles of cooperation of the parties."))
        b.add(node, p.goal, ru("реализация совместных научно-исследовательских работ"))
        b.add(node, p.goal, en("to carry out joint research work"))
        for k, (org, person, post) in enumerate((first, second), start=1):
            party = ctx.id("party", self.slug(f"{name}-{k}"))
            self.fact(b, party, ("AgreementParty",), f"Сторона соглашения: {org[1]}", f"Agreement party: {org[2]}",
                      f"Соглашение подписала сторона {org[1]}.")
            b.add(party, p.partyOrganization, org[0])
            b.add(node, p.hasParty, party)
            signature = ctx.id("signature", self.slug(f"{name}-{k}"))
            self.fact(b, signature, ("Signature",), f"Подпись: {person[1]} от имени {org[1]}",
                      f"Signature of {person[2]} for {org[2]}", f"Соглашение подписал {person[1]}.")
            b.add(signature, p.signatory, person[0])
            b.add(signature, p.onBehalfOf, org[0])
            b.add(signature, p.inCapacityOf, post)
            b.add(signature, p.date, date)
            b.add(node, p.hasSignature, signature)
        return node, *label
