"""Figures the hardening tests measure (examples sent, latencies under a runaway query), printed in the
terminal summary so a plain ``pytest tests/hardening`` run reports them; the SSRF canary the tests share."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from ..support.listener import Listener

_FIGURES = pytest.StashKey[list[str]]()


@pytest.fixture
def listener() -> Iterator[Listener]:
    """A socket on 127.0.0.1 that records every connection made to it during the test."""
    canary = Listener()
    yield canary
    canary.close()


@pytest.fixture
def report_figure(request: pytest.FixtureRequest) -> Callable[[str], None]:
    """Call with one line of text; it is printed under "hardening figures" at the end of the run."""
    return request.config.stash.setdefault(_FIGURES, []).append


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    figures = config.stash.get(_FIGURES, [])
    if figures:
        terminalreporter.section("hardening figures")
        for line in figures:
            terminalreporter.write_line(line)
