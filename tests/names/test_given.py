"""The given-name table: its size, its shape and the equivalences it gives."""

from __future__ import annotations

import pytest

from khronika.names.given import given_names, spelling_key


def test_at_least_300_belarusian_names_with_all_columns() -> None:
    table = given_names()
    assert len(table.rows) >= 300
    for row in table.rows:
        assert row.sex in ("m", "f")
        assert row.be and row.ru and row.pl, row


def same_name(a: str, b: str) -> bool:
    table = given_names()
    ia = table.by_spelling.get(spelling_key(a), frozenset())
    ib = table.by_spelling.get(spelling_key(b), frozenset())
    return bool(ia & ib)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ганна", "Анна"),
        ("Hanna", "Anna"),
        ("Аляксандр", "Александр"),
        ("Алесь", "Александр"),
        ("Зміцер", "Дмитрий"),
        ("Dzmitry", "Dmitry"),
        ("Наста", "Анастасия"),
        ("Мікола", "Николай"),
        ("Mikalai", "Mikołaj"),
        ("Уладзімір", "Włodzimierz"),
        ("Uladzimir", "Vladimir"),
        ("Яўген", "Evgeny"),
        ("Вольга", "Olga"),
        ("Katsiaryna", "Ekaterina"),
        ("Рыгор", "Grzegorz"),
    ],
)
def test_equivalent(a: str, b: str) -> None:
    assert same_name(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Яна", "Анна"), ("Марыя", "Марына"), ("Алена", "Аліна"), ("Ян", "Іван"), ("Ян", "Яна")],
)
def test_not_equivalent(a: str, b: str) -> None:
    assert not same_name(a, b)


@pytest.mark.parametrize(("name", "sex"), [("Ганна", "f"), ("Алесь", "m"), ("Саша", None)])
def test_sex(name: str, sex: str | None) -> None:
    table = given_names()
    assert table.sex_of(table.by_spelling[spelling_key(name)]) == sex


def test_no_mixed_script_word_in_the_table() -> None:
    import re

    for row in given_names().rows:
        for form in row.full_forms + row.short:
            for word in re.findall(r"[\w'-]+", form):
                mixed = re.search(r"[\u0400-\u04ff]", word) and re.search(r"[A-Za-z]", word)
                assert not mixed, word
