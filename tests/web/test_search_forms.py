"""/api/search (the search box) and /search find word forms and the other script, over the real project."""

from __future__ import annotations

import httpx
import pytest

ID = "https://w3id.org/ecosystem-graph/id/"


@pytest.mark.parametrize(("query", "expected"), [
    ("Зайцевым", "person/vladimir-zaytsev"), ("Zaitsev", "person/vladimir-zaytsev"),
    ("Сеченовском университете", "organization/sechenov-university"),
    ("зеленоградский кластер", "organization/zelenograd-innovation-territorial-cluster"),
])
def test_the_search_box_and_the_page_find_word_forms(project_server: str, query: str, expected: str) -> None:
    with httpx.Client(base_url=project_server, timeout=30) as http:
        answer = http.get("/api/search", params={"q": query, "lang": "ru", "limit": 5}).json()
        assert ID + expected in [hit["iri"] for hit in answer["results"]]
        page = http.get("/search", params={"q": query, "lang": "ru"})
        assert page.status_code == 200 and f"/page/{expected}" in page.text
