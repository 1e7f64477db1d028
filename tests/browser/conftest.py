"""Headless Chromium (Debian's chromium and chromium-driver) driven by Selenium, and where screenshots go.

Skipped when Chromium or its driver is missing locally; in CI (CI set) that is a failure instead.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..conftest import REPO, require

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = REPO / "test-artifacts"

FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
         "--window-size=1400,1000", "--lang=ru")


def _binary(path: Path, name: str) -> str:
    found = str(path) if path.exists() else shutil.which(name)
    require(found is not None, f"{name} is not installed (Debian packages chromium and chromium-driver)")
    assert found is not None
    return found


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """One headless Chromium for the session (each test navigates where it needs)."""
    chromium, chromedriver = _binary(CHROMIUM, "chromium"), _binary(CHROMEDRIVER, "chromedriver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:  # pragma: no cover - selenium is in the test extra
        require(False, "selenium is not installed (pip install -e '.[test]')")
        raise
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (*FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(chromedriver), options=options)
    driver.set_page_load_timeout(20)
    driver.set_script_timeout(10)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """``test-artifacts/`` at the repository root (git-ignored): screenshots of what the browser saw."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
