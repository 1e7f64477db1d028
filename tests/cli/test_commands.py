"""The ``ecosystem-graph`` command end to end, as a user runs it (a real process, a real store on disk)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from rdflib import Dataset, Graph

from ecosystem_graph.config import Settings

from .conftest import COUNT, count, run


def test_every_command_has_help(mini_settings: Settings) -> None:
    for command in ("load", "validate", "query", "export", "stats", "serve"):
        result = run(mini_settings, command, "--help")
        assert result.returncode == 0, (command, result.stderr)
        assert "Usage" in result.stdout


def test_load_then_query_counts_triples(loaded: Settings) -> None:
    assert count(loaded) > 0


def test_query_formats(loaded: Settings) -> None:
    select = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?s ?label"
    table = run(loaded, "query", select)
    assert "Sechenov University" in table.stdout
    rows = list(csv.DictReader(io.StringIO(run(loaded, "query", select, "--format", "csv").stdout)))
    assert {"s", "label"} <= set(rows[0])
    tsv = run(loaded, "query", select, "--format", "tsv").stdout
    assert tsv.splitlines()[0] == "?s\t?label"
    ask = run(loaded, "query", "ASK { ?s a <http://xmlns.com/foaf/0.1/Person> }")
    assert ask.stdout.strip() == "true"
    construct = "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c }"
    turtle = run(loaded, "query", construct, "--format", "turtle").stdout
    assert len(Graph().parse(data=turtle, format="turtle")) > 0
    jsonld = run(loaded, "query", construct, "--format", "jsonld").stdout
    assert len(Graph().parse(data=jsonld, format="json-ld")) == len(Graph().parse(data=turtle, format="turtle"))
    from_file = loaded.project_dir / "sparql" / "organisations.rq"
    assert "Zelenograd Development Corporation" in run(loaded, "query", "--file", str(from_file)).stdout
    assert count(loaded) > int(json.loads(run(loaded, "query", COUNT, "--format", "json", "--asserted-only")
                                          .stdout)["results"]["bindings"][0]["n"]["value"])


def test_stats_show_one_named_graph_per_source_file(loaded: Settings) -> None:
    result = run(loaded, "stats")
    assert result.returncode == 0, result.stderr
    for graph in ("graph/data/orgs", "graph/data/people", "graph/ontology/mini", "graph/ontology/shapes"):
        assert loaded.base_iri + graph in result.stdout


def test_broken_turtle_names_file_line_column_and_keeps_old_data(loaded: Settings) -> None:
    before = count(loaded)
    broken = loaded.project_dir / "data" / "broken.ttl"
    broken.write_text("@prefix ex: <https://example.org/> .\n\nex:a ex:b ex:c ;\n  ex:d .\n")
    result = run(loaded, "load")
    assert result.returncode == 2
    assert f"{broken}:4:" in result.stderr
    assert count(loaded) == before


def test_validate_checks_without_touching_the_store(loaded: Settings) -> None:
    generations = sorted((loaded.store_dir / "generations").iterdir())
    assert run(loaded, "validate").returncode == 0
    (loaded.project_dir / "data" / "bad.ttl").write_text(
        "<https://w3id.org/ecosystem-graph/id/organization/x> a "
        "<https://w3id.org/ecosystem-graph/ontology#Organization> .\n")
    result = run(loaded, "validate")
    assert result.returncode == 1
    assert "id/organization/x" in result.stderr
    assert sorted((loaded.store_dir / "generations").iterdir()) == generations


def test_export_dataset_and_one_graph(loaded: Settings, tmp_path: Path) -> None:
    trig = run(loaded, "export", "--format", "trig").stdout
    dataset = Dataset()
    dataset.parse(data=trig, format="trig")
    nquads = tmp_path / "all.nq"
    assert run(loaded, "export", "--format", "nq", "--output", str(nquads)).returncode == 0
    assert len(nquads.read_text().splitlines()) == count_quads(dataset) == count(loaded)
    one = run(loaded, "export", "--format", "turtle", "--graph", loaded.base_iri + "graph/data/orgs").stdout
    assert len(Graph().parse(data=one, format="turtle")) == 7
    assert run(loaded, "export", "--format", "turtle").returncode == 2


def count_quads(dataset: Dataset) -> int:
    return sum(1 for _ in dataset.quads((None, None, None, None)))


def test_query_without_a_store_says_what_to_do(mini_settings: Settings) -> None:
    result = run(mini_settings, "query", COUNT)
    assert result.returncode == 2  # configuration: the settings point where no store has been built
    assert "ecosystem-graph load" in result.stderr


def test_malformed_query_is_bad_input(loaded: Settings) -> None:
    result = run(loaded, "query", "SELECT ?s WHERE { ?s ?p }")
    assert result.returncode == 2
    assert "error" in result.stderr.lower()


def test_version_is_printed_without_a_command(mini_settings: Settings) -> None:
    from ecosystem_graph import __version__

    result = run(mini_settings, "--version")
    assert (result.returncode, result.stdout.strip()) == (0, __version__), result.stderr
