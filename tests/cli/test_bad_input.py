"""Bad input on the command line, tried as a new user would: one line naming the argument or file and the cause,
exit code 2, never a traceback; nothing already stored is touched."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from ecosystem_graph.config import Settings
from ecosystem_graph.store.formats import FORMAT_NAMES

from .conftest import COUNT, count, run

GRAPH = "https://w3id.org/ecosystem-graph/graph/data/"


def assert_bad_input(result, *words: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("error:"), result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)


def test_a_query_file_that_does_not_exist(loaded: Settings, tmp_path: Path) -> None:
    assert_bad_input(run(loaded, "query", "--file", str(tmp_path / "nowhere.rq")), "nowhere.rq", "No such file")


def test_no_query_at_all(loaded: Settings) -> None:
    assert_bad_input(run(loaded, "query", stdin=""), "no query", "--file")


def test_an_unknown_query_format_lists_the_names_to_type(loaded: Settings) -> None:
    result = run(loaded, "query", COUNT, "--format", "yaml")
    assert_bad_input(result, "'yaml'", "csv", "json", "turtle")
    assert "application/" not in result.stderr  # names, not media types


@pytest.mark.parametrize("name", ["rdf", "n3", "n-triples", "ttl"])
def test_every_name_http_accepts_the_cli_accepts(loaded: Settings, name: str) -> None:
    assert name in FORMAT_NAMES
    result = run(loaded, "query", "CONSTRUCT WHERE { ?s a ?c } LIMIT 1", "--format", name)
    assert result.returncode == 0, result.stderr


def test_export_to_a_folder_that_does_not_exist(loaded: Settings, tmp_path: Path) -> None:
    assert_bad_input(run(loaded, "export", "-o", str(tmp_path / "nowhere" / "x.trig")), "--output", "nowhere")


def test_export_of_one_graph_in_an_unknown_format(loaded: Settings) -> None:
    assert_bad_input(run(loaded, "export", "--graph", GRAPH + "x", "--format", "yaml"), "'yaml'", "turtle")


def test_export_of_a_graph_that_does_not_exist(loaded: Settings, tmp_path: Path) -> None:
    target = tmp_path / "out.ttl"
    assert_bad_input(run(loaded, "export", "--graph", GRAPH + "nothing-here", "--format", "turtle",
                         "-o", str(target)), "no graph", "nothing-here")
    assert not target.exists() and not list(tmp_path.glob(".*partial"))


def test_serve_on_a_busy_port_says_so_before_starting(loaded: Settings) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run(loaded, "serve", "--host", "127.0.0.1", "--port", str(port), "--no-rebuild")
    assert_bad_input(result, f"127.0.0.1:{port}", "--port")
    assert "serving on" not in result.stdout + result.stderr
    assert count(loaded) > 0  # the store is untouched


def test_reason_names_file_line_and_column_of_a_syntax_error(loaded: Settings) -> None:
    broken = loaded.project_dir / "data" / "broken.ttl"
    broken.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b "Сеченов" ;\n  ex:c ex:d ex:e .\n',
                      encoding="utf-8")
    result = run(loaded, "reason")
    assert_bad_input(result, "broken.ttl:3:")
    assert "\\xd0" not in result.stderr and "b'" not in result.stderr
