"""Scorers for proposing pairs to the review queue: two names (and birth dates) to a score.

`default_scorer` is the name matcher (`khronika.names.compare`, across scripts and
inflections); `standin_score` is the interim token rules, kept as a cheap baseline for
tests and benchmarks.
"""

from __future__ import annotations

from collections.abc import Callable
from difflib import SequenceMatcher
from typing import Any

from khronika.names.scoring import THRESHOLD, compare
from khronika.names.scripts import normalise_name

__all__ = [
    "STANDIN_THRESHOLD",
    "Scorer",
    "compare_birth_dates",
    "default_scorer",
    "default_threshold",
    "standin_score",
]

#: Compares two names (and birth dates, partial or None): (score in [0, 1], explanation).
Scorer = Callable[[str, str, str | None, str | None], tuple[float, dict[str, Any]]]

#: The stand-in's "same" threshold (the lists watch's interim screening threshold).
STANDIN_THRESHOLD = 0.9


def standin_score(
    name_a: str, name_b: str, birth_a: str | None = None, birth_b: str | None = None
) -> tuple[float, dict[str, Any]]:
    """Score two names with the interim token rules.

    Same tokens in any order → 1.0; one name's 2+ tokens all in the other → 0.9; else
    string similarity. An equal birth date adds 0.05; a different one gives 0.
    """
    a, b = normalise_name(name_a), normalise_name(name_b)
    ta, tb = a.split(), b.split()
    short, long_ = sorted((set(ta), set(tb)), key=len)
    if sorted(ta) == sorted(tb):
        score, rule = 1.0, "same-tokens"
    elif len(short) >= 2 and short <= long_:
        score, rule = 0.9, "tokens-contained"
    else:
        score, rule = SequenceMatcher(None, a, b).ratio(), "similarity"
    dates = compare_birth_dates(birth_a, birth_b)
    if dates == "different":
        score = 0.0
    elif dates == "same":
        score = min(1.0, score + 0.05)
    return round(score, 4), {"scorer": "standin", "a": a, "b": b, "rule": rule, "birth_date": dates}


def compare_birth_dates(a: str | None, b: str | None) -> str:
    """Compare two partial birth dates: `unknown`, `same`, `compatible` or `different`.

    `unknown` when either is missing; `compatible` when one is a prefix of the other
    (`1984` and `1984-03-02`).
    """
    if a is None or b is None:
        return "unknown"
    if a == b:
        return "same"
    return "compatible" if a.startswith(b) or b.startswith(a) else "different"


def default_scorer() -> Scorer:
    """Return the name matcher as a `Scorer`."""

    def score(
        a: str, b: str, birth_a: str | None, birth_b: str | None
    ) -> tuple[float, dict[str, Any]]:
        m = compare(a, b, birth_date_a=birth_a, birth_date_b=birth_b)
        return float(m.score), dict(m.explanation)

    return score


def default_threshold() -> float:
    """Return the score from which `default_scorer` says "same" (the matcher's THRESHOLD)."""
    return float(THRESHOLD)
