"""A plain ``serve`` command line, read without typer: importing typer (its option checks load pydantic) and
building the command tree cost more than a tenth of a second, before the first answer.

Only a line this module reads completely is served from here: the ``serve`` options, each with a value that
needs no check beyond being digits, after ``-v``/``--verbose`` or nothing. Anything else (``--help``, an unknown
or misspelt option, a missing or odd value, ``--workers 0``) is left to typer, so that every help text and every
error message stays typer's own.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

#: options that take a value -> the field it sets
_VALUED = {"--host": "host", "--port": "port", "--project": "project", "--store": "store", "--backend": "backend",
           "--base-iri": "base_iri", "--workers": "workers"}
_NUMBERS = {"port": 0, "workers": 1}  # the least each number may be (typer says why a smaller one is refused)
_PATHS = {"project", "store"}
_FLAGS = {"--rebuild": ("rebuild", True), "--no-rebuild": ("rebuild", False),
          "--access-log": ("access_log", True), "--no-access-log": ("access_log", False)}


@dataclass
class ServeLine:
    """What a plain ``serve`` line asks for, as ``commands.serve`` receives it from typer."""

    host: str | None = None
    port: int | None = None
    project: Path | None = None
    store: Path | None = None
    backend: str | None = None
    base_iri: str | None = None
    workers: int | None = None
    rebuild: bool = True
    access_log: bool = False
    verbose: bool = False


def read(argv: list[str]) -> ServeLine | None:
    """``argv`` (without the program) as a plain ``serve`` line, or None when typer is to read it."""
    line = ServeLine()
    at = 0
    while at < len(argv) and argv[at] in ("-v", "--verbose"):
        line.verbose, at = True, at + 1
    if argv[at:at + 1] != ["serve"]:
        return None
    at += 1
    while at < len(argv):
        word = argv[at]
        if word in _FLAGS:
            name, flag = _FLAGS[word]
            setattr(line, name, flag)
            at += 1
            continue
        option, equals, inline = word.partition("=")
        field = _VALUED.get(option)
        if field is None:
            return None
        if equals:
            value, at = inline, at + 1
        elif at + 1 < len(argv):
            value, at = argv[at + 1], at + 2
        else:
            return None
        if not value or value.startswith("-"):
            return None
        if field in _NUMBERS:
            if not (value.isascii() and value.isdigit()) or int(value) < _NUMBERS[field]:
                return None
            setattr(line, field, int(value))
        else:
            setattr(line, field, Path(value) if field in _PATHS else value)
    return line


def run(line: ServeLine) -> None:
    """Serve as ``ecosystem-graph serve`` does (the same steps, messages and exit codes)."""
    from .console import configure_logging, report_errors
    from .serve_command import serve
    from .settings import settings_from

    def serve_line() -> None:
        settings = settings_from(line.project, line.store, line.backend, line.base_iri, host=line.host,
                                 port=line.port)
        serve(settings, rebuild=line.rebuild, workers=line.workers, access_log=line.access_log,
              verbose=line.verbose)

    configure_logging(line.verbose)
    try:
        report_errors(serve_line)
    except KeyboardInterrupt:  # as click ends a command interrupted before it serves
        sys.stderr.write("Aborted!\n")
        sys.exit(1)
