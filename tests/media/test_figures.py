"""Campaign figures: pure functions of item reports (every item here is invented)."""

from __future__ import annotations

import pytest

from khronika.errors import InvalidValue
from khronika.media.figures import narrative_series, period_of, targeted_series


def item(published: str | None, outlet: str, tags: list[str], targeted: list[str]) -> dict:
    return {
        "published": published,
        "outlet": outlet,
        "narratives": [{"tag": t, "evidence": t} for t in tags + tags],  # a tag twice: one item
        "mentions": [{"person": p, "targeted": True} for p in targeted]
        + [{"person": "p-official", "targeted": False}, {"person": None, "targeted": True}],
    }


ITEMS = [
    item("2025-01-06", "belta", ["fugitives", "in_absentia"], ["p1", "p2"]),
    item("2025-01-07T09:00:00+03:00", "ont", ["fugitives"], ["p1"]),
    item("2025-02", "belta", ["fugitives"], ["p3"]),
    item("2025-03-01", "sb", ["amnesty"], []),  # after the range
    item(None, "sb", ["fugitives"], ["p9"]),
]


@pytest.mark.parametrize(
    ("published", "step", "period"),
    [
        ("2025-01-06", "week", "2025-W02"),
        ("2024-12-30", "week", "2025-W01"),  # ISO weeks cross years
        ("2025-02", "month", "2025-02"),
        ("2025", "month", "2025-01"),
    ],
)
def test_period_of(published: str, step: str, period: str) -> None:
    assert period_of(published, step) == period


def test_narratives_per_month_count_items_with_zeros() -> None:
    got = narrative_series(ITEMS, date_from="2025-01-01", date_to="2025-02-28", step="month")
    assert got["undated"] == 1
    assert {(r["period"], r["narrative"]): r["items"] for r in got["rows"]} == {
        ("2025-01", "fugitives"): 2,
        ("2025-01", "in_absentia"): 1,
        ("2025-02", "fugitives"): 1,
        ("2025-02", "in_absentia"): 0,
    }


def test_narratives_by_outlet() -> None:
    got = narrative_series(
        ITEMS, date_from="2025-01-01", date_to="2025-01-31", step="month", by_outlet=True
    )
    cells = {(r["narrative"], r["outlet"]): r["items"] for r in got["rows"]}
    assert cells[("fugitives", "belta")] == 1 and cells[("fugitives", "ont")] == 1
    assert cells[("in_absentia", "ont")] == 0


def test_distinct_people_targeted_per_month() -> None:
    got = targeted_series(ITEMS, date_from="2025-01-01", date_to="2025-03-31")
    assert [(r["period"], r["people"]) for r in got["rows"]] == [
        ("2025-01", 2),
        ("2025-02", 1),
        ("2025-03", 0),
    ]


def test_bad_step_and_range() -> None:
    with pytest.raises(InvalidValue):
        narrative_series(ITEMS, date_from="2025-01-01", date_to="2025-01-31", step="day")
    with pytest.raises(InvalidValue):
        targeted_series(ITEMS, date_from="2025-02-01", date_to="2025-01-01")
