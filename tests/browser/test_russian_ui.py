"""Issue 20 in a real browser (headless Chromium over the real project): the editor and /queries in Russian,
resource pages that answer the question, the source document's text, the graph view and the timeline, the
layout at 390 px and the favicon. A screenshot of each is written to ``test-artifacts/`` (path printed)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from ecosystem_graph.views.words import WORDS

from .conftest import UNDRAWN_JS, label_overlaps

pytestmark = [pytest.mark.browser, pytest.mark.timeout(90)]
log = logging.getLogger(__name__)

ID = "https://w3id.org/ecosystem-graph/id/"
SECHENOV = ID + "organization/sechenov-university"
ROUND_TABLE = ID + "event/sechenov-zelenograd-round-table-2017-02-08"
SIGNING = ID + "event/sechenov-zelenograd-agreement-signing-2017-02-21"
WAIT = 15


def shot(driver: WebDriver, artifacts: Path, name: str) -> None:
    path = artifacts / f"issue20-{name}.png"
    driver.save_screenshot(str(path))
    print(f"screenshot: {path}")


def wait(driver: WebDriver, condition) -> object:
    return WebDriverWait(driver, WAIT).until(condition)


def test_editor_speaks_russian_and_links_results_to_local_pages(browser: WebDriver, project_server: str,
                                                                artifacts: Path) -> None:
    browser.get(project_server + "?lang=ru")
    wait(browser, ec.presence_of_element_located((By.CSS_SELECTOR, "#yasgui .CodeMirror")))
    browser.find_element(By.CSS_SELECTOR, '.ed-example[data-name="cq12-organization-structure"]').click()
    browser.execute_script("window.ecosystemGraphEditor.yasgui.getTab().query()")
    wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, ".yasr .dataTable tbody tr")) > 0)
    english = {en for key, (_ru, en) in WORDS.items() if key.startswith("editor.ui.")}
    shown = browser.execute_script("""
        const host = document.getElementById('yasgui'); const out = [];
        const walker = document.createTreeWalker(host, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const e = n.parentElement;
          if (e.closest('.CodeMirror-lines, .dataTable tbody') || !e.offsetParent) continue;
          out.push(n.nodeValue.trim());
        }
        host.querySelectorAll('[title], [placeholder]').forEach(e => out.push(e.title || '', e.placeholder || ''));
        return out.filter(Boolean);""")
    assert shown and not english & set(shown), english & set(shown)
    assert "Таблица" in shown or any("Строки" in s for s in shown)
    hrefs = browser.execute_script("return [...document.querySelectorAll('.yasr .dataTable tbody a[href]')]"
                                   ".map(a => [a.getAttribute('href'), a.target])")
    ours = [h for h, _ in hrefs if "/page/" in h]
    assert ours and all(h.startswith("/page/") for h in ours), hrefs
    assert not any("w3id.org/ecosystem-graph/id/" in h for h, _ in hrefs)
    assert all(target != "_blank" for h, target in hrefs if h.startswith("/page/"))
    shot(browser, artifacts, "editor-ru")


def test_queries_page_has_forms_tables_and_downloads(browser: WebDriver, project_server: str,
                                                     artifacts: Path) -> None:
    browser.get(project_server + "queries?lang=ru")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Готовые запросы"
    titles = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".nq-query h2")]
    assert "Подписанты соглашения с университетом" in titles
    shot(browser, artifacts, "queries-ru")
    browser.find_element(By.CSS_SELECTOR, "#cq01-agreement-signatories h2 a").click()
    wait(browser, ec.presence_of_element_located((By.CSS_SELECTOR, "table.nq-results tbody tr")))
    assert browser.execute_script("return document.contentType") == "text/html"  # a page, not a download
    cells = browser.find_element(By.CSS_SELECTOR, "table.nq-results tbody").text
    assert "Андрей Свистунов" in cells and "Владимир Зайцев" in cells
    links = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "table.nq-results a")]
    assert links and all("/page/" in h for h in links)
    downloads = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, ".nq-downloads a")]
    assert {h.rsplit("format=", 1)[1] for h in downloads} == {"json", "xml", "csv", "tsv"}
    assert "SELECT" in browser.find_element(By.CSS_SELECTOR, ".nq-sparql pre").text
    shot(browser, artifacts, "query-cq01-ru")
    # the form: another university has no agreements in the graph, so no rows
    field = browser.find_element(By.CSS_SELECTOR, '.nq-form input[name="university"]')
    field.clear()
    field.send_keys(ID + "organization/miet")
    browser.execute_script("document.querySelector('.nq-form').requestSubmit()")
    wait(browser, ec.url_contains("organization%2Fmiet"))
    assert browser.find_element(By.CSS_SELECTOR, ".nq-count").text == "Строк: 0"


def test_resource_page_answers_and_cites_the_source_text(browser: WebDriver, project_server: str,
                                                         artifacts: Path) -> None:
    browser.get(project_server + "page/organization/sechenov-university?lang=ru")
    agreements = wait(browser, ec.presence_of_element_located((By.CSS_SELECTOR, ".ld-summary-agreements"))).text
    assert "Соглашение о сотрудничестве" in agreements and "Зеленоград" in agreements and "2017-02-21" in agreements
    people = browser.find_element(By.CSS_SELECTOR, ".ld-summary-people").text
    assert "Андрей Свистунов" in people and "проректор" in people
    assert browser.find_element(By.CSS_SELECTOR, ".ld-summary-units").text.count("\n") >= 2
    page = browser.find_element(By.TAG_NAME, "body").text
    assert "««" not in page and "»»" not in page
    repeated = browser.execute_script("""
        return [...document.querySelectorAll('.ld-fact')].filter(card => {
          const own = [...card.querySelectorAll('.ld-evidence')].map(e => e.textContent);
          return new Set(own).size !== own.length; }).length""")
    assert repeated == 0  # evidence once per fact card, its nested facts included
    assert browser.find_element(By.CSS_SELECTOR, 'footer a[href="/dump.trig"]')
    shot(browser, artifacts, "resource-sechenov-ru")
    browser.find_element(By.CSS_SELECTOR, ".ld-text-link a").click()
    text = wait(browser, ec.visibility_of_element_located((By.CSS_SELECTOR, "#text .ld-document"))).text
    assert "/page/source/" in browser.current_url and browser.current_url.endswith("#text")
    assert "Соглашение было подписано" in text
    shot(browser, artifacts, "source-text-ru")
    browser.get(project_server + "page/person/vladimir-zaytsev?lang=ru")
    summary = wait(browser, ec.presence_of_element_located((By.CSS_SELECTOR, ".ld-summary"))).text
    for heading in ("Должности", "Цитаты", "Мероприятия"):
        assert heading in summary


def graph_ready(driver: WebDriver) -> None:
    wait(driver, lambda d: d.execute_script("return document.getElementById('eg-graph')?.dataset.ready === 'true'"))


def test_graph_view_is_readable(browser: WebDriver, project_server: str, artifacts: Path) -> None:
    browser.get(f"{project_server}graph?lang=ru&iri={quote(SECHENOV, safe='')}")
    graph_ready(browser)
    status = browser.find_element(By.ID, "eg-graph-status").text
    nodes = browser.execute_script("return window.egGraph.nodes().length")
    assert status.startswith("На графе узлов:") and str(nodes) in status
    overlaps = label_overlaps(browser)
    log.info("neighbourhood: %d overlapping label boxes among %d nodes %s", *overlaps)
    assert overlaps[0] == 0 and overlaps[1] >= 15, overlaps  # no two label boxes (node and its label) intersect
    assert browser.execute_script(UNDRAWN_JS) == 0  # every label drawn at first sight, not only when zoomed
    shot(browser, artifacts, "graph-sechenov-ru")
    browser.get(project_server + "graph?lang=ru")
    graph_ready(browser)
    clusters = browser.execute_script("return window.egGraph.nodes('.eg-cluster').map(n => n.data('label'))")
    assert {"Организации", "Люди", "Соглашения"} <= set(clusters)
    unclustered = browser.execute_script(
        "return window.egGraph.nodes().not('.eg-cluster').filter(n => !n.isChild()).map(n => n.data('kind'))")
    assert all(kind not in ("organisation", "person", "agreement") for kind in unclustered)
    overlaps = label_overlaps(browser)  # labels, and the clusters' boxes among themselves
    log.info("overview: %d overlapping label boxes among %d nodes %s", *overlaps)
    assert overlaps[0] == 0 and overlaps[1] >= 40, overlaps
    assert browser.execute_script(UNDRAWN_JS) == 0
    shot(browser, artifacts, "graph-overview-ru")


@pytest.mark.parametrize("path", ["graph?lang=ru&iri=" + quote(SECHENOV, safe=""), "graph?lang=en"])
def test_graph_labels_apart_at_390_px(phone: WebDriver, project_server: str, artifacts: Path, path: str) -> None:
    phone.get(project_server + path)
    graph_ready(phone)
    overlaps = label_overlaps(phone)
    assert overlaps[0] == 0, overlaps
    width = phone.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width
    shot(phone, artifacts, "390px-graph-" + ("sechenov" if "iri=" in path else "overview-en"))


def test_timeline_is_to_scale(browser: WebDriver, project_server: str, artifacts: Path) -> None:
    browser.get(project_server + "timeline?lang=ru")
    note = browser.find_element(By.CSS_SELECTOR, ".eg-scale-note").text
    assert "равномерная" in note
    x = {iri: float(browser.find_element(By.CSS_SELECTOR, f'g.eg-point[data-iri="{iri}"] circle')
                    .get_attribute("cx")) for iri in (ROUND_TABLE, SIGNING)}
    ticks = {int(e.text): float(e.get_attribute("x")) - 4
             for e in browser.find_elements(By.CSS_SELECTOR, ".eg-tick-label")}
    per_day = (ticks[2018] - ticks[2017]) / 365
    assert x[SIGNING] - x[ROUND_TABLE] == pytest.approx(13 * per_day, rel=0.02)  # 8 to 21 February 2017
    assert x[ROUND_TABLE] - ticks[2017] == pytest.approx(38 * per_day, rel=0.02)  # 38 days into the year
    shot(browser, artifacts, "timeline-ru")


@pytest.fixture
def phone(browser: WebDriver) -> Iterator[WebDriver]:
    """The browser at a phone's width (390 px), restored afterwards."""
    size = browser.get_window_size()
    browser.set_window_size(390, 844)
    yield browser
    browser.set_window_size(size["width"], size["height"])


@pytest.mark.parametrize("path", ["graph?lang=ru", "timeline?lang=ru", "page/organization/sechenov-university?lang=ru",
                                  "queries/cq01-agreement-signatories?lang=ru", "queries?lang=ru", "?lang=ru"])
def test_no_horizontal_scroll_at_390_px(phone: WebDriver, project_server: str, artifacts: Path, path: str) -> None:
    phone.get(project_server + path)
    wait(phone, lambda d: d.execute_script("return document.readyState") == "complete")
    width = phone.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], (path, width)
    shot(phone, artifacts, "390px-" + (path.split("?")[0].replace("/", "-") or "editor"))


def test_favicon_is_served(browser: WebDriver, project_server: str) -> None:
    browser.get(project_server + "graph?lang=ru")
    icon = browser.execute_script("return document.querySelector('link[rel=icon]').href")
    statuses = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        Promise.all([arguments[0], '/favicon.ico'].map(u => fetch(u).then(r => r.status))).then(done);""", icon)
    assert statuses == [200, 200]
