"""Latin ↔ Cyrillic for search, so that "Zaytsev", "Zaitsev" and "Зайцев" are one name.

Two jobs. :func:`skeleton` writes a word of either script in one lossy Latin spelling that the usual
romanisations (passport, BGN, scholarly, English habit) share: й/ы/y/j → i, х/kh → h, щ/shch → sh, ё/yo/ye → e,
ь/ъ dropped, doubled letters single. Keys in the search index are skeletons, so a Latin query meets a Cyrillic
label and the other way round. :func:`to_cyrillic` guesses the Russian spelling of a romanised word, so that the
morphological analyser can reduce "Zaytseva" or "Sechenova" to a lemma as it does "Зайцева".

Input is a word as :func:`ecosystem_graph.search.build.normalise` leaves it: lower case, no accents, ё as е.
"""

from __future__ import annotations

import re

_CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i", "й": "i",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
    "х": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "iu", "я": "ia",
    "і": "i", "ї": "i", "є": "e", "ў": "u",
}
_LATIN_TABLE = str.maketrans(_CYRILLIC_TO_LATIN)

#: Latin spellings of one sound, longest first, each replaced by the skeleton's choice
_LATIN_VARIANTS = (("shch", "sh"), ("sch", "sh"), ("kh", "h"), ("x", "ks"), ("yo", "e"), ("ye", "e"), ("y", "i"),
                   ("j", "i"), ("w", "v"), ("ck", "k"), ("q", "k"))
_VARIANT = re.compile("|".join(old for old, _new in _LATIN_VARIANTS))
_VARIANTS = dict(_LATIN_VARIANTS)
_DOUBLED = re.compile(r"(.)\1+")

#: Latin letter groups -> Cyrillic, longest first; "y" is decided by what precedes it
_TO_CYRILLIC = (("shch", "щ"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"), ("yu", "ю"),
                ("ya", "я"), ("yo", "е"), ("ye", "е"), ("a", "а"), ("b", "б"), ("v", "в"),
                ("w", "в"), ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"), ("i", "и"), ("j", "й"), ("k", "к"),
                ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"),
                ("u", "у"), ("f", "ф"), ("h", "х"), ("c", "к"), ("q", "к"), ("x", "кс"))
_GROUP = re.compile("|".join(latin for latin, _cyr in _TO_CYRILLIC) + "|y")
_GROUPS = dict(_TO_CYRILLIC)
_LATIN_WORD = re.compile(r"[a-z]+")
_VOWELS = set("aeiouy")


def has_cyrillic(word: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in word)


def is_latin(word: str) -> bool:
    return bool(_LATIN_WORD.fullmatch(word))


def skeleton(word: str) -> str:
    """One spelling for the romanisations of a word: ``"Зайцев"``, ``"zaytsev"``, ``"zaitsev"`` -> ``"zaitsev"``."""
    latin = word.translate(_LATIN_TABLE) if has_cyrillic(word) else word
    latin = _VARIANT.sub(lambda m: _VARIANTS[m.group(0)], latin)
    return _DOUBLED.sub(r"\1", latin)


def to_cyrillic(word: str) -> str:
    """The likely Russian spelling of a romanised word (``"zaytseva"`` -> ``"зайцева"``); "" if it is not Latin."""
    if not is_latin(word):
        return ""
    out: list[str] = []
    for match in _GROUP.finditer(word):
        group = match.group(0)
        if group == "y":  # after a consonant ы (Lychagin), else й (Zaytsev, Sergey)
            before = word[match.start() - 1] if match.start() else ""
            out.append("ы" if before and before not in _VOWELS else "й")
        else:
            out.append(_GROUPS[group])
    return "".join(out)
