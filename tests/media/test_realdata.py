"""Real media samples from ../shared/data/media (read from there, never copied)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from khronika.media import Analyser, ingest_items, list_item_reports, read_items
from khronika.storage import Database

pytestmark = pytest.mark.realdata


def test_the_54_corus_articles_import(shared_data: Path, db: Database) -> None:
    items, problems = read_items(shared_data / "media" / "ru-corus" / "data" / "ods")
    assert problems == []
    assert len(items) == 54
    report = ingest_items(db, items)
    assert (report.added, report.duplicates, report.problems) == (54, 0, [])
    stored = list_item_reports(db)
    assert len(stored) == 54
    outlets = {i["outlet"] for i in stored}
    assert {"ria", "tass", "rt"} <= outlets  # the shipped state outlets, from their domains
    assert all(i["lang"] == "ru" for i in stored)
    again = ingest_items(db, items)
    assert (again.added, again.unchanged) == (0, 54)


def test_the_hand_labelled_excerpts(shared_data: Path) -> None:
    """Narratives and named people on real excerpts (8 items: too few to tune on)."""
    path = shared_data / "media" / "real-excerpts" / "items.jsonl"
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]
    analyser = Analyser()
    tp = fp = fn = found = wanted = 0
    for row in rows:
        got = analyser.analyse(row["text"])
        tags = {n.tag for n in got.narratives}
        tp, fp, fn = (
            tp + len(tags & set(row["narratives"])),
            fp + len(tags - set(row["narratives"])),
            fn + len(set(row["narratives"]) - tags),
        )
        surfaces = {m.text for m in got.mentions}
        for p in row["persons"]:
            for form in p["as_written"]:
                wanted += 1
                found += form in surfaces
    recall = found / wanted
    f1 = 2 * tp / (2 * tp + fp + fn)
    # Measured 2026-12-06 (see docs/media.md); the floors keep a regression visible.
    assert recall >= 0.7, recall
    assert f1 >= 0.7, f1
