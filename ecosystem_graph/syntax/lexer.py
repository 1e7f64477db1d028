"""The SPARQL 1.1 terminals (grammar section 19.8), read exactly, and the canonical text made from them.

The canonical text is the request as the tokens say it: no comments, one space where the client had space or a
comment, every string written again in the short double-quoted form, ``\\u`` escapes decoded. It is what every
check parses and what the engine runs (:mod:`.reading`), so a text that two parsers would read differently (a
comment ended by ``\\r``, a long string ending in an escaped quote) is never run as written: whatever it was, the
engine gets the one reading that was checked. Nothing here decides security on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..errors import QueryError

_BASE = ("A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d\u2070-\u218f"
         "\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff")
_MORE = r"\u00b7\u0300-\u036f\u203f-\u2040"  # what a name may hold after its first character, past letters and digits
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_ECHAR = r"\\[tbnrf\\\"']"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_EXPONENT = r"[eE][+-]?[0-9]+"


def _terminals(base: str, more: str) -> re.Pattern[str]:
    """The terminals, names made of the letters ``base`` and the marks ``more``. Longest forms first where one
    terminal is a prefix of another (long strings, <= before <, ^^ before ^)."""
    chars_u = base + "_"
    chars = chars_u + r"\-0-9" + more
    prefix = rf"[{base}](?:[{chars}.]*[{chars}])?"
    local = rf"(?:[{chars_u}:0-9]|{_PLX})(?:(?:[{chars}.:]|{_PLX})*(?:[{chars}:]|{_PLX}))?"
    return re.compile(
        rf"""(?P<space>[ \t\r\n]+)
          | (?P<comment>\#[^\r\n]*)
          | (?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|{_UCHAR})*>)
          | (?P<long>\"\"\"(?:(?:"|"")?(?:[^"\\]|{_ECHAR}|{_UCHAR}))*\"\"\"
                   |'''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}|{_UCHAR}))*''')
          | (?P<string>"(?:[^"\\\n\r]|{_ECHAR}|{_UCHAR})*"|'(?:[^'\\\n\r]|{_ECHAR}|{_UCHAR})*')
          | (?P<var>[?$][{chars_u}0-9][{chars_u}0-9{more}]*)
          | (?P<bnode>_:[{chars_u}0-9](?:[{chars}.]*[{chars}])?)
          | (?P<pname>(?:{prefix})?:(?:{local})?)
          | (?P<langtag>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)
          | (?P<number>[+-]?(?:[0-9]+\.[0-9]*{_EXPONENT}|\.[0-9]+{_EXPONENT}|[0-9]+{_EXPONENT}|[0-9]*\.[0-9]+|[0-9]+))
          | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
          | (?P<punct>\^\^|&&|\|\||!=|<=|>=|[{{}}()\[\];,.=<>!+\-*/^|?])""",
        re.VERBOSE,
    )


#: the terminals an ASCII text is read with: on it they match what :func:`_all_terminals` matches (a character
#: class meets an ASCII text only in its ASCII part), and they compile in a millisecond where the Unicode ranges
#: take tens, which ``serve`` would pay before its first answer
_ASCII_TERMINALS = _terminals("A-Za-z", "")


@lru_cache(maxsize=1)
def _all_terminals() -> re.Pattern[str]:
    """The terminals with every letter SPARQL allows in names: compiled for the first text past ASCII."""
    return _terminals(_BASE, _MORE)


_ESCAPED = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", "\\": "\\", '"': '"', "'": "'"}
_WRITE = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_ESCAPE = re.compile(rf"{_UCHAR}|{_ECHAR}")
_OPENING = {"{": "}", "(": ")", "[": "]"}

#: the deepest nesting of ``{``, ``(`` and ``[`` a request may have: rdflib's parser (the checks) reads 30 groups
#: or 25 parentheses before Python's recursion limit; real queries stay under ten (docs/security.md)
MAX_NESTING = 20
#: tokens a request may have: the checks' parse costs about 30 µs per token
MAX_TOKENS = 50_000


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # iri, string, var, bnode, pname, langtag, number, word, punct
    text: str  # as the canonical text writes it
    depth: int  # brackets open around it
    start: int  # its offset in the original text, for messages
    glued: bool = False  # nothing stood between it and the token before, in the original text


@dataclass(frozen=True)
class Canonical:
    """A request read into tokens, and the text they make."""

    text: str
    tokens: tuple[Token, ...]

    def original_offset(self, offset: int) -> int:
        """The offset in the text the client sent of the token at ``offset`` in :attr:`text` (for messages)."""
        at = 0
        for index, token in enumerate(self.tokens):
            at += 1 if index and _spaced(self.tokens, index) else 0
            if offset < at + len(token.text):
                return token.start
            at += len(token.text)
        return self.tokens[-1].start if self.tokens else 0

    def position(self, offset: int, original: str) -> str:
        """``line:column`` in ``original`` of the token at ``offset`` of :attr:`text`."""
        return _position(original, self.original_offset(offset))

    def words(self) -> set[str]:
        """The keywords and function names, upper-cased (``a`` included)."""
        return {token.text.upper() for token in self.tokens if token.kind == "word"}


def _position(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    return f"{line}:{offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


def _value(body: str, text: str, offset: int) -> str:
    """The characters a string's body stands for, escapes decoded."""
    def decode(match: re.Match[str]) -> str:
        escape = match.group(0)
        if escape[1] in "uU":
            code = int(escape[2:], 16)
            if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                raise QueryError(f"error at {_position(text, offset)}: {escape} is not a character")
            return chr(code)
        return _ESCAPED[escape[1]]

    return _ESCAPE.sub(decode, body)


def string_value(token: Token) -> str:
    """The characters a canonical string token stands for (its escapes decoded)."""
    return _value(token.text[1:-1], token.text, token.start)


def _string(raw: str, text: str, offset: int) -> str:
    body = raw[3:-3] if raw[:3] in ('"""', "'''") else raw[1:-1]
    value = _value(body, text, offset)
    if re.search(r"\\[uU]", value):
        # rdflib (the checks' parser) expands \u everywhere before it parses, so this one value would read as
        # two different strings; refused rather than read two ways
        raise QueryError(f"error at {_position(text, offset)}: a string holding a backslash followed by 'u' "
                         "is not accepted; write the character itself")
    return '"' + "".join(_WRITE.get(char, char) for char in value) + '"'


def _iri(raw: str, text: str, offset: int) -> str:
    value = _value(raw[1:-1], text, offset) if "\\" in raw else raw[1:-1]
    if re.search(r'[<>"{}|^`\\\x00-\x20]', value):
        raise QueryError(f"error at {_position(text, offset)}: an escape in an IRI stands for a character IRIs "
                         "cannot hold")
    return f"<{value}>"


@lru_cache(maxsize=4096)
def canonical(text: str) -> Canonical:
    """``text`` read into SPARQL tokens.

    :raises QueryError: a character that starts no token (with its line and column), nesting deeper than
        :data:`MAX_NESTING`, more than :data:`MAX_TOKENS` tokens, or an escape that cannot be read one way.
    """
    found: list[Token] = []
    closers: list[str] = []
    position = 0
    previous_end = -1
    match_at = (_ASCII_TERMINALS if text.isascii() else _all_terminals()).match
    while position < len(text):
        match = match_at(text, position)
        if match is None:
            snippet = text[position:position + 12]
            hint = " (a \\u escape stands only inside strings and IRIs)" if snippet.startswith("\\u") else ""
            raise QueryError(f"error at {_position(text, position)}: unexpected {snippet!r}{hint}")
        kind, raw = match.lastgroup or "punct", match.group()
        start, position = position, match.end()
        if kind in ("space", "comment"):
            continue
        glued, previous_end = start == previous_end, position
        if kind in ("long", "string"):
            kind, raw = "string", _string(raw, text, start)
        elif kind == "iri":
            raw = _iri(raw, text, start)
        elif raw in _OPENING:
            closers.append(_OPENING[raw])
            if len(closers) > MAX_NESTING:
                raise QueryError(f"error at {_position(text, start)}: the request nests groups, brackets and "
                                 f"parentheses deeper than {MAX_NESTING} levels")
            found.append(Token(kind, raw, len(closers) - 1, start, glued))
            continue
        elif raw in ("}", ")", "]") and closers and closers[-1] == raw:
            closers.pop()
        found.append(Token(kind, raw, len(closers), start, glued))
        if len(found) > MAX_TOKENS:
            raise QueryError(f"the request has more than {MAX_TOKENS} tokens")
    return Canonical(write(found), tuple(found))


def write(found: list[Token] | tuple[Token, ...]) -> str:
    """Tokens with one space between them where the client's text had space or a comment, none where they
    touched (:func:`_spaced`)."""
    parts: list[str] = []
    for index, token in enumerate(found):
        if index and _spaced(found, index):
            parts.append(" ")
        parts.append(token.text)
    return "".join(parts)


def _spaced(found: list[Token] | tuple[Token, ...], index: int) -> bool:
    """Whether a space goes before token ``index``. Tokens that touched in the client's text touch again (Oxigraph
    reads ``COALESCE (`` as an error, rdflib ``<p> *`` as no path), except two strings, whose rewritten quotes could
    run together; a language tag or ``^^`` always touches its neighbours."""
    token, previous = found[index], found[index - 1]
    if token.kind == "langtag" or token.text == "^^" or previous.text == "^^":
        return False
    return not token.glued or (token.kind == "string" and previous.kind == "string")
