"""/api/search, /api/graph/*, /api/timeline and the explore pages, over the real project on a loopback server."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from ecosystem_graph.config import Settings
from ecosystem_graph.errors import NotFound
from ecosystem_graph.search import index as search
from ecosystem_graph.store import GraphStore
from ecosystem_graph.views import graph_view as graphview
from ecosystem_graph.views.timeline import Item
from ecosystem_graph.web.explore import band

ID = "https://w3id.org/ecosystem-graph/id/"
SECHENOV = ID + "organization/sechenov-university"
ROUND_TABLE = ID + "event/sechenov-zelenograd-round-table-2017-02-08"
SIGNING = ID + "event/sechenov-zelenograd-agreement-signing-2017-02-21"
AGREEMENT = ID + "agreement/sechenov-university-zelenograd-cluster-cooperation-2017"
PARK = ID + "organization/sechenov-industrial-park-of-biomedicine"


@pytest.fixture(scope="module")
def client(project_server: str) -> httpx.Client:
    with httpx.Client(base_url=project_server, timeout=30) as http:
        yield http


def test_search_in_russian_and_english(client: httpx.Client) -> None:
    ru = client.get("/api/search", params={"q": "Сечен", "lang": "ru"}).json()
    en = client.get("/api/search", params={"q": "SECHENOV", "lang": "en"}).json()
    assert ru["results"][0]["iri"] == SECHENOV and en["results"][0]["iri"] == SECHENOV
    assert ru["results"][0]["label"] == "Сеченовский университет"
    assert en["results"][0]["label"] == "Sechenov University"
    first = en["results"][0]
    assert first["kind"] == "organisation" and first["class"]["label"] == "University"
    assert first["labels"] == {"ru": "Сеченовский университет", "en": "Sechenov University"}
    assert first["href"] == "/page/organization/sechenov-university?lang=en"


def test_search_language_from_accept_language_and_limit(client: httpx.Client) -> None:
    body = client.get("/api/search", params={"q": "зелен", "limit": 3},
                      headers={"Accept-Language": "en-GB,en;q=0.9,ru;q=0.5"}).json()
    assert body["lang"] == "en" and len(body["results"]) == 3
    assert all("Zelenograd" in r["label"] or "MIET" in r["label"] for r in body["results"])
    assert client.get("/api/search", params={"q": "x", "limit": 0}).status_code == 422
    assert client.get("/api/search", params={"q": ""}).json()["results"] == []


def test_search_finds_alternative_labels_and_yo(client: httpx.Client) -> None:
    hits = client.get("/api/search", params={"q": "мгму", "lang": "ru"}).json()["results"]
    assert hits[0]["iri"] == SECHENOV and "МГМУ" in hits[0]["matched"]
    created = client.get("/api/search", params={"q": "создаетс", "lang": "ru"}).json()["results"]
    assert any("создаётся" in r["matched"] for r in created)  # ё in the data, е in the query


def test_neighbourhood_draws_the_agreement_through_its_party_node(client: httpx.Client) -> None:
    graph = client.get("/api/graph/neighbourhood", params={"iri": SECHENOV, "lang": "en"}).json()
    nodes = {n["id"]: n for n in graph["nodes"]}
    assert graph["center"] == SECHENOV and nodes[SECHENOV]["label"] == "Sechenov University"
    assert nodes[AGREEMENT]["kind"] == "agreement"  # two steps away, through the n-ary party node
    assert nodes[ROUND_TABLE]["kind"] == "event"
    kinds = {n["kind"] for n in nodes.values()}
    assert {"organisation", "person", "agreement", "event", "relationship", "post"} <= kinds
    assert all(e["source"] in nodes and e["target"] in nodes for e in graph["edges"])
    labels = {e["label"] for e in graph["edges"]}
    assert {"has party", "party organization", "unit of"} <= labels
    assert nodes[SECHENOV]["href"] == "/page/organization/sechenov-university?lang=en"


def test_neighbourhood_depth_and_cap(client: httpx.Client) -> None:
    one = client.get("/api/graph/neighbourhood", params={"iri": SECHENOV}).json()
    two = client.get("/api/graph/neighbourhood", params={"iri": SECHENOV, "depth": 2}).json()
    assert len(two["nodes"]) > len(one["nodes"])
    capped = client.get("/api/graph/neighbourhood", params={"iri": SECHENOV, "depth": 2, "limit": 5}).json()
    assert len(capped["nodes"]) == 5 and capped["truncated"] is True


def test_neighbourhood_errors(client: httpx.Client) -> None:
    assert client.get("/api/graph/neighbourhood", params={"iri": ID + "organization/nobody"}).status_code == 404
    assert client.get("/api/graph/neighbourhood", params={"iri": "not an iri"}).status_code == 400
    assert client.get("/api/graph/neighbourhood", params={"iri": SECHENOV, "depth": 9}).status_code == 422


def test_overview_shows_the_main_kinds_and_facts_as_edges(client: httpx.Client) -> None:
    graph = client.get("/api/graph/overview", params={"lang": "en"}).json()
    kinds = {n["kind"] for n in graph["nodes"]}
    assert kinds <= {"organisation", "person", "agreement", "event", "site"}
    assert {"organisation", "person", "agreement", "event"} <= kinds
    pairs = {(e["source"], e["target"], e["label"]) for e in graph["edges"]}
    assert (AGREEMENT, SECHENOV, "Agreement party") in pairs
    small = client.get("/api/graph/overview", params={"limit": 10}).json()
    assert len(small["nodes"]) == 10 and small["truncated"] is True


def test_timeline_orders_the_round_table_before_the_signing(client: httpx.Client) -> None:
    body = client.get("/api/timeline", params={"lang": "en"}).json()
    items = body["items"]
    order = [i["iri"] for i in items]
    assert order.index(ROUND_TABLE) < order.index(SIGNING)
    by_iri = {i["iri"]: i for i in items}
    assert by_iri[ROUND_TABLE]["start"] == "2017-02-08" and by_iri[SIGNING]["start"] == "2017-02-21"
    assert by_iri[AGREEMENT]["kind"] == "agreement" and by_iri[AGREEMENT]["start"] == "2017-02-21"
    park = [i for i in items if i["kind"] == "period" and i["subject"] == PARK]
    assert len(park) == 1
    assert (park[0]["start"], park[0]["end"], park[0]["status"]) == ("2017-01-01", "2020-12-31", "under construction")
    assert [i["start"] for i in items] == sorted(i["start"] for i in items)
    assert body["start"] <= "2017-01-01" and body["end"] >= "2020-12-31"


@pytest.mark.parametrize("path", ["/search?q=Сечен", "/graph", f"/graph?iri={SECHENOV}", "/timeline"])
def test_pages_have_the_search_box_and_a_language_switcher(client: httpx.Client, path: str) -> None:
    response = client.get(path, headers={"Accept-Language": "ru"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    html = response.text
    assert 'class="eg-search"' in html and "/ui/explore/search-box.js" in html
    assert 'hreflang="en"' in html and "lang=en" in html
    assert '<html lang="ru">' in html


def test_search_page_lists_results_and_assets_are_served(client: httpx.Client) -> None:
    html = client.get("/search", params={"q": "sechenov", "lang": "en"}).text
    assert "/page/organization/sechenov-university?lang=en" in html and "Sechenov University" in html
    script = client.get("/ui/vendor/cytoscape/cytoscape.min.js")
    assert script.status_code == 200 and "cytoscape" in script.text[:2000].lower()
    assert client.get("/ui/explore/graph.js").status_code == 200


def test_timeline_band_is_to_scale_and_keeps_labels_apart() -> None:
    def item(iri: str, start: str, end: str | None = None, precision: str = "day") -> Item:
        return Item(iri=iri, kind="event", label=iri, start=start, end=end or start, precision=precision)

    items = [item("period", "2017-01-01", "2020-12-31", "year"), item("a", "2017-02-08"), item("b", "2017-02-08"),
             item("c", "2017-02-21"), item("d", "2019-06-01")]
    drawn = band(items)
    x = {p["item"].iri: p["x"] for p in drawn["points"]}
    label_y = {p["item"].iri: p["label_y"] for p in drawn["points"]}
    assert x["a"] == x["b"] < x["c"] < x["d"]  # in date order; the same day at the same place
    assert label_y["a"] != label_y["b"] and label_y["b"] != label_y["c"]  # close labels on separate lanes
    days = {"a": 0, "c": 13, "d": (dt.date(2019, 6, 1) - dt.date(2017, 2, 8)).days}
    assert (x["c"] - x["a"]) / days["c"] == pytest.approx((x["d"] - x["a"]) / days["d"], rel=0.01)  # to scale
    (bar,) = drawn["bars"]
    assert bar["x"] <= x["a"] and bar["x"] + bar["width"] >= x["d"]
    assert [t["year"] for t in drawn["ticks"]] == [2017, 2018, 2019, 2020]
    assert band([])["points"] == []



def test_a_resource_without_links_is_drawn_alone(mini_store: GraphStore, mini_settings: Settings) -> None:
    index = search.index_for(mini_store, mini_settings)
    alone = ID + "organization/zelenograd-development-corporation"  # a type and labels, nothing else
    graph = graphview.neighbourhood(mini_store, index, alone, lang="en")
    assert graph["nodes"] == [{"id": alone, "label": "Zelenograd Development Corporation", "kind": "organisation",
                               "class": "Organisation"}]
    assert graph["edges"] == []
    with pytest.raises(NotFound):
        graphview.neighbourhood(mini_store, index, ID + "organization/nobody")
