"""The explore pages in a real browser: search as you type and open the entity, the graph view, the timeline.

Headless Chromium against the real project on a loopback uvicorn server; a screenshot of each step is written
to ``test-artifacts/``.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from .conftest import label_overlaps

pytestmark = [pytest.mark.browser, pytest.mark.timeout(60)]

ID = "https://w3id.org/ecosystem-graph/id/"
SECHENOV = ID + "organization/sechenov-university"
AGREEMENT = ID + "agreement/sechenov-university-zelenograd-cluster-cooperation-2017"
ROUND_TABLE = ID + "event/sechenov-zelenograd-round-table-2017-02-08"
SIGNING = ID + "event/sechenov-zelenograd-agreement-signing-2017-02-21"
WAIT = 10


def suggestion(driver: WebDriver, iri: str):
    """Wait for the suggestion of ``iri`` to be shown and return it."""
    css = f'.eg-suggestions:not([hidden]) li[data-iri="{iri}"]'
    return WebDriverWait(driver, WAIT).until(ec.visibility_of_element_located((By.CSS_SELECTOR, css)))


def type_query(driver: WebDriver, text: str) -> None:
    box = WebDriverWait(driver, WAIT).until(ec.element_to_be_clickable((By.CSS_SELECTOR, "input.eg-search-input")))
    box.clear()
    box.send_keys(text)


def open_page_of(driver: WebDriver, slug: str, label: str) -> None:
    WebDriverWait(driver, WAIT).until(ec.url_contains(f"/page/{slug}"))
    WebDriverWait(driver, WAIT).until(ec.text_to_be_present_in_element((By.TAG_NAME, "h1"), label))


def graph_ready(driver: WebDriver) -> None:
    WebDriverWait(driver, WAIT).until(
        lambda d: d.execute_script("return document.getElementById('eg-graph')?.dataset.ready === 'true'"))


def test_search_in_russian_then_open_the_entity(browser: WebDriver, project_server: str, artifacts: Path) -> None:
    browser.get(project_server + "timeline?lang=ru")
    type_query(browser, "Сечен")
    item = suggestion(browser, SECHENOV)
    assert "Сеченовский университет" in item.text and "Университет" in item.text
    labels = [li.text for li in browser.find_elements(By.CSS_SELECTOR, ".eg-suggestions li")]
    assert len(labels) > 1 and labels[0].startswith("Сеченовский университет")
    browser.save_screenshot(str(artifacts / "search-ru-suggestions.png"))
    item.click()
    open_page_of(browser, "organization/sechenov-university", "Сеченовский университет")
    browser.save_screenshot(str(artifacts / "search-ru-entity-page.png"))
    browser.find_element(By.CSS_SELECTOR, "a.eg-graph-link").click()  # the entity page links to its graph
    graph_ready(browser)
    assert browser.execute_script(f"return window.egGraph.getElementById('{SECHENOV}').data('label')") == \
        "Сеченовский университет"


def test_search_in_english_with_the_keyboard(browser: WebDriver, project_server: str, artifacts: Path) -> None:
    browser.get(project_server + "graph?lang=en")
    type_query(browser, "sechenov")
    item = suggestion(browser, SECHENOV)
    assert "Sechenov University" in item.text
    browser.save_screenshot(str(artifacts / "search-en-suggestions.png"))
    box = browser.find_element(By.CSS_SELECTOR, "input.eg-search-input")
    position = [li.get_attribute("data-iri") for li in browser.find_elements(By.CSS_SELECTOR, ".eg-suggestions li")]
    for _ in range(position.index(SECHENOV) + 1):
        box.send_keys(Keys.ARROW_DOWN)
    box.send_keys(Keys.ENTER)
    open_page_of(browser, "organization/sechenov-university", "Sechenov University")


def test_graph_view_draws_the_neighbourhood_and_expands_a_node(browser: WebDriver, project_server: str,
                                                               artifacts: Path) -> None:
    browser.get(f"{project_server}graph?lang=en&iri={quote(SECHENOV, safe='')}")
    graph_ready(browser)
    nodes, edges = browser.execute_script("return [window.egGraph.nodes().length, window.egGraph.edges().length]")
    assert nodes > 1 and edges >= 1
    kinds = set(browser.execute_script("return window.egGraph.nodes().map(n => n.data('kind'))"))
    assert {"organisation", "agreement", "event", "person"} <= kinds
    centre = browser.execute_script(f"const n = window.egGraph.getElementById('{SECHENOV}'); "
                                    "return [n.data('label'), n.hasClass('eg-center'), n.renderedPosition()]")
    assert centre[0] == "Sechenov University" and centre[1] is True
    box = browser.find_element(By.ID, "eg-graph").rect  # the centre node is drawn inside the canvas
    assert 0 <= centre[2]["x"] <= box["width"] and 0 <= centre[2]["y"] <= box["height"]
    browser.save_screenshot(str(artifacts / "graph-sechenov.png"))

    browser.execute_script(f"window.egGraph.getElementById('{AGREEMENT}').emit('tap')")  # click to expand
    WebDriverWait(browser, WAIT).until(lambda d: d.execute_script(
        f"return window.egGraph.getElementById('{AGREEMENT}').hasClass('eg-expanded') && "
        "!document.getElementById('eg-graph').dataset.loading"))
    assert browser.execute_script("return window.egGraph.nodes().length") > nodes
    assert label_overlaps(browser)[0] == 0  # the placement pass runs again over what the expansion added
    assert browser.find_element(By.CSS_SELECTOR, "#eg-graph-selected .eg-selected-label").text.startswith(
        "Cooperation agreement")
    browser.save_screenshot(str(artifacts / "graph-sechenov-expanded.png"))


def test_graph_overview(browser: WebDriver, project_server: str, artifacts: Path) -> None:
    browser.get(project_server + "graph?lang=ru")
    graph_ready(browser)
    assert browser.execute_script("return window.egGraph.nodes().length") > 10
    assert browser.execute_script("return window.egGraph.edges().length") > 10
    assert label_overlaps(browser)[0] == 0
    browser.save_screenshot(str(artifacts / "graph-overview.png"))


def test_timeline_shows_the_round_table_before_the_signing(browser: WebDriver, project_server: str,
                                                          artifacts: Path) -> None:
    browser.get(project_server + "timeline?lang=ru")
    listed = [li.get_attribute("data-iri") for li in browser.find_elements(By.CSS_SELECTOR, "li.eg-timeline-item")]
    assert listed.index(ROUND_TABLE) < listed.index(SIGNING)
    rows = {iri: browser.find_element(By.CSS_SELECTOR, f'li.eg-timeline-item[data-iri="{iri}"]')
            for iri in (ROUND_TABLE, SIGNING)}
    assert rows[ROUND_TABLE].location["y"] < rows[SIGNING].location["y"]
    assert "2017-02-08" in rows[ROUND_TABLE].text and "2017-02-21" in rows[SIGNING].text

    def dot(iri: str) -> dict:
        return browser.find_element(By.CSS_SELECTOR, f'g.eg-point[data-iri="{iri}"] circle').rect

    assert dot(ROUND_TABLE)["x"] < dot(SIGNING)["x"]  # left to right on the band
    browser.save_screenshot(str(artifacts / "timeline.png"))
