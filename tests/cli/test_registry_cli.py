"""The registry CLI end to end: init, import, export, person, event, source."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from khronika.cli import cli

FIXTURE = Path(__file__).parents[1] / "fixtures" / "registry_small.ndjson"


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Run `khronika --db <tmp> ARGS…`; return (exit code, stdout, stderr)."""
    monkeypatch.setenv("KHRONIKA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KHRONIKA_USER", "tester")
    url = f"sqlite:///{tmp_path / 'k.db'}"
    runner = CliRunner()

    def _run(*args: str, input: bytes | None = None) -> tuple[int, str, str]:
        result = runner.invoke(cli, ["--db", url, *args], input=input, catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr

    code, _, _ = _run("init")
    assert code == 0
    return _run


def test_import_show_search_export(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run("import", str(FIXTURE))
    assert code == 0 and "added" in out
    code, out, _ = run("person", "show", "p1", "--json")
    shown = json.loads(out)
    assert [e["id"] for e in shown["events"]] == ["e1", "e3", "e2"]  # by effective date
    code, out, _ = run("person", "search", "ВЯРБІЦКАЯ")
    assert out.split()[0] == "p1"
    code, out, _ = run("person", "show", "p2", "--known-on", "2022-06-01", "--json")
    assert [n["name"] for n in json.loads(out)["person"]["names"]] == ["Тарас Мельнік"]
    code, _, err = run("person", "show", "p2", "--known-on", "2021-01-01")
    assert code == 1 and "no person 'p2' as known on 2021-01-01" in err
    target = tmp_path / "out.zip"
    code, _, err = run("export", "--format", "csv", "-o", str(target))
    assert code == 0 and target.stat().st_size > 0


def test_bad_file_exits_1_and_lists_every_problem(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.ndjson"
    bad.write_text('{"type":"person","id":"x","names":[]}\n{"type":"nope"}\n')
    code, out, err = run("import", str(bad))
    assert code == 1
    assert "bad.ndjson:1: names:" in err and "bad.ndjson:2: type:" in err
    assert "nothing imported" in err
    code, out, _ = run("export")
    assert out == ""


def test_event_add_and_retract(run) -> None:  # type: ignore[no-untyped-def]
    run("import", str(FIXTURE))
    code, out, err = run(
        "event",
        "add",
        "p1",
        "released",
        "2024-09",
        "--source",
        "s1",
        "--detail",
        "basis=pardon",
        "--id",
        "e9",
    )
    assert code == 0, err
    code, out, err = run(
        "event", "add", "p1", "released", "2024-09", "--source", "s1", "--detail", "basis=clemency"
    )
    assert code == 1 and "details.basis" in err
    code, out, err = run("event", "retract", "e9", "--reason", "entered twice")
    assert code == 0
    code, out, _ = run("export", "--history")
    e9 = [json.loads(line) for line in out.splitlines() if '"id":"e9"' in line]
    assert len(e9) == 1
    assert e9[0]["retraction_reason"] == "entered twice"
    assert e9[0]["recorded_by"] == e9[0]["retracted_by"] == "tester"
    code, _, err = run("event", "retract", "e9", "--reason", "again")
    assert code == 1 and "no current version" in err


def test_source_add_archives_the_file(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    doc = tmp_path / "verdict.txt"
    doc.write_bytes(b"synthetic verdict")
    code, out, err = run("source", "add", "--id", "s9", "--file", str(doc), "--title", "Verdict")
    assert code == 0, err
    import hashlib

    sha = hashlib.sha256(b"synthetic verdict").hexdigest()
    assert (
        tmp_path / "data" / "archive" / "sha256" / sha[:2] / sha
    ).read_bytes() == b"synthetic verdict"
    code, out, _ = run("export")
    source = json.loads(out.splitlines()[0])
    assert (source["id"], source["sha256"], source["visibility"]) == ("s9", sha, "restricted")


def test_unmigrated_database_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", f"sqlite:///{tmp_path / 'new.db'}", "export"])
    assert result.exit_code != 0
