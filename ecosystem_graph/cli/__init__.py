"""The ``ecosystem-graph`` command. :func:`main` is the console script; the commands are in :mod:`.commands`,
the consoles, logging set-up and exit codes in :mod:`.console`.

This module stays light on purpose: the processes that ``multiprocessing`` starts (query workers, through the
fork server) import the main module again before they run, and the main module is this package's ``__main__``
(``python -m ecosystem_graph.cli``) or the console script that imports it.
"""

from __future__ import annotations


def main() -> None:
    """Console-script entry: run the app and turn our errors into a message and an exit code."""
    from .commands import app
    from .console import report_errors

    report_errors(app)
