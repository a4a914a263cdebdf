"""Irregular patronymics (‑ич/‑іч, ‑инична) are read as patronymics, in any case style."""

from __future__ import annotations

import pytest

from khronika.names import Index, compare, parse_name

# Invented people; the patronymics are built on names whose stems are irregular (Лука,
# Фома, Илья, Кузьма, Никита, Савва, Фока): Russian ‑ич/‑инична, Belarusian ‑іч/‑інічна.
PATRONYMICS = [
    ("Лукич", "m"),
    ("Фомич", "m"),
    ("Ильич", "m"),
    ("Кузьмич", "m"),
    ("Никитич", "m"),
    ("Саввич", "m"),
    ("Фокич", "m"),
    ("Лукинична", "f"),
    ("Фоминична", "f"),
    ("Ильинична", "f"),
    ("Кузьминична", "f"),
    ("Никитична", "f"),
    ("Лукіч", "m"),
    ("Ільіч", "m"),
    ("Кузьміч", "m"),
    ("Иванович", "m"),  # a regular one: the same behaviour in capitals
]
GIVEN = {"m": "Осип", "f": "Ефросинья"}
SURNAME = {"m": "Лесников", "f": "Лесникова"}


def _full(patr: str, sex: str, *, caps: bool) -> str:
    text = f"{SURNAME[sex]} {GIVEN[sex]} {patr}"
    return text.upper() if caps else text


@pytest.mark.parametrize("caps", [True, False])
@pytest.mark.parametrize(("patr", "sex"), PATRONYMICS)
def test_patronymic_is_parsed(patr: str, sex: str, caps: bool) -> None:
    reading = parse_name(_full(patr, sex, caps=caps)).readings[0]
    assert reading.patronymic is not None and reading.patronymic.text.lower() == patr.lower()
    assert reading.given is not None and reading.given.text.lower() == GIVEN[sex].lower()
    assert reading.sex == sex


@pytest.mark.parametrize(("patr", "sex"), PATRONYMICS)
def test_patronymic_does_not_take_the_given_name_role(patr: str, sex: str) -> None:
    m = compare(f"{GIVEN[sex]} {SURNAME[sex]}", _full(patr, sex, caps=True))
    assert m.match and m.score >= 0.9
    parts = {p["part"]: p for p in m.explanation["parts"]}
    assert parts["given"]["rule"] == "identical"
    assert parts["patronymic"]["rule"] == "missing"


@pytest.mark.parametrize(("patr", "sex"), PATRONYMICS)
def test_screening_finds_the_record(patr: str, sex: str) -> None:
    idx = Index()
    idx.add("a", _full(patr, sex, caps=True), "1986-04-24")
    hits = idx.search(f"{GIVEN[sex]} {SURNAME[sex]}", birth_date="1986-04-24")
    assert [h.key for h in hits if h.match] == ["a"]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Осип Лукич Лесников", "Осип Лукіч Лесникаў", True),
        ("Осип Лукич Лесников", "Осип Фомич Лесников", False),
        ("Ефросинья Лукинична Лесникова", "Ефросинья Фоминична Лесникова", False),
        ("Ефросинья Лукинична Лесникова", "Ефросинья Лукична Лесникова", True),
    ],
)
def test_patronymics_compared(a: str, b: str, same: bool) -> None:
    assert compare(a, b).match is same
