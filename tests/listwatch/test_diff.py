"""Stable identity and field-by-field diffs, on synthetic entries and fixture snapshots."""

from __future__ import annotations

from pathlib import Path

import pytest

from khronika.listwatch.diff import compare_entries, diff_entries, diff_keyed
from khronika.listwatch.entries import Entry
from khronika.listwatch.formats import get_format
from khronika.listwatch.identity import assign_keys, normalise_name, set_name_matcher

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists"


def person(name: str, born: str | None = None, **fields: object) -> Entry:
    fields.setdefault("aliases", ())
    return Entry(name=name, birth_date=born, fields=fields)


def org(name: str, source_id: str | None = None, **fields: object) -> Entry:
    return Entry(name=name, kind="organisation", source_id=source_id, fields=fields)


SAME = [
    (
        "typo in the name",
        person("ОВСЯННИКОВА ПЕЛАГЕЯ", "1964-03-11"),
        person("ОВСЯНИКОВА ПЕЛАГЕЯ", "1964-03-11"),
        False,
    ),
    (
        "alias added",
        person("ГРУШИН НИКАНОР", "1970-02-01"),
        person("ГРУШИН НИКАНОР", "1970-02-01", aliases=("ГРУШИН НИКАНОР Е.",)),
        False,
    ),
    ("birth date added", person("ЗАБЫТЫЙ ЕВСЕЙ"), person("ЗАБЫТЫЙ ЕВСЕЙ", "1957-05-12"), False),
    (
        "birth date typo",
        person("ЗАБЫТЫЙ ЕВСЕЙ", "1957-05-12"),
        person("ЗАБЫТЫЙ ЕВСЕЙ", "1957-05-21"),
        False,
    ),
    (
        "flag changed",
        person("ЛЕСНИКОВ ОСИП", "1986-04-24", terrorist_flag=False),
        person("ЛЕСНИКОВ ОСИП", "1986-04-24", terrorist_flag=True),
        False,
    ),
    ("ё for е", person("ЗЕЛЁНЫЙ ЯН", "1990-01-01"), person("ЗЕЛЕНЫЙ ЯН", "1990-01-01"), False),
    (
        "name swapped for an alias",
        person("ИВАНОВ-ВЫДУМКИН ЯН", aliases=("ВЫДУМКИН ЯН",)),
        person("ВЫДУМКИН ЯН", aliases=("ИВАНОВ-ВЫДУМКИН ЯН",)),
        False,
    ),
    (
        "renamed org, same ИНН",
        org("ФОНД РАССВЕТ", registration_numbers=("ИНН:1",)),
        org("ФОНД ЗАКАТ", registration_numbers=("ИНН:1",)),
        False,
    ),
    ("list's own id, renamed", org("OLD NAME LTD", "42"), org("NEW NAME LTD", "42"), True),
]
DIFFERENT = [
    (
        "namesakes, unrelated birth dates",
        person("ИВАНОВ ИВАН", "1970-01-02"),
        person("ИВАНОВ ИВАН", "1985-11-23"),
        False,
    ),
    (
        "different people, same birth date",
        person("ПЕТРОВ ПЁТР", "1970-01-02"),
        person("СИДОРОВА АННА", "1970-01-02"),
        False,
    ),
    ("new id under an old name", org("SAME NAME LTD", "42"), org("SAME NAME LTD", "43"), True),
    ("person vs organisation", person("РАССВЕТ"), org("РАССВЕТ"), False),
]


@pytest.mark.parametrize(("case", "old", "new", "by_id"), SAME, ids=[c[0] for c in SAME])
def test_same_entry_is_a_change(case: str, old: Entry, new: Entry, by_id: bool) -> None:
    diff = diff_entries([old], [new], by_source_id=by_id)
    assert diff.counts() == {"added": 0, "removed": 0, "changed": 1}, case


@pytest.mark.parametrize(("case", "old", "new", "by_id"), DIFFERENT, ids=[c[0] for c in DIFFERENT])
def test_different_entries_are_removed_and_added(
    case: str, old: Entry, new: Entry, by_id: bool
) -> None:
    diff = diff_entries([old], [new], by_source_id=by_id)
    assert diff.counts() == {"added": 1, "removed": 1, "changed": 0}, case


def test_position_never_matters() -> None:
    entries = [person(f"ЛИЦО НОМЕР {n}", f"19{n:02d}-01-01") for n in range(50)]
    diff = diff_entries(entries, list(reversed(entries))[1:], by_source_id=False)
    assert diff.counts() == {"added": 0, "removed": 1, "changed": 0}


def test_duplicates_pair_up() -> None:
    twins = [person("ДВОЙНИКОВ ЯН", "1990-01-01"), person("ДВОЙНИКОВ ЯН", "1990-01-01")]
    assert diff_entries(twins, twins[:1], by_source_id=False).counts()["removed"] == 1
    assert diff_entries(twins[:1], twins, by_source_id=False).counts()["added"] == 1


def test_relisted_entry_gets_its_old_key() -> None:
    gone = person("ВОЗВРАТОВ ЯН", "1980-05-05")
    keys = assign_keys(
        [gone], {}, history={"k-old": gone}, by_source_id=False, new_key=lambda i: f"new{i}"
    )
    assert keys == ["k-old"]


def test_pluggable_matcher() -> None:
    old, new = person("JAN NIEBYL", "1990-01-01"), person("ЯН НЕБЫЛЬ", "1990-01-01")
    assert diff_entries([old], [new], by_source_id=False).counts()["changed"] == 0
    set_name_matcher(lambda a, b: 1.0)
    try:
        assert diff_entries([old], [new], by_source_id=False).counts()["changed"] == 1
    finally:
        set_name_matcher(None)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (person("А", aliases=("Б", "В")), person("А", aliases=("Б", "В")), {}),
        (person("А", place="X"), person("А", place="Y"), {"place": ("X", "Y")}),
        (person("А"), person("А", "1990"), {"birth_date": (None, "1990")}),
        (person("А", place=None), person("А"), {}),  # absent and None are the same
    ],
)
def test_compare_entries(old: Entry, new: Entry, expected: dict) -> None:
    assert compare_entries(old, new) == expected


def test_diff_keyed_sorted_by_name() -> None:
    diff = diff_keyed({"a": person("Б")}, {"b": person("В"), "c": person("А")})
    assert [e.name for _, e in diff.added] == ["А", "В"]
    assert [e.name for _, e in diff.removed] == ["Б"]


def test_normalise_name() -> None:
    assert normalise_name("Зелёный-Ян  «Х»") == normalise_name("ЗЕЛЕНЫЙ ЯН Х")


def fixture_entries(name: str) -> list[Entry]:
    return list(get_format("ru-fedsfm-html").parse((FIXTURES / name).read_bytes()).entries)


def test_fixture_before_after() -> None:
    diff = diff_entries(
        fixture_entries("fedsfm_before.html"),
        fixture_entries("fedsfm_after.html"),
        by_source_id=False,
    )
    assert sorted(e.name for _, e in diff.removed) == [
        "ВЫМЫШЛЕННЫЙ ФОНД РАССВЕТ",
        "ПЕТРОВСКИЙ ИГНАТ ФОМИЧ",
    ]
    assert [e.name for _, e in diff.added] == ["НОВИКОВ ПАХОМ СИДОРОВИЧ"]
    assert {c.new.name: set(c.changes) for c in diff.changed} == {
        "САМОЙЛОВА ЕЛИЗАВЕТА ПРОХОРОВНА": {"aliases", "place"},
        "ЗАБЫТЫЙ ЕВСЕЙ КУЗЬМИЧ": {"birth_date", "terrorist_flag"},
        "ЛЕСНИКОВ ОСИП ЛУКИЧ": {"terrorist_flag"},
        "ОВСЯНИКОВА ПЕЛАГЕЯ ТИХОНОВНА": {"name"},
        "МЕСТНАЯ ОРГАНИЗАЦИЯ ЗЕЛЁНАЯ ДОЛИНА": {"name"},
    }
