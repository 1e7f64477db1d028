"""Write a draft as Turtle in the project's own model, one block per candidate, readable by a curator.

Draft markers are the ``draft:`` terms (``https://w3id.org/ecosystem-graph/draft#``): the review handle, the
confidence, uncertain matches, what to check. Every marker sits on a line of its own that starts with ``draft:``
(or is a block whose subject only carries markers), so that :mod:`.accept` removes them line by line; what remains
is a curated file for the SHACL gate. A candidate reconciled to an existing IRI is not described again: its block
carries markers only (the mention and the sentence), and the facts point at the existing IRI.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from ..vocab import individual_iri, ontology_ns, slugify
from .model import Agreement, Candidate, Draft, Event, Organisation, Person, Post, Quantity

#: classes whose instances need the organisation they are a unit of, which a name alone does not tell
UNIT_CLASSES = {"AcademicDepartment", "OrganizationalUnit", "StructuralBlock"}
DRAFT_NS = "https://w3id.org/ecosystem-graph/draft#"
_PREFIXES = {"eco": None, "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
             "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "xsd": "http://www.w3.org/2001/XMLSchema#",
             "skos": "http://www.w3.org/2004/02/skos/core#", "dcterms": "http://purl.org/dc/terms/",
             "owl": "http://www.w3.org/2002/07/owl#", "unit": "http://qudt.org/vocab/unit/", "draft": DRAFT_NS}


def lit(text: str, lang: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"' + (f"@{lang}" if lang else "")


def latin(text: str) -> str:
    """The Russian label transliterated: a placeholder English label, marked for the curator to translate."""
    return slugify(text, keep_case=True).replace("-", " ").strip() or text


class Block:
    """One node: its subject, then ``predicate objects`` lines; markers are kept apart and written last."""

    def __init__(self, subject: str, comment: str = ""):
        self.subject = subject
        self.comment = comment
        self.lines: list[tuple[str, list[str]]] = []
        self.markers: list[tuple[str, list[str]]] = []

    def add(self, predicate: str, *objects: str) -> Block:
        if objects:
            (self.markers if predicate.startswith("draft:") else self.lines).append((predicate, list(objects)))
        return self

    def render(self) -> str:
        out = [f"# {self.comment}"] if self.comment else []
        every = self.lines + self.markers
        if not every:
            return ""
        out.append(f"<{self.subject}>")
        for n, (predicate, objects) in enumerate(every):
            end = " ." if n == len(every) - 1 else " ;"
            out.append(f"    {predicate} {' , '.join(objects)}{end}")
        return "\n".join(out)


def _common(block: Block, fact: Candidate, source: str) -> None:
    block.add("eco:source", f"<{source}>")
    block.add("eco:evidence", *(lit(s, "ru") for s in fact.sentences))
    _markers(block, fact)


def _markers(block: Block, fact: Candidate) -> None:
    block.add("draft:id", lit(fact.id))
    block.add("draft:confidence", f'"{fact.confidence:.2f}"^^xsd:decimal')
    block.add("draft:alternative", *(f"<{a.iri}>" for a in fact.alternatives))
    block.add("draft:check", *(lit(n, "en") for n in fact.notes))


def _labels(block: Block, ru: str) -> None:
    block.add("rdfs:label", lit(ru, "ru"), lit(latin(ru), "en"))
    block.add("draft:check", lit("the English label is a transliteration: translate it", "en"))


def _inferred(block: Block, prop: str, ru: str, en: str) -> None:
    block.add("eco:inferredProperty", prop)
    block.add("eco:inferenceNote", lit(ru, "ru"), lit(en, "en"))


def _d(value: date) -> str:
    return f'"{value.isoformat()}"^^xsd:date'


def blocks(draft: Draft, base_iri: str) -> Iterator[Block]:
    eco = ontology_ns(base_iri)
    src = draft.source
    concept = f"{base_iri}id/concept/"
    if src.link is None:
        b = Block(src.iri, f"the source document {src.file_name}")
        b.add("a", "eco:Advertisement" if src.kind == "advertising" else "eco:NewsArticle")
        title = src.title or f"[{src.file_name}]"
        _labels(b, title)
        b.add("dcterms:title", lit(title, "ru"))
        b.add("dcterms:language", lit("ru"))
        if src.published:
            b.add("dcterms:issued", _d(src.published))
        if src.published_at:
            b.add("eco:publicationDateTime", f'"{src.published_at}"^^xsd:dateTime')
        if src.rubric:
            b.add("eco:rubric", lit(src.rubric, "ru"))
        b.add("eco:sourceKind", f"<{concept}source-kind-{src.kind.replace('-article', '-article')}>")
        b.add("eco:fileName", lit(src.file_name))
        if src.advertiser is not None:
            b.add("eco:advertiser", f"<{src.advertiser.iri}>")
        yield b
    for org in draft.organisations:
        yield _organisation(org, src.iri, eco)
    for person in draft.people:
        yield _person(person, src.iri)
    roles: dict[str, Block] = {}
    for post in draft.posts:
        yield from _post(post, src.iri, concept, roles, base_iri)
    yield from roles.values()
    for d in draft.dates:
        if d.kind == "period" and d.year is not None:
            b = Block(d.iri, f"{d.id}: period {d.label}")
            b.add("a", "eco:Period")
            b.add("rdfs:label", lit(d.label, "ru"), lit(d.label, "en"))
            b.add("eco:beginYear", f'"{d.year}"^^xsd:gYear')
            if d.year_end:
                b.add("eco:endYear", f'"{d.year_end}"^^xsd:gYear')
            _common(b, d, src.iri)
            yield b
    for q in draft.quantities:
        yield _quantity(q, src.iri, concept, draft)
    for agreement in draft.agreements:
        yield from _agreement(agreement, src.iri, base_iri)
    for event in draft.events:
        yield _event(event, src.iri)
    del eco


def _organisation(org: Organisation, source: str, eco: str) -> Block:
    if org.link is not None:
        b = Block(org.iri, f"{org.id}: «{org.label}» is already in the graph (matched «{org.link.label}», "
                           f"score {org.link.score:.2f}); only the mention is recorded")
        b.add("draft:mention", lit(org.label, "ru"), *(lit(a, "ru") for a in org.alt_labels))
        b.add("draft:evidence", *(lit(s, "ru") for s in org.sentences))
        _markers(b, org)
        return b
    b = Block(org.iri, f"{org.id}: organisation, kind guessed from the name ({org.classes[0]})")
    classes = [c for c in org.classes if c not in UNIT_CLASSES] or ["Organization"]
    b.add("a", *(f"eco:{c}" for c in classes))
    if classes != org.classes:
        b.add("draft:check", lit(f"looks like a unit ({', '.join(org.classes)}): add eco:unitOf its parent and the "
                                 "class", "en"))
    _labels(b, org.label)
    b.add("skos:altLabel", *(lit(a, "ru") for a in org.alt_labels))
    if org.associated is not None:
        b.add("eco:associatedWith", f"<{org.associated.iri}>")
        _inferred(b, "eco:associatedWith", f"Связь выведена из названия («{org.label}» построено на «"
                  f"{org.associated.label}»); текст её прямо не называет.",
                  f"The link is inferred from the name ('{latin(org.label)}' is built on '{org.associated.label}'); "
                  "the text does not state it.")
    _common(b, org, source)
    return b


def _person(person: Person, source: str) -> Block:
    if person.link is not None:
        b = Block(person.iri, f"{person.id}: {person.label} is already in the graph")
        b.add("draft:mention", lit(person.label, "ru"))
        b.add("draft:evidence", *(lit(s, "ru") for s in person.sentences))
        _markers(b, person)
        return b
    b = Block(person.iri, f"{person.id}: person")
    b.add("a", "eco:Person")
    b.add("rdfs:label", lit(person.label, "ru"), lit(latin(person.label), "en"))
    b.add("eco:givenName", lit(person.given, "ru"), lit(latin(person.given), "en"))
    b.add("eco:familyName", lit(person.family, "ru"), lit(latin(person.family), "en"))
    _common(b, person, source)
    return b


def _post(post: Post, source: str, concept: str, roles: dict[str, Block], base_iri: str) -> Iterator[Block]:
    assert post.person is not None and post.organisation is not None
    if post.role is not None:
        role_iri = post.role.iri
    else:
        role_iri = f"{concept}role-{slugify(post.role_label)[:60]}"
        if role_iri not in roles:
            r = Block(role_iri, f"a new role title from {post.id}")
            r.add("a", "eco:Role", "skos:Concept")
            r.add("skos:inScheme", f"<{base_iri}id/concept-scheme/roles>")
            r.add("rdfs:label", lit(post.role_label, "ru"), lit(latin(post.role_label), "en"))
            r.add("skos:prefLabel", lit(post.role_label, "ru"), lit(latin(post.role_label), "en"))
            r.add("draft:check", lit("a new role title: translate it, or use an existing one", "en"))
            roles[role_iri] = r
    b = Block(post.iri, f"{post.id}: post")
    b.add("a", "eco:Post")
    _labels(b, post.label)
    b.add("eco:heldBy", f"<{post.person.iri}>")
    b.add("eco:postIn", f"<{post.organisation.iri}>")
    b.add("eco:role", f"<{role_iri}>")
    if post.as_of is not None:
        b.add("eco:asOf", _d(post.as_of))
        if post.as_of_inferred:
            _inferred(b, "eco:asOf", "Дата «по состоянию на» — дата публикации: текст называет должность, не "
                      "указывая, когда.", "The as-of date is the publication date: the text names the post "
                      "without saying when.")
    _common(b, post, source)
    yield b


def _quantity(q: Quantity, source: str, concept: str, draft: Draft) -> Block:
    if q.kind == "membership-count":
        assert q.count_of is not None
        b = Block(q.iri, f"{q.id}: count of members")
        b.add("a", "eco:MembershipCount")
        _labels(b, f"{q.count_of.label}: {q.label}")
        b.add("eco:countOf", f"<{q.count_of.iri}>")
        if q.value is not None:
            b.add("eco:memberCount", str(int(q.value)))
        else:
            from .grammar import VAGUE_COUNTS

            b.add("eco:countText", lit(q.words or q.label, "ru"), lit(VAGUE_COUNTS.get(q.words or "", q.label), "en"))
        if q.member_kind == "company":
            b.add("eco:memberKind", f"<{concept}member-kind-company>")
        if draft.source.published:
            b.add("eco:asOf", _d(draft.source.published))
            _inferred(b, "eco:asOf", "Дата «по состоянию на» — дата публикации.", "The as-of date is the "
                      "publication date.")
    else:
        b = Block(q.iri, f"{q.id}: quantity")
        b.add("a", "eco:Quantity")
        symbol = {"HA": ("га", "ha"), "M2": ("м²", "m²")}.get(q.unit or "", (q.unit or "", q.unit or ""))
        plain = f"{q.value:f}"
        value = plain.rstrip("0").rstrip(".") if "." in plain else plain
        b.add("rdfs:label", lit(f"{value.replace('.', ',')} {symbol[0]}", "ru"), lit(f"{value} {symbol[1]}", "en"))
        b.add("eco:numericValue", f'"{value}"^^xsd:decimal')
        b.add("eco:unit", f"unit:{q.unit}")
    _common(b, q, source)
    return b


def _agreement(a: Agreement, source: str, base_iri: str) -> Iterator[Block]:
    b = Block(a.iri, f"{a.id}: agreement")
    b.add("a", *(f"eco:{c}" for c in a.classes))
    _labels(b, a.label)
    if a.when is not None and a.when.value is not None:
        b.add("eco:date", _d(a.when.value))
    parties = []
    for org in a.parties:
        p = Block(individual_iri(base_iri, "party", f"{slugify(a.label)[:40]}-{slugify(org.label)[:40]}"),
                  f"party to {a.id}")
        p.add("a", "eco:AgreementParty")
        _labels(p, f"Сторона соглашения: {org.label}")
        p.add("eco:partyOrganization", f"<{org.iri}>")
        p.add("eco:source", f"<{source}>")
        p.add("eco:evidence", *(lit(s, "ru") for s in a.sentences))
        parties.append(p)
    b.add("eco:hasParty", *(f"<{p.subject}>" for p in parties))
    signatures = []
    for s in a.signatures:
        g = Block(individual_iri(base_iri, "signature", f"{slugify(a.label)[:40]}-{slugify(s.person.label)}"),
                  f"signature on {a.id}")
        g.add("a", "eco:Signature")
        _labels(g, f"Подпись: {s.person.label}")
        g.add("eco:signatory", f"<{s.person.iri}>")
        g.add("eco:onBehalfOf", f"<{s.on_behalf_of.iri}>")
        if s.post is not None:
            g.add("eco:inCapacityOf", f"<{s.post.iri}>")
        if a.when is not None and a.when.value is not None:
            g.add("eco:date", _d(a.when.value))
        g.add("eco:source", f"<{source}>")
        g.add("eco:evidence", lit(s.evidence.sentence, "ru"))
        signatures.append(g)
    b.add("eco:hasSignature", *(f"<{g.subject}>" for g in signatures))
    _common(b, a, source)
    yield b
    yield from parties
    yield from signatures


def _event(e: Event, source: str) -> Block:
    b = Block(e.iri, f"{e.id}: event")
    b.add("a", *(f"eco:{c}" for c in e.classes))
    _labels(b, e.label)
    if e.when is not None and e.when.value is not None:
        b.add("eco:date", _d(e.when.value))
        if e.when.year_inferred:
            _inferred(b, "eco:date", "Год даты восстановлен по дате публикации: текст его не называет.",
                      "The year of the date is completed from the publication date: the text omits it.")
    b.add("eco:hasParticipant", *(f"<{o.iri}>" for o in e.organisations))
    if e.classes == ["RoundTable"]:
        b.add("eco:organizer", *(f"<{o.iri}>" for o in e.organisations))
        if not (e.when is not None and e.when.year_inferred):
            _inferred(b, "eco:organizer", "Организаторы — организации, названные в том же предложении.",
                      "The organisers are the organisations named in the same sentence.")
        else:
            b.add("eco:inferredProperty", "eco:organizer")
    if e.agreement is not None:
        b.add("eco:resultedIn", f"<{e.agreement.iri}>")
    _common(b, e, source)
    return b


def write(draft: Draft, base_iri: str, *, name: str) -> str:
    """The draft as Turtle text: header, then one block per candidate."""
    prefixes = {**_PREFIXES, "eco": ontology_ns(base_iri)}
    head = [f"# DRAFT of {draft.source.file_name}, written by `ecosystem-graph draft`: candidate facts, not curated.",
            "# Review: `ecosystem-graph draft-review` on this file; accept: `ecosystem-graph draft-accept`, which",
            "# drops the draft: markers and rejected candidates and runs the SHACL gate. data/drafts/ is never loaded.",
            f"# Page furniture left out: {len(draft.furniture)} line(s).", ""]
    head += [f"@prefix {p}: <{ns}> ." for p, ns in prefixes.items()]
    ontology = f"{base_iri}data/{name}"
    header = Block(ontology, "the ontology header of the curated file this draft becomes")
    header.add("a", "owl:Ontology")
    header.add("owl:versionIRI", f"<{ontology}/0.1.0>")
    header.add("owl:versionInfo", lit("0.1.0"))
    header.add("owl:imports", f"<{base_iri}ontology>", f"<{base_iri}data/vocabularies>", f"<{base_iri}data/sources>")
    header.add("dcterms:title", lit(f"Данные: {draft.source.title or draft.source.file_name}", "ru"),
               lit(f"Data: {latin(draft.source.title or draft.source.file_name)}", "en"))
    header.add("dcterms:license", "<https://creativecommons.org/licenses/by/4.0/>")
    header.add("draft:status", "draft:Unreviewed")
    body = [header.render()] + [text for b in blocks(draft, base_iri) if (text := b.render())]
    return "\n".join(head) + "\n\n" + "\n\n".join(body) + "\n"
