"""No console errors: each main page loads in headless Chromium with nothing SEVERE in the browser's log (script
errors, failed resource loads) and no resource answered with an HTTP error. Screenshots go to ``test-artifacts/``."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from .conftest import Console

pytestmark = [pytest.mark.browser, pytest.mark.timeout(60)]

SECHENOV = "https://w3id.org/ecosystem-graph/id/organization/sechenov-university"
WAIT = 15
GRAPH_READY = "return document.getElementById('eg-graph')?.dataset.ready === 'true'"
EDITOR_READY = "return !!document.querySelector('#yasgui .CodeMirror')"

#: page -> a script that is true once the page has done what it does on load (drawn, fetched, started)
PAGES = {
    "?lang=ru": EDITOR_READY,
    "?lang=en": EDITOR_READY,
    "page/organization/sechenov-university?lang=ru": None,
    "page/person/vladimir-zaytsev?lang=en": None,
    "graph?lang=ru": GRAPH_READY,
    f"graph?lang=ru&iri={quote(SECHENOV, safe='')}": GRAPH_READY,
    "timeline?lang=ru": None,
    "queries?lang=ru": None,
    "queries/cq01-agreement-signatories?lang=ru": None,
    f"search?q={quote('Сеченов')}&lang=ru": None,
    "ontology?lang=ru": None,
}


def load(driver: WebDriver, url: str, ready: str | None) -> None:
    driver.get(url)
    wait = WebDriverWait(driver, WAIT)
    wait.until(lambda d: d.execute_script("return document.readyState") == "complete")
    if ready:
        wait.until(lambda d: d.execute_script(ready))


def test_the_console_is_captured(browser: WebDriver, project_server: str, console: Console) -> None:
    """The check below would see an error and a failed load (so that its silence means something)."""
    load(browser, project_server + "timeline?lang=ru", None)
    browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        console.error('console probe'); fetch('/no-such-page').then(r => r.text()).then(() => done(), () => done());""")
    messages = [entry["message"] for entry in console.severe()]
    assert any("console probe" in m for m in messages), messages
    assert any("/no-such-page" in m and "404" in m for m in messages), messages
    failed = WebDriverWait(browser, WAIT).until(lambda d: console.failed_loads())  # listed once the body is read
    assert failed == [[project_server + "no-such-page", 404]]


@pytest.mark.parametrize("path", list(PAGES))
def test_page_loads_without_console_errors(browser: WebDriver, project_server: str, console: Console,
                                           artifacts: Path, path: str) -> None:
    load(browser, project_server + path, PAGES[path])
    assert console.severe() == [], path
    assert console.failed_loads() == [], path
    name = (path.split("?")[0].replace("/", "-") or "editor") + "-" + path[-2:]  # the language last
    browser.save_screenshot(str(artifacts / f"console-{name}.png"))


def test_editor_runs_a_query_without_console_errors(browser: WebDriver, project_server: str, console: Console,
                                                    artifacts: Path) -> None:
    load(browser, project_server + "?lang=ru", EDITOR_READY)
    try:
        browser.find_element(By.CSS_SELECTOR, '.ed-example[data-name="cq12-organization-structure"]').click()
        browser.execute_script("window.ecosystemGraphEditor.yasgui.getTab().query()")
        WebDriverWait(browser, WAIT).until(
            ec.presence_of_element_located((By.CSS_SELECTOR, ".yasr .dataTable tbody tr")))
        assert console.severe() == []
        assert console.failed_loads() == []
        browser.save_screenshot(str(artifacts / "console-editor-query.png"))
    finally:
        browser.execute_script("localStorage.clear()")  # YASGUI keeps its tabs there: the next test starts afresh


def test_graph_expansion_and_search_box_without_console_errors(browser: WebDriver, project_server: str,
                                                               console: Console) -> None:
    load(browser, f"{project_server}graph?lang=ru&iri={quote(SECHENOV, safe='')}", GRAPH_READY)
    agreement = "https://w3id.org/ecosystem-graph/id/agreement/sechenov-university-zelenograd-cluster-cooperation-2017"
    browser.execute_script(f"window.egGraph.getElementById('{agreement}').emit('tap')")
    WebDriverWait(browser, WAIT).until(lambda d: d.execute_script(
        f"return window.egGraph.getElementById('{agreement}').hasClass('eg-expanded') && "
        "!document.getElementById('eg-graph').dataset.loading"))
    browser.find_element(By.CSS_SELECTOR, "input.eg-search-input").send_keys("Сеченов")
    WebDriverWait(browser, WAIT).until(ec.visibility_of_element_located(
        (By.CSS_SELECTOR, ".eg-suggestions:not([hidden]) li")))
    assert console.severe() == []
    assert console.failed_loads() == []
