"""The pipeline on the labelled synthetic set: the issue's floors, per language.

The set (tests/fixtures/media/eval.jsonl, written by bench/media_eval_set.py) has Russian
and Belarusian items, names in three cases, lone surnames, officials beside targets and
people recorded in one script named in the other.
"""

from __future__ import annotations

import pytest

from bench.media import eval_analyser, load_eval, score


@pytest.fixture(scope="module")
def metrics() -> dict[str, dict[str, float]]:
    registry, items = load_eval()
    return score(items, eval_analyser(registry))


@pytest.mark.parametrize("lang", ["ru", "be"])
@pytest.mark.parametrize(
    ("metric", "floor"),
    [
        ("mention_recall", 0.95),
        ("linking_precision", 0.95),
        ("narrative_f1", 0.90),
        ("targeting_accuracy", 0.90),
    ],
)
def test_floor(metrics: dict[str, dict[str, float]], lang: str, metric: str, floor: float) -> None:
    assert metrics[lang]["mentions"] >= 60
    assert metrics[lang][metric] >= floor, metrics[lang]


def test_the_set_is_big_enough() -> None:
    _, items = load_eval()
    assert len(items) >= 80
    assert {i["lang"] for i in items} == {"ru", "be"}
