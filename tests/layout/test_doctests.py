"""The examples in the package's docstrings run, and say what the code does."""

from __future__ import annotations

import doctest
import importlib

import pytest

from ..conftest import REPO

PACKAGE = REPO / "ecosystem_graph"
WITH_EXAMPLES = sorted(
    ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
    for path in PACKAGE.rglob("*.py") if "vendor" not in path.parts and ">>> " in path.read_text(encoding="utf-8"))


def test_some_modules_show_examples() -> None:
    assert len(WITH_EXAMPLES) >= 2


@pytest.mark.parametrize("module", WITH_EXAMPLES)
def test_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted and not result.failed, f"{result.failed} of {result.attempted} examples fail"
