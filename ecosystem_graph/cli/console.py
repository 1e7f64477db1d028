"""The terminal side of every command: the shared consoles, the logging set-up, and our errors turned into one
message and an exit code. The exit codes are this table (README, "Command line"); nothing else maps errors to them.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from rich.console import Console

from ..errors import (
    ConfigError,
    EcosystemGraphError,
    NotAcceptable,
    NotFound,
    QueryError,
    SourceError,
    StoreUnavailable,
    UnsupportedMediaType,
    ValidationFailed,
)

#: messages, progress and logging
console = Console(stderr=True, soft_wrap=True)
#: results
out = Console(soft_wrap=True)

EXIT_OK, EXIT_CHECKS_FAILED, EXIT_BAD_INPUT = 0, 1, 2
#: error class -> exit code; the first match wins, so subclasses come first.
EXIT_CODES: list[tuple[type[BaseException], int]] = [
    (ValidationFailed, EXIT_CHECKS_FAILED),
    (SourceError, EXIT_BAD_INPUT),
    (ConfigError, EXIT_BAD_INPUT),
    (QueryError, EXIT_BAD_INPUT),
    (NotAcceptable, EXIT_BAD_INPUT),
    (UnsupportedMediaType, EXIT_BAD_INPUT),
    (NotFound, EXIT_BAD_INPUT),  # a graph, resource or named query the user named does not exist
    (StoreUnavailable, EXIT_BAD_INPUT),  # no store where the settings point
    (EcosystemGraphError, EXIT_CHECKS_FAILED),
]


def exit_code(error: BaseException) -> int:
    return next(code for cls, code in EXIT_CODES if isinstance(error, cls))


def configure_logging(verbose: bool) -> None:
    """Messages through rich on standard error; DEBUG with ``--verbose``."""
    from rich.logging import RichHandler

    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, format="%(message)s",
                        handlers=[RichHandler(console=console, show_path=False)], force=True)
    logging.getLogger("httpx").setLevel(logging.DEBUG if verbose else logging.WARNING)  # one line per request


def report_errors(step: Callable[..., object], *args: object) -> None:
    """Run ``step``; one of our errors becomes a message on standard error and the process's exit code."""
    try:
        step(*args)
    except EcosystemGraphError as error:
        console.print(f"[red]error:[/red] {error}", markup=True, highlight=False)
        sys.exit(exit_code(error))
