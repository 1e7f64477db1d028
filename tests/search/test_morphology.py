"""Word forms and scripts: the keys words are matched on, and what they cost per query."""

from __future__ import annotations

import time

import pytest

from ecosystem_graph.search import morphology
from ecosystem_graph.search.matching import PREFIX, WHOLE, WORDS, lemma_tier, read_query
from ecosystem_graph.search.transliteration import skeleton, to_cyrillic


@pytest.mark.parametrize("spellings", [
    ("Зайцев", "zaytsev", "zaitsev"), ("Лычагин", "lychagin"), ("Залесских", "zalesskikh"),
    ("Алексей", "aleksey", "alexey"), ("Наталья", "natalya", "natalia"), ("Пущино", "pushchino"),
    ("Озерск", "ozyorsk"), ("Дмитрий", "dmitriy"), ("Михаил", "mikhail"),
])
def test_romanisations_share_one_skeleton(spellings: tuple[str, ...]) -> None:
    assert len({skeleton(word.lower()) for word in spellings}) == 1


def test_romanised_words_are_read_back_as_russian() -> None:
    assert to_cyrillic("zaytseva") == "зайцева"
    assert to_cyrillic("lychagin") == "лычагин"
    assert to_cyrillic("сеченов") == ""


@pytest.mark.parametrize(("form", "key"), [
    ("зайцева", "zaitsev"), ("зайцевым", "zaitsev"), ("сеченовском", "sechenov"), ("сеченова", "sechenov"),
    ("зеленоградского", "zelenograd"), ("университете", "universitet"), ("universities", "universiti"),
    ("zaytseva", "zaitsev"),
])
def test_word_forms_share_the_lemma_key(form: str, key: str) -> None:
    assert key in morphology.query_keys(form)


def test_tiers_by_lemmas() -> None:
    label = morphology.keys_text("сеченовский университет")
    assert lemma_tier(read_query("университете сеченовском"), label) == (WHOLE, False)
    assert lemma_tier(read_query("сеченовского"), label) == (PREFIX, False)
    assert lemma_tier(read_query("университета"), label) == (WORDS, False)
    assert lemma_tier(read_query("универ"), label) == (WORDS, True)
    assert lemma_tier(read_query("университет москвы"), label) is None


def test_the_analyser_loads_once_and_a_known_query_costs_microseconds() -> None:
    morphology.analyser()
    read_query("зайцевым владимиром")  # the words' first reading parses them
    started = time.perf_counter()
    for _ in range(1000):
        read_query("зайцевым владимиром")
    per_query = (time.perf_counter() - started) / 1000
    assert morphology.analyser.cache_info().currsize == 1 and morphology.analyser.cache_info().misses == 1
    assert per_query < 0.001, f"{per_query * 1e6:.0f} µs per query of two known words"
