"""docs/names.md stays honest: every rule, system and public name of the API is documented."""

from __future__ import annotations

from pathlib import Path

import pytest

import khronika.names as names

DOC = Path(__file__).resolve().parents[2] / "docs" / "names.md"


@pytest.mark.parametrize(
    "word",
    [f"`{r}`" for r in names.RULES]
    + [f"`{s}`" for s in names.SYSTEMS]
    + [f"`{n}" for n in names.__all__ if n not in ("Hit", "Match", "ParsedName")],
)
def test_documented(word: str) -> None:
    assert word in DOC.read_text(encoding="utf-8")


def test_rule_similarities_match_the_docs() -> None:
    text = DOC.read_text(encoding="utf-8")
    for rule, (sim, _) in names.RULES.items():
        assert f"| `{rule}` | {sim:g} |" in text.replace("| 1.0 |", "| 1 |").replace(
            "| 0.0 |", "| 0 |"
        ), rule
