"""The UI words come from one table in both languages: a Russian page shows none of the table's English words,
and an English page none of its Russian ones, outside text marked as another language (data, quotations) and
code (SPARQL text, IRIs). The pages are the real project's, rendered by a live server."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import httpx
import pytest

from ecosystem_graph.views.words import LANGUAGES, WORDS, editor_translations, messages

PAGES = ("/", "/queries", "/queries/cq01-agreement-signatories", "/page/organization/sechenov-university",
         "/page/person/vladimir-zaytsev", "/page/source/sechenov-university-cluster-cooperation-2017",
         "/page/agreement/sechenov-university-zelenograd-cluster-cooperation-2017", "/graph", "/timeline",
         "/search?q=sechenov")
#: elements whose text is code or data, not interface words
SKIPPED = {"script", "style", "pre", "code", "textarea", "time"}
ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")


class _Visible(HTMLParser):
    """The text a reader of ``lang`` sees as interface: element text and titles, minus other-language parts."""

    def __init__(self, lang: str):
        super().__init__()
        self.lang = lang
        self.stack: list[tuple[str, bool]] = []
        self.parts: list[str] = []

    @property
    def hidden(self) -> bool:
        return any(hidden for _, hidden in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        other = values.get("lang") not in (None, "", self.lang) or values.get("hreflang") not in (None, self.lang)
        if tag not in ("meta", "link", "input", "br", "img", "hr"):
            self.stack.append((tag, tag in SKIPPED or other))
        if not self.hidden and not other:
            self.parts.extend(v for k, v in attrs if k in ATTRIBUTES and v and not v.startswith("http"))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str, lang: str) -> str:
    parser = _Visible(lang)
    parser.feed(html)
    return " ".join(parser.parts)


def foreign_words(lang: str) -> list[str]:
    """The table's words in the other language that a page in ``lang`` must not show."""
    other = LANGUAGES[1 - LANGUAGES.index(lang)]
    own, theirs = messages(lang), messages(other)
    return sorted({theirs[key] for key in WORDS if not key.startswith(("lang.", "editor.ui.", "term."))
                   and theirs[key] != own[key] and len(theirs[key]) > 2 and "{" not in theirs[key]})


def test_every_word_has_both_languages() -> None:
    for key, pair in WORDS.items():
        assert len(pair) == len(LANGUAGES) and all(text.strip() for text in pair), key
    assert all(re.search("[а-яё]", ru, re.IGNORECASE) or ru == en for key, (ru, en) in WORDS.items()
               if not key.startswith("lang."))
    assert editor_translations("ru")["strings"]["Run query"] == "Выполнить запрос"
    assert editor_translations("en") == {"strings": {}, "patterns": []}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pages_show_no_interface_words_of_the_other_language(project_server: str, lang: str) -> None:
    words = foreign_words(lang)
    assert len(words) > 100  # the check reads the real table
    found: dict[str, list[str]] = {}
    with httpx.Client(base_url=project_server, timeout=60) as http:
        for path in PAGES:
            response = http.get(path, params={"lang": lang}, headers={"Accept": "text/html"})
            assert response.status_code == 200, path
            assert response.headers["content-type"].startswith("text/html"), path
            text = visible_text(response.text, lang)
            hits = [w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text)]
            if hits:
                found[path] = hits
    assert not found, found


def test_a_russian_page_names_properties_by_their_ontology_labels(project_server: str) -> None:
    html = httpx.get(project_server + "page/source/sechenov-university-cluster-cooperation-2017",
                     params={"lang": "ru"}, timeout=60).text
    text = visible_text(html, "ru")
    for raw in ("fileName", "rubric", "sourceKind", "comment", "publicationDateTime"):
        assert not re.search(rf"\b{raw}\b", text), raw
    assert "рубрика" in text and "комментарий" in text
