"""Surname typos forgiven conservatively: one transposition, or one consonant substituted in
a long surname, and only when everything else agrees (invented names)."""

from __future__ import annotations

import pytest

from khronika.names import compare

# (a, b, same person?, rule expected for the surname or None)
CASES = [
    # Belarusian ў + vowel against Russian в + vowel (Шаўцоў / Швецов): a key transposition
    ("Тихон Шаўцоў", "Тихон Швецов", True, "transposition"),
    ("Тихон Шаўцоў", "Tikhon Shvetsov", True, "transposition"),
    ("Шаўцова Алеся Тихоновна", "Швецова Олеся Тихоновна", True, "transposition"),
    # transpositions as typos: in one language only with an agreeing patronymic
    ("Осип Лесников", "Осип Лесинков", False, "typo"),
    ("Осип Тихонович Лесников", "Осип Тихонович Лесинков", True, "typo"),
    ("Осип Лесников", "Osip Lesinkov", True, "transposition"),
    ("Тихон Мальчиненко", "Tikhon Malinchenko", True, "transposition"),
    # one consonant substituted in a long surname, with an agreeing patronymic
    ("Ефим Степанович Мирошниченко", "Ефим Степанович Мирошличенко", True, "typo"),
    ("Мирошниченко Ефим Степанович", "Yefim Stepanovich Miroshlichenko", True, "typo"),
    ("Ефим Мирошниченко", "Ефим Мирошличенко", False, "typo"),  # names alone: no
    # ... but not when anything else disagrees
    ("Осип Лесников", "Тихон Лесинков", False, None),
    ("Ефим Мирошниченко", "Олег Мирошличенко", False, None),
    ("Ефим Степанович Мирошниченко", "Ефим Петрович Мирошличенко", False, None),
    ("Тихон Шаўцоў", "Тихон Швецова", False, None),  # sexes differ
    ("Ефим Мирошниченко", "Ефима Мирошличенко", False, None),  # sexes differ
    # ... nor in short surnames, the first letter, the ending, or two edits
    ("Осип Лосик", "Осип Лосич", False, None),
    ("Осип Бедок", "Осип Бедос", False, None),
    ("Осип Кравченко", "Осип Гравченко", False, None),
    ("Осип Мирошниченко", "Осип Мирошниченка", True, None),  # -енко/-енка: a regular pair
    ("Ефим Мирошниченко", "Ефим Миролличенко", False, None),
    ("Ефим Кандыбович", "Ефим Кандыбовин", False, None),
    ("Ефим Котляров", "Ефим Котляков", False, None),  # five consonants: too short to forgive
    ("Ефим Лесников", "Ефим Лесникова", False, None),
]


@pytest.mark.parametrize(("a", "b", "same", "rule"), CASES)
def test_typos(a: str, b: str, same: bool, rule: str | None) -> None:
    m = compare(a, b)
    assert m.match is same, m.explanation
    if rule:
        parts = {p["part"]: p["rule"] for p in m.explanation["parts"]}
        assert parts["surname"] == rule


def test_consonant_typo_with_the_same_birth_day() -> None:
    m = compare(
        "Ефим Мирошниченко",
        "Ефим Мирошличенко",
        birth_date_a="1971-03-02",
        birth_date_b="1971-03-02",
    )
    assert m.match


def test_typo_with_a_far_birth_date_is_rejected() -> None:
    m = compare("Осип Лесников", "Osip Lesinkov", birth_date_a="1970", birth_date_b="1985")
    assert not m.match


def test_a_typo_alone_never_matches_a_lone_surname() -> None:
    assert not compare("Лесинков", "Осип Лесников").match
    assert not compare("Lesinkov", "Осип Лесников").match


@pytest.mark.parametrize(
    ("a", "b"),
    [("Осип Карпаў", "Осип Капраў"), ("Осип Галнічаў", "Осип Глонічаў")],
)
def test_one_language_swaps_need_more_than_the_given_name(a: str, b: str) -> None:
    assert not compare(a, b).match
