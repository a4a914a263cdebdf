"""docs/review.md names every review command and the storage it describes exists."""

from __future__ import annotations

from pathlib import Path

import pytest

from khronika.cli import cli
from khronika.storage.schema import metadata

DOC = (Path(__file__).resolve().parents[2] / "docs" / "review.md").read_text()
REVIEW = cli.commands["review"]


@pytest.mark.parametrize("verb", sorted(REVIEW.commands))  # type: ignore[attr-defined]
def test_every_review_command_is_documented(verb: str) -> None:
    assert f"`khronika review {verb}" in DOC


@pytest.mark.parametrize("table", ["review_candidate", "review_judgement"])
def test_tables_are_documented(table: str) -> None:
    assert table in metadata.tables and f"`{table}`" in DOC


def test_dedupe_is_documented() -> None:
    assert "`khronika names dedupe" in DOC and "dedupe" in cli.commands["names"].commands  # type: ignore[attr-defined]
