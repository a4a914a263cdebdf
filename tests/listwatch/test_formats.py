"""Each list format parses synthetic files shaped like the real ones."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest

from khronika.listwatch.entries import Entry, ParseError
from khronika.listwatch.formats import FORMATS, Format, fedsfm, get_format, table
from khronika.listwatch.formats.tabular import read_table, sniff
from khronika.listwatch.text import clean, decode, parse_date

from .synthetic import make_docx, make_xlsx, persons_table

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists"


def parse_file(fmt: str, name: str, **options: object) -> list[Entry]:
    return list(get_format(fmt).parse((FIXTURES / name).read_bytes(), options=options).entries)


def by_name(entries: list[Entry]) -> dict[str, Entry]:
    return {e.name: e for e in entries}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("24.04.1986", "1986-04-24"),
        ("1.2.1970", "1970-02-01"),
        ("31.13.1970", None),
        ("1986-04", "1986-04"),
        ("30 Mar 1989", "1989-03-30"),
        ("Mar 1989", "1989-03"),
        ("circa 1960", "1960"),
        ("", None),
        ("вчера", None),
    ],
)
def test_parse_date(value: str, expected: str | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\r\nb", "a b"),
        ("a\n\n  b ", "a b"),
        ("a\xa0b", "a b"),
        ("\u201cx\u201d \u2018y\u2019", "\"x\" 'y'"),
        ("«x»", "«x»"),
        ("е\u0308", "ё"),  # NFC composes е + combining diaeresis
    ],
)
def test_clean(raw: str, expected: str) -> None:
    assert clean(raw) == expected


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
def test_decode_detects_encoding(encoding: str) -> None:
    text = "№;Материал\n1;Брошюра «Выдумка», решение суда"
    assert decode(text.encode(encoding)) == text


FEDSFM_PERSONS = [
    # name, birth_date, aliases, place, flag
    ("ПЕТРОВСКИЙ ИГНАТ ФОМИЧ", "1998-05-16", (), "Г. ВЫДУМАНСК", True),
    (
        "САМОЙЛОВА ЕЛИЗАВЕТА ПРОХОРОВНА",
        "2002-01-03",
        ("САМОЙЛОВА ЕЛИЗАВЕТА", "САМОЙЛОВА ЛИЗА"),
        "ТРИДЕВЯТАЯ ОБЛАСТЬ",
        False,
    ),
    ("ЗАБЫТЫЙ ЕВСЕЙ КУЗЬМИЧ", None, (), "ПОСЕЛОК НЕБЫВАЛЫЙ", True),
    # A parenthesis in the place is not an alias.
    ("ЛЕСНИКОВ ОСИП ЛУКИЧ", "1986-04-24", (), "Г. ЯКОВЛЕВ РЕСПУБЛИКИ НЕБЫЛЬ (ВЫМЫСЕЛ)", False),
    # A line break inside the name.
    ("ОВСЯННИКОВА ПЕЛАГЕЯ ТИХОНОВНА", "1964-03-11", (), "Г. КРАЙНИЙ", True),
    # `г.р.` missing after the date (the typo trap).
    ("ГРУШИН НИКАНОР ЕГОРОВИЧ", "1970-02-01", (), "С. ОЗЕРНОЕ", False),
]


@pytest.mark.parametrize(("name", "birth", "aliases", "place", "flag"), FEDSFM_PERSONS)
def test_fedsfm_persons(
    name: str, birth: str | None, aliases: tuple[str, ...], place: str, flag: bool
) -> None:
    entry = by_name(parse_file("ru-fedsfm-html", "fedsfm_before.html"))[name]
    assert (entry.kind, entry.birth_date, entry.aliases) == ("person", birth, aliases)
    assert (entry.fields["place"], entry.fields["terrorist_flag"]) == (place, flag)
    assert entry.source_id is None


FEDSFM_ORGS = [
    ("ВЫМЫШЛЕННЫЙ ФОНД РАССВЕТ", (), False, ()),
    # One space before the parenthesis: part of the name, star after it.
    ("ДВИЖЕНИЕ СЕВЕРНЫЙ ВЕТЕР (ПРЕЖНЕЕ НАЗВАНИЕ ЮЖНЫЙ ВЕТЕР)", (), True, ()),
    # Two spaces: an alias group.
    ("TEST UNION OF NOWHERE", ("TUN", "СОЮЗ НИГДЕ"), True, ()),
    ("МЕСТНАЯ ОРГАНИЗАЦИЯ ЗЕЛЕНАЯ ДОЛИНА", (), False, ("ИНН:1234567890", "ОГРН:1021234567890")),
]


@pytest.mark.parametrize(("name", "aliases", "flag", "regs"), FEDSFM_ORGS)
def test_fedsfm_organisations(
    name: str, aliases: tuple[str, ...], flag: bool, regs: tuple[str, ...]
) -> None:
    entry = by_name(parse_file("ru-fedsfm-html", "fedsfm_before.html"))[name]
    assert entry.kind == "organisation"
    assert (entry.aliases, entry.fields["terrorist_flag"]) == (aliases, flag)
    assert entry.fields["registration_numbers"] == regs


def test_fedsfm_counts_and_no_positions() -> None:
    entries = parse_file("ru-fedsfm-html", "fedsfm_before.html")
    assert [e.kind for e in entries].count("person") == 6
    assert [e.kind for e in entries].count("organisation") == 4
    assert all(
        not any(str(v).startswith(("1.", "2.")) for v in e.compared().values()) for e in entries
    )


@pytest.mark.parametrize(
    "data", [b"<html><body>nothing</body></html>", b"", "не та страница".encode("cp1251")]
)
def test_fedsfm_rejects_other_pages(data: bytes) -> None:
    with pytest.raises(ParseError):
        fedsfm.parse(data)


MATERIALS = (
    "#;Материал;Дата включения (указывается с 01.01.2017)\n"
    '1;"Брошюра ""Выдуманная"", автор - И.И. Небылицын,\nрешение суда от 01.02.2006;";\n'
    '2;"Листовка “Пример”;";15.03.2019\n'
)


@pytest.mark.parametrize("line_end", ["\n", "\r\n"])
def test_materials_cp1251_multiline(line_end: str) -> None:
    data = MATERIALS.replace("\n", line_end).encode("cp1251")
    entries = get_format("ru-minjust-materials-csv").parse(data).entries
    assert [(e.source_id, e.fields["included_on"]) for e in entries] == [
        ("1", None),
        ("2", "2019-03-15"),
    ]
    assert entries[0].name == (
        'Брошюра "Выдуманная", автор - И.И. Небылицын, решение суда от 01.02.2006;'
    )
    assert entries[1].name == 'Листовка "Пример";'


def test_materials_line_ends_compare_equal() -> None:
    parse = get_format("ru-minjust-materials-csv").parse
    lf = parse(MATERIALS.encode("cp1251")).entries
    crlf = parse(MATERIALS.replace("\n", "\r\n").encode("cp1251")).entries
    assert lf == crlf


def test_foreign_agents() -> None:
    entries = parse_file("ru-foreign-agents-csv", "foreign_agents.csv")
    assert [(e.source_id, e.kind) for e in entries] == [
        ("1", "organisation"),
        ("2", "person"),
        ("3", "organisation"),
        ("4", "person"),
    ]
    org, person, media, again = entries
    assert org.fields["registration_numbers"] == ("ИНН:7729000001", "ОГРН:1097799000001")
    assert (person.birth_date, person.fields["excluded_on"]) == ("1970-03-09", "2022-10-05")
    assert media.name == "Издание «Выдумка»"  # the stray line break is gone
    assert again.name == person.name and again.fields["excluded_on"] is None
    assert all("2" not in (e.fields.get("page") or "") for e in entries)
    assert "page" not in org.fields  # the PDF page column is a position: never compared


def test_undesirable() -> None:
    first, second = parse_file("ru-undesirable-json", "undesirable.json")
    assert first.aliases == ("The Invented Foundation",)
    assert (first.fields["included_on"], first.fields["excluded_on"]) == ("2015-07-29", None)
    assert second.name == "Институт Несуществующих Исследований"
    assert second.fields["excluded_on"] == "2020-01-01"
    assert second.fields["decision_out"] == "Минюст: № 9-р от 01.01.2020"
    assert (
        first.fields["decision_in"]
        == "Минюст: № 1-р от 29.07.2015; Генпрокуратура: №1 от 28.07.2015"
    )


def test_ofac() -> None:
    entries = by_name(parse_file("us-ofac-sdn-csv", "sdn.csv"))
    person = entries["INVENTED, Ivan Ivanovich"]
    assert (person.source_id, person.kind, person.birth_date) == ("101", "person", "1989-03-30")
    assert person.fields["programs"] == ("BELARUS-EO14038", "RUSSIA-EO14024")
    assert person.aliases == ("INVENTOV, Vanya",)
    assert person.fields["place"] == "Minsk, Belarus"
    assert entries["SEA FICTION"].kind == "other"
    assert entries["EXAMPLE AIRLINES"].fields["remarks"] is None
    assert entries["FAKE, Person"].birth_date == "1960"


@pytest.mark.parametrize("fmt", sorted(set(FORMATS) - {"table"}))
def test_garbage_is_a_parse_error(fmt: str) -> None:
    with pytest.raises(ParseError):
        get_format(fmt).parse(b"\x00\x01garbage;;\nnot,a,list")


def test_unknown_format() -> None:
    with pytest.raises(KeyError, match="known"):
        get_format("nope")


def test_every_format_module_is_registered() -> None:
    """A module that declares a FORMAT but is missing from the registry's tuple is caught,
    and so is a declaration whose `parse` is another module's."""
    package = importlib.import_module("khronika.listwatch.formats")
    declared = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        if isinstance(getattr(module, "FORMAT", None), Format):
            assert module.FORMAT.parse.__module__ == module.__name__
            declared[module.FORMAT.name] = module.FORMAT
    assert declared == FORMATS


@pytest.mark.parametrize("maker", [make_xlsx, make_docx], ids=["xlsx", "docx"])
def test_table_by_persons_in_parts(maker) -> None:
    rows, merges = persons_table()
    data = maker(rows, merges)
    entries = table.parse(data, options={"mapping": "by-mvd-extremists"}).entries
    assert [(e.name, e.birth_date, e.fields["place"]) for e in entries] == [
        ("ВЫДУМКИНА Алеся Петровна", "1990-03-12", "г. Несвижград"),
        ("ПРИДУМОВИЧ Янка Сымонович", "1985-11-01", "г. Лесогорск"),
        ("НЕБЫЛЬСКИЙ Тарас Миколаевич", "1979-07-30", "д. Придуманка"),
        ("ВЫДУМКИНА Алеся Петровна", "1991-03-12", "г. Несвижград"),
    ]
    assert all(e.source_id is None for e in entries)  # numbering restarts: a position


@pytest.mark.parametrize(
    ("mapping", "rows", "expected"),
    [
        (
            "by-kgb-terrorists",
            [
                ["№ п/п", "Ф.И.О., дата и место рождения"],
                ["1", "ПРИМЕРОВ Пётр Петрович, 05.06.1977 г.р., г. Выдумск"],
            ],
            [("ПРИМЕРОВ Пётр Петрович", "1977-06-05", {"place": "г. Выдумск"})],
        ),
        (
            "by-extremist-formations",
            [
                ["№", "Наименование формирования", "Решение о признании"],
                ["1", "Телеграм-канал «Вымысел»", "решение суда от 01.02.2022"],
            ],
            [("Телеграм-канал «Вымысел»", None, {"basis": "решение суда от 01.02.2022"})],
        ),
        (
            "by-mininform-materials",
            [
                [
                    "№ п/п",
                    "Наименование (реквизиты) информационной продукции",
                    "Основание для включения",
                ],
                ["1.", "Интернет-ресурс example.invalid", "решение суда"],
                ["Раздел 2", "Раздел 2", "Раздел 2"],
                ["1.", "Брошюра «Небыль»", "решение суда"],
            ],
            [
                ("Интернет-ресурс example.invalid", None, {"basis": "решение суда"}),
                ("Брошюра «Небыль»", None, {"basis": "решение суда"}),
            ],
        ),
        (
            "by-mvd-extremists",  # headers in Belarusian
            [
                [
                    "№ з/п",
                    "Прозвішча, уласнае імя, імя па бацьку",
                    "Дата нараджэння",
                    "Месца нараджэння",
                ],
                ["1", "ВЫДУМКА Алесь Янкавіч", "07.07.1977", "г. Выдуманск"],
            ],
            [("ВЫДУМКА Алесь Янкавіч", "1977-07-07", {"place": "г. Выдуманск"})],
        ),
        (
            "name=фио,birth_date=рожд",
            [["№", "ФИО", "Год рождения"], ["1", "", ""], ["2", "Иванов Иван", "1990"]],
            [("Иванов Иван", "1990", {})],
        ),
    ],
)
def test_table_mappings(mapping: str, rows, expected) -> None:
    for maker in (make_xlsx, make_docx):
        entries = table.parse(maker(rows, []), options={"mapping": mapping}).entries
        got = [
            (e.name, e.birth_date, {k: e.fields[k] for k in exp})
            for e, (_, _, exp) in zip(entries, expected, strict=False)
        ]
        assert got == expected
        assert len(entries) == len(expected)


def test_table_csv_and_errors() -> None:
    data = "№;ФИО;Дата рождения\n1;Небылицын Ян;02.02.1992\n".encode("cp1251")
    entries = table.parse(data, options={"mapping": "name=фио,birth_date=дата рождения"}).entries
    assert [(e.name, e.birth_date) for e in entries] == [("Небылицын Ян", "1992-02-02")]
    with pytest.raises(ParseError, match="mapping"):
        table.parse(data)
    with pytest.raises(ParseError, match="no header"):
        table.parse(data, options={"mapping": "name=наименование"})


@pytest.mark.parametrize(
    ("data", "kind"),
    [(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "legacy"), (b"a;b\n", "csv")],
)
def test_sniff(data: bytes, kind: str) -> None:
    assert sniff(data) == kind


def test_legacy_doc_without_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("shutil.which", lambda name: None)
    with pytest.raises(ParseError, match="LibreOffice"):
        read_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
