"""How dedupe judges the names of a pair: the matcher's "same", a near name, or neither.

Names the matcher calls the same earn `NAME_POINTS`; a near name (`near_name`: one letter
apart, or one side an inflected mention) earns none and needs the more evidence; names that
disagree otherwise are never proposed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from khronika.names.pairs import Scorer
from khronika.names.parse import ParsedName
from khronika.names.scoring import THRESHOLD, compare, prepare
from khronika.names.scripts import normalise_name
from khronika.registry.dedupe.evidence import Person

__all__ = ["NAME_POINTS", "NameJudgement", "judge_names", "matcher", "near_name"]

#: Points for names the matcher calls the same (a near name, one letter apart, gets none).
NAME_POINTS = 3.0
#: (points, rule, score, explanation, a's name, b's name) of a pair's best spellings.
NameJudgement = tuple[float, str, float, dict[str, Any], str, str]


def _one_slip(x: str, y: str) -> bool:
    """True when x and y differ by one letter replaced, dropped, added or two swapped."""
    if x == y or abs(len(x) - len(y)) > 1 or min(len(x), len(y)) < 3:
        return False
    if len(x) == len(y):
        diff = [i for i in range(len(x)) if x[i] != y[i]]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and x[diff[0]] == y[diff[1]]
            and x[diff[1]] == y[diff[0]]
        )
    short, long_ = sorted((x, y), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def near_name(a: str, b: str) -> str | None:
    """Say why two names the matcher keeps apart may still be one person's, or None.

    `one-letter slip`: the same words, in any order, but for one letter in one of them;
    `inflected`: one side, read as an inflected mention (a case title's genitive), matches
    the other (tried only when the names have as many words and one begins like the other's).
    """
    ta, tb = sorted(normalise_name(a).split()), sorted(normalise_name(b).split())
    if len(ta) != len(tb):
        return None
    rest_a = [t for t in ta if t not in tb]
    rest_b = [t for t in tb if t not in ta]
    if len(rest_a) == len(rest_b) == 1 and _one_slip(rest_a[0], rest_b[0]):
        return "one-letter slip"
    if not {t[:3] for t in ta if len(t) > 3} & {t[:3] for t in tb if len(t) > 3}:
        return None
    best = max(
        compare(_parsed(a, True), _parsed(b), threshold=THRESHOLD).score,
        compare(_parsed(a), _parsed(b, True), threshold=THRESHOLD).score,
    )
    return "inflected" if best >= THRESHOLD else None


@functools.lru_cache(maxsize=65_536)
def _parsed(name: str, mention: bool = False) -> ParsedName:
    return prepare(name, mention=mention)


def matcher() -> Scorer:
    """Return the name matcher as a `Scorer` that parses each spelling once (memoised)."""

    def score(
        a: str, b: str, birth_a: str | None, birth_b: str | None
    ) -> tuple[float, dict[str, Any]]:
        m = compare(_parsed(a), _parsed(b), birth_date_a=birth_a, birth_date_b=birth_b)
        return float(m.score), dict(m.explanation)

    return score


def judge_names(
    a: Person,
    b: Person,
    scorer: Scorer,
    threshold: float,
    near: Callable[[str, str], str | None],
) -> NameJudgement | None:
    """Return (points, rule, score, explanation, a's name, b's name) of the best spellings."""
    (score, expl), x, y = max(
        ((scorer(x, y, a.birth_date, b.birth_date), x, y) for x in a.names for y in b.names),
        key=lambda t: t[0][0],
    )
    if score >= threshold:
        return NAME_POINTS, "same", score, expl, x, y
    for x2 in a.names:
        for y2 in b.names:
            rule = near(x2, y2)
            if rule is not None:
                return 0.0, rule, score, expl, x2, y2
    return None
