"""A plain ``serve`` line is read without typer (cli/serve_fast.py): what it reads must be what typer reads from the
same line, and every line it is not sure of is left to typer (help, unknown options, values typer checks)."""

from __future__ import annotations

from dataclasses import asdict

import pytest
import typer

from ecosystem_graph.cli.commands import app
from ecosystem_graph.cli.serve_fast import read

PLAIN = [
    ["serve"],
    ["serve", "--host", "127.0.0.1", "--port", "8080"],
    ["-v", "serve", "--port=0123", "--workers", "3", "--no-rebuild", "--access-log"],
    ["--verbose", "serve", "--project", "some/dir", "--store=/tmp/s", "--backend", "memory", "--base-iri",
     "https://example.org/", "--rebuild", "--no-access-log", "--port", "1", "--port", "2"],
]
LEFT_TO_TYPER = [
    [], ["load"], ["serve", "--help"], ["--help", "serve"], ["serve", "-h"], ["--version"], ["serve", "--workers", "0"],
    ["serve", "--port", "x"], ["serve", "--port", "-1"], ["serve", "--port", "８０"], ["serve", "--port"],
    ["serve", "--prot", "80"], ["serve", "extra"], ["serve", "--host", ""], ["serve", "--rebuild=yes"],
    ["-vv", "serve"], ["serve", "--", "--port", "80"], ["serve", "-v"],
]


def typer_reads(argv: list[str]) -> dict:
    """The values typer gives ``serve`` for ``argv``, and whether the top-level ``--verbose`` was set."""
    group = typer.main.get_command(app)
    verbose = argv[0] in ("-v", "--verbose")
    words = argv[1:] if verbose else argv
    assert words[0] == "serve"
    command = group.commands["serve"]  # type: ignore[attr-defined]
    with command.make_context("serve", list(words[1:])) as context:
        return {**context.params, "verbose": verbose}


@pytest.mark.parametrize("argv", PLAIN, ids=" ".join)
def test_a_plain_line_reads_as_typer_reads_it(argv: list[str]) -> None:
    line = read(argv)
    assert line is not None
    assert asdict(line) == typer_reads(argv)


@pytest.mark.parametrize("argv", LEFT_TO_TYPER, ids=lambda argv: " ".join(argv) or "nothing")
def test_every_other_line_is_left_to_typer(argv: list[str]) -> None:
    assert read(argv) is None
