"""Posts: "генеральный директор Корпорации развития Зеленограда Владимир Зайцев" is a person, a role and an
organisation. The role title is read from the words before the name, back to the previous name or the start of
the clause; the organisation is the one named between the title and the person, else the one the sentence speaks
for ("Со стороны Первого МГМУ ... подписано Первым проректором ... Андреем Свистуновым").
"""

from __future__ import annotations

from dataclasses import dataclass

from .lemmas import lemma
from .nlp import Sentence, Tools

#: lemmas that make a role title
ROLE_WORDS = {"директор", "замдиректор", "замдиректора", "проректор", "ректор", "президент", "вице-президент",
              "руководитель", "глава", "председатель", "заместитель", "декан", "министр", "мэр", "основатель",
              "сооснователь", "управляющий", "заведующий", "начальник", "координатор", "менеджер"}


@dataclass
class RoleMention:
    label: str  # nominative, lower case
    first: int
    last: int  # last token of the title (before the organisation or the name)
    org_first: int | None  # where an organisation named with the title starts
    org_last: int | None


def roles_before(tools: Tools, sentence: Sentence, person_first: int, floor: int,
                 org_starts: set[int]) -> list[RoleMention]:
    """The role titles of the person whose name starts at ``person_first``; ``floor``: where the clause begins."""
    toks = sentence.tokens
    segments: list[tuple[int, int]] = []
    start = floor
    for i in range(floor, person_first):
        if toks[i].text in (",", ";", ":") or (toks[i].text in ("—", "–") and i > floor
                                               and lemma(toks[i - 1].text) not in ROLE_WORDS
                                               and not any(lemma(t.text) in ROLE_WORDS
                                                           for t in toks[i + 1:i + 3])):
            segments.append((start, i - 1))
            start = i + 1
    segments.append((start, person_first - 1))
    out = []
    for first, last in segments[-2:]:  # the title right before the name, and one more before it
        words = [i for i in range(first, last + 1) if lemma(toks[i].text) in ROLE_WORDS]
        if not words:
            continue
        if (first, last) != segments[-1] and toks[last + 1].text not in (",", ";"):
            continue
        role_first = words[0]
        while role_first > first and toks[role_first - 1].pos == "ADJ":
            role_first -= 1
        org_first = next((i for i in range(words[-1] + 1, last + 1) if i in org_starts
                          or (i + 1 in org_starts and sentence.tokens[i].text in ("«", '"'))), None)
        role_last = (org_first - 1) if org_first is not None else last
        out.append(RoleMention(_title(tools, sentence, role_first, role_last), role_first, role_last, org_first,
                               last if org_first is not None else None))
    return out


def _title(tools: Tools, sentence: Sentence, first: int, last: int) -> str:
    """The title in the nominative: the words before the first preposition agree with the role word."""
    toks = sentence.tokens
    words = []
    inflect = True
    for i in range(first, last + 1):
        t = toks[i]
        if t.pos == "ADP":
            inflect = False
        if t.text in ("-", "—", "–"):
            inflect = True
            words.append("–")
            continue
        words.append(tools.nominative(t) if inflect and t.pos in ("NOUN", "ADJ") else t.text)
    return " ".join(words).lower()
