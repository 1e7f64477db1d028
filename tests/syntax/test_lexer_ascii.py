"""The lexer reads an ASCII text with terminals cut to ASCII (cheap to compile, so ``serve`` answers sooner): on
such a text they must match exactly what the full terminals match, token for token, and a text past ASCII is read
with the full ones."""

from __future__ import annotations

import re
import string
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ecosystem_graph.syntax import lexer

from .corpus import cases

QUERIES = Path(__file__).resolve().parents[2] / "sparql"
#: the characters SPARQL's terminals treat specially, weighted in so that random texts form many tokens
PIECES = ["<http://ex.org/a>", '"""a""b"""', "'''x'y'''", '"s\\"t"', "'q'", "?v", "$w_1", "_:b.1", "ex:l.o-c",
          ":", "ex:%41\\.x", "@en-GB", "1.5e+3", ".5", "-2", "^^", "&&", "||", "!=", "<=", "# c\n", "\\u0041",
          "a", "SELECT", "{", "}", "(", ")", "[", "]", ";", ",", ".", " ", "\t", "\r\n"]


def scan(pattern: re.Pattern[str], text: str) -> list[tuple[str | None, str]]:
    """(group, text) of each match from the start, as the lexer walks, until a character starts no token."""
    found, position = [], 0
    while position < len(text):
        match = pattern.match(text, position)
        if match is None:
            found.append((None, text[position:]))
            break
        found.append((match.lastgroup, match.group()))
        position = match.end()
    return found


def same_reading(text: str) -> None:
    assert text.isascii()
    assert scan(lexer._ASCII_TERMINALS, text) == scan(lexer._all_terminals(), text), text


def test_every_named_query_and_every_known_bypass_reads_the_same() -> None:
    texts = [path.read_text(encoding="utf-8") for path in QUERIES.rglob("*.rq")]
    texts += [case.text() for case in cases()]
    ascii_texts = [text for text in texts if text.isascii()]
    assert len(ascii_texts) > 20
    for text in ascii_texts:
        same_reading(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(string.printable, max_size=6)),
                max_size=30))
def test_random_ascii_texts_read_the_same(pieces: list[str]) -> None:
    same_reading("".join(pieces))


def test_a_text_past_ascii_is_read_with_every_letter() -> None:
    found = lexer.canonical('SELECT ?имя WHERE { ?имя <http://ex.org/p> "Сеченов" ; ех:имя·1 ?o }')
    assert [t.text for t in found.tokens if t.kind == "var"] == ["?имя", "?имя", "?o"]
    assert any(t.kind == "pname" and t.text == "ех:имя·1" for t in found.tokens)
