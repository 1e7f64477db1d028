"""Writes of a serving process run in a child process (pipeline/writer.py): the parent's store sees what the child
published, the child's errors reach the parent as the same errors with the same fields, and a killed child is
replaced without losing what it had published."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Iterator

import pytest

from ecosystem_graph.config import Settings
from ecosystem_graph.errors import QueryError, SourceError, ValidationFailed
from ecosystem_graph.pipeline.writer import Writer
from ecosystem_graph.store import GraphStore

ECO = "https://w3id.org/ecosystem-graph/ontology#"
ORG = "https://w3id.org/ecosystem-graph/id/organization/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"


@pytest.fixture
def writer(mini_settings: Settings, mini_store: GraphStore) -> Iterator[Writer]:
    child = Writer(mini_store, mini_settings)
    yield child
    child.close()


def insert(writer: Writer, triples: str) -> None:
    graph = writer.settings.base_iri + "graph/data/w"
    asyncio.run(writer.run("update", f"PREFIX eco: <{ECO}> PREFIX org: <{ORG}> PREFIX rdfs: <{RDFS}> "
                                     f"INSERT DATA {{ GRAPH <{graph}> {{ {triples} }} }}"))


def holds(store: GraphStore, pattern: str) -> bool:
    return store.ask(f"PREFIX eco: <{ECO}> PREFIX org: <{ORG}> ASK {{ {pattern} }}")


def test_a_write_runs_in_the_child_and_the_parent_reads_it(writer: Writer, mini_store: GraphStore) -> None:
    insert(writer, 'org:w1 a eco:Organization ; rdfs:label "Первая"@ru .')
    assert writer._process is not None and writer._process.pid is not None and writer._process.pid != os.getpid()
    # below the serving process's CPU priority: when cores are short, the reads it answers go first
    assert os.getpriority(os.PRIO_PROCESS, writer._process.pid) > os.getpriority(os.PRIO_PROCESS, 0)
    assert holds(mini_store, "org:w1 a eco:Organization")
    assert holds(mini_store, "org:w1 a <http://xmlns.com/foaf/0.1/Agent>")  # reasoned in the child, published


def test_errors_come_back_as_the_same_errors(writer: Writer, mini_store: GraphStore) -> None:
    with pytest.raises(QueryError, match="not a SPARQL update"):
        asyncio.run(writer.run("update", "INSERT DATA { <urn:x:s> <urn:x:p> "))
    with pytest.raises(ValidationFailed, match="an organisation needs a label") as rejected:
        insert(writer, "org:nolabel a eco:Organization .")
    assert rejected.value.violations and any("nolabel" in v for v in rejected.value.violations)
    with pytest.raises(SourceError) as bad_body:
        asyncio.run(writer.run("add_to_graph", writer.settings.base_iri + "graph/data/w",
                               [(b"<urn:x:s> <urn:x:p> .\n", "text/turtle")]))
    assert (bad_body.value.line, bad_body.value.column) == (1, 21) and "not a valid RDF object" in str(bad_body.value)
    assert not holds(mini_store, "org:nolabel ?p ?o")
    insert(writer, 'org:w2 a eco:Organization ; rdfs:label "Вторая"@ru .')  # the same child goes on
    assert holds(mini_store, "org:w2 a eco:Organization")


def test_a_killed_child_is_replaced_and_its_writes_stay(writer: Writer, mini_store: GraphStore) -> None:
    insert(writer, 'org:w3 a eco:Organization ; rdfs:label "Третья"@ru .')
    assert writer._process is not None and writer._process.pid is not None
    first = writer._process.pid
    os.kill(first, signal.SIGKILL)
    writer._process.join(timeout=10)
    insert(writer, 'org:w4 a eco:Organization ; rdfs:label "Четвёртая"@ru .')
    assert writer._process is not None and writer._process.pid != first
    assert holds(mini_store, "org:w3 a eco:Organization") and holds(mini_store, "org:w4 a eco:Organization")
