"""Organisations and people named in the sentences: natasha's NER spans, completed by noun phrases built on the
syntax tree around a head noun that names a kind of organisation ("институт молекулярной медицины" is lower-case
and NER misses it), put in the nominative, merged by lemmas, abbreviations resolved by their initials.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .model import Evidence
from .nlp import Sentence, Token, Tools

#: head lemma -> class (local name in the ontology); the kind guessed from the name
HEADS: dict[str, str] = {
    "университет": "University", "вуз": "University", "кластер": "Cluster", "корпорация": "Company",
    "фонд": "Fund", "институт": "Institute", "центр": "Centre", "клиника": "Clinic", "технопарк": "Technopark",
    "бизнес-инкубатор": "BusinessIncubator", "инкубатор": "BusinessIncubator", "парк": "IndustrialPark",
    "лаборатория": "Laboratory", "кафедра": "AcademicDepartment", "банк": "Bank", "департамент": "GovernmentBody",
    "министерство": "GovernmentBody", "комитет": "GovernmentBody", "правительство": "GovernmentBody",
    "комплекс": "GovernmentBody", "программа": "AccelerationProgramme", "компания": "Company",
    "производство": "ProductionFacility", "больница": "Clinic", "госпиталь": "Clinic", "академия": "University",
}
#: heads that name an organisation only when capitalised or with a proper name ("комплекс" is also a building)
_NEEDS_NAME = {"комплекс", "программа", "компания", "производство", "парк", "корпорация"}
#: lower-case words that describe rather than name ("ведущий медицинский университет страны")
_DESCRIPTIVE = {"ведущий", "крупнейший", "крупный", "лучший", "известный", "современный", "данный", "этот", "наш",
                "такой", "другой", "весь", "один", "отечественный", "зарубежный", "российский", "международный",
                "инвестиционный", "потенциальный", "успешный", "биомедицинский", "лабораторный", "свой", "который"}
_RIGHT = {"nmod", "flat", "flat:name", "flat:foreign", "appos", "nummod", "amod", "conj"}
#: genitive dependents that make a description, not a name ("центр мирового уровня")
_DESCRIPTIVE_TAIL = {"уровень", "тип", "формат", "страна", "мир"}


@dataclass
class OrgMention:
    label: str  # nominative
    head: str
    cls: str
    first: int
    last: int
    named: bool  # a proper name is part of it (capitals, quotes, Latin)
    evidence: Evidence
    from_ner: bool = False

    @property
    def generic(self) -> bool:
        """A bare head noun ("Технопарка", "университета"): a reference to an organisation named elsewhere."""
        return len(self.label.split()) == 1 and self.head != ""


@dataclass
class PersonMention:
    given: str
    family: str
    first: int
    last: int
    evidence: Evidence


def _subtree(sentence: Sentence, root: int) -> set[int]:
    out = {root}
    changed = True
    while changed:
        changed = False
        for t in sentence.tokens:
            if t.head in out and t.index not in out:
                out.add(t.index)
                changed = True
    return out


def _is_name(token: Token, sentence_start: bool) -> bool:
    return (token.text[:1].isupper() and not sentence_start) or bool(re.search(r"[A-Za-z]", token.text)) \
        or (token.text.isupper() and len(token.text) > 1)


def _phrase(sentence: Sentence, head: Token, tools_lemma: Callable[[Token], str]) -> tuple[int, int]:
    """The contiguous noun phrase of an organisation's name around ``head``: agreeing adjectives on the left, the
    genitive dependents (with their whole subtree) and a quoted name on the right, never past a comma."""
    toks = sentence.tokens
    first = head.index
    while first > 0 and toks[first - 1].head == head.index and toks[first - 1].pos in ("ADJ", "PROPN", "NUM") \
            and toks[first - 1].rel in ("amod", "nummod", "flat"):
        first -= 1
    last = head.index
    for t in toks[head.index + 1:]:
        if t.head != head.index or t.rel not in _RIGHT:
            continue
        if t.rel == "nmod" and t.case not in ("Gen", None):
            continue
        if t.rel == "conj" and (t.case != "Gen" or toks[t.index - 1].text != "и" or tools_lemma(t) in HEADS):
            continue
        sub = _subtree(sentence, t.index)
        if min(sub) != last + 1 and not (min(sub) == last + 2 and toks[last + 1].text in "«\""):
            break
        stop = max(sub)
        cut = next((i for i in range(last + 1, stop + 1) if toks[i].text in (",", ";", "—", "–", ":", "(")), None)
        last = stop if cut is None else cut - 1
    # a quoted name right after the head: «Зеленоград»
    if last + 1 < len(toks) and toks[last + 1].text in "«\"":
        close = next((i for i in range(last + 2, min(last + 12, len(toks))) if toks[i].text in "»\""), None)
        if close is not None:
            last = close
    if last + 1 < len(toks) and toks[last].text == "«":
        last -= 1
    return first, last


def nominative(tools: Tools, sentence: Sentence, first: int, last: int, head: int | None = None, *,
               case: str = "nomn") -> str:
    """The words ``first..last`` with the head and the words agreeing with it in the nominative; the dependents
    after the head stay as written ("Центр фундаментальных исследований")."""
    toks = sentence.tokens
    if head is None:
        head = next((i for i in range(first, last + 1) if toks[i].pos in ("NOUN", "PROPN")), first)
    words = []
    for i in range(first, last + 1):
        t = toks[i]
        if (i < head and t.pos in ("ADJ",)) or i == head:
            word = tools.nominative(t, agree=toks[head] if i < head and not toks[head].text.isupper() else None,
                                    case=case)
        else:
            word = t.text
        words.append(word)
    out = ""
    for i, word in zip(range(first, last + 1), words, strict=True):
        gap = sentence.text[toks[i - 1].stop - sentence.start:toks[i].start - sentence.start] if i > first else ""
        out += (" " if gap else "") + word
    return out[:1].upper() + out[1:]


def organisations(tools: Tools, sentence: Sentence) -> list[OrgMention]:
    """Every organisation mentioned in ``sentence``, outer names and the names nested in them."""
    found: list[OrgMention] = []
    toks = sentence.tokens
    for t in toks:
        lemma = tools.lemma(t.text)
        if lemma not in HEADS or t.pos not in ("NOUN", "PROPN") or t.feats.get("Number") == "Plur":
            continue
        if t.index > 0 and tools.lemma(toks[t.index - 1].text).startswith("управля"):
            continue  # "управляющая компания": a role of an organisation, not its name
        first, last = _phrase(sentence, t, lambda tok: tools.lemma(tok.text))
        if any(tools.lemma(toks[i].text) in _DESCRIPTIVE_TAIL for i in range(t.index + 1, last + 1)):
            continue
        named = any(_is_name(toks[i], i == 0 or toks[i - 1].text in "«\"") for i in range(first, last + 1)
                    if i != t.index or t.index > 0)
        named = named or any(toks[i].text == "«" for i in range(first, last + 1))
        if any(tools.lemma(toks[i].text) in _DESCRIPTIVE and not toks[i].text[:1].isupper()
               for i in range(first, t.index)):
            continue
        if lemma in _NEEDS_NAME and not named:
            continue
        found.append(OrgMention(nominative(tools, sentence, first, last, t.index), lemma, _kind(tools, lemma, sentence,
                                first, last), first, last, named, _evidence(sentence, first, last)))
    _units_listed(tools, sentence, found)
    for span in sentence.spans:
        if span.type != "ORG":
            continue
        first, last = span.first, span.last
        # natasha cuts "Корпорации развития | Зеленограда": a genitive place name right after belongs to it
        locs = {i for sp in sentence.spans if sp.type == "LOC" for i in range(sp.first, sp.last + 1)}
        while last + 1 in locs and toks[last + 1].case == "Gen":
            last += 1
        if any(m.first <= first and last <= m.last for m in found):
            for m in found:
                if m.first <= first and last <= m.last:
                    m.from_ner = True
            continue
        while last > first and toks[last].pos in ("NOUN", "PROPN") and toks[last].case == "Nom" != toks[first].case:
            last -= 1  # natasha's span ran into the next word ("... им. И.М. Сеченова Соглашение")
        head = next((i for i in range(first, last + 1) if tools.lemma(toks[i].text) in HEADS), None)
        lemma = tools.lemma(toks[head].text) if head is not None else ""
        label = nominative(tools, sentence, first, last, head)
        found.append(OrgMention(label, lemma, _kind(tools, lemma, sentence, first, last), first, last, True,
                                _evidence(sentence, first, last), from_ner=True))
    _abbreviations(sentence, found)
    return found


def _units_listed(tools: Tools, sentence: Sentence, found: list[OrgMention]) -> None:
    """ "Центр биомедицинского инжиниринга – технопарк и опытно-промышленное производство": the parts listed
    after a dash are units of the organisation before it, named after it ("Технопарк Центра ...")."""
    toks = sentence.tokens
    for m in list(found):
        dash = m.last + 1
        if dash >= len(toks) or toks[dash].text not in ("–", "—", "-"):
            continue
        owner = nominative(tools, sentence, m.first, m.last, next(
            (i for i in range(m.first, m.last + 1) if tools.lemma(toks[i].text) == m.head), m.first), case="gent")
        i = dash + 1
        while i < len(toks):
            first = i
            while i < len(toks) and toks[i].pos == "ADJ":
                i += 1
            if i >= len(toks) or tools.lemma(toks[i].text) not in HEADS or toks[i].text[:1].isupper():
                break
            lemma = tools.lemma(toks[i].text)
            label = nominative(tools, sentence, first, i, i)
            found.append(OrgMention(f"{label} {owner}", lemma, HEADS[lemma], first, i, False,
                                    _evidence(sentence, first, i)))
            i += 1
            if i < len(toks) and toks[i].text == "и":
                i += 1
                continue
            break


def _abbreviations(sentence: Sentence, found: list[OrgMention]) -> None:
    """An abbreviation no other name covers ("МИЭТ"): an organisation of its own, for the curator to name."""
    covered = {i for m in found for i in range(m.first, m.last + 1)}
    for t in sentence.tokens:
        if t.index not in covered and t.text.isupper() and len(t.text) >= 3 and re.fullmatch(r"[А-ЯЁ]+", t.text) \
                and t.pos in ("PROPN", "NOUN"):
            found.append(OrgMention(t.text, "", "Organization", t.index, t.index, True,
                                    _evidence(sentence, t.index, t.index), from_ner=True))


def _kind(tools: Tools, head: str, sentence: Sentence, first: int, last: int) -> str:
    words = {tools.lemma(sentence.tokens[i].text) for i in range(first, last + 1)}
    if head == "корпорация" and "развитие" in words:
        return "DevelopmentCorporation"
    if head == "центр" and words & {"инновационно-технологический"}:
        return "InnovationTechnologyCentre"
    if not head and any(t.text.isupper() and t.text.endswith("У") for t in sentence.tokens[first:last + 1]):
        return "University"  # МГМУ, МГУ: the abbreviation ends in "университет"
    if any(w.endswith("банк") for w in words) and head in ("", "банк"):
        return "Bank"
    if head == "программа" and "акселерационный" not in words:
        return "Programme"
    return HEADS.get(head, "Organization")


def people(tools: Tools, sentence: Sentence) -> list[PersonMention]:
    """People named by given and family name; "им. И.М. Сеченова" in an organisation's name is not a person."""
    out = []
    toks = sentence.tokens
    for span in sentence.spans:
        if span.type != "PER" or span.last == span.first:
            continue
        before = toks[span.first - 1].text.lower() if span.first > 0 else ""
        if before in ("им", "им.", "имени", "."):
            continue
        words = [t for t in toks[span.first:span.last + 1]
                 if t.pos == "PROPN" and len(t.text) > 2 and "." not in t.text]
        if len(words) < 2:
            continue
        given, family = words[0], words[-1]
        out.append(PersonMention(tools.nominative(given), tools.nominative(family), span.first, span.last,
                                 _evidence(sentence, span.first, span.last)))
    return out


def _evidence(sentence: Sentence, first: int, last: int) -> Evidence:
    return Evidence(sentence.text, sentence.tokens[first].start, sentence.tokens[last].stop)


def initials(label: str) -> str:
    """Initials of the content words, for abbreviations: "Международный медицинский кластер" -> "ММК"."""
    words = [w for w in re.findall(r"[А-ЯЁA-Zа-яёa-z][\w-]*", label) if w.lower() not in {"и", "по", "в", "им", "с"}]
    return "".join(w[0].upper() for w in words)
