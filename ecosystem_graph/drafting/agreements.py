"""Agreements and events: "состоялось подписание Соглашения о сотрудничестве университета с ... кластером" is an
agreement with its parties, a signing ceremony on the date of the sentence, and the signatures of the people
"подписано ... X и ... Y" in the sentences after it; round tables, forums and master classes are events.
"""

from __future__ import annotations

import re

from .entities import nominative
from .lemmas import lemma
from .model import Agreement, DateFact, Event, Evidence, Organisation, Person, Post, Signature
from .nlp import Sentence, tools

#: (lemmas of the words, class, Russian label)
EVENTS = ((("круглый", "стол"), "RoundTable", "Круглый стол"), (("форум",), "Forum", "Форум"),
          (("мастер-класс",), "MasterClass", "Мастер-класс"), (("конференция",), "Event", "Конференция"),
          (("выставка",), "Event", "Выставка"), (("семинар",), "Event", "Семинар"))


def _date_in(sentence: Sentence, dates: list[DateFact]) -> DateFact | None:
    return next((d for d in dates if d.value is not None and any(sentence.start <= e.start < sentence.stop
                                                                  for e in d.evidence)), None)


def agreements_and_events(sentences: list[Sentence], orgs: list[Organisation],
                          org_at: dict[tuple[int, int], Organisation], person_at: dict[tuple[int, int], Person],
                          posts: list[Post], dates: list[DateFact], text: str) -> tuple[list[Agreement], list[Event]]:
    nlp = tools()
    agreements: list[Agreement] = []
    events: list[Event] = []
    for n, s in enumerate(sentences):
        lemmas = [lemma(t.text) for t in s.tokens]
        head = next((i for i, w in enumerate(lemmas) if w == "соглашение" and s.tokens[i].text[:1].isupper()), None)
        if head is not None and head + 1 < len(s.tokens) \
                and s.tokens[head + 1].text.lower() not in ("о", "об", "между", "«"):
            head = None
        if head is not None and ("подписание" in lemmas or "подписать" in lemmas or "заключить" in lemmas):
            last = head
            for i in range(head + 1, len(s.tokens)):
                if s.tokens[i].text in (",", ".", ";") or (s.tokens[i].text == "»" and i + 1 < len(s.tokens)
                                                           and s.tokens[i + 1].text in (".", ",")):
                    last = i if s.tokens[i].text == "»" else i - 1
                    break
            label = nominative(nlp, s, head, last, head)
            parties = []
            for (start, first), org in sorted(org_at.items(), key=lambda item: item[0]):
                if start == s.start and head < first <= last and org not in parties:
                    parties.append(org)
            agreement = Agreement(id="", kind="agreement", label=label, classes=["CooperationAgreement"
                                  if "сотрудничество" in lemmas[head:last + 1] else "Agreement"],
                                  confidence=0.8 if len(parties) >= 2 else 0.5,
                                  evidence=[Evidence(s.text, s.tokens[head].start, s.tokens[last].stop)],
                                  parties=parties, when=_date_in(s, dates))
            if len(parties) < 2:
                agreement.notes.append("fewer than two parties found: add them before accepting")
            _signatures(agreement, sentences[n:n + 3], person_at, posts)
            agreements.append(agreement)
            if "подписание" in lemmas and agreement.when is not None:
                events.append(Event(id="", kind="event", label=f"Подписание: {label}", classes=["SigningCeremony"],
                                    confidence=0.75, evidence=[Evidence(s.text, s.start, s.stop)],
                                    when=agreement.when, organisations=list(parties), agreement=agreement))
        for words, cls, name in EVENTS:
            at = next((i for i in range(len(lemmas) - len(words) + 1)
                       if tuple(lemmas[i:i + len(words)]) == words), None)
            if at is None or any(e.classes == [cls] for e in events):
                continue
            after = text[s.tokens[at + len(words) - 1].stop:s.tokens[at + len(words) - 1].stop + 300]
            title = re.match(r"\s*«([^»]{3,200})»", after)
            here = [o for (start, _f), o in sorted(org_at.items(), key=lambda item: item[0]) if start == s.start]
            label = f"{name} «{title.group(1)}»" if title else name
            when = _date_in(s, dates)
            if cls == "RoundTable" and not here:
                continue
            event = Event(id="", kind="event", label=label, classes=[cls],
                          confidence=0.7 if (title or when) else 0.45,
                          evidence=[Evidence(s.text, s.tokens[at].start, s.tokens[at + len(words) - 1].stop)],
                          when=when, organisations=list(dict.fromkeys(here)))
            if not title and not when:
                event.notes.append("no name and no date in the text: check that it is worth a node")
            events.append(event)
    return agreements, events


def _signatures(agreement: Agreement, sentences: list[Sentence], person_at: dict[tuple[int, int], Person],
                posts: list[Post]) -> None:
    """People in the sentences that say the agreement was signed ("подписано ... X и ... Y")."""
    if agreement.when is None:
        return
    free = list(agreement.parties)
    for s in sentences:
        if "подписать" not in {lemma(t.text) for t in s.tokens}:
            continue
        for (start, first), person in sorted(person_at.items(), key=lambda item: item[0]):
            if start != s.start:
                continue
            post = next((p for p in posts if p.person is person and any(s.start <= e.start < s.stop
                                                                        for e in p.evidence)), None)
            party = post.organisation if post is not None and post.organisation in free else (free[0] if free
                                                                                              else None)
            if party is None:
                continue
            free.remove(party)
            if post is not None:
                post.as_of, post.as_of_inferred = agreement.when.value, False
            agreement.signatures.append(Signature(person, party, post, Evidence(
                s.text, s.tokens[first].start, s.tokens[first].stop)))
        if agreement.signatures:
            return
