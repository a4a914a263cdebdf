"""The demo plants duplicates as a peer's archive would have them, known from its seed."""

from __future__ import annotations

from khronika.demo import DemoConfig, planted_pairs
from khronika.demo.duplicates import genitive_ru
from khronika.demo.generate import generate


def test_copies_come_after_the_people_and_leave_them_unchanged() -> None:
    with_copies = list(generate(DemoConfig(people=500, seed=3)))
    without = list(generate(DemoConfig(people=500, seed=3, duplicates=0.0)))
    assert with_copies[: len(without)] == without
    pairs = planted_pairs(DemoConfig(people=500, seed=3))
    assert len(pairs) == 8 and planted_pairs(DemoConfig(people=500, seed=3, duplicates=0)) == []
    assert [c for _, c in pairs] == [f"p{500 + i}" for i in range(1, 9)]


def test_a_copy_is_the_same_person_and_case_spelled_otherwise() -> None:
    cfg = DemoConfig(people=2_000, seed=7)
    records = list(generate(cfg))
    people = {r["id"]: r for r in records if r["type"] == "person"}
    events: dict[str, list[dict]] = {}
    for r in records:
        if r["type"] == "event":
            events.setdefault(r["person"], []).append(r)
    for original, copy in planted_pairs(cfg):
        a, b = people[original], people[copy]
        assert b["visibility"] == "restricted" and b["sex"] == a["sex"]
        assert b["birth_date"][:4] == a["birth_date"][:4]
        assert b.get("region") in (None, a["region"])
        assert {n["name"] for n in b["names"]} - {n["name"] for n in a["names"]} or b["names"][0][
            "lang"
        ] == "ru"
        kinds = {e["kind"] for e in events[copy]}
        assert kinds and "recognised" not in kinds
        assert {(e["kind"], e["date"][:7]) for e in events[copy]} <= {
            (e["kind"], e["date"][:7]) for e in events[original]
        }


def test_genitive_of_demo_names() -> None:
    assert genitive_ru("Александр Петрович Выдумчук", "m") == "Александра Петровича Выдумчука"
    assert genitive_ru("Ольга Петровна Выдумченко", "f") == "Ольги Петровны Выдумченко"
    assert genitive_ru("Мария Стогина", "f") == "Марии Стогиной"
