"""Announcements of special proceedings: parsing, names back to the nominative, the watch's
safety checks, and a confirmed match becoming an `in_absentia_proceedings` event.

The fixtures are synthetic (every name, date and address invented), shaped like the
Investigative Committee's, the KGB's and the Prosecutor General's announcements and the
press that quotes them (docs/lists.md, `by-special-proceedings`).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from khronika.listwatch.designations import sync_designations
from khronika.listwatch.entries import Entry, ParseError
from khronika.listwatch.formats import by_special_proceedings, get_format
from khronika.listwatch.formats.oblique_names import find_names
from khronika.listwatch.reports import diff_snapshots, export_snapshot, screen_snapshot
from khronika.listwatch.snapshots import (
    SnapshotRejected,
    add_list,
    import_folder,
    import_snapshot,
)
from khronika.registry import get_person
from khronika.review import judge, list_queue, undo
from khronika.storage import Database
from khronika.storage.versions import current_version

from ..review.helpers import T, add_people, person

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists"
TEXT = (FIXTURES / "by_special_proceedings.txt").read_bytes()
HTML = (FIXTURES / "by_special_proceedings.html").read_bytes()
SK = "Следственный комитет Республики Беларусь"
GP = "Генеральная прокуратура Республики Беларусь"
KGB = "Комитет государственной безопасности Республики Беларусь"


def by_name(entries: tuple[Entry, ...]) -> dict[str, Entry]:
    return {e.name: e for e in entries}


# --- parsing -------------------------------------------------------------------------------

#: name → (birth, age, articles, body, decided_on, stages)
TEXT_ENTRIES = {
    "Выдумкин Пётр Сергеевич": (
        "1984",
        None,
        ("361-1 ч.3", "368 ч.1", "369-1", "370"),
        SK,
        "2026-03-11",
        ("opened", "sent_to_court"),
    ),
    "Небылицын Ян Янович": ("1985-04-07", None, ("342 ч.1", "369"), SK, "2026-03-19", ("opened",)),
    "Сочинова Яна": ("1990", None, ("130 ч.1", "361-1 ч.3"), SK, "2026-03-19", ("opened",)),
    "Вымыслов Тарас Петрович": ("1979", None, ("361-2 ч.2", "370"), SK, "2026-03-19", ("opened",)),
    "Придумкина Алеся": (
        None,
        "31",
        ("130 ч.1", "368 ч.1", "369-1"),
        None,
        "2026-02-04",
        ("opened",),
    ),
    "Сочинов Олег Викторович": (
        "1991",
        None,
        ("361-1 ч.1", "361-4 ч.1"),
        KGB,
        "2026-03-26",
        ("opened",),
    ),
    "Придумович Янина Сымоновна": (
        "1993",
        None,
        ("361-1 ч.1", "361-4 ч.1"),
        KGB,
        "2026-03-26",
        ("opened",),
    ),
    "Небыліцкі Тарас Міколавіч": ("1979", None, ("130 ч.1", "369"), SK, "2026-03-26", ("opened",)),
    "Вымыслова Ольга Андреевна": (
        "1988-06-12",
        None,
        ("361-2 ч.2", "361-4 ч.1"),
        GP,
        "2026-04-02",
        ("sent_to_court",),
    ),
}


def test_text_collection_entries() -> None:
    result = by_special_proceedings.parse(TEXT)
    assert [e.name for e in result.entries] == list(TEXT_ENTRIES)
    assert result.taken == "2026-04-02"  # the latest announcement read
    assert result.warnings == (
        "https://example.invalid/news/2002: not about special proceedings, skipped",
    )
    got = {
        e.name: (
            e.birth_date,
            e.fields["age"],
            e.fields["articles"],
            e.fields["body"],
            e.fields["decided_on"],
            e.fields["stages"],
        )
        for e in result.entries
    }
    assert got == TEXT_ENTRIES
    assert all(e.kind == "person" and e.source_id is None for e in result.entries)


def test_a_person_named_twice_is_one_entry() -> None:
    """The opening (SK) and the case sent to court (GP) of one person: one entry, both kept;
    the summons `Обвиняемому Выдумкину П.С.` is the same person, not another entry."""
    entry = by_name(by_special_proceedings.parse(TEXT).entries)["Выдумкин Пётр Сергеевич"]
    assert entry.fields["decision_dates"] == ("2026-03-11", "2026-04-02")
    assert entry.fields["sources"] == (
        "https://example.invalid/gp/news/3001",
        "https://example.invalid/sk/news/1001",
    )
    assert entry.fields["appear_at"] == "г. Вымышленск, ул. Придуманная, 7"


def test_html_page_entries() -> None:
    result = by_special_proceedings.parse(HTML)
    assert result.taken == "2026-05-06" and result.warnings == ()
    got = {
        e.name: (
            e.birth_date,
            e.fields["articles"],
            e.fields["decided_on"],
            e.fields["stages"],
            e.fields["sources"],
        )
        for e in result.entries
    }
    assert got == {
        # `361<sup>1</sup>` is 361-1; the date is the decision's, not the page's <time>.
        "Выдумкина Алеся Петровна": (
            "1990-03-12",
            ("361-1 ч.3", "369-1"),
            "2026-05-04",
            ("opened",),
            ("https://example.invalid/sk/news/1101",),
        ),
        "Небывалов Кастусь Янович": (
            "1982",
            ("361-4 ч.1",),
            "2026-05-06",
            ("completed",),
            ("https://example.invalid/sk/news/1102",),
        ),
        "Придумчук Ганна Сымоновна": (
            "1995",
            ("130", "369"),
            "2026-05-06",
            ("completed",),
            ("https://example.invalid/sk/news/1102",),
        ),
    }
    first = by_name(result.entries)["Выдумкина Алеся Петровна"]
    assert first.fields["appear_at"] == "г. Вымышленск, пр. Небывалый, 3"


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # genitive after «в отношении», patronymic tells the case and the sex
        ("в отношении гражданина Выдумкина Петра Сергеевича", ["Выдумкин Пётр Сергеевич"]),
        ("в отношении гражданки Вымысловой Ольги Андреевны", ["Вымыслова Ольга Андреевна"]),
        ("в отношении Небылицыной Ольги Ильиничны", ["Небылицына Ольга Ильинична"]),
        # an indeclinable woman's surname stays as written
        ("в отношении Придумович Янины Сымоновны", ["Придумович Янина Сымоновна"]),
        ("в отношении Зайца Никиты Игоревича", ["Заяц Никита Игоревич"]),
        ("в отношении Белого Ильи Петровича", ["Белый Илья Петрович"]),
        # dative and instrumental
        ("Обвиняемому Выдумкину Петру Сергеевичу", ["Выдумкин Пётр Сергеевич"]),
        ("предъявлено Сочиновым Олегом Викторовичем", ["Сочинов Олег Викторович"]),
        # initials: the marker gives the case
        ("Обвиняемому Выдумкину П.С. необходимо явиться", ["Выдумкин П.С."]),
        ("Обвиняемой Вымысловой О. А. необходимо явиться", ["Вымыслова О.А."]),
        # the press: given name first, age before it
        ("В отношении 31-летней Алеси Вымысловой начато", ["Вымыслова Алеся"]),
        ("в отношении 28-летнего Тараса Небылицына", ["Небылицын Тарас"]),
        # Belarusian
        ("у дачыненні да Небыліцкага Тараса Міколавіча", ["Небыліцкі Тарас Міколавіч"]),
        ("у дачыненні да Вымысловай Ганны Пятроўны", ["Вымыслова Ганна Пятроўна"]),
        # already nominative (a numbered list): never touched — Яна stays Яна
        ("1. Сочинова Яна, 1990 г.р., — ст. 369", ["Сочинова Яна"]),
        ("2. Небылицын Ян Янович, 07.04.1985 г.р.", ["Небылицын Ян Янович"]),
        ("ВЫДУМКИН Пётр Сергеевич", ["ВЫДУМКИН Пётр Сергеевич"]),
        # bodies, courts and the country are not people
        (
            "Генеральным прокурором Республики Беларусь, Минский городской суд, "
            "Уголовного кодекса Республики Беларусь",
            [],
        ),
    ],
)
def test_names_back_to_the_nominative(text: str, names: list[str]) -> None:
    assert [m.name for m in find_names(text)] == names


@pytest.mark.parametrize(
    ("citation", "articles"),
    [
        ("по ч. 3 ст. 3611 и ст. 3691 УК", ("361-1 ч.3", "369-1")),
        ("по ст.ст. 3611, 3614 УК", ("361-1", "361-4")),
        ("по ч.1 арт. 130 і арт. 369 КК", ("130 ч.1", "369")),
        ("па частцы 1 артыкула 342", ("342 ч.1",)),
        ("по ч. 2 ст. 361<sup>2</sup> УК", ("361-2 ч.2",)),
    ],
)
def test_articles(citation: str, articles: tuple[str, ...]) -> None:
    text = (
        "<html><body><article>" if "<sup>" in citation else ""
    ) + f"СК начал специальное производство в отношении Выдумкина Петра Сергеевича {citation}."
    entry = by_special_proceedings.parse(text.encode()).entries[0]
    assert entry.fields["articles"] == articles


def test_body_option_and_no_date_warning() -> None:
    data = "Начато специальное производство в отношении Выдумкина Петра Сергеевича.".encode()
    result = by_special_proceedings.parse(data, options={"body": SK})
    assert result.entries[0].fields["body"] == SK
    assert result.entries[0].fields["decided_on"] is None
    assert result.warnings == ("announcement 1: no decision date",)


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00\x01garbage", "Налоговая напомнила о сроках уплаты налога.".encode()],
)
def test_not_an_announcement(data: bytes) -> None:
    with pytest.raises(ParseError, match="no announcement of special proceedings"):
        get_format("by-special-proceedings").parse(data)


# --- through the watch -----------------------------------------------------------------------

NEXT = """
---
URL: https://example.invalid/gp/news/3002
Дата: 10.04.2026

Генеральной прокуратурой 9 апреля 2026 г. направлено в суд для рассмотрения в порядке
специального производства уголовное дело в отношении Небылицына Яна Яновича,
07.04.1985 г.р., обвиняемого также по ст. 370 УК, и Сочиновой Марии Петровны, 1992 г.р.,
обвиняемой по ч. 1 ст. 342 УК.
""".encode()

_STEMS = ("Выдум", "Небыл", "Сочин", "Придум", "Вымысл")
_ENDS = ("ак", "ик", "ун", "ец", "ян", "ул", "ор")


def collection(people: int) -> bytes:
    """One announcement naming `people` invented people, as a numbered list."""
    names = [f"{s}{e}ов" for s in _STEMS for e in _ENDS][:people]
    lines = "\n".join(
        f"{i}. {n} Ян Янович, {1950 + i} г.р., — ст. 369;" for i, n in enumerate(names, 1)
    )
    return (
        "Дата: 01.06.2026\n\nСледственный комитет 1 июня 2026 г. начал специальное "
        f"производство в отношении следующих граждан:\n{lines}\n"
    ).encode()


@pytest.fixture
def watched(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setenv("KHRONIKA_DATA_DIR", str(tmp_path / "data"))
    add_list(
        db,
        "sp",
        title="Special proceedings (invented announcements)",
        issuer="Invented Committee",
        country="BY",
        fmt="by-special-proceedings",
        url="https://example.invalid/sk/news/",
    )
    return db


def test_first_import_is_silent_then_diff(watched: Database) -> None:
    first = import_snapshot(watched, "sp", TEXT, filename="sp.txt")
    assert (first.entries, first.added, first.removed, first.changed) == (9, 0, 0, 0)
    assert first.taken.startswith("2026-04-02")  # from the file
    again = import_snapshot(watched, "sp", TEXT, filename="sp.txt")
    assert again.unchanged_file
    report = import_snapshot(watched, "sp", TEXT + NEXT, filename="sp.txt")
    assert (report.entries, report.added, report.removed, report.changed) == (10, 1, 0, 1)
    _, _, diff = diff_snapshots(watched, "sp")
    assert [(e.name, e.birth_date) for _, e in diff.added] == [("Сочинова Мария Петровна", "1992")]
    [change] = diff.changed
    assert change.new.name == "Небылицын Ян Янович"
    assert change.changes == {
        "articles": (("342 ч.1", "369"), ("342 ч.1", "369", "370")),
        "decision_dates": (("2026-03-19",), ("2026-03-19", "2026-04-09")),
        "stages": (("opened",), ("opened", "sent_to_court")),
        "sources": (
            ("https://example.invalid/sk/news/1002",),
            ("https://example.invalid/gp/news/3002", "https://example.invalid/sk/news/1002"),
        ),
    }


def test_shrink_is_refused_unless_forced(watched: Database) -> None:
    import_snapshot(watched, "sp", collection(35), taken="2026-06-01")
    smaller = collection(10)  # 25 fewer: more than max(20, 5 %) — a truncated collection
    with pytest.raises(SnapshotRejected, match="shrinks"):
        import_snapshot(watched, "sp", smaller, taken="2026-06-08")
    report = import_snapshot(watched, "sp", smaller, taken="2026-06-08", force=True)
    assert (report.removed, report.added, report.changed) == (25, 0, 0)


def test_unreadable_file_is_rejected(watched: Database) -> None:
    with pytest.raises(SnapshotRejected, match="not a valid by-special-proceedings file"):
        import_snapshot(watched, "sp", b"nothing here", taken="2026-06-01")


# --- a folder of announcement files: one snapshot ------------------------------------------


def _folder(root: Path, parts: dict[str, bytes]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, data in parts.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def _split(collection: bytes) -> dict[str, bytes]:
    """The fixture's announcements, a text file each (as a watcher saves them one by one)."""
    blocks = re.split(rb"(?m)^---[ \t]*$", collection)
    return {f"sk/{i:02d}.txt": b.strip() + b"\n" for i, b in enumerate(blocks, 1)}


def test_a_folder_of_announcement_files_is_one_snapshot(watched: Database, tmp_path: Path) -> None:
    folder = _folder(tmp_path / "ann", {**_split(TEXT), "page.html": HTML, ".notes": b"mine"})
    report = import_folder(watched, "sp", folder)
    # The same people as the one-file collection and the HTML page, read file by file.
    alone = {e.name for e in by_special_proceedings.parse(TEXT).entries}
    alone |= {e.name for e in by_special_proceedings.parse(HTML).entries}
    stored = {e["name"] for e in export_snapshot(watched, "sp")}
    assert report.entries == len(alone) and stored == alone
    # Unchanged files are the same bytes (times and order do not count): nothing new.
    os.utime(folder / "page.html", (0, 0))
    assert import_folder(watched, "sp", folder).unchanged_file
    # One more announcement file: a new snapshot with its person added.
    (folder / "sk" / "99.txt").write_bytes(NEXT.replace(b"---", b""))
    again = import_folder(watched, "sp", folder)
    assert (again.added, again.removed) == (1, 0)


def test_a_folder_is_refused_where_the_format_reads_one_file(
    watched: Database, tmp_path: Path
) -> None:
    with pytest.raises(SnapshotRejected, match="holds no file"):
        import_folder(watched, "sp", _folder(tmp_path / "empty", {".hidden": b"x"}))
    add_list(watched, "ofac", title="t", issuer="i", country="US", fmt="us-ofac-sdn-csv")
    with pytest.raises(SnapshotRejected, match="reads one file, not a folder"):
        import_folder(watched, "ofac", _folder(tmp_path / "sdn", {"sdn.csv": b"1,x"}))
    with pytest.raises(ParseError, match="not a readable archive"):
        by_special_proceedings.parse(b"PK\x03\x04 truncated")


# --- review: accept → in_absentia_proceedings; undo → retracted ------------------------------


def _events(db: Database, pid: str, known_on: str | None = None) -> list[tuple]:
    return [(e["kind"], e["date"]) for e in get_person(db, pid, known_on=known_on).events]


def test_accept_adds_in_absentia_proceedings_and_undo_retracts(watched: Database) -> None:
    add_people(
        watched,
        person("p-vyd", "Выдумкин Пётр Сергеевич", born="1984-05-11", sex="m"),
        person("p-other", "Придумчук Ганна", sex="f"),
    )
    import_snapshot(watched, "sp", TEXT, filename="sp.txt")
    screen_snapshot(watched, "sp", queue=True, now=T(2))
    cid = next(c["id"] for c in list_queue(watched, kind="entry-person") if c["b"] == "p-vyd")
    out = judge(watched, cid, "positive", reason="same name and birth year", by="ann", now=T(3))
    assert len(out["effects"]["events_added"]) == 1
    [event] = get_person(watched, "p-vyd").events
    assert (event["kind"], event["date"]) == ("in_absentia_proceedings", "2026-03-11")
    details = event["details"]
    assert details["articles"] == ["361-1 ч.3", "368 ч.1", "369-1", "370"]
    assert details["body"] == SK
    assert details["list"] == "sp" and details["entry"]
    # It cites the collection's snapshot and each announcement that named him, by address.
    assert sum(s.startswith("lw-sp-") for s in event["sources"]) == 1
    with watched.connect() as conn:
        cited = [current_version(conn, "source", s) for s in event["sources"]]
    assert sorted((s.url, s.visibility, s.publisher) for s in cited if s and not s.sha256) == [
        ("https://example.invalid/gp/news/3001", "public", SK),
        ("https://example.invalid/sk/news/1001", "public", SK),
    ]

    # A later collection (the case sent to court, another person added) adds nothing more,
    # and never a `designated` or `delisted`.
    import_snapshot(watched, "sp", TEXT + NEXT, filename="sp.txt")
    assert sync_designations(watched, "sp", now=T(5)) == []
    assert _events(watched, "p-vyd") == [("in_absentia_proceedings", "2026-03-11")]

    out = undo(watched, cid, reason="another Pyotr", by="bob", now=T(6))
    assert len(out["effects"]["events_retracted"]) == 1
    assert _events(watched, "p-vyd") == []
    assert _events(watched, "p-vyd", known_on="2025-01-05") == [
        ("in_absentia_proceedings", "2026-03-11")
    ]  # the history is kept
    assert sync_designations(watched, "sp", now=T(7)) == []
