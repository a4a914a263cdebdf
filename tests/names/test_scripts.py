"""Script, language and homoglyph repair of tokens."""

from __future__ import annotations

import pytest

from khronika.names.scripts import (
    clean_text,
    detect_language,
    detect_script,
    name_language,
    repair_homoglyphs,
)


@pytest.mark.parametrize(
    ("token", "lang"),
    [
        ("Кандыбоўская", "be"),
        ("Цімошчанка", "be"),
        ("Лукашэвіч", "be"),
        ("Жыгалка", "be"),
        ("Тимощенко", "ru"),
        ("Юрий", "ru"),
        ("Павел", "cyrl"),
        ("Марфа", "cyrl"),
        ("Олександр", "cyrl"),
        ("Гаїна", "uk"),
        ("Kandybouskaya", "latn"),
        ("弗拉基米尔", "other"),
    ],
)
def test_detect_language(token: str, lang: str) -> None:
    assert detect_language(token) == lang


@pytest.mark.parametrize(
    ("token", "script"), [("Ганна", "cyrl"), ("Hanna", "latn"), ("1990", "other")]
)
def test_detect_script(token: str, script: str) -> None:
    assert detect_script(token) == script


@pytest.mark.parametrize(
    ("token", "repaired"),
    [
        ("Kaтя", "Катя"),  # Latin K, a in a Cyrillic word
        ("Шчупaк", "Шчупак"),  # Latin a
        ("Hаnna", "Hanna"),  # Cyrillic а in a Latin word
        ("Сop", "Cop"),  # one Cyrillic look-alike among Latin ones: the majority wins
        ("Ганна", "Ганна"),
        ("Hanna", "Hanna"),
    ],
)
def test_repair_homoglyphs(token: str, repaired: str) -> None:
    assert repair_homoglyphs(token) == repaired


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("Влади\u0301мир  Пу\u0301тин", "Владимир Путин"),
        ("Грыгор’еў", "Грыгор'еў"),
        ("Vladímir", "Vladímir"),  # accents on Latin letters stay
        ("Кара\u2013Мурза", "Кара-Мурза"),
    ],
)
def test_clean_text(text: str, cleaned: str) -> None:
    assert clean_text(text) == cleaned


@pytest.mark.parametrize(
    ("langs", "lang"),
    [(["cyrl", "be"], "be"), (["ru", "cyrl"], "ru"), (["be", "ru"], "cyrl"), (["latn"], "latn")],
)
def test_name_language(langs: list[str], lang: str) -> None:
    assert name_language(langs) == lang
