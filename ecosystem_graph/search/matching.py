"""Does a label match a query by lemmas, and how well: the whole label, its first words, or some of its words.

A query word matches a label word when they share a key (:mod:`ecosystem_graph.search.morphology`), or, as
the word may still be being typed, when one of the label word's keys starts with the query word's skeleton
("Зайц", "Zayts" -> "Зайцев"); such a match is *partial* and ranks after whole words.
"""

from __future__ import annotations

from dataclasses import dataclass

from .morphology import query_keys
from .transliteration import skeleton

#: lemma tiers, between the literal ones of the index (0 whole label, 2 label prefix, 4 word, 6 substring)
WHOLE, PREFIX, WORDS = 1, 3, 5
MAX_WORDS = 8  # query words matched by lemmas; the rest only literally
_MIN_PREFIX = 2


@dataclass(frozen=True)
class QueryWord:
    keys: frozenset[str]
    prefix: str  # "" when too short to be read as the start of a word

    def match(self, label_word: frozenset[str]) -> int | None:
        """0 a shared key, 1 a key that starts with this word, None no match."""
        if self.keys & label_word:
            return 0
        if self.prefix and any(key.startswith(self.prefix) for key in label_word):
            return 1
        return None


def read_query(norm: str) -> tuple[QueryWord, ...]:
    """The words of a normalised query with their keys."""
    words = []
    for word in norm.split()[:MAX_WORDS]:
        prefix = skeleton(word)
        words.append(QueryWord(frozenset(query_keys(word)), prefix if len(prefix) >= _MIN_PREFIX else ""))
    return tuple(words)


def label_words(keys_text: str) -> list[frozenset[str]]:
    return [frozenset(word.split("|")) for word in keys_text.split()]


def _assign(query: tuple[QueryWord, ...], label: list[frozenset[str]], at: int, used: set[int]) -> int | None:
    """Fewest partial matches over the ways to give each query word its own label word; None if there is none."""
    if at == len(query):
        return 0
    best: int | None = None
    for j, word in enumerate(label):
        if j in used:
            continue
        found = query[at].match(word)
        if found is None:
            continue
        used.add(j)
        rest = _assign(query, label, at + 1, used)
        used.discard(j)
        if rest is not None and (best is None or found + rest < best):
            best = found + rest
            if best == 0:
                break
    return best


def lemma_tier(query: tuple[QueryWord, ...], keys_text: str) -> tuple[int, bool] | None:
    """(tier, partial) of a label for ``query``, or None when some query word has no label word to match."""
    if not query:
        return None
    label = label_words(keys_text)
    if len(query) > len(label):
        return None
    partial = _assign(query, label, 0, set())
    if partial is None:
        return None
    if len(query) == len(label) and partial == 0:
        return WHOLE, False
    in_order = [q.match(w) for q, w in zip(query, label, strict=False)]
    if all(found is not None for found in in_order):
        return PREFIX, any(in_order)
    return WORDS, partial > 0
