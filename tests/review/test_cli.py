"""`khronika review …`, `names dedupe` and `lists screen` end to end on a SQLite file (JSON)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from khronika.cli import cli
from khronika.errors import KhronikaError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists"

PEOPLE = [
    {
        "type": "person",
        "id": "p1",
        "sex": "f",
        "birth_date": "1990-03-12",
        "names": [{"name": "Выдумкина Алеся Петровна", "lang": "ru", "primary": True}],
    },
    {
        "type": "person",
        "id": "p2",
        "sex": "f",
        "birth_date": "1990-03-12",
        "names": [{"name": "ВЫДУМКИНА АЛЕСЯ", "lang": "ru"}],
    },
    {
        "type": "person",
        "id": "p3",
        "sex": "m",
        "birth_date": "1998-05-16",
        "names": [{"name": "Петровский Игнат Фомич", "lang": "ru"}],
    },
]


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KHRONIKA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KHRONIKA_USER", "ann")
    url = f"sqlite:///{tmp_path / 'k.db'}"
    runner = CliRunner()

    def invoke(*args: str, ok: bool = True):  # type: ignore[no-untyped-def]
        result = runner.invoke(cli, ["--db", url, *args], catch_exceptions=not ok)
        assert (result.exit_code == 0) == ok, result.output
        if not ok:
            assert result.exception is None or isinstance(
                result.exception, KhronikaError | SystemExit
            )
        return result

    invoke("init")
    people = tmp_path / "people.ndjson"
    people.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in PEOPLE) + "\n")
    invoke("import", str(people))
    return invoke


def _json(result) -> object:  # type: ignore[no-untyped-def]
    return json.loads(result.output)


def test_dedupe_accept_undo(run) -> None:  # type: ignore[no-untyped-def]
    report = _json(run("names", "dedupe", "--json"))
    assert (
        report["new"] == 1
        and report["people"] == 3
        and set(report["seconds"]) == {"load", "block_and_score", "write"}
    )
    queue = _json(run("review", "list", "--kind", "person-person", "--json"))
    assert [(c["a"], c["b"], c["status"]) for c in queue] == [("p1", "p2", "open")]
    cand = queue[0]
    assert {
        "id",
        "kind",
        "a",
        "b",
        "score",
        "explanation",
        "context",
        "proposed_by",
        "proposed",
        "status",
        "judgement",
    } <= set(cand)
    cid = str(cand["id"])
    shown = _json(run("review", "show", cid, "--json"))
    assert shown["sides"]["b"]["names"] == ["ВЫДУМКИНА АЛЕСЯ"] and shown["judgements"] == []
    accepted = _json(run("review", "accept", cid, "--reason", "same birth date", "--json"))
    assert accepted["status"] == "accepted"
    assert accepted["judgement"]["recorded_by"] == "ann"
    assert _json(run("review", "list", "--json")) == []
    assert [c["id"] for c in _json(run("review", "list", "--status", "accepted", "--json"))] == [
        cand["id"]
    ]
    run("review", "reject", cid, "--reason", "changed my mind", ok=False)
    undone = _json(run("review", "undo", cid, "--reason", "twins", "--json"))
    assert undone["status"] == "open"
    assert [(j["decision"], j["retraction_reason"]) for j in undone["judgements"]] == [
        ("positive", "twins")
    ]
    assert _json(run("names", "dedupe", "--json"))["new"] == 0
    assert "1 candidate(s)" in run("review", "list").output


def test_dedupe_min_points(run) -> None:  # type: ignore[no-untyped-def]
    # More evidence than any pair here has: nothing proposed; then the default proposes one.
    assert _json(run("names", "dedupe", "--min-points", "99", "--json"))["new"] == 0
    assert _json(run("names", "dedupe", "--json"))["new"] == 1


def test_lists_screen_queues_and_import_delists(run) -> None:  # type: ignore[no-untyped-def]
    run(
        "lists",
        "add",
        "t",
        "--title",
        "T",
        "--issuer",
        "Invented",
        "--country",
        "XX",
        "--format",
        "ru-fedsfm-html",
    )
    run(
        "lists",
        "import",
        "t",
        str(FIXTURES / "fedsfm_before.html"),
        "--snapshot-date",
        "2025-01-01",
    )
    dry = _json(run("lists", "screen", "t", "--dry-run", "--json"))
    assert "queued" not in dry and _json(run("review", "list", "--json")) == []
    screened = _json(run("lists", "screen", "t", "--json"))
    assert screened["queued"] == 1 and screened["candidates"][0]["person"] == "p3"
    cid = str(screened["candidates"][0]["review"])
    assert _json(run("lists", "screen", "t", "--json"))["already"] == 1
    accepted = _json(run("review", "accept", cid, "--reason", "same", "--json"))
    assert len(accepted["effects"]["events_added"]) == 1
    imported = _json(
        run(
            "lists",
            "import",
            "t",
            str(FIXTURES / "fedsfm_after.html"),
            "--snapshot-date",
            "2025-01-08",
            "--json",
        )
    )
    assert len(imported["registry_events"]) == 1
    person = _json(run("person", "show", "p3", "--json"))
    assert [e["kind"] for e in person["events"]] == ["designated", "delisted"]
