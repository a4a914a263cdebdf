"""Ingest: the JSON Lines contract, versions never overwritten, duplicates, review links."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from khronika.cli import cli
from khronika.media import ItemIn, ingest_items, list_item_reports, person_mentions, read_items
from khronika.media.readers import read_jsonl
from khronika.registry import get_person
from khronika.review import judge, list_queue, undo
from khronika.storage import Database
from tests.conftest import ENGINES, drop_database, make_database
from tests.media.conftest import FIXTURES, load_registry


def T(day: int) -> datetime:  # noqa: N802 - a short name for a time
    return datetime(2025, 2, day, 12, tzinfo=UTC)


def test_jsonl_reports_every_bad_line_with_its_number() -> None:
    items, problems = read_jsonl(FIXTURES / "items.jsonl")
    assert [i.external_id for i in items] == ["sb-0114", "zv-0115", "bad-date", "ont-0117"]
    assert len(problems) == 2
    assert problems[0].startswith(f"{FIXTURES / 'items.jsonl'}:4: not JSON")
    assert problems[1] == f"{FIXTURES / 'items.jsonl'}:5: text: an item needs text"


@pytest.mark.parametrize("engine", ENGINES)
def test_cli_contract(engine: str, tmp_path: Path) -> None:
    db, url = make_database(engine, tmp_path)
    try:
        load_registry(db)
        # PostgreSQL tests live in a schema of their own: the CLI finds it on the search path.
        runner = CliRunner(env={"PGOPTIONS": f"-csearch_path={db.schema}"} if db.schema else {})
        res = runner.invoke(cli, ["--db", url, "media", "ingest", str(FIXTURES / "items.jsonl")])
        assert res.exit_code == 0, res.output
        assert ":3: published: 'yesterday'" in res.output
        assert ":4: not JSON" in res.output and ":5: text:" in res.output
        out = runner.invoke(cli, ["--db", url, "media", "items", "--json"])
        assert out.exit_code == 0, out.output
        items = {i["id"]: i for i in json.loads(out.output)}
        assert set(items) == {"sb-0114", "zv-0115", "ont-0117"}
        sb = items["sb-0114"]
        assert sb["lang"] == "ru" and sb["outlet"] == "sb"
        assert {n["tag"] for n in sb["narratives"]} == {"in_absentia", "fugitives"}
        by_text = {m["text"]: m for m in sb["mentions"]}
        full = by_text["Алеся Буравчика"]
        assert (full["normal"], full["person"], full["targeted"]) == (
            "Алесь Буравчик",
            "p-m01",
            True,
        )
        lone = by_text["Буравчик"]
        assert (lone["normal"], lone["person"]) == ("Алесь Буравчик", "p-m01")
        official = by_text["Игорь Кравцевич"]
        assert (official["person"], official["targeted"]) == (None, False)
        start, end = full["start"], full["end"]
        text = runner.invoke(cli, ["--db", url, "media", "show", "sb-0114", "--json"])
        assert json.loads(text.output)["text"][start:end] == "Алеся Буравчика"
        zv = items["zv-0115"]
        assert zv["lang"] == "be"
        assert {n["tag"] for n in zv["narratives"]} == {"property_seizure", "relatives_pressure"}
        assert [(m["normal"], m["person"]) for m in zv["mentions"]] == [
            ("Вольга Шэметава", "p-f02"),
            ("Вольга Шэметава", "p-f02"),
        ]
        assert items["ont-0117"]["narratives"] == []
        weeks = runner.invoke(
            cli,
            [
                "--db",
                url,
                "media",
                "narratives",
                "--from",
                "2025-01-13",
                "--to",
                "2025-01-19",
                "--step",
                "week",
                "--json",
            ],
        )
        assert weeks.exit_code == 0, weeks.output
        cells = {r["narrative"]: r["items"] for r in json.loads(weeks.output)["rows"]}
        assert cells == {
            "fugitives": 1,
            "in_absentia": 1,
            "property_seizure": 1,
            "relatives_pressure": 1,
        }
        assert [m["targeted"] for m in items["ont-0117"]["mentions"]] == [False]
    finally:
        drop_database(db)


@pytest.fixture(params=ENGINES)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    database, _ = make_database(request.param, tmp_path)
    load_registry(database)
    yield database  # type: ignore[misc]
    drop_database(database)


def item(text: str, **kw: str) -> ItemIn:
    return ItemIn(where="<test>:1", text=text, outlet="belta", published="2025-02-01", **kw)


def test_a_changed_page_is_a_new_version_never_an_overwrite(db: Database) -> None:
    first = item(
        "Специальное производство начато в отношении Ольги Шеметовой.", url="https://belta.by/1"
    )
    r1 = ingest_items(db, [first], now=T(1))
    assert (r1.added, r1.unchanged) == (1, 0)
    again = ingest_items(db, [first], now=T(2))
    assert (again.added, again.unchanged, again.new_versions) == (0, 1, 0)
    changed = item(
        "Специальное производство начато в отношении Ольги Шеметовой и Семёна Коваленка.",
        url="https://belta.by/1",
    )
    r3 = ingest_items(db, [changed], now=T(3))
    assert r3.new_versions == 1
    now = list_item_reports(db)
    assert len(now) == 1 and len(now[0]["mentions"]) == 2
    before = list_item_reports(db, known_on="2025-02-02T23:59:59.000000Z")
    assert len(before) == 1 and len(before[0]["mentions"]) == 1
    # The item is a registry source, versioned the same way.
    assert now[0]["sha256"] != before[0]["sha256"]


def test_the_same_text_under_another_url_is_a_duplicate(db: Database) -> None:
    text = "Так называемые змагары боятся вернуться, заявил Игорь Кравцевич."
    ingest_items(db, [item(text, url="https://belta.by/a")], now=T(1))
    r = ingest_items(db, [item(text, url="https://sb.by/b")], now=T(2))
    assert (r.added, r.duplicates) == (0, 1)
    assert len(list_item_reports(db)) == 1


def test_an_uncertain_link_waits_for_review_and_a_confirmed_one_is_an_event(db: Database) -> None:
    # A lone surname never said in full in the item: a proposal, not a link.
    r = ingest_items(
        db, [item("Дело Шеметовой передано в суд заочно.", url="https://belta.by/z")], now=T(1)
    )
    assert r.linked == 0 and r.proposed == 1
    [mention] = list_item_reports(db)[0]["mentions"]
    assert mention["person"] is None and mention["candidate"] == "p-f02"
    [cand] = list_queue(db, kind="mention-person")
    assert cand["b"] == "p-f02"
    judged = judge(
        db, cand["id"], "positive", reason="the only Шеметова we record", by="ed", now=T(2)
    )
    [eid] = judged["effects"]["events_added"]
    events = [e for e in get_person(db, "p-f02").events if e["id"] == eid]
    assert events and events[0]["kind"] == "media_appearance" and events[0]["date"] == "2025-02-01"
    assert [m["item"] for m in person_mentions(db, "p-f02")] == [list_item_reports(db)[0]["item"]]
    undone = undo(db, cand["id"], reason="another woman", by="ed", now=T(3))
    assert undone["effects"]["events_retracted"] == [eid]
    assert all(e["id"] != eid for e in get_person(db, "p-f02").events)
    assert person_mentions(db, "p-f02") == []


def test_readers_for_telegram_and_transcripts(tmp_path: Path) -> None:
    export = {
        "name": "Synthetic channel",
        "username": "synthetic_state_tv",
        "messages": [
            {
                "id": 7,
                "type": "message",
                "date": "2025-01-20T10:00:00",
                "text": ["Змагары ", {"type": "bold", "text": "сбежали"}, " за границу."],
            },
            {"id": 8, "type": "service", "date": "2025-01-20T10:01:00", "text": ""},
        ],
    }
    (tmp_path / "result.json").write_text(json.dumps(export, ensure_ascii=False), "utf-8")
    (tmp_path / "seg.srt").write_text(
        "1\n00:00:01,000 --> 00:00:03,000\nВедущий: беглые вернутся.\n\n2\n"
        "00:00:03,500 --> 00:00:05,000\nКомиссия по вопросам возвращения работает.\n",
        "utf-8",
    )
    items, problems = read_items(tmp_path)
    assert problems == []
    by_id = {i.external_id: i for i in items}
    tg = by_id["tg:Synthetic channel:7"]
    assert (
        tg.text == "Змагары сбежали за границу." and tg.url == "https://t.me/synthetic_state_tv/7"
    )
    assert tg.published == "2025-01-20"
    assert by_id["file:seg.srt"].text == (
        "Ведущий: беглые вернутся.\nКомиссия по вопросам возвращения работает."
    )


def test_items_and_appearances_stay_out_of_public_exports(db: Database) -> None:
    """An item may name a hidden person (in its title too): items are team-only sources."""
    from khronika.interchange import export_records, import_records
    from khronika.registry import RawRecord

    withheld = {
        "type": "person",
        "id": "p-hidden",
        "visibility": "withheld",
        "names": [{"name": "Захар Невидимчик", "lang": "ru", "primary": True}],
    }
    import_records(db, [RawRecord("<test>:1", withheld)], now=T(1))
    text = "Специальное производство начато в отношении Захара Невидимчика заочно."
    ingest_items(db, [item(text, url="https://belta.by/h", title="Дело Невидимчика")], now=T(2))
    [report] = [i for i in list_item_reports(db) if i["url"] == "https://belta.by/h"]
    assert [m["candidate"] or m["person"] for m in report["mentions"]] == ["p-hidden"]
    for cand in list_queue(db, kind="mention-person"):
        judge(db, cand["id"], "positive", reason="same", by="ed", now=T(3))
    public = json.dumps(list(export_records(db, scope="public")), ensure_ascii=False)
    assert "Невидимч" not in public and report["item"] not in public
    full = json.dumps(list(export_records(db)), ensure_ascii=False)
    assert report["item"] in full  # the team keeps it


def test_cli_ingest_expands_a_quoted_glob_and_says_when_it_matches_nothing(
    tmp_path: Path,
) -> None:
    db_url = f"sqlite:///{tmp_path / 'k.db'}"
    nested = tmp_path / "exports" / "2025" / "01"
    nested.mkdir(parents=True)
    for i, outlet in enumerate(("sb", "belta")):
        line = {"id": f"g-{i}", "url": f"https://{outlet}.by/{i}", "outlet": outlet,
                "published": "2025-01-14", "text": f"СИНТЕТИЧЕСКИЙ ТЕКСТ номер {i}."}  # fmt: skip
        (nested / f"{outlet}.jsonl").write_text(json.dumps(line, ensure_ascii=False) + "\n")
    (nested / "notes.txt.bak").write_text("not an item")
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", db_url, "db", "migrate"]).exit_code == 0
    res = runner.invoke(cli, ["--db", db_url, "media", "ingest", f"{tmp_path}/exports/**/*.jsonl"])
    assert res.exit_code == 0, res.output
    out = runner.invoke(cli, ["--db", db_url, "media", "items", "--json"])
    assert sorted(i["id"] for i in json.loads(out.output)) == ["g-0", "g-1"]
    for pattern, said in ((f"{tmp_path}/nothing/*.jsonl", "matches no file"),
                          (f"{tmp_path}/missing.jsonl", "does not exist")):  # fmt: skip
        bad = runner.invoke(cli, ["--db", db_url, "media", "ingest", pattern])
        assert bad.exit_code == 2 and said in bad.output
