"""Accept / Accept-Language negotiation: q-values, wildcards, specificity, aliases, refusals."""

from __future__ import annotations

import pytest

from ecosystem_graph.web.negotiation import negotiate, negotiate_language, parse_accept, ranked

RDF = ["text/turtle", "application/n-triples", "application/ld+json", "text/html"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "text/turtle"),
        ("", "text/turtle"),
        ("*/*", "text/turtle"),
        ("*", "text/turtle"),
        ("text/html", "text/html"),
        ("application/ld+json;q=0.9, text/html;q=0.8", "application/ld+json"),
        ("text/html;q=0.5, application/ld+json", "application/ld+json"),
        ("text/*;q=0.3, application/n-triples;q=0.2", "text/turtle"),
        ("*/*;q=0.1, application/n-triples", "application/n-triples"),
        ("*/*, text/turtle;q=0", "application/n-triples"),
        ("text/*;q=0.5, text/html;q=0.9", "text/html"),
        ("TEXT/HTML", "text/html"),
        ('text/html;level="1,2";q=0.4, text/turtle;q=0.3', "text/html"),
        ("text/html;q=oops", "text/html"),
        ("image/png", None),
    ],
)
def test_negotiate(header: str | None, expected: str | None) -> None:
    assert negotiate(header, RDF) == expected


def test_everything_refused_is_none() -> None:
    assert negotiate("text/turtle;q=0, text/html;q=0", ["text/turtle", "text/html"]) is None


def test_ranked_orders_and_drops_refused() -> None:
    header = "text/html;q=0.2, */*;q=0.5, application/n-triples;q=0"
    assert ranked(header, RDF) == ["text/turtle", "application/ld+json", "text/html"]


def test_equal_quality_prefers_specific_then_header_order() -> None:
    assert ranked("*/*, application/ld+json, text/html", RDF)[:3] == ["application/ld+json", "text/html",
                                                                       "text/turtle"]


def test_aliases_expand_to_several_types() -> None:
    aliases = {"application/json": ("application/sparql-results+json", "application/ld+json")}
    offered = ["application/sparql-results+json", "text/turtle", "application/ld+json"]
    assert ranked("application/json", offered, aliases=aliases) == ["application/sparql-results+json",
                                                                     "application/ld+json"]
    assert [r.media_type for r in parse_accept("application/json;q=0.5", aliases=aliases)] == \
        ["application/sparql-results+json", "application/ld+json"]


def test_malformed_elements_are_dropped() -> None:
    assert [r.media_type for r in parse_accept("text, /x, */json, text/turtle")] == ["text/turtle"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "ru"),
        ("en", "en"),
        ("en-GB,en;q=0.9,ru;q=0.8", "en"),
        ("de, ru;q=0.5", "ru"),
        ("de", "ru"),
        ("*, ru;q=0.1", "en"),
        ("ru;q=0, *", "en"),
        ("ru-RU;q=0.9, en;q=0.8", "ru"),
    ],
)
def test_negotiate_language(header: str | None, expected: str) -> None:
    assert negotiate_language(header, ["ru", "en"]) == expected
