"""Parsing names: order, patronymics, capitals, commas, initials, titles, sex."""

from __future__ import annotations

import pytest

from khronika.names.parse import parse_name


def parts(text: str, reading: int = 0) -> tuple[str | None, str | None, str | None, str]:
    r = parse_name(text).readings[reading]
    return (
        r.given.text if r.given else None,
        r.patronymic.text if r.patronymic else None,
        r.surname.text if r.surname else None,
        r.order,
    )


@pytest.mark.parametrize(
    ("text", "given", "patronymic", "surname", "order"),
    [
        ("Ганна Кандыбовіч", "Ганна", None, "Кандыбовіч", "given surname"),
        ("Кандыбовіч Ганна", "Ганна", None, "Кандыбовіч", "surname given"),
        (
            "Кандыбовіч Ганна Іванаўна",
            "Ганна",
            "Іванаўна",
            "Кандыбовіч",
            "surname given patronymic",
        ),
        (
            "Ганна Іванаўна Кандыбовіч",
            "Ганна",
            "Іванаўна",
            "Кандыбовіч",
            "given patronymic surname",
        ),
        (
            "Гарбузов Сергей Дмитриевич",
            "Сергей",
            "Дмитриевич",
            "Гарбузов",
            "surname given patronymic",
        ),
        ("KANDYBOVICH hanna", "hanna", None, "KANDYBOVICH", "SURNAME given"),
        ("ГАРБУЗОВ Сергей", "Сергей", None, "ГАРБУЗОВ", "SURNAME given"),
        (
            "GARBUZOV, Sergei Dmitrievich",
            "Sergei",
            "Dmitrievich",
            "GARBUZOV",
            "surname, given patronymic",
        ),
        ("Гарбузов, Сергей", "Сергей", None, "Гарбузов", "surname, given patronymic"),
        ("С. Д. Гарбузов", "С", "Д", "Гарбузов", "initials surname"),
        ("Гарбузов С.Д.", "С", "Д", "Гарбузов", "surname initials"),
        ("Вл Кара-Гарбуз", "Вл", None, "Кара-Гарбуз", "initials surname"),
        ("Президент Гарбузов", None, None, "Гарбузов", "surname"),
        ("Ганна", "Ганна", None, None, "given"),
        ("Цімошчанка", None, None, "Цімошчанка", "surname"),
    ],
)
def test_parts(
    text: str, given: str | None, patronymic: str | None, surname: str | None, order: str
) -> None:
    assert parts(text) == (given, patronymic, surname, order)


def test_unknown_order_gives_two_readings() -> None:
    p = parse_name("Жывіла Кастусевіч")  # neither word is in the given-name table
    assert [r.order for r in p.readings] == ["given surname", "surname given"]


def test_titles_are_kept_aside() -> None:
    assert parse_name("Presidente Sergio Garbuzov").titles == ("Presidente",)


@pytest.mark.parametrize(
    ("text", "sex", "source"),
    [
        ("Ганна Кандыбовіч", "f", "given"),
        ("Ян Гарбузов", "m", "given"),
        ("Яна Гарбузова", "f", "given"),
        ("Саша Гарбузова", "f", "surname"),  # Саша is both; the surname tells
        ("Саша Кандыбовіч", None, ""),
        ("Гарбузов Ж. Д.", "m", "surname"),
        ("Кастусевіч Жывіла Міхайлаўна", "f", "patronymic"),
    ],
)
def test_sex(text: str, sex: str | None, source: str) -> None:
    r = parse_name(text).readings[0]
    assert (r.sex, r.sex_from) == (sex, source)
