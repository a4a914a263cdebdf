"""Normal forms of Russian names: natasha first, pymorphy3 where natasha left a case."""

from __future__ import annotations

import pytest

from khronika.media.people import find_mentions, russian_nominative, sentences
from khronika.names import Index

CASES = [
    # (text, the name as written, its nominative)
    ("Прокуратура возбудила дело против Шеметовой.", "Шеметовой", "Шеметова"),
    ("Суд приговорил Ольгу Шеметову заочно.", "Ольгу Шеметову", "Ольга Шеметова"),
    ("Ирине Верещаке предъявлено обвинение.", "Ирине Верещаке", "Ирина Верещака"),
    ("Сообщение направлено Игорю Кравцевичу.", "Игорю Кравцевичу", "Игорь Кравцевич"),
    ("Встреча прошла с Анной Ковальской.", "Анной Ковальской", "Анна Ковальская"),
    ("Письмо адресовано Коваленку.", "Коваленку", "Коваленок"),
    ("Дело передано в суд, сказала Татьяна Жданович.", "Татьяна Жданович", "Татьяна Жданович"),
]


def _gazetteer() -> Index:
    # A lone surname is kept only when the registry knows it (invented people).
    index = Index(threshold=0.85)
    index.add("p1", "Ольга Шеметова", None)
    index.add("p2", "Семён Коваленок", None)
    return index


@pytest.mark.parametrize(("text", "surface", "normal"), CASES)
def test_nominatives_of_russian_names(text: str, surface: str, normal: str) -> None:
    got = {m.text: m.normal for m in find_mentions(text, sentences(text), _gazetteer())}
    assert got.get(surface) == normal, got


def test_a_womans_surname_in_ich_does_not_decline() -> None:
    assert russian_nominative("Ольге Жданович", "Ольга Жданович") == "Ольга Жданович"


def test_words_natasha_changed_are_left_alone() -> None:
    assert russian_nominative("Игоря Петрова", "Игорь Петров") == "Игорь Петров"
