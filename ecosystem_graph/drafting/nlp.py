"""The Russian language tools, loaded once: natasha (sentences, tokens, NER, morphology, syntax) and pymorphy3.

natasha's own ``MorphVocab`` is not used: it imports pymorphy2, which does not run on Python 3.11; lemmas and
inflection come from :class:`pymorphy3.MorphAnalyzer` instead, guided by the features natasha tagged in context.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from .lemmas import analyser, lemma

log = logging.getLogger(__name__)

_CASES = {"Nom": "nomn", "Gen": "gent", "Dat": "datv", "Acc": "accs", "Ins": "ablt", "Loc": "loct"}
_GENDERS = {"Masc": "masc", "Fem": "femn", "Neut": "neut"}


@dataclass
class Token:
    """One word or punctuation mark of the text, with what natasha read about it in context."""

    text: str
    start: int  # character offsets in the whole text
    stop: int
    index: int  # position in its sentence
    pos: str
    feats: dict[str, str]
    head: int  # index of the syntactic head in the sentence, -1 for the root
    rel: str

    @property
    def case(self) -> str | None:
        return self.feats.get("Case")


@dataclass
class Span:
    """A named entity natasha found: ``PER``, ``ORG`` or ``LOC``, as token positions in its sentence."""

    type: str
    first: int
    last: int  # inclusive


@dataclass
class Sentence:
    text: str
    start: int
    stop: int
    tokens: list[Token] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)

    def slice(self, first: int, last: int) -> str:
        """The verbatim text of tokens ``first..last`` (inclusive)."""
        return self.text[self.tokens[first].start - self.start:self.tokens[last].stop - self.start]


class Tools:
    """natasha's models and a pymorphy3 analyser (about a second to load, then milliseconds per sentence)."""

    def __init__(self) -> None:
        from natasha import NewsEmbedding, NewsMorphTagger, NewsNERTagger, NewsSyntaxParser, Segmenter

        embedding = NewsEmbedding()
        self.segmenter = Segmenter()
        self.ner = NewsNERTagger(embedding)
        self.morph_tagger = NewsMorphTagger(embedding)
        self.syntax = NewsSyntaxParser(embedding)
        self.morph = analyser()

    def analyse(self, text: str, offset: int = 0) -> list[Sentence]:
        """Sentences of ``text`` with tokens, morphology, syntax and entities; offsets shifted by ``offset``."""
        from natasha import Doc

        doc = Doc(text)
        doc.segment(self.segmenter)
        doc.tag_morph(self.morph_tagger)
        doc.parse_syntax(self.syntax)
        doc.tag_ner(self.ner)
        sentences = []
        for sent in doc.sents:
            s = Sentence(sent.text, sent.start + offset, sent.stop + offset)
            ids = {t.id: i for i, t in enumerate(sent.tokens)}
            for i, t in enumerate(sent.tokens):
                s.tokens.append(Token(t.text, t.start + offset, t.stop + offset, i, t.pos or "X", dict(t.feats or {}),
                                      ids.get(t.head_id, -1), t.rel or ""))
            for span in doc.spans:
                if span.start >= sent.start and span.stop <= sent.stop:
                    inside = [i for i, t in enumerate(sent.tokens) if t.start >= span.start and t.stop <= span.stop]
                    if inside:
                        s.spans.append(Span(span.type, inside[0], inside[-1]))
            sentences.append(s)
        return sentences

    def lemma(self, word: str) -> str:
        """The dictionary form of ``word`` (lower case, ё as е), as :func:`.lemmas.lemma`."""
        return lemma(word)

    def nominative(self, token: Token, *, agree: Token | None = None, case: str = "nomn") -> str:
        """``token`` put in the nominative, keeping its capitalisation; the number and gender natasha read decide
        which analysis to inflect (``agree``: the head an adjective agrees with)."""
        word = token.text
        if not re.fullmatch(r"[А-Яа-яЁё-]+", word) or word.isupper():
            return word
        feats = (agree or token).feats
        wanted = {_CASES.get(token.case or "", "nomn")}
        if feats.get("Number") == "Plur":
            wanted.add("plur")
        parse = _pick(self.morph.parse(word), wanted, _GENDERS.get(feats.get("Gender", "")))
        if parse is None:
            return word
        target = {case} | ({"plur"} if feats.get("Number") == "Plur" else set())
        inflected = parse.inflect(target)
        if inflected is None:
            return word
        out = str(inflected.word)
        if word[:1].isupper():
            out = out[:1].upper() + out[1:]
        return out


def _pick(parses: list[Any], wanted: set[str], gender: str | None) -> Any:
    """The first analysis in the wanted case (and gender, for adjectives), else None."""
    fitting = [p for p in parses if all(g in p.tag for g in wanted)]
    if gender:
        agreeing = [p for p in fitting if gender in p.tag or "ADJF" not in p.tag]
        fitting = agreeing or fitting
    return fitting[0] if fitting else None


@functools.lru_cache(maxsize=1)
def tools() -> Tools:
    """The process's one set of models (natasha's embedding is the slow part)."""
    log.info("loading natasha and pymorphy3 models")
    return Tools()
