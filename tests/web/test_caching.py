"""HTTP caching per published generation (web/caching.py): validators, 304 on revalidation, Content-Language,
Vary; over a real server on loopback."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from ecosystem_graph.config import Settings
from ecosystem_graph.pipeline import load as loader
from ecosystem_graph.store import GraphStore

PAGE = "/page/organization/sechenov-university"
ASK = "ASK { ?s ?p ?o }"


@pytest.fixture(scope="module")
def client(project_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=project_server, timeout=30) as http:
        yield http


def test_an_answer_carries_validators_and_revalidates_to_304(client: httpx.Client) -> None:
    first = client.get("/api/search", params={"q": "Зайцева", "lang": "ru"})
    assert first.status_code == 200
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert etag.startswith('W/"') and first.headers["cache-control"] == "no-cache"
    again = client.get("/api/search", params={"q": "Зайцева", "lang": "ru"}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag and again.headers["last-modified"] == modified
    by_date = client.get("/api/search", params={"q": "Зайцева", "lang": "ru"}, headers={"If-Modified-Since": modified})
    assert by_date.status_code == 304
    stale = client.get("/api/search", params={"q": "Зайцева", "lang": "ru"}, headers={"If-None-Match": 'W/"other"'})
    assert stale.status_code == 200 and stale.json() == first.json()


def test_variants_have_their_own_tags(client: httpx.Client) -> None:
    ru = client.get(PAGE, headers={"Accept-Language": "ru"})
    en = client.get(PAGE, headers={"Accept-Language": "en"})
    assert ru.headers["etag"] != en.headers["etag"]
    assert client.get(PAGE, headers={"Accept-Language": "en", "If-None-Match": ru.headers["etag"]}).status_code == 200
    json = client.get("/sparql", params={"query": ASK}, headers={"Accept": "application/sparql-results+json"})
    xml = client.get("/sparql", params={"query": ASK}, headers={"Accept": "application/sparql-results+xml"})
    assert json.status_code == xml.status_code == 200 and json.headers["etag"] != xml.headers["etag"]
    other = client.get("/api/search", params={"q": "Сеченов"})
    assert other.headers["etag"] != client.get("/api/search", params={"q": "Зайцев"}).headers["etag"]


@pytest.mark.parametrize(("path", "headers", "expected"), [
    (PAGE, {"Accept-Language": "ru"}, "ru"),
    (PAGE + "?lang=en", {"Accept-Language": "ru"}, "en"),
    ("/search?q=Сеченов", {"Accept-Language": "en-GB,en;q=0.8"}, "en"),
    ("/timeline", {}, "ru"),
])
def test_pages_say_their_language(client: httpx.Client, path: str, headers: dict[str, str], expected: str) -> None:
    answer = client.get(path, headers=headers)
    assert answer.status_code == 200 and answer.headers["content-language"] == expected
    assert f'lang="{expected}"' in answer.text[:500]
    assert "accept-language" in answer.headers["vary"].lower()


@pytest.mark.parametrize("path", ["/queries", "/", "/ontology"])
def test_an_html_page_says_the_language_it_declares(client: httpx.Client, path: str) -> None:
    answer = client.get(path, headers={"Accept": "text/html", "Accept-Language": "en"})
    declared = answer.text.split('lang="', 1)[1].split('"', 1)[0]
    assert answer.headers["content-language"] == declared


def test_the_api_reference_is_in_english(client: httpx.Client) -> None:
    assert client.get("/docs").headers["content-language"] == "en"


def test_language_negotiated_json_varies_on_accept_language(client: httpx.Client) -> None:
    answer = client.get("/api/search", params={"q": "Sechenov"}, headers={"Accept-Language": "en"})
    assert answer.headers["content-language"] == "en" and answer.json()["lang"] == "en"
    assert "accept-language" in answer.headers["vary"].lower()
    assert "content-language" not in client.get("/sparql", params={"query": ASK}).headers


def test_what_is_left_alone(client: httpx.Client) -> None:
    assert "etag" not in client.get("/health").headers
    assert "etag" not in client.get("/api/search", params={"q": "x"}, headers={"Authorization": "Bearer t"}).headers
    missing = client.get("/page/organization/no-such-thing")
    assert missing.status_code == 404 and "etag" not in missing.headers
    posted = client.post("/sparql", data={"query": ASK}, headers={"Accept": "application/sparql-results+json"})
    assert posted.status_code == 200 and "etag" not in posted.headers


def test_a_new_generation_changes_the_tag(mini_settings: Settings, mini_store: GraphStore, mini_server: str) -> None:
    with httpx.Client(base_url=mini_server, timeout=30) as http:
        before = http.get("/api/search", params={"q": "Сечен"})
        etag = before.headers["etag"]
        assert http.get("/api/search", params={"q": "Сечен"}, headers={"If-None-Match": etag}).status_code == 304
        time.sleep(1.1)  # Last-Modified has whole seconds
        loader.build(mini_store, mini_settings, full=True)
        after = http.get("/api/search", params={"q": "Сечен"}, headers={"If-None-Match": etag})
        assert after.status_code == 200 and after.headers["etag"] != etag
        assert after.headers["last-modified"] != before.headers["last-modified"]
        since = http.get("/api/search", params={"q": "Сечен"},
                         headers={"If-Modified-Since": before.headers["last-modified"]})
        assert since.status_code == 200


def test_static_assets_keep_their_own_validators(client: httpx.Client) -> None:
    asset = client.get("/ui/css/pages.css")
    etag = asset.headers["etag"]
    assert asset.status_code == 200 and not etag.startswith("W/")
    assert client.get("/ui/css/pages.css", headers={"If-None-Match": etag}).status_code == 304
