"""The SPARQL Protocol rules without HTTP: which operation a request carries, SERVICE found by the parse, and
the update dataset parameters as USING clauses."""

from __future__ import annotations

import pytest

from ecosystem_graph.errors import QueryError
from ecosystem_graph.syntax.lexer import canonical
from ecosystem_graph.syntax.protocol import read_operation, with_using_dataset
from ecosystem_graph.syntax.reading import read_query, read_update


@pytest.mark.parametrize(("text", "expected"), [
    ("SELECT * { SERVICE <http://x/sparql> { ?s ?p ?o } }", True),
    ("select * { service silent ?endpoint { ?s ?p ?o } }", True),
    ('SELECT * { ?s ?p "SERVICE" }', False),
    ("SELECT * { ?s ?p '''a\nSERVICE <x> {}''' }", False),
    ("SELECT * { ?s ?p ?o } # SERVICE <http://x/> { }", False),
    ("SELECT * { ?s ex:SERVICE ?service . <http://x/SERVICE> ?p ?o }", False),
    ("INSERT { ?s ?p ?o } WHERE { SERVICE <http://x/> { ?s ?p ?o } }", True),
])
def test_service_is_found_only_as_a_keyword(text: str, expected: bool) -> None:
    read = read_update if text.startswith("INSERT") else read_query
    assert read(text).uses_service is expected


def test_using_clauses_go_before_each_top_level_where() -> None:
    update = ("PREFIX ex: <http://ex/>\nCLEAR ALL ;\nINSERT DATA { GRAPH ex:g { ex:a ex:b ex:c } } ;\n"
              "INSERT { GRAPH ex:h { ?s a ex:Where } } WHERE { ?s ?p \"WHERE\" { SELECT * WHERE { ?s ?p ?o } } } ;\n"
              "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o } # WHERE\n")
    rewritten = with_using_dataset(update, ["http://g/1"], ["http://g/2"])
    assert rewritten.count("USING <http://g/1> USING NAMED <http://g/2> WHERE") == 2
    assert rewritten.replace("USING <http://g/1> USING NAMED <http://g/2> ", "") == canonical(update).text
    assert with_using_dataset(update, [], []) == update


@pytest.mark.parametrize("update", [
    "WITH <http://g/> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "DELETE { ?s ?p ?o } USING <http://g/> WHERE { ?s ?p ?o }",
    "DELETE WHERE { ?s ?p ?o }",
])
def test_using_parameters_refused_where_they_cannot_apply(update: str) -> None:
    with pytest.raises(QueryError):
        with_using_dataset(update, ["http://g/1"], [])


def test_using_parameters_must_be_iris() -> None:
    with pytest.raises(QueryError, match="not an absolute IRI"):
        with_using_dataset("INSERT { ?s ?p ?o } WHERE { ?s ?p ?o }", ["http://g/> } ; DROP ALL ; #"], [])


def test_read_operation() -> None:
    assert read_operation([]) is None
    assert read_operation([("format", "json")]) is None
    query = read_operation([("query", "ASK {}"), ("default-graph-uri", "http://g/1")])
    assert query is not None and query.default_graphs == ["http://g/1"] and query.named_graphs == []
    plain = read_operation([("query", "ASK {}"), ("inference", "false")])
    assert plain is not None and plain.default_graphs is None and plain.include_inferred is False
    update = read_operation([("using-named-graph-uri", "http://g/2")], direct_update="CLEAR ALL")
    assert update is not None and update.is_update and update.using_named_graphs == ["http://g/2"]


@pytest.mark.parametrize(("params", "direct"), [
    ([("query", "ASK {}"), ("query", "ASK {}")], {}),
    ([("query", "ASK {}")], {"direct_query": "ASK {}"}),
    ([("update", "CLEAR ALL")], {"direct_query": "ASK {}"}),
    ([("update", "CLEAR ALL"), ("update", "CLEAR ALL")], {}),
    ([("update", "CLEAR ALL"), ("default-graph-uri", "http://g/")], {}),
    ([("query", "ASK {}"), ("using-graph-uri", "http://g/")], {}),
    ([("query", "ASK {}"), ("named-graph-uri", "g")], {}),
    ([("query", "ASK {}"), ("include-inferred", "perhaps")], {}),
])
def test_read_operation_refuses(params: list[tuple[str, str]], direct: dict[str, str]) -> None:
    with pytest.raises(QueryError):
        read_operation(params, **direct)
