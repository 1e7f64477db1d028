"""Differential fuzzing: the reading the checks are made on against the engine that runs the query.

Generated queries mix every lexical form a second reader gets wrong (comments ended by ``\\n``, ``\\r``, ``\\r\\n``
or the end of the text; every string form with escapes; ``\\u`` escapes; IRIs and prefixed names that contain
keywords; nested groups), and some call ``SERVICE`` on a listener on loopback, in code or hidden in a comment or a
string. For each one:

* if the check admits it, neither the text that runs (the canonical one) nor the client's own text makes
  pyoxigraph connect anywhere, and both give the same answer;
* if the check refuses it for SERVICE, pyoxigraph, given the client's text, does call the service: the two agree.

``FUZZ_EXAMPLES`` sets the number of queries (a few hundred in CI; docs/security.md reports a run of 100,000).
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ecosystem_graph.errors import QueryError
from ecosystem_graph.syntax.bounded import inline_text, is_bounded
from ecosystem_graph.syntax.lexer import canonical
from ecosystem_graph.syntax.protocol import checked_query

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
EX = "http://example.org/"


class Listener:
    """Counts connections on 127.0.0.1 and answers each with an HTTP error, so a SERVICE call fails at once."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}/"
        self.count = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.socket.accept()
            except OSError:
                return
            self.count += 1
            with conn:
                conn.settimeout(1)
                try:
                    conn.recv(65536)
                    conn.sendall(b"HTTP/1.1 500 no\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                except OSError:
                    pass


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    canary = Listener()
    yield canary
    canary.socket.close()


@pytest.fixture(scope="module")
def store() -> ox.Store:
    data = ox.Store()
    subject, predicate = ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p")
    for value in ("x", 'x"', "x'", "SERVICE", "a\nb"):
        data.add(ox.Quad(subject, predicate, ox.Literal(value)))
    data.add(ox.Quad(subject, ox.NamedNode(EX + "SERVICE"), ox.NamedNode(EX + "o#SERVICE")))
    return data


# --- the pieces ---------------------------------------------------------------------------------------------------
LINE_ENDS = st.sampled_from(["\n", "\r", "\r\n"])
SPACE = st.sampled_from([" ", "\t", "\n", "\r", "\r\n", "  "])
CHARS = st.sampled_from(["a", "x", " ", '"', "'", "\\", "#", "{", "}", "SERVICE", "\u00e9", "\u0416"])


@st.composite
def comment(draw: st.DrawFn, then: str = "") -> str:
    """A comment and what follows it: ``then`` is code only if the comment ended before it."""
    body = draw(st.text(st.sampled_from(["c", " ", '"', "'", "{", "\\", "\u00e9"]), max_size=6))
    ending = draw(LINE_ENDS)
    return f"#{body}{ending}{then}"


ESCAPES = ["\\\\", '\\"', "\\'", "\\n", "\\t", "\\r", "\\u0041", "\\u00e9", "\\U0001F600", "\\u0022", "\\u0027"]


@st.composite
def string(draw: st.DrawFn, inside: str = "") -> str:
    """A string literal in one of the four forms, with escapes, holding ``inside`` somewhere."""
    quote = draw(st.sampled_from(['"', "'", '"""', "'''"]))
    parts = draw(st.lists(st.one_of(st.sampled_from(ESCAPES), st.sampled_from(["a", "x", " ", "SERVICE", "#"])),
                          max_size=5))
    if len(quote) == 3:  # a long string may hold line breaks and lone quotes, and end with an escaped quote
        parts += draw(st.lists(st.sampled_from(["\n", "\r", quote[0], quote[0] * 2]), max_size=2))
        if draw(st.booleans()):
            parts.append("\\" + quote[0])
    body = "".join(parts)
    if len(quote) == 3:
        body = body.rstrip(quote[0]) if not body.endswith("\\" + quote[0]) else body
    else:
        body = body.replace(quote, "\\" + quote)
    return f"{quote}{body}{inside}{quote}"


def service(url: str) -> str:
    return f"SERVICE <{url}sparql> {{ ?x ?y ?z }}"


@st.composite
def query(draw: st.DrawFn, url: str) -> str:
    """A SELECT over the test data that reaches each of its parts (the first pattern matches)."""
    parts = [f"<{EX}s> <{EX}p> ?o ."]
    for number in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["bind", "filter", "iri", "pname", "group", "comment", "service",
                                     "hidden in comment", "hidden in string"]))
        if kind == "bind":
            parts.append(f"BIND({draw(string())} AS ?v{number})")
        elif kind == "filter":
            parts.append(f"FILTER(?o != {draw(string())})")
        elif kind == "iri":
            parts.append(f"OPTIONAL {{ ?o <{EX}SERVICE#LOAD> <{EX}o#SERVICE> }}")
        elif kind == "pname":
            parts.append("OPTIONAL { ?o ex:SERVICE ex:LOAD }")
        elif kind == "group":
            depth = draw(st.integers(1, 4))
            parts.append("{ " * depth + f"<{EX}s> ?q{number} ?w{number}" + " }" * depth)
        elif kind == "comment":
            parts.append(draw(comment()))
        elif kind == "service":
            parts.append(service(url))
        elif kind == "hidden in comment":
            parts.append(draw(comment(then=service(url) + draw(LINE_ENDS))))
        else:
            parts.append(f"BIND({draw(string(inside=' ' + service(url).replace(chr(34), '')))} AS ?h{number})")
    glue = [draw(SPACE) for _ in parts]
    body = "".join(part + space for part, space in zip(parts, glue, strict=True))
    tail = draw(st.sampled_from(["", "\n", "# end", "# end\r"]))
    return f"PREFIX ex: <{EX}>\nSELECT * WHERE {{ {body}}}{tail}"


def run(store: ox.Store, listener: Listener, text: str) -> tuple[str, object, int]:
    """(outcome, answer, connections) of pyoxigraph running ``text``."""
    before = listener.count
    try:
        answer: object = sorted(str(row) for row in store.query(text))
        outcome = "ok"
    except SyntaxError as error:
        answer, outcome = str(error), "syntax"
    except OSError as error:  # the SERVICE call failed: our listener answers 500
        answer, outcome = str(error), "service"
    return outcome, answer, listener.count - before


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                        HealthCheck.too_slow])
@given(data=st.data())
def test_the_check_and_the_engine_agree(data: st.DataObject, store: ox.Store, listener: Listener) -> None:
    text = data.draw(query(listener.url))
    try:
        checked = checked_query(text, allow_service=False)
    except QueryError as refusal:
        event("refused for SERVICE" if "SERVICE" in str(refusal) else "refused as unreadable")
        if "SERVICE" in str(refusal):
            outcome, _, connections = run(store, listener, text)
            assert connections > 0 or outcome == "syntax", f"refused for SERVICE, but the engine calls none: {text!r}"
        return  # refused as malformed or unreadable one way: nothing runs
    event("admitted")
    outcome, answer, connections = run(store, listener, checked)
    assert connections == 0, f"the checked text called out: {checked!r}"
    original = run(store, listener, text)
    assert original[2] == 0, f"admitted, but the client's own text calls SERVICE in the engine: {text!r}"
    if outcome == "ok" and original[0] == "ok":
        assert answer == original[1], f"the canonical text answers otherwise than the client's: {text!r}"


@settings(max_examples=EXAMPLES, deadline=None)
@given(subject=st.sampled_from([f"<{EX}s>", "?s", "ex:s"]), predicate=st.sampled_from([f"<{EX}p>", "?p", "a"]),
       obj=st.one_of(st.just("?o"), string()), gap=st.lists(st.one_of(SPACE, comment()), max_size=2),
       limit=st.sampled_from(["", " LIMIT 1", " LIMIT 100"]))
def test_the_in_process_lane_runs_what_it_read(subject: str, predicate: str, obj: str, gap: list[str],
                                               limit: str) -> None:
    """A single pattern, however it is spelled, answers in the serving process exactly as the whole query does."""
    text = f"PREFIX ex: <{EX}>\nSELECT * WHERE {{ {subject} {''.join(gap) or ' '}{predicate} {obj} }}{limit}"
    data = ox.Store()
    data.add(ox.Quad(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), ox.Literal("x")))
    try:
        expected = sorted(str(row) for row in data.query(text))
    except SyntaxError:
        return
    assert is_bounded(text), f"one pattern of distinct variables, read as more: {canonical(text).text!r}"
    inline = inline_text(text, max_rows=1000)
    assert inline is not None
    assert sorted(str(row) for row in data.query(inline)) == expected
