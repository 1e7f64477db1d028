"""Headless Chromium (Debian's chromium and chromium-driver) driven by Selenium, and where screenshots go.

The browser's console is captured (``driver.get_log("browser")``); each read empties it.

Skipped when Chromium or its driver is missing locally; in CI (CI set) that is a failure instead.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from ..conftest import REPO, require

if TYPE_CHECKING:
    from selenium.webdriver.chromium.webdriver import ChromiumDriver
    from selenium.webdriver.remote.webdriver import WebDriver

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
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # console messages and failed loads
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


#: label boxes (node and label, as Cytoscape measured the text in this browser, in rendered pixels) of the drawn
#: graph that intersect, and cluster boxes that intersect; returns [overlapping pairs, nodes, the pairs' labels]
OVERLAPS_JS = """
    const cy = window.egGraph, nodes = cy.nodes().not('.eg-cluster'), clusters = cy.nodes('.eg-cluster');
    const hit = (a, b) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
    const pairs = [];
    for (const group of [nodes, clusters]) {
      const boxes = group.map(n => n.renderedBoundingBox({includeLabels: true, includeOverlays: false}));
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++)
        if (hit(boxes[i], boxes[j])) pairs.push([group[i].data('label'), group[j].data('label')]);
    }
    return [pairs.length, nodes.length, pairs];"""

#: labels Cytoscape leaves undrawn at the current zoom (rendered font size under min-zoomed-font-size)
UNDRAWN_JS = """
    const cy = window.egGraph;
    return cy.nodes().not('.eg-cluster').filter(n =>
      n.pstyle('font-size').pfValue * cy.zoom() < n.pstyle('min-zoomed-font-size').pfValue).length;"""


def label_overlaps(driver: WebDriver) -> list[Any]:
    """[overlapping pairs, nodes, pairs] of the graph drawn on the current page."""
    result: list[Any] = driver.execute_script(OVERLAPS_JS)
    return result


#: same-origin resources (and the page itself) that came back with an HTTP error status
FAILED_LOADS_JS = """
    return [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
      .filter(e => e.responseStatus >= 400).map(e => [e.name, e.responseStatus]);"""


class Console:
    """The browser's console since the last read: severe entries (errors, failed loads) and failed resources."""

    def __init__(self, driver: ChromiumDriver) -> None:
        self.driver = driver

    def clear(self) -> None:
        self.driver.get_log("browser")

    def severe(self) -> list[dict[str, Any]]:
        return [entry for entry in self.driver.get_log("browser") if entry["level"] == "SEVERE"]

    def failed_loads(self) -> list[list[Any]]:
        failed: list[list[Any]] = self.driver.execute_script(FAILED_LOADS_JS)
        return failed


@pytest.fixture
def console(browser: ChromiumDriver) -> Console:
    """The session browser's console, emptied of what earlier tests left in it."""
    reader = Console(browser)
    reader.clear()
    return reader
