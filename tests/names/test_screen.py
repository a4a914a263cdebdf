"""Screening a name against the registry: ranked, explained, cached, rebuilt when stale."""

from __future__ import annotations

import io
from pathlib import Path

import orjson

from khronika.interchange import import_records, read_ndjson
from khronika.names.screen import registry_index, screen_name
from khronika.storage import Database

PEOPLE = [
    {
        "type": "person",
        "id": "p1",
        "birth_date": "1989",
        "visibility": "withheld",
        "names": [
            {"name": "Ганна Кандыбовіч", "lang": "be"},
            {"name": "Анна Кандыбович", "lang": "ru"},
        ],
    },
    {"type": "person", "id": "p2", "names": [{"name": "Ян Кандыбовіч", "lang": "be"}]},
    {"type": "person", "id": "p3", "names": [{"name": "Сымон Лагойскі", "lang": "be"}]},
]


def _add(db: Database, *records: dict) -> None:
    data = b"\n".join(orjson.dumps(r) for r in records)
    assert import_records(db, read_ndjson(io.BytesIO(data), "f")).problems == []


def test_screen_finds_other_scripts_and_inflected_mentions(db: Database, tmp_path: Path) -> None:
    _add(db, *PEOPLE)
    index = registry_index(db, cache_dir=tmp_path)
    latin = screen_name(db, "Hanna Kandybovich", index=index)
    assert [r["id"] for r in latin if r["match"]] == ["p1"]
    assert latin[0]["kind"] == "person" and latin[0]["explanation"]
    mention = screen_name(db, "Анны Кандыбович", mention=True, index=index)
    assert mention[0]["id"] == "p1" and mention[0]["match"]
    assert all(r["id"] != "p3" for r in screen_name(db, "Ганна Кандыбовіч", index=index))


def test_index_is_cached_and_rebuilt_when_the_registry_changes(
    db: Database, tmp_path: Path
) -> None:
    _add(db, *PEOPLE)
    first = registry_index(db, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("names-index-*.pickle"))) == 1
    again = registry_index(db, cache_dir=tmp_path)
    assert len(again) == len(first)
    _add(db, {"type": "person", "id": "p4", "names": [{"name": "Алесь Мрочак", "lang": "be"}]})
    rebuilt = registry_index(db, cache_dir=tmp_path)
    assert len(rebuilt) == len(first) + 1
    assert len(list(tmp_path.glob("names-index-*.pickle"))) == 1
    assert screen_name(db, "Ales Mrochak", index=rebuilt)[0]["id"] == "p4"


def test_list_entries_are_screened_with_their_aliases(db: Database, tmp_path: Path) -> None:
    from khronika.listwatch.snapshots import add_list, import_snapshot

    fixture = Path(__file__).parents[1] / "fixtures" / "lists" / "fedsfm_before.html"
    add_list(db, "rfm", title="Test list", issuer="Test issuer", country="RU", fmt="ru-fedsfm-html")
    import_snapshot(
        db,
        "rfm",
        fixture.read_bytes(),
        taken="2024-01-01",
        filename=fixture.name,
        data_dir=tmp_path / "data",
    )
    index = registry_index(db, cache_dir=tmp_path)
    by_alias = screen_name(db, "Liza Samoilova", index=index)
    assert by_alias and by_alias[0]["kind"] == "list_entry" and by_alias[0]["list"] == "rfm"
    assert by_alias[0]["match"]
    by_name = screen_name(db, "Елизавета Самойлова", birth_date="2002-01-03", index=index)
    assert by_name[0]["kind"] == "list_entry" and by_name[0]["birth_date"] == "2002-01-03"
