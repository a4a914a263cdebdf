"""The `khronika stats` commands: the JSON contract of issue 3, CSV, charts, recogniser choice."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner

from khronika.cli import cli
from khronika.storage import Database


def run(db: Database, *args: str, env: dict[str, str] | None = None) -> Any:
    """Run `khronika --db URL stats ARGS` against `db`; return the click result."""
    environ = {"KHRONIKA_DEFAULT_RECOGNISER": "", **(env or {})}
    if db.schema:
        environ["PGOPTIONS"] = f"-csearch_path={db.schema}"
    return CliRunner().invoke(cli, ["--db", db.url, "stats", *args], env=environ)


def test_figures_json_contract(scenario_db: Database) -> None:
    r = run(scenario_db, "figures", "--as-of", "2025-05-01", "--by", "ra", "--json")
    assert r.exit_code == 0, r.output
    got = orjson.loads(r.output)
    assert {
        "as_of",
        "known_on",
        "by",
        "political_prisoners",
        "by_sex",
        "by_region",
        "by_article",
        "in_custody_total",
    } <= set(got)
    # Values from tests/stats/test_scenario.py (worked out there by hand).
    assert (got["as_of"], got["known_on"], got["by"]) == ("2025-05-01", None, "ra")
    assert got["political_prisoners"] == 13
    assert got["by_sex"] == {"f": 5, "m": 7, "unknown": 1}
    assert got["by_region"]["unknown"] == 1 and got["by_article"]["342"] == 4
    assert got["in_custody_total"] == 15


def test_figures_known_on_and_retroactive(scenario_db: Database) -> None:
    r = run(
        scenario_db,
        "figures",
        "--as-of",
        "2024-03-01",
        "--known-on",
        "2024-03-01",
        "--by",
        "ra",
        "--retroactive",
        "--json",
    )
    got = orjson.loads(r.output)
    assert got["known_on"] == "2024-03-01" and got["political_prisoners"] == 14


def test_flows_json_contract(scenario_db: Database) -> None:
    r = run(
        scenario_db,
        "flows",
        "--from",
        "2024-01-01",
        "--to",
        "2024-12-31",
        "--known-on",
        "2024-09-15",
        "--by",
        "ra",
        "--json",
    )
    assert r.exit_code == 0, r.output
    got = orjson.loads(r.output)
    assert got["recognised"] == 3
    assert set(got["released"]) == {"total", "persons", "by_basis"}
    assert got["released"]["total"] == 2 and got["released"]["by_basis"]["pardon"] == 2
    assert got["died"] == {"in_custody": 1, "after_release": 0}
    assert got["convicted_in_absentia"] == {"persons": 1, "cases": 1}
    assert got["prosecuted_persons"] == 3


def test_series_json_contract(scenario_db: Database) -> None:
    r = run(
        scenario_db,
        "series",
        "--from",
        "2024-01-01",
        "--to",
        "2024-04-15",
        "--step",
        "month",
        "--by",
        "ra",
        "--known-on",
        "asof",
        "--json",
    )
    assert r.exit_code == 0, r.output
    points = orjson.loads(r.output)["points"]
    assert [p["period"] for p in points] == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert points[-1]["from"] == "2024-04-01" and points[-1]["to"] == "2024-04-15"
    for p in points:
        assert {
            "period",
            "from",
            "to",
            "political_prisoners",
            "recognised",
            "released",
            "died",
        } <= set(p)
    assert [p["political_prisoners"] for p in points] == [14, 14, 14, 13]


def test_series_csv(scenario_db: Database) -> None:
    r = run(
        scenario_db,
        "series",
        "--from",
        "2024-01-01",
        "--to",
        "2024-12-31",
        "--step",
        "quarter",
        "--by",
        "ra",
        "--csv",
    )
    rows = list(csv.DictReader(io.StringIO(r.output)))
    assert [row["period"] for row in rows] == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]
    assert [int(row["political_prisoners"]) for row in rows] == [14, 14, 13, 11]


@pytest.mark.parametrize(
    ("chart", "lang", "suffix"), [("prisoners", "be", "png"), ("flows", "ru", "svg")]
)
def test_series_chart(
    scenario_db: Database, tmp_path: Path, chart: str, lang: str, suffix: str
) -> None:
    out = tmp_path / f"chart.{suffix}"
    r = run(
        scenario_db,
        "series",
        "--from",
        "2023-01-01",
        "--to",
        "2025-06-30",
        "--by",
        "ra",
        "--chart",
        chart,
        "--lang",
        lang,
        f"--{suffix}",
        str(out),
    )
    assert r.exit_code == 0, r.output
    data = out.read_bytes()
    if suffix == "png":
        assert data.startswith(b"\x89PNG")
    else:
        text = data.decode()
        assert text.lstrip().startswith("<?xml") and "<svg" in text


def test_several_recognisers_are_listed(scenario_db: Database) -> None:
    r = run(scenario_db, "figures", "--as-of", "2025-05-01", "--json")
    # run_cli (the console script) prints khronika's errors as `error: …`; here it is raised.
    message = r.output + str(r.exception)
    assert r.exit_code == 1
    assert "2 recognisers" in message and "ra (" in message and "rb (" in message


def test_default_recogniser_setting(scenario_db: Database) -> None:
    r = run(
        scenario_db,
        "figures",
        "--as-of",
        "2025-05-01",
        "--json",
        env={"KHRONIKA_DEFAULT_RECOGNISER": "rb"},
    )
    got = orjson.loads(r.output)
    assert (got["by"], got["political_prisoners"]) == ("rb", 3)


def test_unknown_recogniser(scenario_db: Database) -> None:
    r = run(scenario_db, "flows", "--from", "2024-01-01", "--to", "2024-12-31", "--by", "nobody")
    assert r.exit_code == 1 and "not a recogniser" in r.output + str(r.exception)


@pytest.mark.parametrize("command", ["figures", "flows", "series", "rebuild"])
def test_help_has_an_example(command: str) -> None:
    r = CliRunner().invoke(cli, ["stats", command, "--help"])
    assert r.exit_code == 0 and "Example:" in r.output and "khronika stats" in r.output
