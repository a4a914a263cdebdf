"""The Mininform materials and MVD persons Word lists: parsing, refusals, and diffs through imports.

Documents are built by `belarus_docx` from invented data (the .docx in the test, the text
form committed under tests/fixtures/lists/); imports run on every engine.
"""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from khronika.listwatch.entries import Entry, ParseError
from khronika.listwatch.formats import by_mininform_materials, by_mvd_persons, get_format
from khronika.listwatch.reports import diff_snapshots
from khronika.listwatch.snapshots import SnapshotRejected, add_list, import_snapshot
from khronika.storage import Database
from tests.conftest import ENGINES, drop_database, make_database

from .belarus_docx import (
    HYPERLINK,
    mininform_docx,
    mininform_text,
    mvd_persons_docx,
    mvd_persons_text,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists"
MATERIALS_TXT = FIXTURES / "by_mininform_materials.txt"
PERSONS_TXT = FIXTURES / "by_mvd_persons.txt"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def by_start(entries: tuple[Entry, ...]) -> dict[str, Entry]:
    return {e.name.split(",")[0]: e for e in entries}


def by_name(entries: tuple[Entry, ...]) -> dict[str, Entry]:
    return {e.name: e for e in entries}


# --- Mininform: republican list of extremist materials -------------------------------------


def test_committed_text_fixtures_are_the_helpers_text_form() -> None:
    assert MATERIALS_TXT.read_bytes() == mininform_text()
    assert PERSONS_TXT.read_bytes() == mvd_persons_text()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(MATERIALS_TXT.read_bytes(), id="text-utf8"),
        pytest.param(mininform_text(encoding="cp1251"), id="text-cp1251"),
        pytest.param(mininform_text().replace(b"\n", b"\r\n"), id="text-crlf"),
    ],
)
def test_materials_text_forms_read_as_the_docx(data: bytes) -> None:
    assert by_mininform_materials.parse(data).entries == (
        by_mininform_materials.parse(mininform_docx()).entries
    )


def test_materials_entries_and_counts() -> None:
    result = by_mininform_materials.parse(mininform_docx())
    assert len(result.entries) == 10  # 12 data rows: one page-split pair, one blank row
    assert {e.kind for e in result.entries} == {"material"}
    assert {e.source_id for e in result.entries} == {None}
    assert {e.fields["included_on"] for e in result.entries} == {None}
    assert [e.fields["material_type"] for e in result.entries].count(
        "Информационная продукция"
    ) == 9
    entries = by_start(result.entries)
    first = entries['Telegram-канал с названием "Вымышленные новости Лиды"']
    # The hyperlinked URL of the .docx is kept in the text.
    assert HYPERLINK in first.name
    assert first.name.endswith("содержащий последовательность цифр 1001234567890.")
    assert dict(first.fields) == {
        "material_type": "Информационная продукция",
        "court": "суд Лидского района Гродненской области",
        "decided_on": "2022-04-14",
        "in_force_on": None,
        "basis": "Решение суда Лидского района Гродненской области от 14 апреля 2022 года. "
        "Подлежит немедленному исполнению в соответствии с 314 статьей Гражданского "
        "процессуального кодекса",
        "included_on": None,
    }


def test_materials_identifiers_and_homoglyphs_survive() -> None:
    entries = by_start(by_mininform_materials.parse(mininform_text()).entries)
    multi = entries[
        'Instagram-аккаунт с названием "invented_akk" (Пётр Выдумкин | Выдуманный блог)'
    ]
    for identifier in (
        "https://www.instagram.com/invented_akk;",
        "https://www.tiktok.com/@fake.user77;",
        "последовательность цифр 2000000001;",
        '"@invented_help_bot"',
        "https://invented-site.example.",
    ):
        assert identifier in multi.name
    assert "Fr\u0435sh Vymysel" in multi.name  # the Cyrillic е is kept
    assert "\n" not in multi.name and "  " not in multi.name
    assert multi.fields["material_type"] == "Информационная продукция"  # trailing break gone
    assert multi.fields["court"] == "суд Ленинского района г.Могилева"
    assert multi.fields["decided_on"] == "2026-08-18"
    assert "статьей 302 Кодекса гражданского судопроизводства" in str(multi.fields["basis"])
    page = entries['Cтраница в социальной сети "Одноклассники" с названием "Навiны Выдумкi"']
    assert page.name.startswith("C") and page.name[0] != "С"  # a Latin C
    assert page.name.endswith("имеющий идентификатор @invented_game.")
    assert page.fields["court"] == "суд Советского района г.Минска"
    assert page.fields["decided_on"] == "2024-01-15"  # «от\n15 января 2024 года»
    threads = entries['Аккаунт в социальной сети "Threads" с названием "invented"']  # ”“ → "
    assert "https://www.threads.com/ invented;" in threads.name
    assert "https://t.me/invented 1513000000;;" in threads.name
    assert threads.fields["court"] == "суд Ленинского района г. Бреста"  # double space cleaned


def test_materials_old_rows_page_splits_and_gaps() -> None:
    result = by_mininform_materials.parse(mininform_docx())
    entries = by_start(result.entries)
    old = entries[
        "материалы размещены на информационных ресурсах в сети Интернет (URL https://vk.com/invented_soc; https://vk.com/invented_info; https://twitter.com/invented_eco)"
    ]
    assert (old.fields["court"], old.fields["decided_on"], old.fields["in_force_on"]) == (
        "суд Центрального района г. Минска",
        "2015-06-30",
        "2015-07-13",
    )
    # The two halves of a row broken by a page break are one entry.
    book = entries['Книжнoе издание "Выдуманная кніга / Янка Прыдуманы. - Вільня: Выдумка']
    assert book.name.endswith(
        '252 с." -информационный материал от 17.06.2014 «Вымышленный выпуск № 3».'
    )
    assert book.fields["material_type"] == "Информационная продукция"
    assert (book.fields["decided_on"], book.fields["in_force_on"]) == ("2014-09-04", "2014-09-16")
    assert book.fields["court"] == "суд Октябрьского района г. Гродно"
    assert (
        entries["Логотип (водяной знак) в виде вымышленного ромба с надписью «ВЫДУМКА»."].fields[
            "material_type"
        ]
        == "Символика и атрибутика"
    )
    cancelled = entries['Telegram-чат "Отменённая выдумка"']
    assert (cancelled.fields["court"], cancelled.fields["decided_on"]) == (None, None)
    assert cancelled.fields["basis"] == "Решение суда. Отменено определением суда."
    # An empty court cell with no continuation: kept, with a warning.
    lone = entries['YouTube-канал с названием "Выдумка ТВ"']
    assert (lone.fields["court"], lone.fields["basis"]) == (None, None)
    site = entries['Интернет-сайт "Придуманный сайт"']  # its cell starts with a line break
    assert site.fields["court"] == "суд Минского района минской области"
    assert result.warnings == (
        "row 7: continues row 5 after a page break: joined",
        "row 11: no decision date in the court cell 'Решение суда. Отменено определением суда.'",
        "row 12: empty court cell and no continuation row: kept without a decision",
    )


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (
            "Решение суда Октябрьского района г. Гродно от 4 сентября 2008 года, вступило в "
            "законную силу 16 сентября 2008 года",
            ("суд Октябрьского района г. Гродно", "2008-09-04", "2008-09-16"),
        ),
        (
            "Решение суда\nСоветского района г.Минска\nот 9 января 2024 года.\nПодлежит …",
            ("суд Советского района г.Минска", "2024-01-09", None),
        ),
        (
            "Решение Минского городского суда от 31 декабря 2021 года.",
            ("Минского городского суда", "2021-12-31", None),
        ),
        ("Решение суда города Бреста от 30 февраля 2022 года.", ("суд города Бреста", None, None)),
        ("Отменено.", (None, None, None)),
        ("", (None, None, None)),
    ],
)
def test_parse_court(cell: str, expected: tuple[str | None, ...]) -> None:
    assert by_mininform_materials.parse_court(cell) == expected


# --- MVD: persons involved in extremist activity ---------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(PERSONS_TXT.read_bytes(), id="text-utf8"),
        pytest.param(mvd_persons_text(encoding="cp1251"), id="text-cp1251"),
    ],
)
def test_persons_text_forms_read_as_the_docx(data: bytes) -> None:
    assert by_mvd_persons.parse(data).entries == by_mvd_persons.parse(mvd_persons_docx()).entries


def test_persons_entries_and_counts() -> None:
    result = by_mvd_persons.parse(mvd_persons_docx())
    assert len(result.entries) == 8  # 9 numbered or fresh rows, one of them excluded
    assert {e.kind for e in result.entries} == {"person"}
    assert [e.source_id for e in result.entries] == ["1", "3", "4", "5", "6", "7", None, None]
    assert result.warnings == (
        "№ 4: unreadable birth date '07.04.198'",
        "1 excluded row(s) (number and dashes) skipped: № 2",
    )
    first = result.entries[0]
    assert (first.name, first.birth_date) == ("Выдумкин Пётр Сергеевич", "1984-05-11")
    assert dict(first.fields) == {
        "birth_text": None,
        "aliases": ("VYDUMKIN PIOTR",),
        "citizenship": "Республика Беларусь",
        "basis": "Вступивший в законную силу приговор суда Быховского района Могилевской "
        "области в связи с совершением преступления, предусмотренного статьей 369 Уголовного "
        "кодекса Республики Беларусь",
        "articles": ("369",),
        "included_on": "2022-03-23",
        "included_dates": ("2022-03-23",),
        "address": "Республика Беларусь, Могилевская область, Быховский район, д. Вымышлянка",
        "remarks": "Отбывает наказание",
        "part": None,
    }


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "Придумова Анна Ивановна",
            {
                "birth_date": "1997-06-19",
                "articles": ("342 ч.1", "364", "368 ч.1"),
                "included_on": "2022-03-23",
                "included_dates": ("2022-03-23", "2025-04-04"),
                "remarks": "Судимость не погашена",
            },
        ),
        (
            "Небылицын Ян Янович",
            {
                "birth_date": None,
                "birth_text": "07.04.198",
                "citizenship": None,
                "articles": ("361-1 ч.3", "361-4 ч.1", "361-4 ч.2"),
                "address": "Без определенного места жительства",
            },
        ),
        (
            "Выдумка",
            {"birth_date": None, "birth_text": None, "aliases": (), "articles": ("368", "369")},
        ),
        ("Сочинёнок Алесь Петрович", {"articles": ("369",), "included_on": "2023-10-10"}),
        (
            "Вымыслова Ольга Андреевна",
            {"articles": ("368 ч.1",), "remarks": "Освобожден от уголовной ответственности"},
        ),
        (
            "Сочинов Олег",
            {
                "source_id": None,
                "aliases": ("Sochinovs Olegs",),
                "citizenship": "Латвийская Республика",
                "included_on": "2026-09-04",
            },
        ),
        (
            "Фантазёр Игорь Игоревич",  # an extra empty cell after the name
            {
                "source_id": None,
                "birth_date": "2000-12-12",
                "aliases": ("FANTAZIOR IHAR",),
                "citizenship": "Республика Беларусь",
                "articles": ("342 ч.1",),
            },
        ),
    ],
)
def test_persons_quirks(name: str, expected: dict[str, object]) -> None:
    entry = by_name(by_mvd_persons.parse(PERSONS_TXT.read_bytes()).entries)[name]
    got = {"source_id": entry.source_id, "birth_date": entry.birth_date, **entry.fields}
    assert {k: got[k] for k in expected} == expected


def test_persons_excluded_row_is_gone() -> None:
    names = [e.name for e in by_mvd_persons.parse(mvd_persons_text(edition=2)).entries]
    assert "Вымыслова Ольга Андреевна" not in names and "-" not in names
    result = by_mvd_persons.parse(mvd_persons_text(edition=2))
    assert result.warnings[-1] == "2 excluded row(s) (number and dashes) skipped: № 2, 7"


def test_persons_part_option() -> None:
    result = by_mvd_persons.parse(mvd_persons_docx(), options={"part": "Часть 4"})
    assert {e.fields["part"] for e in result.entries} == {"Часть 4"}


@pytest.mark.parametrize(
    ("basis", "articles"),
    [
        ("частью 1 статьи 342, статьей 364 и частью 1 статьи 368", ("342 ч.1", "364", "368 ч.1")),
        (
            "частями 1, 2 статьи 361-4 и частью 3 статьи 361-1",
            ("361-1 ч.3", "361-4 ч.1", "361-4 ч.2"),
        ),
        ("статьями 368, 369 Уголовного кодекса", ("368", "369")),
        ("статьями 368, 369 и 370", ("368", "369", "370")),
        ("предусмотренного статей 369", ("369",)),
        ("по части 1 статьи 368 Уголовного кодекса", ("368 ч.1",)),
        ("частями 1 и 2 статьи 342", ("342 ч.1", "342 ч.2")),
        ("ч. 4 ст. 295, ст. 361", ("295 ч.4", "361")),
        ("со статьями 1,2 Закона Республики Беларусь «Об амнистии»", ()),
        ("приговор суда без статьи", ()),
    ],
)
def test_parse_articles(basis: str, articles: tuple[str, ...]) -> None:
    assert by_mvd_persons.parse_articles(basis) == articles


# --- refusals --------------------------------------------------------------------------------

FORMATS = ("by-mininform-materials-docx", "by-mvd-persons-docx")


@pytest.mark.parametrize("fmt", FORMATS)
def test_binary_doc_is_refused_with_the_conversion_command(fmt: str) -> None:
    with pytest.raises(ParseError, match=r"libreoffice --headless --convert-to docx FILE"):
        get_format(fmt).parse(OLE2)


def _zip(name: str) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(name, "<x/>")
    return out.getvalue()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_zip("xl/workbook.xml"), "not a Word document"),
        (_zip("other.txt"), "neither .docx nor .xlsx"),
        ("просто текст без таблицы\n".encode(), "no table"),
        ("один\tдва\tтри\t\n".encode(), "no header"),
    ],
)
def test_not_the_list(fmt: str, data: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        get_format(fmt).parse(data)


def test_each_list_refuses_the_other() -> None:
    with pytest.raises(ParseError, match="no header"):
        by_mininform_materials.parse(mvd_persons_docx())
    with pytest.raises(ParseError, match="no header"):
        by_mvd_persons.parse(mininform_docx())


# --- editions through the real import path --------------------------------------------------

LISTS = {
    "materials": ("by-mininform-materials-docx", mininform_docx, 10),
    "persons": ("by-mvd-persons-docx", mvd_persons_docx, 8),
}


@pytest.fixture
def watched(db: Database) -> Database:
    for list_id, (fmt, _, _) in LISTS.items():
        add_list(db, list_id, title=list_id, issuer="Invented Agency", country="BY", fmt=fmt)
    return db


@pytest.mark.parametrize("list_id", sorted(LISTS))
def test_first_import_is_silent(watched: Database, tmp_path: Path, list_id: str) -> None:
    _, build, count = LISTS[list_id]
    report = import_snapshot(watched, list_id, build(), taken="2026-09-04", data_dir=tmp_path)
    assert (report.added, report.removed, report.changed) == (0, 0, 0)
    assert report.entries == count


def test_materials_edition_diff(watched: Database, tmp_path: Path) -> None:
    import_snapshot(watched, "materials", mininform_docx(), taken="2026-09-01", data_dir=tmp_path)
    # The next edition arrives as converter text: the format does not change the entries.
    report = import_snapshot(
        watched, "materials", mininform_text(edition=2), taken="2026-09-08", data_dir=tmp_path
    )
    assert (report.added, report.removed, report.changed) == (1, 1, 2)
    _, _, diff = diff_snapshots(watched, "materials")
    assert [e.name for _, e in diff.added] == [
        'Telegram-канал с названием "Новая выдумка", имеющий идентификатор '
        "https://t.me/invented_new."
    ]
    assert [e.fields["decided_on"] for _, e in diff.added] == ["2026-09-01"]
    assert [e.fields["material_type"] for _, e in diff.removed] == ["Символика и атрибутика"]
    changes = {c.new.name.split(",")[0]: c.changes for c in diff.changed}
    # A URL corrected in place (the stray space gone) is the same entry, renamed.
    threads = changes['Аккаунт в социальной сети "Threads" с названием "invented"']
    assert set(threads) == {"name"}
    assert "threads.com/invented;" in str(threads["name"][1])
    old = changes[
        "материалы размещены на информационных ресурсах в сети Интернет (URL https://vk.com/invented_soc; https://vk.com/invented_info; https://twitter.com/invented_eco)"
    ]
    assert set(old) == {"court", "basis"}
    assert old["court"] == ("суд Центрального района г. Минска", "суд Центрального района г.Минска")


def test_persons_edition_diff(watched: Database, tmp_path: Path) -> None:
    import_snapshot(watched, "persons", mvd_persons_docx(), taken="2026-09-04", data_dir=tmp_path)
    report = import_snapshot(
        watched, "persons", mvd_persons_docx(edition=2), taken="2026-09-11", data_dir=tmp_path
    )
    assert (report.added, report.removed, report.changed) == (1, 1, 3)
    _, _, diff = diff_snapshots(watched, "persons")
    assert [(e.name, e.source_id) for _, e in diff.added] == [("Новиков Вымысел Сергеевич", None)]
    # Excluded (a row of dashes now): a removal.
    assert [e.name for _, e in diff.removed] == ["Вымыслова Ольга Андреевна"]
    changes = {c.new.name: c.changes for c in diff.changed}
    assert changes == {
        # A fresh entry numbered in the next edition keeps its key.
        "Сочинов Олег": {"source_id": (None, "8")},
        "Выдумкин Пётр Сергеевич": {"remarks": ("Отбывает наказание", "Судимость не погашена")},
        # The birth-year typo corrected: the same person (unique name, one date missing).
        "Небылицын Ян Янович": {
            "birth_date": (None, "1985-04-07"),
            "birth_text": ("07.04.198", None),
        },
    }


@pytest.mark.parametrize("list_id", sorted(LISTS))
def test_shrink_is_refused_unless_forced(watched: Database, tmp_path: Path, list_id: str) -> None:
    _, build, _ = LISTS[list_id]
    import_snapshot(watched, list_id, build(extra=30), taken="2026-09-01", data_dir=tmp_path)
    smaller = build(extra=5)  # 25 fewer entries: more than max(20, 5 %)
    with pytest.raises(SnapshotRejected, match="shrinks"):
        import_snapshot(watched, list_id, smaller, taken="2026-09-08", data_dir=tmp_path)
    report = import_snapshot(
        watched, list_id, smaller, taken="2026-09-08", force=True, data_dir=tmp_path
    )
    assert (report.removed, report.added, report.changed) == (25, 0, 0)


@pytest.mark.parametrize("list_id", sorted(LISTS))
def test_binary_doc_import_is_rejected(watched: Database, tmp_path: Path, list_id: str) -> None:
    with pytest.raises(SnapshotRejected, match="--convert-to docx"):
        import_snapshot(watched, list_id, OLE2, filename="list.doc", data_dir=tmp_path)


def test_cli_import_text_and_refuse_doc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from khronika.cli import cli

    monkeypatch.setenv("KHRONIKA_DATA_DIR", str(tmp_path / "data"))
    runner = CliRunner()
    base = ["--db", f"sqlite:///{tmp_path / 'k.db'}"]
    assert runner.invoke(cli, [*base, "init"]).exit_code == 0
    add = ["lists", "add", "by-materials", "--title", "Mininform", "--issuer", "Mininform"]
    add += ["--country", "BY", "--format", "by-mininform-materials-docx"]
    assert runner.invoke(cli, [*base, *add]).exit_code == 0
    imported = runner.invoke(
        cli,
        [
            *base,
            "lists",
            "import",
            "by-materials",
            str(MATERIALS_TXT),
            "--snapshot-date",
            "2026-09-01",
            "--json",
        ],
    )
    assert imported.exit_code == 0, imported.output
    assert '"entries": 10' in imported.output
    doc = tmp_path / "spisok.doc"
    doc.write_bytes(OLE2)
    refused = runner.invoke(cli, [*base, "lists", "import", "by-materials", str(doc)])
    assert refused.exit_code != 0
    assert "libreoffice --headless --convert-to docx" in refused.output


@pytest.mark.parametrize("engine", ENGINES)
def test_lists_add_part_labels_every_entry_and_refuses_what_a_format_does_not_take(
    engine: str, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from khronika.cli import cli
    from khronika.storage import lists as store

    db, url = make_database(engine, tmp_path)
    try:
        env = {"KHRONIKA_DATA_DIR": str(tmp_path / "data")}
        if db.schema:
            env["PGOPTIONS"] = f"-csearch_path={db.schema}"
        runner = CliRunner(env=env)
        common = ["--issuer", "Invented Agency", "--country", "BY"]

        def add(list_id: str, *args: str) -> tuple[int, str]:
            res = runner.invoke(
                cli, ["--db", url, "lists", "add", list_id, "--title", list_id, *common, *args]
            )
            return res.exit_code, res.output

        code, out = add(
            "mvd-x", "--format", "table", "--mapping", "by-mvd-extremists", "--part", "Часть 4"
        )
        assert code == 1 and "format 'table' has no option 'part' (it takes mapping)" in out
        code, out = add("ofac-x", "--format", "us-ofac-sdn-csv", "--body", "x")
        assert code == 1 and "has no option 'body' (it takes none)" in out, out
        code, out = add("mvd-4", "--format", "by-mvd-persons-docx", "--part", "Часть 4")
        assert code == 0, out
        docx = tmp_path / "part4.docx"
        docx.write_bytes(mvd_persons_docx())
        res = runner.invoke(
            cli,
            ["--db", url, "lists", "import", "mvd-4", str(docx), "--snapshot-date", "2026-09-04"],
        )
        assert res.exit_code == 0, res.output
        with db.connect() as conn:
            [snapshot] = store.latest_snapshots(conn).values()
            parts = {
                data.get("part") for _, data, _ in store.current_entries(conn, "mvd-4", snapshot)
            }
        assert parts == {"Часть 4"}
        formats = runner.invoke(cli, ["--db", url, "lists", "formats"]).output
        assert "option --part: the part this list reads" in formats
    finally:
        drop_database(db)
