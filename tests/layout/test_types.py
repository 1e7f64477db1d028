"""The package type-checks (mypy, with the settings and the shrinking backlog in pyproject.toml)."""

from __future__ import annotations

import pytest

from ..conftest import REPO, require


def test_the_package_type_checks() -> None:
    try:
        from mypy import api
    except ImportError:  # pragma: no cover - declared in the test extra
        require(False, "mypy is not installed")
        raise
    out, err, status = api.run(["--config-file", str(REPO / "pyproject.toml"), "--no-incremental",
                                "--cache-dir", "/dev/null"])
    if status == 2:
        pytest.fail(f"mypy could not run: {err or out}")
    assert status == 0, out
