"""Lemmatised keys of names, so that "Сеченовского университета" and "Сеченовский университет" are one name.

pymorphy3 alone (no natasha models): the reconciliation API needs only this and starts in a fraction of a second.
The analyser is the search index's (:func:`..search.morphology.analyser`): one dictionary in memory per process.
"""

from __future__ import annotations

import functools
import re

from ..search.morphology import analyser

_WORD = re.compile(r"[0-9A-Za-zА-Яа-яЁё]+(?:-[0-9A-Za-zА-Яа-яЁё]+)*")
#: words that carry no identity of a name ("им." in "МГМУ им. И.М. Сеченова", conjunctions, prepositions)
STOP = frozenset({"и", "в", "во", "на", "по", "с", "со", "им", "имени", "о", "об", "для", "при", "the", "of", "and",
                  "for", "at"})


@functools.lru_cache(maxsize=50_000)
def lemma(word: str) -> str:
    """Dictionary form, lower case, ё as е; abbreviations and Latin words only lower-cased."""
    low = word.lower().replace("ё", "е")
    if (word.isupper() and len(word) > 1) or not re.search(r"[а-яе]", low):
        return low
    parses = analyser().parse(low)
    if word[:1].isupper():  # "Зайцевым" is the surname Зайцев before it is a form of "заяц"
        parses = [p for p in parses if {"Surn", "Name", "Patr"} & set(p.tag.grammemes)] or parses
    return str(parses[0].normal_form).replace("ё", "е")


def words(text: str) -> list[str]:
    """The lemmas of the content words of ``text``, in order (single letters, initials, are dropped)."""
    return [lemma(w) for w in _WORD.findall(text) if len(w) > 1 and w.lower() not in STOP]


def key(text: str) -> str:
    return " ".join(words(text))
