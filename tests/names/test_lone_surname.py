"""A lone surname (no given name or initial) is not enough to say yes against a full name,
unless the caller says it comes from running text (a mention)."""

from __future__ import annotations

import pytest

from khronika.names import Index, compare
from khronika.names.scoring import LONE_SURNAME, THRESHOLD

# (lone surname, full name, mention side or None, yes expected)
CASES = [
    ("Президент Гарбузов", "Гарбузов Тихон Ильич", None, False),
    ("Гарбузов", "Тихон Гарбузов", None, False),
    ("GARBUZOV", "Тихон Гарбузов", None, False),
    ("Гарбузова", "Алеся Гарбузова", None, False),
    ("Президент Гарбузов", "Гарбузов Тихон Ильич", "a", True),
    ("Тихон Гарбузов", "Президент Гарбузов", "b", True),
    ("Президента Гарбузова", "Гарбузов Тихон Ильич", "a", True),  # genitive in running text
    ("Гарбузов", "Гарбузов", None, True),  # two lone surnames: nothing else to tell them apart
    ("Т. Гарбузов", "Тихон Гарбузов", None, True),  # an initial is a given name's trace
    ("Президент Гарбузов", "Тихон Гарбузин", "a", False),
]


@pytest.mark.parametrize(("a", "b", "mention", "same"), CASES)
def test_lone_surname(a: str, b: str, mention: str | None, same: bool) -> None:
    m = compare(a, b, mention=mention)
    assert m.match is same, m.explanation


def test_same_birth_day_does_not_lift_a_lone_surname_over_the_threshold() -> None:
    m = compare("Гарбузов", "Тихон Гарбузов", birth_date_a="1971-03-02", birth_date_b="1971-03-02")
    assert not m.match
    assert LONE_SURNAME + 0.08 < THRESHOLD


def test_lone_surname_note_says_why() -> None:
    notes = compare("Гарбузов", "Тихон Гарбузов").explanation["notes"]
    assert any("lone surname" in n and "not a mention" in n for n in notes)


def test_screening_a_lone_surname() -> None:
    idx = Index()
    idx.extend([("t", "Тихон Гарбузов", None), ("s", "Степан Гарбузов", None)])
    assert [h.key for h in idx.search("Президент Гарбузов") if h.match] == []
    found = {h.key for h in idx.search("Президент Гарбузов", mention=True) if h.match}
    assert found == {"t", "s"}
