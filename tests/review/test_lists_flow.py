"""Screening → review queue → accept → `designated` → removal → `delisted`; undo retracts."""

from __future__ import annotations

from pathlib import Path

import pytest

from khronika.listwatch.designations import sync_designations
from khronika.listwatch.reports import screen_snapshot
from khronika.listwatch.snapshots import add_list, import_snapshot
from khronika.registry import get_person
from khronika.review import judge, list_queue, show_candidate, undo
from khronika.storage import Database

from .helpers import T, add_people, person

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists"
BEFORE = (FIXTURES / "fedsfm_before.html").read_bytes()
AFTER = (FIXTURES / "fedsfm_after.html").read_bytes()  # ПЕТРОВСКИЙ ИГНАТ ФОМИЧ removed


@pytest.fixture
def watched(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setenv("KHRONIKA_DATA_DIR", str(tmp_path / "data"))
    add_people(
        db,
        person("p-ignat", "Игнат Фомич Петровский", born="1998-05-16", sex="m"),
        person("p-osip", "Лесников Осип", born="1986-04-24", sex="m"),
        person("p-other", "Придумович Янка", sex="m"),
    )
    add_list(
        db,
        "t",
        title="Invented list",
        issuer="Invented issuer",
        country="XX",
        fmt="ru-fedsfm-html",
        url="https://example.invalid/list",
    )
    import_snapshot(db, "t", BEFORE, taken="2025-01-01", filename="before.html")
    return db


def _events(db: Database, pid: str, known_on: str | None = None) -> list[tuple]:
    return [
        (e["kind"], e["date"], e["details"].get("entry") is not None)
        for e in get_person(db, pid, known_on=known_on).events
    ]


def test_screen_queues_once(watched: Database) -> None:
    first = screen_snapshot(watched, "t", queue=True, now=T(2))
    assert (first["queued"], first["already"]) == (2, 0)
    assert {c["person"] for c in first["candidates"]} == {"p-ignat", "p-osip"}
    assert all(c["status"] == "open" and c["review"] for c in first["candidates"])
    queue = list_queue(watched, kind="entry-person")
    assert {c["b"] for c in queue} == {"p-ignat", "p-osip"}
    assert all(c["a"].startswith("t/") and c["explanation"]["screening"] for c in queue)
    again = screen_snapshot(watched, "t", queue=True, now=T(3))
    assert (again["queued"], again["already"]) == (0, 2)
    assert len(list_queue(watched, kind="entry-person")) == 2


def test_accept_designates_and_removal_delists(watched: Database) -> None:
    screen_snapshot(watched, "t", queue=True, now=T(2))
    cid = next(c["id"] for c in list_queue(watched) if c["b"] == "p-ignat")
    shown = show_candidate(watched, cid)
    assert shown["sides"]["a"]["entry"]["name"] == "ПЕТРОВСКИЙ ИГНАТ ФОМИЧ"
    out = judge(watched, cid, "positive", reason="same name and birth date", by="ann", now=T(3))
    assert len(out["effects"]["events_added"]) == 1
    assert _events(watched, "p-ignat") == [("designated", "2025-01-01", True)]
    event = get_person(watched, "p-ignat").events[0]
    assert event["details"]["list"] == "t" and len(event["sources"]) == 1

    import_snapshot(watched, "t", AFTER, taken="2025-01-08", filename="after.html")
    added = sync_designations(watched, "t", now=T(9))
    assert len(added) == 1
    assert sync_designations(watched, "t", now=T(10)) == []  # idempotent
    assert _events(watched, "p-ignat") == [
        ("designated", "2025-01-01", True),
        ("delisted", "2025-01-08", True),
    ]
    assert _events(watched, "p-ignat", known_on="2025-01-08") == [
        ("designated", "2025-01-01", True)
    ]

    out = undo(watched, cid, reason="wrong Ignat", by="bob", now=T(11))
    assert out["status"] == "open" and len(out["effects"]["events_retracted"]) == 2
    assert _events(watched, "p-ignat") == []
    assert len(_events(watched, "p-ignat", known_on="2025-01-10")) == 2  # history kept
    assert sync_designations(watched, "t", now=T(12)) == []  # undone links add nothing


def test_rejected_match_adds_nothing(watched: Database) -> None:
    screen_snapshot(watched, "t", queue=True, now=T(2))
    cid = next(c["id"] for c in list_queue(watched) if c["b"] == "p-osip")
    out = judge(watched, cid, "negative", reason="another Osip", now=T(3))
    assert out["status"] == "rejected" and out["effects"]["events_added"] == []
    import_snapshot(watched, "t", AFTER, taken="2025-01-08", filename="after.html")
    assert sync_designations(watched, "t", now=T(9)) == []
    assert _events(watched, "p-osip") == []


def test_names_matcher_finds_other_scripts(watched: Database) -> None:
    """A Belarusian spelling of a listed (Russian, all-caps) name is found by the matcher."""
    add_people(watched, person("p-be", "Ігнат Фаміч Пятроўскі", born="1998-05-16"), now=T(1, 1))
    found = screen_snapshot(watched, "t", matcher="names")["candidates"]
    assert "p-be" in {c["person"] for c in found}
    be = next(c for c in found if c["person"] == "p-be")
    assert be["explanation"]["parts"] and be["features"]["birth_date"] == "same"
    tokens_only = screen_snapshot(watched, "t", matcher="standin")["candidates"]
    assert "p-be" not in {c["person"] for c in tokens_only}
