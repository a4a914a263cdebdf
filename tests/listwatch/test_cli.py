"""`khronika lists …` end to end on a SQLite file: the contract's commands and JSON shapes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from khronika.cli import cli
from khronika.errors import KhronikaError
from khronika.listwatch.formats import by_special_proceedings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists"


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("KHRONIKA_DATA_DIR", str(tmp_path / "data"))
    url = f"sqlite:///{tmp_path / 'k.db'}"
    runner = CliRunner()

    def invoke(*args: str, ok: bool = True):
        # Errors are KhronikaError (run_cli turns them into a message and exit code 1) or
        # click errors; both leave a non-zero exit code here.
        result = runner.invoke(cli, ["--db", url, *args], catch_exceptions=not ok)
        assert (result.exit_code == 0) == ok, result.output
        if not ok:
            assert result.exception is None or isinstance(
                result.exception, KhronikaError | SystemExit
            )
        return result

    invoke("init")
    return invoke


def test_add_import_diff_json(run, tmp_path: Path) -> None:
    run(
        "lists",
        "add",
        "sdn",
        "--title",
        "SDN",
        "--issuer",
        "OFAC",
        "--country",
        "US",
        "--format",
        "us-ofac-sdn-csv",
    )
    src = (FIXTURES / "sdn.csv").read_text()
    old = tmp_path / "old.csv"
    old.write_text("\n".join(src.splitlines()[:2]) + "\n")
    run("lists", "import", "sdn", str(old), "--snapshot-date", "2021-12-02T01:41")
    out = run(
        "lists",
        "import",
        "sdn",
        str(FIXTURES / "sdn.csv"),
        "--snapshot-date",
        "2021-12-02T18:50",
        "--json",
    ).output
    assert json.loads(out)["added"] == 2
    data = json.loads(
        run(
            "lists",
            "diff",
            "sdn",
            "--from",
            "2021-12-02T01:41",
            "--to",
            "2021-12-02T18:50",
            "--json",
        ).output
    )
    assert set(data) == {"list", "from", "to", "added", "removed", "changed"}
    assert data["list"] == "sdn" and data["from"] < data["to"]
    assert sorted(e["source_id"] for e in data["added"]) == ["102", "103"]
    for entry in data["added"]:
        assert {"key", "name", "birth_date", "source_id"} <= set(entry)
    key = data["added"][0]["key"]
    history = json.loads(run("lists", "history", "sdn", key).output)
    assert history["first_seen"] == data["to"]
    stats = json.loads(run("lists", "stats", "sdn", "--json").output)
    assert [s["entry_count"] for s in stats["snapshots"]] == [2, 4]
    assert "<feed" in run("lists", "feed", "sdn").output
    exported = [json.loads(line) for line in run("lists", "export", "sdn").output.splitlines()]
    assert len(exported) == 4 and {e["snapshot"] for e in exported} == {data["to"]}
    lines = [json.loads(x) for x in run("lists", "deltas", "sdn").output.splitlines()]
    assert [(d["date"], d["op"]) for d in lines] == [("2021-12-02", "added")] * 2


def test_table_list_with_mapping(run, tmp_path: Path) -> None:
    from .synthetic import make_xlsx, persons_table

    run(
        "lists",
        "add",
        "by-mvd",
        "--title",
        "MVD",
        "--issuer",
        "MVD of Belarus",
        "--country",
        "BY",
        "--format",
        "table",
        "--mapping",
        "by-mvd-extremists",
    )
    path = tmp_path / "mvd.2024-01-01.xlsx"
    path.write_bytes(make_xlsx(*persons_table()))
    out = run("lists", "import", "by-mvd", str(path), "--json").output
    assert json.loads(out)["entries"] == 4


@pytest.mark.parametrize(
    "args",
    [
        ("lists", "import", "nope", "x.html"),
        ("lists", "diff", "nope", "--json"),
        ("lists", "history", "nope", "k"),
        ("lists", "screen", "nope"),
    ],
)
def test_errors_exit_non_zero(run, tmp_path: Path, args: tuple[str, ...]) -> None:
    (tmp_path / "x.html").write_text("<html></html>")
    run(*[str(tmp_path / a) if a == "x.html" else a for a in args], ok=False)


def test_help_has_examples(run) -> None:
    for command in (
        "add",
        "import",
        "diff",
        "history",
        "stats",
        "feed",
        "screen",
        "formats",
        "export",
        "deltas",
    ):
        assert "Example:" in run("lists", command, "--help").output


def test_import_a_folder_of_announcements(run, tmp_path: Path) -> None:
    """`lists import ID FOLDER`: a format that reads folders takes them; others say why not."""
    fmt = {"sp": "by-special-proceedings", "sdn": "us-ofac-sdn-csv"}
    for lid, name in fmt.items():
        run(
            "lists",
            "add",
            lid,
            "--title",
            lid,
            "--issuer",
            "I",
            "--country",
            "BY",
            "--format",
            name,
        )
    folder = tmp_path / "announcements"
    folder.mkdir()
    (folder / "a.html").write_bytes((FIXTURES / "by_special_proceedings.html").read_bytes())
    (folder / "b.txt").write_bytes((FIXTURES / "by_special_proceedings.txt").read_bytes())
    report = json.loads(run("lists", "import", "sp", str(folder), "--json").output)
    named = {
        e.name
        for f in ("a.html", "b.txt")
        for e in by_special_proceedings.parse((folder / f).read_bytes()).entries
    }
    assert report["entries"] == len(named) > 0
    refused = run("lists", "import", "sdn", str(folder), ok=False)
    assert "reads one file, not a folder" in refused.output
