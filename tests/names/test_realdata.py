"""Issue 4's targets on the shared real data (read in place, never copied)."""

from __future__ import annotations

import collections
import csv
import itertools
import json
import re
from pathlib import Path

import pytest

from khronika.names.scoring import compare

pytestmark = pytest.mark.realdata

TARGET = "Владимир Владимирович Путин"
_CYR_OR_LAT_WORD = re.compile(r"[A-Za-z\u00c0-\u024f\u0400-\u04ff\u0300-\u036f.,'’-]+")


def test_dev_pairs(names_data: Path) -> None:
    """Precision and recall ≥ 0.97, at most one error in any category."""
    tp = fp = fn = 0
    errors: collections.Counter[str] = collections.Counter()
    wrong = []
    with (names_data / "dev_pairs.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            m = compare(row["a"], row["b"], mention=row["mention"] or None)
            same = row["same_person"] == "1"
            category = row["note"].split(":", 1)[0]
            if m.match and same:
                tp += 1
            elif m.match != same:
                fp += m.match
                fn += not m.match
                errors[category] += 1
                wrong.append((row["a"], row["b"], m.score))
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= 0.97 and recall >= 0.97, wrong
    assert max(errors.values(), default=0) <= 1, errors


def test_russian_prisoners_every_two_spellings(names_data: Path) -> None:
    data = json.loads((names_data / "ru_political_prisoners_name_variants.json").read_text("utf-8"))
    results = [
        compare(x, y).match for p in data["pairs"] for x, y in itertools.combinations(p.values(), 2)
    ]
    assert len(results) == 51
    assert sum(results) / len(results) >= 0.95


def test_putin_spellings(names_data: Path) -> None:
    lines = (names_data / "opensanctions" / "putin_names.txt").read_text("utf-8").splitlines()
    usable = [
        ln.strip()
        for ln in lines
        if len(ln.split()) >= 2 and all(_CYR_OR_LAT_WORD.fullmatch(w) for w in ln.split())
    ]
    assert len(usable) >= 50
    recall = sum(compare(ln, TARGET).match for ln in usable) / len(usable)
    assert recall >= 0.95


def test_un_list_variants(names_data: Path) -> None:
    """Not a target of issue 4 (non-Slavic names): a regression guard for typos and order."""
    folder = names_data / "opensanctions"
    with (folder / "positives_un_untreated.csv").open(encoding="utf-8") as f:
        original = [r["full_name"] for r in csv.DictReader(f)]
    with (folder / "positives_un_treated.csv").open(encoding="utf-8") as f:
        treated = [r["full_name"] for r in csv.DictReader(f)]
    assert len(original) == len(treated) > 600
    recall = sum(compare(t, o).match for t, o in zip(treated, original, strict=True)) / len(
        original
    )
    assert recall >= 0.95
    shifted = sum(compare(t, o).match for t, o in zip(treated[1:], original[:-1], strict=True))
    assert shifted == 0
