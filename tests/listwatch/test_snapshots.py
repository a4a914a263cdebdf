"""Snapshots in the database: import, safety checks, carried keys, diff, history, stats, feed.

Runs on every engine (the `db` fixture). Pages are built here from invented names.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from khronika.errors import KhronikaError, NotFound
from khronika.listwatch.feed import render_feed
from khronika.listwatch.reports import diff_snapshots, entry_history, list_stats
from khronika.listwatch.snapshots import (
    SnapshotRejected,
    add_list,
    archive_path,
    import_snapshot,
    normalise_time,
    shrink_limit,
)
from khronika.storage import Database
from khronika.storage.schema.lists import list_entry, list_entry_version, list_snapshot

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists"


def page(items: list[str]) -> bytes:
    """A minimal Rosfinmonitoring-shaped page with these person items."""
    lis = "\n".join(f"<li>{n}. {text};</li>" for n, text in enumerate(items, start=1))
    return (
        f'<html><body><div id="russianFL"><ol class="terrorist-list">{lis}</ol></div></body></html>'
    ).encode()


def people(n: int, *, offset: int = 0) -> list[str]:
    return [
        f"ВЫМЫШЛЕННЫЙ{i} ЯН ЯНОВИЧ*, 01.01.{1950 + i % 50} г.р. , Г. НИГДЕ"
        for i in range(offset, offset + n)
    ]


@pytest.fixture
def watched(db: Database, tmp_path: Path) -> Database:
    add_list(
        db,
        "t",
        title="Synthetic list",
        issuer="Invented Agency",
        country="xx",
        fmt="ru-fedsfm-html",
    )
    return db


def counts(db: Database) -> tuple[int, int, int]:
    with db.connect() as conn:
        return tuple(
            conn.execute(select(func.count()).select_from(t)).scalar()
            for t in (list_snapshot, list_entry, list_entry_version)
        )


def test_first_snapshot_is_a_baseline(watched: Database, tmp_path: Path) -> None:
    report = import_snapshot(watched, "t", page(people(30)), taken="2024-01-01", data_dir=tmp_path)
    assert (report.entries, report.added, report.removed) == (30, 0, 0)
    assert counts(watched) == (1, 30, 30)
    assert archive_path(report.snapshot.split("-")[1], tmp_path).parent.exists()


def test_same_bytes_twice_is_a_no_op(watched: Database, tmp_path: Path) -> None:
    data = page(people(5))
    first = import_snapshot(watched, "t", data, taken="2024-01-01", data_dir=tmp_path)
    again = import_snapshot(watched, "t", data, taken="2024-02-01", data_dir=tmp_path)
    assert again.unchanged_file and again.snapshot == first.snapshot
    assert counts(watched) == (1, 5, 5)


def test_archive_is_content_addressed(watched: Database, tmp_path: Path) -> None:
    import hashlib

    data = page(people(3))
    import_snapshot(watched, "t", data, taken="2024-01-01", data_dir=tmp_path)
    assert archive_path(hashlib.sha256(data).hexdigest(), tmp_path).read_bytes() == data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (page([]), "no entries"),
        (b"<html>not the list</html>", "not a valid"),
        (b"\xff\xfe\x00garbage", "not a valid"),
    ],
)
def test_bad_files_are_rejected_and_nothing_written(
    watched: Database, tmp_path: Path, data: bytes, message: str
) -> None:
    import_snapshot(watched, "t", page(people(5)), taken="2024-01-01", data_dir=tmp_path)
    before = counts(watched)
    with pytest.raises(SnapshotRejected, match=message):
        import_snapshot(watched, "t", data, taken="2024-02-01", data_dir=tmp_path)
    assert counts(watched) == before


@pytest.mark.parametrize(
    ("previous", "limit"), [(0, 20), (100, 20), (400, 20), (1000, 50), (16675, 833)]
)
def test_shrink_limit(previous: int, limit: int) -> None:
    assert shrink_limit(previous) == limit


@pytest.mark.parametrize(
    ("before", "after", "rejected"),
    [(100, 80, False), (100, 79, True), (1000, 950, False), (1000, 949, True)],
)
def test_shrink_check(
    watched: Database, tmp_path: Path, before: int, after: int, rejected: bool
) -> None:
    import_snapshot(watched, "t", page(people(before)), taken="2024-01-01", data_dir=tmp_path)
    state = counts(watched)
    smaller = page(people(after))
    if rejected:
        with pytest.raises(SnapshotRejected, match="shrinks"):
            import_snapshot(watched, "t", smaller, taken="2024-02-01", data_dir=tmp_path)
        assert counts(watched) == state
        report = import_snapshot(
            watched, "t", smaller, taken="2024-02-01", force=True, data_dir=tmp_path
        )
    else:
        report = import_snapshot(watched, "t", smaller, taken="2024-02-01", data_dir=tmp_path)
    assert report.removed == before - after


def test_mass_addition_is_reported(watched: Database, tmp_path: Path) -> None:
    import_snapshot(watched, "t", page(people(10)), taken="2024-01-01", data_dir=tmp_path)
    report = import_snapshot(watched, "t", page(people(40)), taken="2024-01-08", data_dir=tmp_path)
    assert report.added == 30
    assert any("mass addition" in w for w in report.warnings)


def test_out_of_order_is_rejected(watched: Database, tmp_path: Path) -> None:
    import_snapshot(watched, "t", page(people(5)), taken="2024-02-01", data_dir=tmp_path)
    with pytest.raises(SnapshotRejected, match="time order"):
        import_snapshot(watched, "t", page(people(6)), taken="2024-01-01", data_dir=tmp_path)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2021-12-02", "2021-12-02T00:00:00Z"),
        ("2021-12-02T18:50", "2021-12-02T18:50:00Z"),
        ("2021-12-02 18:50:07Z", "2021-12-02T18:50:07Z"),
    ],
)
def test_normalise_time(given: str, expected: str) -> None:
    assert normalise_time(given) == expected


@pytest.mark.parametrize("bad", ["yesterday", "2021-13-02", "02.12.2021"])
def test_bad_time(bad: str) -> None:
    with pytest.raises(SnapshotRejected):
        normalise_time(bad)


def test_time_from_file_name(watched: Database, tmp_path: Path) -> None:
    report = import_snapshot(
        watched, "t", page(people(2)), filename="sdn.2021-12-02T1850.csv", data_dir=tmp_path
    )
    assert report.taken == "2021-12-02T18:50:00Z"
    with pytest.raises(SnapshotRejected, match="snapshot-date"):
        import_snapshot(watched, "t", page(people(3)), filename="list.html", data_dir=tmp_path)


def test_keys_carried_forward_history_and_diff(watched: Database, tmp_path: Path) -> None:
    before = (FIXTURES / "fedsfm_before.html").read_bytes()
    after = (FIXTURES / "fedsfm_after.html").read_bytes()
    import_snapshot(watched, "t", before, taken="2024-01-01", data_dir=tmp_path)
    import_snapshot(watched, "t", after, taken="2024-01-08T12:00", data_dir=tmp_path)
    # The same content again, in other bytes (identical bytes would be a no-op).
    import_snapshot(watched, "t", before + b"<!-- again -->", taken="2024-01-15", data_dir=tmp_path)
    frm, to, diff = diff_snapshots(watched, "t", from_ref="2024-01-01", to_ref="2024-01-08")
    assert (frm["taken"], to["taken"]) == ("2024-01-01T00:00:00Z", "2024-01-08T12:00:00Z")
    assert diff.counts() == {"added": 1, "removed": 2, "changed": 5}
    changed = {c.new.name: c.key for c in diff.changed}
    key = changed["ЗАБЫТЫЙ ЕВСЕЙ КУЗЬМИЧ"]
    history = entry_history(watched, "t", key)
    assert [e["event"] for e in history["events"]] == ["listed", "changed", "changed"]
    assert history["events"][1]["changes"]["birth_date"] == [None, "1957-05-12"]
    # Re-listed entries get their old key back.
    removed = {e.name: k for k, e in diff.removed}
    relisted = entry_history(watched, "t", removed["ПЕТРОВСКИЙ ИГНАТ ФОМИЧ"])
    assert [e["event"] for e in relisted["events"]] == ["listed", "removed", "relisted"]
    _, _, back = diff_snapshots(watched, "t")
    assert {e.name for _, e in back.added} == {"ПЕТРОВСКИЙ ИГНАТ ФОМИЧ", "ВЫМЫШЛЕННЫЙ ФОНД РАССВЕТ"}


def test_diff_needs_two_snapshots(watched: Database, tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        diff_snapshots(watched, "t")
    import_snapshot(watched, "t", page(people(2)), taken="2024-01-01", data_dir=tmp_path)
    with pytest.raises(KhronikaError, match="no snapshot before"):
        diff_snapshots(watched, "t")
    with pytest.raises(NotFound):
        diff_snapshots(watched, "t", from_ref="2023-01-01")


def test_stats_per_week_and_month(watched: Database, tmp_path: Path) -> None:
    for day, n in (("2024-01-01", 10), ("2024-01-03", 12), ("2024-01-10", 15), ("2024-02-01", 14)):
        import_snapshot(watched, "t", page(people(n)), taken=day, data_dir=tmp_path)
    stats = list_stats(watched, "t")
    assert [s["entry_count"] for s in stats["snapshots"]] == [10, 12, 15, 14]
    assert stats["weeks"] == [
        {"week": "2024-W01", "added": 2, "removed": 0},
        {"week": "2024-W02", "added": 3, "removed": 0},
        {"week": "2024-W05", "added": 0, "removed": 1},
    ]
    assert stats["months"] == [
        {"month": "2024-01", "added": 5, "removed": 0},
        {"month": "2024-02", "added": 0, "removed": 1},
    ]


def test_feed_leaves_out_birth_dates_and_places(watched: Database, tmp_path: Path) -> None:
    before = (FIXTURES / "fedsfm_before.html").read_bytes()
    after = (FIXTURES / "fedsfm_after.html").read_bytes()
    import_snapshot(watched, "t", before, taken="2024-01-01", data_dir=tmp_path)
    import_snapshot(watched, "t", after, taken="2024-01-08", data_dir=tmp_path)
    atom = render_feed(watched, "t")
    assert "НОВИКОВ ПАХОМ СИДОРОВИЧ" in atom and "<entry>" in atom
    for private in ("1957", "29.06.2001", "2001-06-29", "НОВОГРАД", "ТРИДЕВЯТЬ"):
        assert private not in atom
    assert render_feed(watched).count("<entry>") == 1


def test_unknown_list(db: Database) -> None:
    with pytest.raises(NotFound):
        import_snapshot(db, "nope", page(people(1)), taken="2024-01-01")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"fmt": "nope"}, "unknown format"),
        ({"fmt": "table"}, "mapping"),
        ({"fmt": "ru-fedsfm-html", "list_id": "bad id"}, "list id"),
    ],
)
def test_add_list_errors(db: Database, kwargs: dict, message: str) -> None:
    args = {"list_id": "x", "title": "T", "issuer": "I", "country": "BY"} | kwargs
    list_id = args.pop("list_id")
    with pytest.raises(KhronikaError, match=message):
        add_list(db, list_id, **args)


def test_issuer_is_reused(db: Database) -> None:
    a = add_list(db, "a", title="A", issuer="KGB", country="BY", fmt="ru-fedsfm-html")
    b = add_list(db, "b", title="B", issuer="kgb", country="BY", fmt="ru-fedsfm-html")
    assert a["issuer"] == b["issuer"]
    with pytest.raises(KhronikaError, match="exists"):
        add_list(db, "a", title="A", issuer="KGB", country="BY", fmt="ru-fedsfm-html")
