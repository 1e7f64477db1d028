"""The ``ecosystem-graph`` command. :func:`main` is the console script; the commands are in :mod:`.commands`,
the consoles, logging set-up and exit codes in :mod:`.console`.

This module stays light on purpose: the processes that ``multiprocessing`` starts (query workers, through the
fork server) import the main module again before they run, and the main module is this package's ``__main__``
(``python -m ecosystem_graph.cli``) or the console script that imports it.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Console-script entry: run the app and turn our errors into a message and an exit code. A plain ``serve``
    line is served without loading typer (:mod:`.serve_fast`), so that the server answers sooner."""
    from .serve_fast import read

    line = read(sys.argv[1:])
    if line is not None:
        from .serve_fast import run

        run(line)
        return
    from .commands import app
    from .console import report_errors

    report_errors(app)
