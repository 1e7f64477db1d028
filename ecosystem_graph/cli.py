"""The ``ecosystem-graph`` command's entry point. The only place that configures logging and maps errors to exit
codes; the commands themselves are in :mod:`.commands`.

This module stays light on purpose: the processes that ``multiprocessing`` starts (query workers, through the
fork server) import the main module again before they run, and the main module is this one
(``python -m ecosystem_graph.cli``) or the console script that imports it.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from .errors import (
    ConfigError,
    EcosystemGraphError,
    NotAcceptable,
    QueryError,
    SourceError,
    UnsupportedMediaType,
    ValidationFailed,
)

EXIT_OK, EXIT_CHECKS_FAILED, EXIT_BAD_INPUT = 0, 1, 2
#: error class -> exit code; the first match wins, so subclasses come first.
EXIT_CODES: list[tuple[type[BaseException], int]] = [
    (ValidationFailed, EXIT_CHECKS_FAILED),
    (SourceError, EXIT_BAD_INPUT),
    (ConfigError, EXIT_BAD_INPUT),
    (QueryError, EXIT_BAD_INPUT),
    (NotAcceptable, EXIT_BAD_INPUT),
    (UnsupportedMediaType, EXIT_BAD_INPUT),
    (EcosystemGraphError, EXIT_CHECKS_FAILED),
]


def exit_code(error: BaseException) -> int:
    return next(code for cls, code in EXIT_CODES if isinstance(error, cls))


def configure_logging(verbose: bool) -> None:
    """Messages through rich on standard error; DEBUG with ``--verbose``."""
    from rich.logging import RichHandler

    from .commands import console

    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, format="%(message)s",
                        handlers=[RichHandler(console=console, show_path=False)], force=True)
    logging.getLogger("httpx").setLevel(logging.DEBUG if verbose else logging.WARNING)  # one line per request


def main() -> None:
    """Console-script entry: run the app and turn our errors into a message and an exit code."""
    from .commands import app

    report_errors(app)


def report_errors(step: Callable[..., object], *args: object) -> None:
    """Run ``step``; one of our errors becomes a message on standard error and the process's exit code."""
    from .commands import console

    try:
        step(*args)
    except EcosystemGraphError as error:
        console.print(f"[red]error:[/red] {error}", markup=True, highlight=False)
        sys.exit(exit_code(error))


def __getattr__(name: str) -> object:
    """``cli.app``: the typer application, imported on first use."""
    if name == "app":
        from .commands import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if __name__ == "__main__":  # pragma: no cover
    main()
