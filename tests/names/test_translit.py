"""Transliteration: our Belarusian tables, iuliia for Russian, and the shared test vectors."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from khronika.names.translit import SYSTEMS, transliterate

NAME_BE = "Сяргей Цімошчанка Юр'евіч"
NAME_BE2 = "Яўгенія Жыгалка-Лявонава"


@pytest.mark.parametrize(
    ("system", "text", "expected"),
    [
        ("national", NAME_BE, "Siarhiej Cimoščanka Jurjevič"),
        ("passport", NAME_BE, "Siarhei Tsimoshchanka Yuryevich"),
        ("icao", NAME_BE, "Siarhei Tsimoshchanka Iurevich"),
        ("bgn", NAME_BE, "Syarhey Tsimoshchanka Yurʺyevich"),
        ("iso9", NAME_BE, "Sârgej Cìmoščanka Ûrʼevìč"),
        ("lacinka", NAME_BE, "Siarhiej Cimoščanka Jurjevič"),
        ("english", NAME_BE, "Syarhey Tsimoshchanka Yuryevich"),
        ("polish", NAME_BE, "Siarhiej Cimoszczanka Jurjewicz"),
        ("german", NAME_BE, "Sjarhei Zimoschtschanka Jurjewitsch"),
        ("national", NAME_BE2, "Jaŭhienija Žyhalka-Liavonava"),
        ("passport", NAME_BE2, "Yauheniya Zhyhalka-Liavonava"),
        ("lacinka", NAME_BE2, "Jaŭhienija Žyhałka-Lavonava"),
        ("national", "Васіль Зьміцер", "Vasiĺ Źmicier"),
        ("passport", "Дзмітрый", "Dzmitry"),
        ("lacinka", "Станіслаў Сцепанюк", "Stanisłaŭ Ściepaniuk"),
    ],
)
def test_belarusian_systems(system: str, text: str, expected: str) -> None:
    assert transliterate(text, lang="be", system=system) == expected


@pytest.mark.parametrize(
    ("system", "expected"),
    [
        ("icao", "Sergei Timoshchenko"),
        ("passport", "Sergei Timoshchenko"),
        ("bgn", "Sergey Timoshchenko"),
        ("iso9", "Sergej Timoŝenko"),
        ("national", "Sergej Timoŝenko"),
        ("english", "Sergey Timoshchenko"),
        ("polish", "Siergiej Timoszczenko"),
        ("german", "Sergei Timoschtschenko"),
    ],
)
def test_russian_systems(system: str, expected: str) -> None:
    assert transliterate("Сергей Тимощенко", lang="ru", system=system) == expected


@pytest.mark.parametrize("text", ["ЦІМОШЧАНКА", "цімошчанка", "Цімошчанка"])
def test_case_is_kept(text: str) -> None:
    out = transliterate(text, lang="be", system="passport")
    assert out.lower() == "tsimoshchanka"
    assert out.isupper() == text.isupper() and out[0].isupper() == text[0].isupper()


@pytest.mark.parametrize(
    ("lang", "system"), [("ru", "lacinka"), ("pl", "national"), ("be", "klingon")]
)
def test_unknown_combinations_raise(lang: str, system: str) -> None:
    with pytest.raises(ValueError):
        transliterate("Ганна", lang=lang, system=system)


def test_every_system_is_latin() -> None:
    for system in SYSTEMS:
        out = transliterate(NAME_BE2, lang="be", system=system)
        assert not re.search(r"[\u0400-\u04ff]", out), system


_IULIIA = [
    ("icao_doc_9303", "icao"),
    ("icao_doc_9303", "passport"),
    ("bgn_pcgn", "bgn"),
    ("gost_779", "iso9"),
    ("wikipedia", "english"),
]


@pytest.mark.realdata
@pytest.mark.parametrize(("schema", "system"), _IULIIA)
def test_iuliia_vectors(names_data: Path, schema: str, system: str) -> None:
    data = json.loads((names_data / "iuliia" / f"{schema}.json").read_text(encoding="utf-8"))
    samples = data["samples"]
    assert samples
    wrong = [(a, b) for a, b in samples if transliterate(a, lang="ru", system=system) != b]
    assert not wrong


def _belorthography(names_data: Path) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    with (names_data / "belorthography" / "tests" / "various.csv").open(encoding="utf-8") as f:
        rows.extend(csv.DictReader(f))
    return rows


@pytest.mark.realdata
def test_lacinka_vectors_exact_where_spelling_is_the_same(names_data: Path) -> None:
    rows = [r for r in _belorthography(names_data) if r["official"] == r["classical"]]
    assert len(rows) > 50
    wrong = [
        r for r in rows if transliterate(r["official"], lang="be", system="lacinka") != r["latin"]
    ]
    assert not wrong


@pytest.mark.realdata
def test_lacinka_vectors_overall(names_data: Path) -> None:
    # Misses are the cross-word softness of prepositions (з вераю → ź vieraju).
    rows = _belorthography(names_data)
    ok = sum(transliterate(r["official"], lang="be", system="lacinka") == r["latin"] for r in rows)
    assert ok / len(rows) >= 0.95


@pytest.mark.realdata
def test_lacinka_article(names_data: Path) -> None:
    path = names_data / "belorthography" / "tests" / "lacinka_buduchynja_article.json"
    tests = json.loads(path.read_text(encoding="utf-8"))["tests"]
    ok = total = 0
    for t in tests:
        ours = re.findall(r"\w+", transliterate(t["official"], lang="be", system="lacinka"))
        theirs = re.findall(r"\w+", t["latin"])
        assert len(ours) == len(theirs)
        ok += sum(a == b for a, b in zip(ours, theirs, strict=True))
        total += len(theirs)
    assert ok / total >= 0.99
