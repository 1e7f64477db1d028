"""Words reduced to the keys search matches on: lemmas for Russian (pymorphy3), stems for English (Snowball),
both written as transliteration skeletons so that either script finds the other.

"Сеченовском", "Сеченовского" and "Сеченова" share the key ``sechenov``: each word form becomes every lemma
the analyser offers for it (a surname and a plural noun can share a form, "Зайцев"), an adjective made from a
name also gives the name ("зеленоградский" -> "зеленоград"), and the word's own spelling stays a key too (the
analyser guesses at names it does not know). A Latin query word is also read as the Russian word it romanises
("Zaytseva" -> "зайцева" -> "зайцев").

The analyser is loaded once per process (about 0.1 s) and every word's keys are cached: a label set has far
fewer distinct words than labels, and a query's words are the same few as the user types.
"""

from __future__ import annotations

import logging
import time
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from .transliteration import has_cyrillic, is_latin, skeleton, to_cyrillic

if TYPE_CHECKING:
    from pymorphy3 import MorphAnalyzer

log = logging.getLogger(__name__)

#: adjective endings made from a name: "сеченовский" -> "сеченов", "зеленоградский" -> "зеленоград"
_NAME_ADJECTIVE = ("ский", "ской", "цкий")
_CACHE = 1 << 18  # distinct words kept; a million-triple graph has a few tens of thousands


@lru_cache(maxsize=1)
def analyser() -> MorphAnalyzer:
    """pymorphy3 with its Russian dictionary, loaded at the first word (not per request)."""
    import pymorphy3

    started = time.perf_counter()
    morph = pymorphy3.MorphAnalyzer()
    log.info("Russian morphological analyser loaded in %.2f s", time.perf_counter() - started)
    return morph


class Stemmer(Protocol):
    def stemWord(self, word: str) -> str: ...  # snowballstemmer's name


@lru_cache(maxsize=1)
def english() -> Stemmer:
    import snowballstemmer

    stemmer: Stemmer = snowballstemmer.stemmer("english")
    return stemmer


def _russian_lemmas(word: str) -> set[str]:
    lemmas = {parse.normal_form.replace("ё", "е") for parse in analyser().parse(word)}
    for lemma in list(lemmas):
        for ending in _NAME_ADJECTIVE:
            if lemma.endswith(ending) and len(lemma) > len(ending) + 3:
                lemmas.add(lemma[:-len(ending)] + ("ц" if ending == "цкий" else ""))
    return lemmas


@lru_cache(maxsize=_CACHE)
def label_keys(word: str) -> tuple[str, ...]:
    """The keys a label's word is indexed under (a normalised word: lower case, ё as е)."""
    if word.isdigit() or len(word) < 2:
        return (word,)
    if has_cyrillic(word):
        found = {skeleton(lemma) for lemma in _russian_lemmas(word)}
    elif is_latin(word):
        found = {skeleton(english().stemWord(word))}
    else:
        found = set()
    found.add(skeleton(word))
    return tuple(sorted(found))


@lru_cache(maxsize=_CACHE)
def query_keys(word: str) -> tuple[str, ...]:
    """The keys a query's word matches: a label word's keys, and for a Latin word those of its Russian reading."""
    keys = set(label_keys(word))
    russian = to_cyrillic(word)
    if russian and len(word) >= 3:
        keys.update(skeleton(lemma) for lemma in _russian_lemmas(russian))
    return tuple(sorted(keys))


def keys_text(norm: str) -> str:
    """A normalised label as stored in the index: per word its keys joined by ``|``, words by spaces."""
    return " ".join("|".join(label_keys(word)) for word in norm.split())
