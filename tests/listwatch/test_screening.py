"""Screening list entries against registry people: candidates with explanations."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from sqlalchemy import insert

from khronika.listwatch.entries import Entry
from khronika.listwatch.reports import screen_snapshot
from khronika.listwatch.screening import RegistryPerson, screen_entries
from khronika.listwatch.snapshots import add_list, import_snapshot
from khronika.storage import Database
from khronika.storage.schema import person

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists"


def entry(name: str, born: str | None = None, kind: str = "person") -> Entry:
    return Entry(name=name, kind=kind, birth_date=born, fields={"aliases": ()})


CASES = [
    # entry, person, expected birth-date feature (None: no candidate)
    (
        entry("ВЫДУМКИНА АЛЕСЯ ПЕТРОВНА", "1990-03-12"),
        RegistryPerson("p1", ("Алеся Петровна Выдумкина",), "1990-03-12"),
        "same",
    ),
    (
        entry("ВЫДУМКИНА АЛЕСЯ ПЕТРОВНА", "1990-03-12"),
        RegistryPerson("p1", ("Выдумкина Алеся",), "1990"),
        "compatible",
    ),
    (
        entry("ВЫДУМКИНА АЛЕСЯ ПЕТРОВНА", "1990-03-12"),
        RegistryPerson("p1", ("Vydumkina Alesia", "Выдумкина Алеся Петровна"), None),
        "unknown",
    ),
    (
        entry("ВЫДУМКИНА АЛЕСЯ ПЕТРОВНА", "1990-03-12"),
        RegistryPerson("p1", ("Выдумкина Алеся Петровна",), "1971-01-01"),
        None,
    ),
    (entry("ВЫДУМКИНА АЛЕСЯ ПЕТРОВНА"), RegistryPerson("p1", ("Придумович Янка",), None), None),
    (
        entry("ВЫДУМКИНА АЛЕСЯ ПЕТРОВНА", kind="organisation"),
        RegistryPerson("p1", ("Выдумкина Алеся Петровна",), None),
        None,
    ),
]


@pytest.mark.parametrize(("ent", "who", "dates"), CASES)
def test_screen_entries(ent: Entry, who: RegistryPerson, dates: str | None) -> None:
    found = screen_entries({"k": ent}, [who])
    if dates is None:
        assert found == []
    else:
        assert [(c.entry_key, c.person_id, c.features["birth_date"]) for c in found] == [
            ("k", "p1", dates)
        ]
        assert found[0].features["person_name"]  # the explanation names the spelling


def test_custom_scorer_and_threshold() -> None:
    ent = entry("НЕБЫЛЬ ЯН", "1990-01-01")
    who = RegistryPerson("p", ("Небыль Иван",), "1990-01-01")
    assert screen_entries({"k": ent}, [who], threshold=0.99) == []
    found = screen_entries({"k": ent}, [who], scorer=lambda a, b: 0.99, threshold=0.99)
    assert [c.person_id for c in found] == ["p"]


def test_screen_snapshot_reads_the_registry(db: Database, tmp_path: Path) -> None:
    with db.begin() as conn:
        conn.execute(
            insert(person).values(
                id="p-lesnikov",
                recorded="2024-01-01T00:00:00.000000Z",
                digest="0" * 32,
                names=orjson.dumps(
                    [{"name": "Лесников Осип Лукич", "lang": "ru", "primary": True}]
                ).decode(),
                primary_name="Лесников Осип Лукич",
                search_text="лесников осип лукич",
                sex="m",
                birth_date="1986-04-24",
                visibility="restricted",
            )
        )
    add_list(db, "t", title="T", issuer="Invented", country="XX", fmt="ru-fedsfm-html")
    import_snapshot(
        db,
        "t",
        (FIXTURES / "fedsfm_before.html").read_bytes(),
        taken="2024-01-01",
        data_dir=tmp_path,
    )
    result = screen_snapshot(db, "t")
    assert [
        (c["entry_name"], c["person"], c["features"]["birth_date"]) for c in result["candidates"]
    ] == [("ЛЕСНИКОВ ОСИП ЛУКИЧ", "p-lesnikov", "same")]
