"""Synthetic Belarusian↔Russian pairs of issue 13: precision and recall 1.00 on invented names.

`data/by_ru_pairs.csv` (columns as in the shared dev pairs, plus birth dates) holds the
patterns real BE/RU pairs show and the matcher once missed: word-initial яканне
(Яфімава = Ефимова), an unstressed vowel dropped or added, one consonant voiced or devoiced,
doubled consonants in given names (Іна = Инна), Ukrainian and Polish given-name forms in a
Belarusian record, and compound surnames (one part in common is not enough by name alone).
Each pattern has its negatives: different people with similar names. The note's first word
is the category.
"""

from __future__ import annotations

import collections
import csv
from pathlib import Path

import pytest

from khronika.names import Index, compare

PAIRS = Path(__file__).parent / "data" / "by_ru_pairs.csv"


def _rows() -> list[dict[str, str]]:
    with PAIRS.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _match(row: dict[str, str]) -> bool:
    return compare(
        row["a"],
        row["b"],
        mention=row["mention"] or None,
        birth_date_a=row["birth_date_a"] or None,
        birth_date_b=row["birth_date_b"] or None,
    ).match


def test_precision_and_recall() -> None:
    """Precision and recall are 1.00, and every category has positives or negatives."""
    tp = fp = fn = 0
    wrong = []
    categories: collections.Counter[str] = collections.Counter()
    for row in _rows():
        same, got = row["same_person"] == "1", _match(row)
        categories[row["note"].split(":", 1)[0]] += 1
        tp += got and same
        fp += got and not same
        fn += same and not got
        if got != same:
            wrong.append((row["a"], row["b"], row["note"]))
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert (precision, recall) == (1.0, 1.0), wrong
    assert len(categories) >= 12 and sum(categories.values()) >= 60


@pytest.mark.parametrize(
    "row",
    [r for r in _rows() if r["same_person"] == "1" and not r["birth_date_a"]],
    ids=lambda r: f"{r['a']}|{r['b']}",
)
def test_index_finds_the_true_pairs(row: dict[str, str]) -> None:
    """Screening (blocking included) finds each true pair, not only the pairwise scorer."""
    idx = Index()
    idx.add("b", row["b"])
    assert [h.key for h in idx.search(row["a"])] == ["b"]


def test_compound_part_needs_a_birth_day() -> None:
    """One part of a compound surname in common: below the threshold, a yes with the same day."""
    alone = compare("Аляксей Шыла-Новак", "Алексей Шило")
    same_day = compare(
        "Аляксей Шыла-Новак",
        "Алексей Шило",
        birth_date_a="1981-04-12",
        birth_date_b="1981-04-12",
    )
    assert not alone.match and same_day.match
    assert alone.explanation["parts"][0]["rule"] == "hyphen-part"
    assert any("compound surname" in n for n in alone.explanation["notes"])
