"""The scorer: yes/no on invented pairs, and the explanation's fields (part, rule, weight)."""

from __future__ import annotations

import pytest

from khronika.names.scoring import RULES, THRESHOLD, WEIGHTS, compare, prepare, score

# (a, b, mention, same person?, {part: rule} expected in the explanation)
CASES = [
    (
        "Ганна Кандыбовіч",
        "Анна Кандыбович",
        None,
        True,
        {"surname": "be-ru", "given": "given-equivalent"},
    ),
    (
        "Ганна Кандыбовіч",
        "Hanna Kandybovich",
        None,
        True,
        {"surname": "transliteration", "given": "transliteration"},
    ),
    (
        "Hanna Kandybovich",
        "Hanna Kandybovič",
        None,
        True,
        {"surname": "transliteration", "given": "identical"},
    ),
    (
        "Кандыбовіч Ганна Іванаўна",
        "Hanna Kandybovich",
        None,
        True,
        {"surname": "transliteration", "given": "transliteration", "patronymic": "missing"},
    ),
    (
        "Кандыбовіч Ганна Мікалаеўна",
        "Кандыбович Анна Николаевна",
        None,
        True,
        {"surname": "be-ru", "given": "given-equivalent", "patronymic": "patronymic-stem"},
    ),
    (
        "Цімошчанка Зміцер",
        "Дмитрий Тимощенко",
        None,
        True,
        {"surname": "be-ru", "given": "diminutive"},
    ),
    (
        "Анны Кандыбович",
        "Ганна Кандыбовіч",
        "a",
        True,
        {"surname": "be-ru", "given": "given-equivalent"},
    ),
    (
        "Сергеем Гарбузовым",
        "Siarhei Harbuzau",
        "a",
        True,
        {"surname": "transliteration", "given": "transliteration"},
    ),
    (
        "Александра Гарбузова",
        "Aliaksandr Harbuzau",
        "a",
        True,
        {"surname": "transliteration", "given": "transliteration"},
    ),
    (
        "С. Д. Гарбузов",
        "Сергей Дмитриевич Гарбузов",
        None,
        True,
        {"surname": "identical", "given": "initial", "patronymic": "initial"},
    ),
    ("Президент Гарбузов", "Сергей Дмитриевич Гарбузов", None, True, {"surname": "identical"}),
    ("У. Гарбузаў", "Vladimir Garbuzov", None, True, {"given": "initial"}),
    ("Garbuzov V.", "Уладзімір Гарбузаў", None, True, {"given": "initial"}),
    ("Е. Гарбузаў", "Яўген Гарбузаў", None, True, {"given": "initial"}),
    ("Кандыбовіч Г. М.", "Кандыбович Анна Николаевна", None, True, {"patronymic": "initial"}),
    ("Siarhei Harbuzau", "Сергей Гарбузов", None, True, {"surname": "transliteration"}),
    ("Mikhail Tsimoshchanka", "Михаил Тимощенко", None, True, {"surname": "transliteration"}),
    ("Michail Kriegerow", "Михаил Кригеров", None, True, {"surname": "vowel-typo"}),
    ("Тоўсцік Ігар", "Толстик Игорь", None, True, {"surname": "be-ru"}),  # ў from л
    ("Мікалаенка Сяргей", "Николаенко Сергей", None, True, {"surname": "given-derived"}),
    ("Лявонава Ірына", "Leonova Irina", None, True, {"surname": "given-derived"}),
    ("Touscik Ihar", "Толстик Игорь", None, True, {"surname": "transliteration"}),
    ("Уладзімірскі Пётр", "Владимирский Петр", None, True, {"surname": "be-ru"}),
    ("Алеся Трылненка", "Алеся Трылненко", None, True, {"surname": "be-ru"}),  # -ка/-ко
    ("Ізабэла Кандыбовіч", "Ізабела Кандыбовіч", None, True, {"given": "given-equivalent"}),
    ("KARA GARBUZ, AHMAD", "AHMAD KARA GARBUZ", None, True, {"word": "identical"}),
    ("Ахмад Кара Гарбуз", "Ahmad Kara Garbuz", None, True, {}),
    # --- different people ---
    ("Сергей Гарбузов", "Сергей Гарбузев", None, False, {"surname": "same-language-difference"}),
    ("Пяляцкий Игорь", "Пелецкий Игорь", None, False, {"surname": "same-language-difference"}),
    ("Ігар Мазік", "Ігар Мазеў", None, False, {"surname": "different"}),
    ("Hanna Kandybovich", "Hanna Kandybouskaya", None, False, {"surname": "different"}),
    ("Яна Гарбузова", "Анна Гарбузова", None, False, {"given": "different"}),
    ("Марыя Кандыбовіч", "Марына Кандыбовіч", None, False, {"given": "different"}),
    ("Ян Гарбузов", "Яна Гарбузова", None, False, {"surname": "different"}),
    ("Саша Кандыбовіч", "Сашка Кандыбовіч", None, True, {"given": "diminutive"}),
    ("Яўген Кандыбовіч", "Яўгенія Кандыбовіч", None, False, {"given": "different"}),
    (
        "Гарбузов Сергей Иванович",
        "Гарбузов Сергей Петрович",
        None,
        False,
        {"patronymic": "different"},
    ),
    ("Андрей Сергеев-Лях", "Сергей Андреев-Лях", None, False, {}),
    ("Андрэй Аляксандраў", "Аляксандр Андрэеў", None, False, {}),
    ("Мікалаенка Сяргей", "Николаев Сергей", None, False, {"surname": "different"}),
    ("Пятроў Сяргей", "Павлов Сергей", None, False, {"surname": "different"}),
    ("А. Гарбузаў", "Яўген Гарбузаў", None, False, {"given": "different"}),
    ("А. Гарбузаў", "Іван Гарбузаў", None, False, {"given": "different"}),
    ("Кандыбовіч Г. П.", "Кандыбович Анна Николаевна", None, False, {"patronymic": "different"}),
    ("Viktar Kandybovich", "Eduard Viktaravich Kandybovich", None, False, {}),  # son
    ("Ahmad Kara Garbuz", "Ahmad Kara Garbuzova", None, False, {}),
    ("Andrei Aliaksandrau", "Аляксандр Андрэеў", None, False, {}),
]


@pytest.mark.parametrize(("a", "b", "mention", "same", "rules"), CASES)
def test_pairs_and_explanations(
    a: str, b: str, mention: str | None, same: bool, rules: dict[str, str]
) -> None:
    m = compare(a, b, mention=mention)
    assert m.match is same, (m.score, m.explanation["parts"])
    got = {p["part"]: p["rule"] for p in m.explanation["parts"]}
    for part, rule in rules.items():
        assert got.get(part) == rule, (part, got)
    for p in m.explanation["parts"]:
        if p["part"] != "word" and p["rule"] != "missing":
            assert p["weight"] == WEIGHTS[p["part"]]
            assert p["similarity"] == RULES[p["rule"]][0]


def test_explanation_fields() -> None:
    m = compare("Анны Кандыбович", "Ганна Кандыбовіч", mention="a")
    e = m.explanation
    assert e["threshold"] == THRESHOLD
    assert e["a"]["inflected"] == [{"as_written": "Анны", "nominative": "Анна"}]
    assert e["a"]["language"] == "ru" and e["b"]["language"] == "be"
    assert e["b"]["sex"] == "f" and e["b"]["sex_from"] == "given"
    assert e["parts"][0] == {
        "part": "surname",
        "a": "Кандыбович",
        "b": "Кандыбовіч",
        "rule": "be-ru",
        "similarity": 0.97,
        "weight": 0.5,
    }
    assert set(m.as_dict()) == {"a", "b", "score", "match", "explanation"}


def test_sex_note_and_cap() -> None:
    m = compare("Сяргей Кандыбоўскі", "Святлана Кандыбоўская")
    assert m.score <= 0.3
    m = compare("Александр Гарбузов", "Александра Гарбузова")
    assert not m.match and any("sexes differ" in n for n in m.explanation["notes"])


def test_mention_explains_sex_only_for_the_mention() -> None:
    # "Александра Гарбузова" may be the genitive of a man's name only in running text.
    assert compare("Александра Гарбузова", "Александр Гарбузов", mention="a").match
    assert not compare("Александра Гарбузова", "Александр Гарбузов").match


@pytest.mark.parametrize(
    ("da", "db", "rule", "direction"),
    [
        ("1990-04-02", "1990-04-02", "same-day", 1),
        ("1990", "1990-04", "compatible", 1),
        ("1990", "1991", "one-year-apart", -1),
        ("1990-04", "1975", "different", -1),
    ],
)
def test_birth_date(da: str, db: str, rule: str, direction: int) -> None:
    base = compare("Сергей Гарбузов", "Siarhei Harbuzau")
    m = compare("Сергей Гарбузов", "Siarhei Harbuzau", birth_date_a=da, birth_date_b=db)
    assert m.explanation["birth_date"]["rule"] == rule
    adj = m.explanation["birth_date"]["adjustment"]
    assert (adj > 0) == (direction > 0)
    assert m.score == pytest.approx(min(1.0, max(0.0, base.explanation["name_score"] + adj)))


def test_far_birth_dates_reject_an_otherwise_matching_name() -> None:
    assert not compare(
        "Сергей Гарбузов", "Siarhei Harbuzau", birth_date_a="1990", birth_date_b="1961"
    ).match


def test_fast_path_agrees_with_compare() -> None:
    for a, b, mention, _, _ in CASES:
        pa, pb = prepare(a, mention=mention == "a"), prepare(b, mention=mention == "b")
        assert score(pa, pb) == pytest.approx(
            compare(a, b, mention=mention).explanation["name_score"], abs=1e-4
        )
