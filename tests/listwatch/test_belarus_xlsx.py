"""The MVD formations and KGB terrorist workbooks: parsing, refusals, and diffs through imports.

Workbooks are built by `belarus_xlsx` from invented data; imports run on every engine.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from khronika.listwatch.entries import Entry, ParseError
from khronika.listwatch.formats import by_kgb_terrorists, by_mvd_formations, get_format
from khronika.listwatch.formats.workbook import cell_dates, excel_serial_date
from khronika.listwatch.reports import diff_snapshots
from khronika.listwatch.snapshots import SnapshotRejected, add_list, import_snapshot
from khronika.storage import Database

from .belarus_xlsx import kgb_terrorists, make_workbook, mvd_formations
from .synthetic import make_docx


def by_id(entries: tuple[Entry, ...]) -> dict[str | None, Entry]:
    return {e.source_id: e for e in entries}


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (1, "1900-01-01"),
        (59, "1900-02-28"),
        (60, None),  # Excel's 29 February 1900, which never was
        (61, "1900-03-01"),
        (18000, "1949-04-12"),
        (35000, "1995-10-28"),
        (44487, "2021-10-18"),
        (0, None),
    ],
)
def test_excel_serial_date(serial: int, expected: str | None) -> None:
    assert excel_serial_date(serial) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (44496, ("2021-10-27",)),
        (44496.0, ("2021-10-27",)),
        ("44496", ("2021-10-27",)),
        (datetime(2021, 11, 5), ("2021-11-05",)),
        (date(2021, 11, 5), ("2021-11-05",)),
        ("23.09.2022 13.04.2023", ("2022-09-23", "2023-04-13")),
        ("7.4.1985", ("1985-04-07",)),
        ("1965", ()),  # a year, not serial 1965
        ("Между 1965 и 1969", ()),
        (None, ()),
    ],
)
def test_cell_dates(cell: object, expected: tuple[str, ...]) -> None:
    assert cell_dates(cell) == expected  # type: ignore[arg-type]


# --- MVD formations -------------------------------------------------------------------------

RECOGNISED = "«О признании группы граждан экстремистским формированием и запрете его деятельности»"


def test_mvd_entries_and_counts() -> None:
    result = by_mvd_formations.parse(mvd_formations())
    entries = by_id(result.entries)
    # The notes sheet comes first; title, header, column-number and section rows are not
    # entries; the continuation rows join 102 and 103; 106 is a gap.
    assert list(entries) == ["101", "102", "103", "104", "105", "107"]
    assert {e.kind for e in result.entries} == {"organisation"}
    assert len(result.warnings) == 3
    first = entries["101"]
    assert first.name == ("Экстремистское формирование «Вымышленный двор»/«Вымышленный двор чат»")
    assert first.birth_date is None
    assert dict(first.fields) == {
        "short_names": ("Вымышленный двор", "Вымышленный двор чат"),
        "links": (
            "https://t.me/invented_dvor",
            "https://t.me/invented_dvor_chat",
            "id:1100000002",
            "id:1200000001",
        ),
        "address": "Telegram-канал «Вымышленный двор» с доменным именем "
        "https://t.me/invented_dvor, (ID): 1200000001, и Telegram-чат «Вымышленный двор чат» "
        "с доменным именем https://t.me/invented_dvor_chat, (ID): 1100000002",
        "basis": f"Решение МВД от 27.10.2021 № 6ЭК {RECOGNISED}",
        "decisions": ("МВД 27.10.2021 № 6ЭК",),
        "in_force_on": "2021-10-27",
        "in_force_dates": ("2021-10-27",),
        "included_on": "2021-10-27",
        "included_dates": ("2021-10-27",),
        "remarks": "Группа граждан, объединившаяся посредством Интернет-ресурса «Telegram» "
        "«Вымышленный двор» (канала) и «Вымышленный двор чат» (чата), осуществляет "
        "экстремистскую деятельность",
        "logo": "Логотип в виде ромба с выдуманной птицей",
    }


def test_mvd_links_repaired_and_continuations() -> None:
    entries = by_id(by_mvd_formations.parse(mvd_formations()).entries)
    media = entries["102"]
    assert media.name == 'Экстремистское формирование "ВЫДУМКА МЕДИА"'  # quotes as clean()
    assert media.fields["links"] == (
        "@invented_media_bot",
        "https://instagram.com/invented_media",  # `https://instagram.\ncom/…`
        "https://invented.media",
        "https://t.me/invented_bot",  # `…botID: 1200000005` on the continuation row
        "https://t.me/invented_media",
        "https://www.youtube.com/channel/UCinventedAAAAAAAAAA",  # `channel/ UC…`
        "id:1000000003",
        "id:1200000005",
        "id:1800000004",
    )
    assert media.fields["remarks"] == (
        "Группа граждан, объединившаяся посредством интернет-ресурсов «ВЫДУМКА МЕДИА» "
        "(продолжение справки)"
    )
    assert (media.fields["in_force_on"], media.fields["included_on"]) == (
        "2021-11-04",  # text
        "2021-11-05",  # a date-formatted cell
    )
    assert media.fields["decisions"] == ("КГБ 04.11.2021 № 13/4-1700",)
    chat = entries["103"]  # A and B merged over two rows; `https://` + `t.me/…` on the next
    assert chat.fields["links"] == ("https://t.me/nebyvaly_chat", "id:1400000006")
    assert chat.fields["address"] == (
        "Telegram-чат «Небывалый чат» с доменным именем https://t.me/nebyvaly_chat, (ID): "
        "1400000006"
    )
    assert chat.fields["remarks"] == "Группа граждан, осуществляющая экстремистскую деятельность"


def test_mvd_decisions_and_dates() -> None:
    entries = by_id(by_mvd_formations.parse(mvd_formations()).entries)
    chat = entries["103"]
    assert chat.fields["decisions"] == ("КГБ 21.09.2021 № 4/8-1279", "МВД 20.08.2026 № 15ЭК")
    assert str(chat.fields["basis"]).endswith(
        'Решение МВД от 20.08.2026 № 15ЭК "О внесении дополнений в экстремистское формирование"'
    )
    assert (chat.fields["in_force_on"], chat.fields["in_force_dates"]) == (
        "2021-09-21",
        ("2021-09-21", "2026-08-20"),
    )
    # G and H merged over 104 and 105: both get the dates; 105's empty D gives no links.
    for number in ("104", "105"):
        assert (entries[number].fields["in_force_on"], entries[number].fields["included_on"]) == (
            "2022-02-03",
            "2022-02-08",
        )
    assert entries["104"].fields["decisions"] == ("МВД 03.02.2022 № 10ЭК",)
    assert entries["105"].fields["links"] == ("https://t.me/vydumannaya_sotnya",)
    union = entries["107"]
    assert union.name == "Экстремистская организация «Выдуманный союз»"
    assert union.fields["short_names"] == ("ВС", "Выдуманный союз")
    assert union.fields["decisions"] == ("Экономического суда г. Минска 14.06.2022",)
    assert (union.fields["included_on"], union.fields["included_dates"]) == (
        "2022-09-23",
        ("2022-09-23", "2023-04-13"),
    )
    assert union.fields["links"] == ()


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("https://t.me/\ninvented_a", ["https://t.me/invented_a"]),
        ("https://t.me/ invented_a ID: 1234567", ["https://t.me/invented_a", "id:1234567"]),
        ("https://\nt.me/invented_a", ["https://t.me/invented_a"]),
        ("https://t.me/invented_aID:1234567", ["https://t.me/invented_a", "id:1234567"]),
        # A break after a complete URL is kept: the next line is another identifier.
        ("https://invented.site/\n@invented_b", ["https://invented.site/", "@invented_b"]),
        ("https://invented.site/\nи чат", ["https://invented.site/"]),
        ("https://a.example/ https://b.example", ["https://a.example/", "https://b.example"]),
    ],
)
def test_mvd_parse_links(text: str, links: list[str]) -> None:
    assert by_mvd_formations.parse_links(text) == links


# --- KGB terrorist list ---------------------------------------------------------------------


def test_kgb_entries_and_counts() -> None:
    result = by_kgb_terrorists.parse(kgb_terrorists())
    entries = by_id(result.entries)
    assert list(entries) == [
        "person:1",
        "person:990",
        "person:1701",
        "person:1702",
        "person:1703",
        "person:1704",
        "person:1706",
        "organisation:1",
        "organisation:4",
        "terrorist-organisation:1",
        "terrorist-organisation:2",
    ]
    assert [e.kind for e in result.entries].count("person") == 7
    assert result.warnings == ()
    assert dict(entries["person:990"].fields) == {
        "aliases": ("Pridumkin Aleh", "VYMYSLAU ALEH", "Придумкин Олег Анатольевич"),
        "citizenship": "Республика Беларусь",
        "address": "Гомельская область",
        "basis": "Вступил в законную силу приговор суда о признании виновным в совершении "
        "преступлений, предусмотренных ст. 130, ст. 290-5, ст. 361 Уголовного кодекса "
        "Республики Беларусь",
        "articles": ("130", "290-5", "361"),
        "status": "convicted",
        "un_listed": False,
        "remarks": None,
        "part": "persons",
        "birth_text": None,
    }
    assert entries["person:990"].birth_date == "1995-10-28"  # serial 35000


PERSONS = [
    # source_id, name, birth_date, birth_text, aliases, status, articles
    ("person:1701", "Небылицын Пётр Сергеевич", "1990-01-01", None, ("NIEBYLICYN PIOTR",))
    + ("accused", ("289", "309 ч.4")),
    ("person:1702", "Придумова Анна Ивановна", "1985-04-07", None)
    + (("PRYDUMAVA HANNA", "Выдумова Анна"), "convicted", ("289-1", "290-1")),
    ("person:1703", "Старинов Игнат Фомич", "1949-04-12", None, ("STARYNAU IHNAT",))
    + ("accused", ("130", "203", "342", "361")),
    ("person:1704", "Датов Ян Янович", "1979-07-30", None, ("DATAU IAN",))
    + ("accused", ("289", "359")),
    ("person:1706", "Неточный Лука Лукич", None, "Между 1965 и 1969", ())
    + ("accused", ("295 ч.4",)),
]


@pytest.mark.parametrize(
    ("sid", "name", "birth", "birth_text", "aliases", "status", "articles"), PERSONS
)
def test_kgb_persons(
    sid: str,
    name: str,
    birth: str | None,
    birth_text: str | None,
    aliases: tuple[str, ...],
    status: str,
    articles: tuple[str, ...],
) -> None:
    entry = by_id(by_kgb_terrorists.parse(kgb_terrorists()).entries)[sid]
    assert (entry.name, entry.birth_date, entry.fields["birth_text"]) == (name, birth, birth_text)
    assert (entry.aliases, entry.fields["status"], entry.fields["articles"]) == (
        aliases,
        status,
        articles,
    )
    assert entry.fields["un_listed"] is False


def test_kgb_un_row_is_kept_flagged() -> None:
    un = by_id(by_kgb_terrorists.parse(kgb_terrorists()).entries)["person:1"]
    assert un.name == "Кимов Выдуман Ирович"  # the trailing space is gone
    assert un.aliases == ("KIMOV VYDUMAN",)  # the alias note is `д/о`: nothing
    assert (un.fields["un_listed"], un.fields["status"], un.fields["articles"]) == (True, None, ())
    assert (un.fields["address"], un.fields["remarks"]) == (None, None)  # `д/о`
    assert (un.birth_date, un.fields["citizenship"]) == ("1962-12-20", "Государство Небыль")


def test_kgb_organisation_sheets() -> None:
    entries = by_id(by_kgb_terrorists.parse(kgb_terrorists()).entries)
    movement = entries["organisation:1"]
    assert (movement.kind, movement.name) == ("organisation", "Выдуманное движение «Рассвет»")
    assert movement.aliases == ("VYDUMANNAJE RUCH RASSVIET",)
    assert (movement.fields["address"], movement.fields["part"]) == (None, "organisations")
    assert entries["organisation:4"].aliases == ()
    front = entries["terrorist-organisation:1"]
    assert front.fields["basis"] == "Решение Верховного Суда от 01.06.2023"
    assert front.fields["part"] == "terrorist_organisations"


@pytest.mark.parametrize(
    ("basis", "articles"),
    [
        ("Обвиняется по ст. 289, ч. 4 ст. 309 УК", ("289", "309 ч.4")),
        ("ст.ст 130, 361,203,342", ("130", "203", "342", "361")),
        ("предусмотренныхст. 289-1, ст. 290-1 Уголовного", ("289-1", "290-1")),
        ("ст.289, ст.359.", ("289", "359")),
        ("частью 1 статьи 342, статьей 364", ("342 ч.1", "364")),
        ("Решение КГБ от 12.01.2023 № 1", ()),
    ],
)
def test_kgb_parse_articles(basis: str, articles: tuple[str, ...]) -> None:
    assert by_kgb_terrorists.parse_articles(basis) == articles


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["by-mvd-formations-xlsx", "by-kgb-terrorists-xlsx"])
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "not an .xlsx"),
        ("№;Наименование\n1;x".encode("cp1251"), "not an .xlsx"),
        (b"PK\x03\x04broken", "ZIP"),
        (make_docx([["№", "Наименование"], ["1", "x"]], []), "not an .xlsx"),
    ],
)
def test_not_a_workbook(fmt: str, data: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        get_format(fmt).parse(data)


def test_mvd_without_the_table() -> None:
    data = make_workbook([("Лист1", [["Перечень"], ["нет таблицы"]], [])])
    with pytest.raises(ParseError, match="no sheet holds the MVD formations table.*'Лист1'"):
        by_mvd_formations.parse(data)
    # The KGB workbook has no such table either.
    with pytest.raises(ParseError, match="no sheet holds"):
        by_mvd_formations.parse(kgb_terrorists())


def test_kgb_without_the_persons_sheet() -> None:
    data = make_workbook([("Перечень организаций", [["№ п/п", "Наименование"], [1, "x"]], [])])
    with pytest.raises(ParseError, match="no «Перечень физических лиц» sheet"):
        by_kgb_terrorists.parse(data)
    with pytest.raises(ParseError, match="no «Перечень физических лиц» sheet"):
        by_kgb_terrorists.parse(mvd_formations())


# --- editions through the real import path --------------------------------------------------

LISTS = {
    "mvd": ("by-mvd-formations-xlsx", mvd_formations),
    "kgb": ("by-kgb-terrorists-xlsx", kgb_terrorists),
}


@pytest.fixture
def watched(db: Database) -> Database:
    for list_id, (fmt, _) in LISTS.items():
        add_list(db, list_id, title=list_id, issuer="Invented Agency", country="BY", fmt=fmt)
    return db


@pytest.mark.parametrize("list_id", sorted(LISTS))
def test_first_import_is_silent(watched: Database, tmp_path: Path, list_id: str) -> None:
    build = LISTS[list_id][1]
    report = import_snapshot(watched, list_id, build(), taken="2026-08-01", data_dir=tmp_path)
    assert (report.added, report.removed, report.changed) == (0, 0, 0)
    assert report.entries == (6 if list_id == "mvd" else 11)


def test_mvd_edition_diff(watched: Database, tmp_path: Path) -> None:
    import_snapshot(watched, "mvd", mvd_formations(), taken="2026-08-01", data_dir=tmp_path)
    report = import_snapshot(
        watched, "mvd", mvd_formations(edition=2), taken="2026-08-25", data_dir=tmp_path
    )
    assert (report.added, report.removed, report.changed) == (1, 1, 1)
    _, _, diff = diff_snapshots(watched, "mvd")
    assert [e.source_id for _, e in diff.added] == ["108"]
    assert [e.source_id for _, e in diff.removed] == ["104"]
    (change,) = diff.changed
    assert change.new.source_id == "101"
    assert set(change.changes) == {"basis", "decisions"}
    assert change.changes["decisions"] == (
        ("МВД 27.10.2021 № 6ЭК",),
        ("МВД 27.10.2021 № 6ЭК", "МВД 20.08.2026 № 15ЭК"),
    )
    # 102's YouTube URL lost its stray space, which was repaired before: no change.


def test_kgb_edition_diff(watched: Database, tmp_path: Path) -> None:
    import_snapshot(watched, "kgb", kgb_terrorists(), taken="2026-08-01", data_dir=tmp_path)
    import_snapshot(
        watched, "kgb", kgb_terrorists(edition=2), taken="2026-08-15", data_dir=tmp_path
    )
    _, _, diff = diff_snapshots(watched, "kgb")
    assert diff.counts() == {"added": 1, "removed": 1, "changed": 2}
    assert [e.source_id for _, e in diff.added] == ["person:1710"]
    assert [e.source_id for _, e in diff.removed] == ["person:1706"]
    changes = {c.new.source_id: c.changes for c in diff.changed}
    # A corrected name under the same permanent number is the same entry.
    assert changes["person:990"] == {
        "name": ("Вымыслов Олег Анатольевич", "Вымыслов Олег Анатолиевич")
    }
    assert set(changes["person:1701"]) == {"basis", "articles", "status"}
    assert changes["person:1701"]["status"] == ("accused", "convicted")
    assert changes["person:1701"]["articles"] == (("289", "309 ч.4"), ("289",))


@pytest.mark.parametrize("list_id", sorted(LISTS))
def test_shrink_is_refused_unless_forced(watched: Database, tmp_path: Path, list_id: str) -> None:
    build = LISTS[list_id][1]
    import_snapshot(watched, list_id, build(extra=30), taken="2026-08-01", data_dir=tmp_path)
    smaller = build(extra=5)  # 25 fewer entries: more than max(20, 5 %)
    with pytest.raises(SnapshotRejected, match="shrinks"):
        import_snapshot(watched, list_id, smaller, taken="2026-08-08", data_dir=tmp_path)
    report = import_snapshot(
        watched, list_id, smaller, taken="2026-08-08", force=True, data_dir=tmp_path
    )
    assert (report.removed, report.added, report.changed) == (25, 0, 0)
