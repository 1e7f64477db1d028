"""The one reading of a request: exact tokens, the canonical text the engine runs, and the parse the checks are
made on. Each known bypass of the old hand-written reader is a regression case (``bypasses.jsonl``)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from ecosystem_graph.config import Settings
from ecosystem_graph.errors import MalformedRequest, QueryError
from ecosystem_graph.pipeline.writes import checked_update
from ecosystem_graph.syntax.bounded import is_bounded
from ecosystem_graph.syntax.lexer import MAX_NESTING, canonical
from ecosystem_graph.syntax.protocol import checked_query
from ecosystem_graph.syntax.reading import read_query, read_update

from .corpus import Case, cases


@pytest.mark.parametrize("case", cases(), ids=lambda case: case.name)
def test_every_known_bypass_is_refused_or_sent_to_the_workers(case: Case) -> None:
    text = case.text()
    if case.expect == "unbounded":
        assert not is_bounded(text), "a join read as one pattern would run in the HTTP process"
        checked_query(text, allow_service=False)  # admitted, but to a worker, under the timeout
        return
    with pytest.raises(QueryError) as refused:
        if case.operation == "query":
            checked_query(text, allow_service=False)
        else:
            checked_update(Settings(), text)
    word = {"service": "SERVICE", "load": "LOAD"}.get(case.expect)
    assert word is None or word in str(refused.value), "the refusal says why"


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { ?s ?p ?o # c\r SERVICE <http://x/> { ?a ?b ?c } }",
    'SELECT * WHERE { ?s ?p """x\\"""" . SERVICE <http://x/> { ?a ?b ?c } }',
])
def test_the_engine_itself_reads_service_in_the_bypasses(text: str) -> None:
    """Why the cases matter: pyoxigraph's own parser sees SERVICE in them (a query with an unknown prefix inside the
    service pattern fails to parse only if the pattern is code, not comment or string)."""
    broken = text.replace("{ ?a ?b ?c }", "{ ?a undeclared:p ?c }")
    with pytest.raises(SyntaxError):
        ox.Store().query(broken)
    assert read_query(text).uses_service


def test_canonical_text_is_the_tokens_without_comments_or_long_strings() -> None:
    text = "PREFIX ex: <http://e/>\nSELECT ?x # comment\r\nWHERE{?x ex:p 'it\\'s'@en-GB;ex:q \"\"\"1\"\"\"^^ex:t.}"
    assert canonical(text).text == 'PREFIX ex: <http://e/> SELECT ?x WHERE{?x ex:p "it\'s"@en-GB;ex:q "1"^^ex:t.}'
    assert canonical(canonical(text).text).text == canonical(text).text, "canonical text is a fixed point"


def test_unicode_escapes_are_decoded_in_strings_and_iris_and_refused_elsewhere() -> None:
    assert canonical('ASK { <http://e/\\u0041> ?p "\\u00e9\\U0001F600" }').text == 'ASK { <http://e/A> ?p "é😀" }'
    with pytest.raises(QueryError, match="inside strings and IRIs"):
        canonical("ASK { ?s ?p ?o } \\u0023")
    with pytest.raises(QueryError, match="IRIs cannot hold"):
        canonical("ASK { <http://e/\\u003e> ?p ?o }")
    with pytest.raises(QueryError, match="backslash followed by 'u'"):
        canonical('ASK { ?s ?p "\\\\u0041" }')


def test_nesting_is_limited_with_a_readable_message() -> None:
    at_limit = "SELECT * WHERE " + "{ " * MAX_NESTING + "?s ?p ?o" + " }" * MAX_NESTING
    assert read_query(at_limit).text
    deepest_parentheses = "ASK { FILTER(" + "(" * (MAX_NESTING - 2) + "1" + ")" * (MAX_NESTING - 2) + ") }"
    assert read_query(deepest_parentheses).text, "the parse reads the deepest nesting the limit lets through"
    with pytest.raises(QueryError, match=f"deeper than {MAX_NESTING} levels"):
        canonical("SELECT * WHERE " + "{ " * (MAX_NESTING + 1) + "?s ?p ?o" + " }" * (MAX_NESTING + 1))


def test_an_update_says_which_graphs_it_writes_and_empties() -> None:
    reading = read_update(
        "PREFIX ex: <http://e/> INSERT DATA { GRAPH ex:a { ex:s ex:p 1 } ex:t ex:p 2 } ; "
        "WITH <http://e/w> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o } ; DROP ALL ; CLEAR GRAPH ex:c ; "
        "MOVE DEFAULT TO ex:m ; INSERT { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert set(reading.written) == {"http://e/a", "DEFAULT", "http://e/w", "http://e/m"}
    assert set(reading.emptied) == {"ALL", "http://e/c", "http://e/m", "DEFAULT"}
    assert reading.variable_graph and not reading.uses_service and not reading.uses_load


@pytest.mark.parametrize(("update", "allowed"), [
    ("DROP ALL", False), ("CLEAR NAMED", False), ("DROP SILENT ALL", False),
    ("DROP GRAPH <https://w3id.org/ecosystem-graph/graph/ontology/core>", False),
    ("MOVE <https://w3id.org/ecosystem-graph/graph/ontology/core> TO <http://e/x>", False),
    ("ADD <http://e/x> TO <https://w3id.org/ecosystem-graph/graph/inferred>", False),
    ("DROP GRAPH <http://e/mine>", True), ("CLEAR DEFAULT", True),
])
def test_graph_management_needs_the_admin_setting(update: str, allowed: bool) -> None:
    if allowed:
        assert checked_update(Settings(), update)
        return
    with pytest.raises(QueryError, match=r"refused|computed"):
        checked_update(Settings(), update)
    if "inferred" not in update:
        assert checked_update(Settings(allow_graph_management=True), update)



def test_a_malformed_query_is_reported_at_its_place_in_the_text_sent() -> None:
    """Not in the canonical text: the comment and spaces the client wrote still count."""
    with pytest.raises(MalformedRequest, match=r"^error at 4:18: "):
        read_query("PREFIX ex: <http://e/>\nSELECT *\n# a comment\nWHERE { ?s ?p ?o ?x }")
