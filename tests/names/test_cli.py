"""`khronika names compare|variants`: the JSON contract and the help texts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from khronika.cli import cli


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_compare_json_shape() -> None:
    out = json.loads(run("names", "compare", "Ганна Кандыбовіч", "Hanna Kandybovich", "--json"))
    assert set(out) == {"a", "b", "score", "match", "explanation"}
    assert out["match"] is True and 0 <= out["score"] <= 1
    assert out["explanation"]["parts"][0]["part"] == "surname"


def test_compare_mention() -> None:
    out = json.loads(
        run("names", "compare", "Анны Кандыбович", "Ганна Кандыбовіч", "--mention", "a", "--json")
    )
    assert out["explanation"]["a"]["inflected"]


def test_compare_text_output() -> None:
    out = run("names", "compare", "Ганна Кандыбовіч", "Галіна Кандыбовіч")
    assert "not the same person" in out and "given" in out


def test_compare_pairs_in_input_order(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(
        "id,a,b,mention,note\n"
        "1,Ганна Кандыбовіч,Hanna Kandybovich,,x\n"
        "2,Ганна Кандыбовіч,Галіна Кандыбовіч,,x\n"
        "3,Анны Кандыбович,Ганна Кандыбовіч,a,x\n",
        encoding="utf-8",
    )
    out = json.loads(run("names", "compare", "--pairs", str(pairs), "--json"))
    assert [o["match"] for o in out] == [True, False, True]
    assert [o["b"] for o in out] == ["Hanna Kandybovich", "Галіна Кандыбовіч", "Ганна Кандыбовіч"]


def test_compare_needs_two_names() -> None:
    result = CliRunner().invoke(cli, ["names", "compare", "Ганна"])
    assert result.exit_code != 0


def test_variants() -> None:
    out = json.loads(run("names", "variants", "Ганна Кандыбовіч", "--json"))
    assert out["transliterations"]["be/passport"] == "Hanna Kandybovich"
    assert "Анна" in out["given_name_forms"]


@pytest.mark.parametrize("command", [["names"], ["names", "compare"], ["names", "variants"]])
def test_help_has_an_example(command: list[str]) -> None:
    out = run(*command, "--help")
    assert "Example" in out and "khronika names" in out
