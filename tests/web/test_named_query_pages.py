"""Pages of a named query's answer over HTTP (``limit``/``offset``), on a live server over the real project: the
pages put together are the whole answer, in one order, without a row twice or a row left out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import httpx
import pytest

JSON = {"Accept": "application/sparql-results+json"}
#: answers of the real project with ties on their own ORDER BY keys, and one with its own LIMIT (search-labels)
LARGE = ("cq09-fields", "cq10-statements-by-source", "cq11-planned-vs-existing", "cq02-posts", "search-labels")


@pytest.fixture(scope="module")
def client(project_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=project_server, timeout=60) as client:
        yield client


def rows(client: httpx.Client, name: str, **params: str | int) -> list[tuple]:
    response = client.get(f"queries/{name}", params=params, headers=JSON)
    assert response.status_code == 200, response.text
    body = response.json()
    names = body["head"]["vars"]
    return [tuple(sorted((v, tuple(sorted(b[v].items()))) for v in names if v in b))
            for b in body["results"]["bindings"]]


@pytest.mark.parametrize("name", LARGE)
def test_pages_put_together_are_the_whole_answer(client: httpx.Client, name: str) -> None:
    whole = rows(client, name)
    assert len(whole) > 7, "the answer should span several pages"
    pages, offset = [], 0
    while True:
        page = rows(client, name, limit=7, offset=offset)
        pages.append(page)
        if len(page) < 7:
            break
        offset += 7
    joined = [row for page in pages for row in page]
    assert Counter(joined) == Counter(whole)  # nothing left out, nothing twice
    assert len(set(joined)) == len(joined)
    assert joined == rows(client, name, offset=0)  # one order: the query's own keys, then every projected column
    assert [page for page in pages if page] == [rows(client, name, limit=7, offset=7 * i) for i in range(len(pages))
                                               if pages[i]]  # the same page again


def test_a_page_of_a_query_with_its_own_limit_stays_inside_it(client: httpx.Client) -> None:
    whole = rows(client, "search-labels", q="ани")  # LIMIT 50 in the query
    assert len(whole) == 50
    assert len(rows(client, "search-labels", q="ани", limit=20, offset=40)) == 10
    assert rows(client, "search-labels", q="ани", offset=50) == []


def test_paging_keeps_the_parameters_and_formats(client: httpx.Client) -> None:
    bound = rows(client, "cq02-posts", person="https://w3id.org/ecosystem-graph/id/person/alla-panchenko")
    assert rows(client, "cq02-posts", person="https://w3id.org/ecosystem-graph/id/person/alla-panchenko",
                limit=1, offset=1) == bound[1:2]
    csv = client.get("queries/cq09-fields", params={"limit": 3, "format": "csv"})
    assert csv.status_code == 200 and len(csv.text.splitlines()) == 4  # the header and three rows


@pytest.mark.parametrize("params", [
    {"limit": "abc"}, {"limit": "0"}, {"limit": "-1"}, {"limit": "1.5"}, {"limit": ""}, {"offset": "-3"},
    {"offset": "x"}, {"limit": "100000000000"}, {"limit": "١٢"},
])
def test_a_bad_page_is_a_readable_400(client: httpx.Client, params: dict[str, str]) -> None:
    response = client.get("queries/cq09-fields", params=params, headers=JSON)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")
    assert next(iter(params)) in response.text and "whole number" in response.text


def test_the_openapi_page_lists_the_paging_parameters(client: httpx.Client) -> None:
    operation = client.get("openapi.json").json()["paths"]["/queries/{name}"]["get"]
    assert {"limit", "offset"} <= {p["name"] for p in operation["parameters"]}
