"""The query editor on "/" in a real browser: YASGUI starts from the vendored files, a named query opens in a
tab, runs against /sparql and shows its rows, and the page asks nothing of any other host. A resource page
and the ontology reference are captured too. Screenshots go to ``test-artifacts/``."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = [pytest.mark.browser, pytest.mark.timeout(60)]

WAIT = 15


def test_editor_runs_a_named_query_offline(browser: WebDriver, project_server: str, artifacts: Path) -> None:
    browser.get(project_server + "?lang=en")
    WebDriverWait(browser, WAIT).until(ec.presence_of_element_located((By.CSS_SELECTOR, "#yasgui .CodeMirror")))
    button = browser.find_element(By.CSS_SELECTOR, '.ed-example[data-name="cq09-fields"]')
    title = button.text
    button.click()
    WebDriverWait(browser, WAIT).until(
        lambda d: d.execute_script("return window.ecosystemGraphEditor.yasgui.getTab().getName()") == title)
    query = browser.execute_script("return window.ecosystemGraphEditor.yasgui.getTab().getQuery()")
    assert "SELECT" in query and "eco:hasField" in query
    browser.execute_script("window.ecosystemGraphEditor.yasgui.getTab().query()")
    WebDriverWait(browser, WAIT).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, ".yasr .dataTable tbody tr")) > 0)
    rows = browser.execute_script(
        "return [...document.querySelectorAll('.yasr .dataTable tbody')].map(e => e.textContent).join(' ')")
    assert "biotech" in rows.lower()
    browser.save_screenshot(str(artifacts / "editor-named-query.png"))
    origin = urlsplit(project_server).netloc
    requested = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert requested and all(urlsplit(url).netloc == origin for url in requested), requested


def test_resource_page_and_ontology_reference(browser: WebDriver, project_server: str, artifacts: Path) -> None:
    browser.get(project_server + "id/person/vladimir-zaytsev?lang=ru")
    WebDriverWait(browser, WAIT).until(ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Владимир Зайцев"))
    assert "/page/person/vladimir-zaytsev" in browser.current_url
    assert browser.find_elements(By.CSS_SELECTOR, '.ld-evidence[lang="ru"]')
    browser.save_screenshot(str(artifacts / "resource-page-ru.png"))
    browser.get(project_server + "ontology?lang=en#University")
    WebDriverWait(browser, WAIT).until(ec.presence_of_element_located((By.ID, "University")))
    browser.save_screenshot(str(artifacts / "ontology-reference-en.png"))
