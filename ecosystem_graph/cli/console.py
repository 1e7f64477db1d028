"""The terminal side of every command: the shared consoles, the logging set-up, and our errors turned into one
message and an exit code. The exit codes are this table (README, "Command line"); nothing else maps errors to them.

rich is imported when a console is first used or a first record is logged, not before: importing it and making
its consoles costs about a tenth of a second, which ``serve`` would otherwise pay before its first answer.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from rich.console import Console

    from ..pipeline.load import Progress

#: the consoles, made at first use: ``console`` for messages, progress and logging (standard error), ``out`` for
#: results (standard output)
_CONSOLES: dict[str, dict[str, Any]] = {"console": {"stderr": True, "soft_wrap": True}, "out": {"soft_wrap": True}}

#: what rich would read in a plain message: an emoji code; and the variables that make it colour a file anyway
_EMOJI_CODE = re.compile(r":[\w+-]+:")
_COLOUR_ANYWAY = {"FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"}

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


def __getattr__(name: str) -> Console:
    """``console`` and ``out``, made when first asked for (``from .console import console`` asks)."""
    options = _CONSOLES.get(name)
    if options is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from rich.console import Console

    made = globals()[name] = Console(**options)
    return made


def messages() -> Console:
    """The console for messages (standard error)."""
    made: Console | None = globals().get("console")
    return made if made is not None else __getattr__("console")


def say(text: str) -> None:
    """A message on standard error as ``console.print`` writes it, without importing rich when there is nothing for
    it to do: standard error is no terminal (no colour, and soft wrap does not wrap) and the text holds no markup
    (``[``) and no ``:emoji:`` code."""
    if sys.stderr.isatty() or _COLOUR_ANYWAY & os.environ.keys() or "[" in text or _EMOJI_CODE.search(text):
        messages().print(text)
        return
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def exit_code(error: BaseException) -> int:
    return next(code for cls, code in EXIT_CODES if isinstance(error, cls))


class _RichOnFirstRecord(logging.Handler):
    """rich's log handler, made (rich imported) when the first record comes."""

    def __init__(self) -> None:
        super().__init__()
        self._rich: logging.Handler | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self._rich is None:
            from rich.logging import RichHandler

            self._rich = RichHandler(console=messages(), show_path=False)
            self._rich.setFormatter(self.formatter)
        self._rich.emit(record)


def configure_logging(verbose: bool) -> None:
    """Messages through rich on standard error; DEBUG with ``--verbose``."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, format="%(message)s",
                        handlers=[_RichOnFirstRecord()], force=True)
    logging.getLogger("httpx").setLevel(logging.DEBUG if verbose else logging.WARNING)  # one line per request


@contextmanager
def progress_bar(enabled: bool = True) -> Iterator[Progress]:
    """A rich progress bar that only appears when a step takes over a second."""
    from rich.progress import BarColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    shown = messages()
    bar = Bar(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=shown, transient=True,
              disable=not enabled or not shown.is_terminal)
    task = bar.add_task("load", total=1)
    with bar:
        def update(step: str, done: int, total: int) -> None:
            bar.update(task, description=step, completed=done, total=max(total, 1))

        yield update


def report_errors(step: Callable[..., object], *args: object) -> None:
    """Run ``step``; one of our errors becomes a message on standard error and the process's exit code."""
    try:
        step(*args)
    except EcosystemGraphError as error:
        messages().print(f"[red]error:[/red] {error}", markup=True, highlight=False)
        sys.exit(exit_code(error))
