"""Inflected forms of names from running text back to the nominative."""

from __future__ import annotations

import pytest

from khronika.names.morph import nominative_candidates


@pytest.mark.parametrize(
    ("word", "nominative"),
    [
        ("Сергеем", "Сергей"),
        ("Анны", "Анна"),
        ("Николаю", "Николай"),
        ("Игоря", "Игорь"),
        ("Гарбузова", "Гарбузов"),
        ("Гарбузовой", "Гарбузова"),
        ("Кандыбовича", "Кандыбович"),
        ("Кандыбовичу", "Кандыбович"),
        ("Шчупакоўскага", "Шчупакоўскі"),
        ("Щупаковского", "Щупаковский"),
        ("Щупаковской", "Щупаковская"),
        ("Цімошчанкі", "Цімошчанка"),  # Belarusian -ка surnames decline
        ("Цімошчанкам", "Цімошчанка"),
        ("Ганны", "Ганна"),
        ("Сяргея", "Сяргей"),
    ],
)
def test_nominative_among_candidates(word: str, nominative: str) -> None:
    assert nominative in nominative_candidates(word)


@pytest.mark.parametrize("word", ["Tsimoshchanka", "Кара-Гарбуз"])
def test_other_words_pass_through(word: str) -> None:
    assert nominative_candidates(word) == (word,)


def test_word_itself_comes_first() -> None:
    assert nominative_candidates("Яна")[0] == "Яна"
