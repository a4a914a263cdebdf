"""Time series: the stock at the end of each calendar step and the flows within it."""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
from itertools import accumulate
from typing import Any

from sqlalchemy import Connection

from khronika.errors import InvalidValue
from khronika.stats.flows import calendar_flows, period_flows
from khronika.stats.maintain import ensure_spans
from khronika.stats.periods import known_on_stored, periods
from khronika.stats.recognisers import resolve_recogniser
from khronika.storage import Database
from khronika.storage.stats import Buckets, daily_totals, span_day_counts

__all__ = ["series"]

ASOF = "asof"


def _stock_at(days: list[tuple[str, int]], ends: list[tuple[str, int]], at: list[str]) -> list[int]:
    """The stock on each day of `at`: spans begun by then minus spans ended by then."""
    days.sort()
    ends.sort()
    start_days, start_sum = [d for d, _ in days], list(accumulate(n for _, n in days))
    end_days, end_sum = [d for d, _ in ends], list(accumulate(n for _, n in ends))
    out = []
    for d in at:
        i, j = bisect_right(start_days, d), bisect_right(end_days, d)
        out.append((start_sum[i - 1] if i else 0) - (end_sum[j - 1] if j else 0))
    return out


def _daily_counts(
    conn: Connection, state: str, org: str, until: str, asof: bool
) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """(starts, ends) per day of the spans of `state`, from the daily totals."""
    begin, end = ("asof_starts", "asof_ends") if asof else ("starts", "ends")
    starts: list[tuple[str, int]] = []
    ends: list[tuple[str, int]] = []
    for day, _, measure, n in daily_totals(conn, f"span:{state}", org, (begin, end), "", until):
        (starts if measure == begin else ends).append((day, n))
    return starts, ends


def series(
    db: Database,
    date_from: str | date,
    date_to: str | date,
    *,
    step: str = "month",
    by: str | None = None,
    known_on: str | None = None,
    with_flows: bool = True,
) -> dict[str, Any]:
    """Return one point per calendar step in [date_from, date_to] (docs/figures.md).

    Args:
        db: the database.
        date_from: D1, the first day of the first step.
        date_to: D2, the last day of the last step (a partial last step ends here).
        step: `month`, `quarter` or `year`.
        by: the recogniser (resolved as in `figures`).
        known_on: K (date or timestamp), None for now, or `"asof"`: each point as known at
            the end of its own last day ("as known then").
        with_flows: False leaves the flows out (the stock alone is much cheaper).

    Returns:
        `{"from", "to", "step", "by", "known_on", "points": [{"period", "from", "to",
        "political_prisoners", "in_custody_total", "recognised", "released", "died",
        "convicted_in_absentia", "prosecuted_persons"}, …]}` with the stock at each step's end.
    """
    steps = periods(str(date_from), str(date_to), step)
    asof = known_on == ASOF
    if known_on is not None and not asof and known_on.lower() == ASOF:
        raise InvalidValue("known_on: write 'asof' in lower case")
    k = None if asof else known_on_stored(known_on)
    org = resolve_recogniser(db, by)
    ensure_spans(db)
    ends = [p.end for p in steps]
    with db.connect() as conn:
        if asof or k is None:
            # As known now or then: whole days and periods come from the daily totals.
            prisoners = _stock_at(*_daily_counts(conn, "prisoner", org, ends[-1], asof), ends)
            custody = _stock_at(*_daily_counts(conn, "custody", "", ends[-1], asof), ends)
        else:
            prisoners = _stock_at(*span_day_counts(conn, "prisoner", org, ends[-1], k), ends)
            custody = _stock_at(*span_day_counts(conn, "custody", "", ends[-1], k), ends)
        labels = [p.label for p in steps]
        if not with_flows:
            flows: dict[str, dict[str, Any]] = {x: {} for x in labels}
        elif asof or k is None:
            flows = calendar_flows(conn, steps, step, org, asof=asof)
        else:
            flows = period_flows(conn, Buckets(steps[0].start, ends[-1], step, k), org, labels)
    points = [
        {
            "period": p.label,
            "from": p.start,
            "to": p.end,
            "political_prisoners": prisoners[i],
            "in_custody_total": custody[i],
            **flows[p.label],
        }
        for i, p in enumerate(steps)
    ]
    return {
        "from": steps[0].start,
        "to": steps[-1].end,
        "step": step,
        "by": org,
        "known_on": known_on,
        "points": points,
    }
