"""The query editor on "/" and the static assets: served from this server only, with the project prefixes and
the named queries filled in."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from ecosystem_graph.config import Settings
from ecosystem_graph.pipeline import load as loader
from ecosystem_graph.sources.queries import QueryCatalogue
from ecosystem_graph.store import open_store
from ecosystem_graph.vocab import prefixes

from ..conftest import MINI, REPO, copy_project
from ..support.server import running_server

VENDOR = REPO / "ecosystem_graph" / "web" / "ui" / "vendor" / "yasgui"
ASSET = re.compile(r"<(?:script|link|img|iframe)\b[^>]*?\b(?:src|href)=\"([^\"]+)\"", re.IGNORECASE)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """A live server over the mini project (a memory store is enough: these tests are about the pages)."""
    root = tmp_path_factory.mktemp("ui")
    settings = Settings(project_dir=copy_project(MINI, root / "project"), store_path=root / "store",
                        backend="memory")
    store = open_store(settings)
    loader.build(store, settings)
    with running_server(settings, store) as url, httpx.Client(base_url=url, timeout=30) as http:
        yield http


def editor_config(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="editor-config">(.*?)</script>', page, re.DOTALL)
    assert match, "the editor page carries its configuration"
    return json.loads(match.group(1))


def test_editor_page_uses_only_local_assets(client: httpx.Client) -> None:
    response = client.get("/", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    sources = ASSET.findall(response.text)
    assert "/ui/vendor/yasgui/yasgui.min.js" in sources and "/ui/vendor/yasgui/yasgui.min.css" in sources
    base = str(client.base_url)
    for source in sources:
        absolute = urljoin(base, source)
        assert urlsplit(absolute).netloc == urlsplit(base).netloc, f"{source} is not served by this server"
    for source in {s for s in sources if s.startswith("/ui/")}:
        asset = client.get(source)
        assert asset.status_code == 200, source
        assert len(asset.content) > 100, source


def test_editor_is_configured_with_prefixes_endpoint_and_named_queries(client: httpx.Client) -> None:
    page = client.get("/").text
    config = editor_config(page)
    assert config["endpoint"] == f"{client.base_url}sparql"
    for prefix, namespace in prefixes("https://w3id.org/ecosystem-graph/").items():
        assert f"PREFIX {prefix}: <{namespace}>" in config["defaultQuery"]
    names = [q["name"] for q in config["queries"]]
    assert names == [q.name for q in QueryCatalogue(REPO / "tests" / "fixtures" / "mini" / "sparql")]
    assert all("SELECT" in q["sparql"] for q in config["queries"])
    assert 'data-name="organisations"' in page  # an example button per named query
    for link in ("/ontology", "/docs", "/.well-known/void", "/queries"):
        assert f'href="{link}' in page


def test_editor_speaks_russian_and_english(client: httpx.Client) -> None:
    assert "Редактор запросов SPARQL" in client.get("/", headers={"Accept-Language": "ru"}).text
    assert "SPARQL query editor" in client.get("/?lang=en", headers={"Accept-Language": "ru"}).text


def test_the_default_query_runs_on_the_endpoint(client: httpx.Client) -> None:
    config = editor_config(client.get("/").text)
    response = client.post(config["endpoint"], data={"query": config["defaultQuery"]},
                           headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200
    assert response.json()["results"]["bindings"]


def test_vendored_files_are_the_built_yasgui(client: httpx.Client) -> None:
    script = (VENDOR / "yasgui.min.js").read_bytes()
    assert b"Yasgui" in script and len(script) > 500_000
    assert client.get("/ui/vendor/yasgui/yasgui.min.js").content == script
    css = client.get("/ui/vendor/yasgui/yasgui.min.css")
    assert css.headers["content-type"].startswith("text/css") and b".yasgui" in css.content
    readme = (VENDOR.parent / "README.md").read_text()
    assert "@zazuko/yasgui" in readme and "4.6.2" in readme


@pytest.mark.parametrize("path", ["/ui/css/pages.css", "/ui/js/editor.js"])
def test_page_assets_are_served(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.content == (REPO / "ecosystem_graph" / "web" / path.removeprefix("/")).read_bytes()


def test_missing_asset_is_404(client: httpx.Client) -> None:
    assert client.get("/ui/vendor/yasgui/nothing.js").status_code == 404
