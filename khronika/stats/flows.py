"""Flows over a period: recognitions, releases (by basis), deaths, in-absentia convictions,
criminal prosecutions."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection

from khronika.model.events import RELEASE_BASES
from khronika.stats.maintain import ensure_spans
from khronika.stats.periods import (
    Period,
    known_on_stored,
    parse_day,
    period_end,
    period_key,
    period_start,
)
from khronika.stats.recognisers import resolve_recogniser
from khronika.storage import Database
from khronika.storage.stats import Buckets, daily_totals, flow_day_counts

__all__ = ["calendar_flows", "flows", "period_flows"]

#: The flows of docs/figures.md: (name in stats_flow, filtered by the recogniser).
_FLOWS = (
    ("recognised", True),
    ("released", True),
    ("died", True),
    ("absentia", False),
    ("prosecuted", False),
)


Counts = dict[str, dict[str, dict[str, list[int]]]]  # {flow: {period key: {attr: [rows, people]}}}


def period_flows(
    conn: Connection, buckets: Buckets, org: str, keys: list[str]
) -> dict[str, dict[str, Any]]:
    """Return the flows of each period of `buckets`, by its key (every one of `keys` present),
    counted from the flow rows."""
    step = buckets.step
    counts: Counts = {}
    for flow, by_org in _FLOWS:
        per_key = counts[flow] = {}
        for day, attr, rows, people in flow_day_counts(conn, buckets, flow, org if by_org else ""):
            key = buckets.end if step is None else period_key(day, step)
            cell = per_key.setdefault(key, {}).setdefault(attr, [0, 0])
            cell[0] += rows
            cell[1] += people
    return _assemble(counts, keys)


def calendar_flows(
    conn: Connection, periods: list[Period], step: str, org: str, *, asof: bool
) -> dict[str, dict[str, Any]]:
    """Return the flows of each period, as known now or (`asof`) at each period's end.

    Whole calendar periods are summed from the daily totals (khronika.stats.daily); a
    partial first or last period (a series from mid-month) is counted from the flow rows.
    """
    whole = [
        p
        for p in periods
        if p.start == period_start(p.start, step) and p.end == period_end(p.start, step)
    ]
    out: dict[str, dict[str, Any]] = {}
    if whole:
        rows_m, first_m = (
            ("rows", f"first:{step}") if not asof else (f"rows:asof:{step}", f"first:asof:{step}")
        )
        counts: Counts = {}
        for flow, by_org in _FLOWS:
            per_key = counts[flow] = {}
            totals = daily_totals(
                conn,
                f"flow:{flow}",
                org if by_org else "",
                (rows_m, first_m),
                whole[0].start,
                whole[-1].end,
            )
            for day, attr, measure, n in totals:
                cell = per_key.setdefault(period_key(day, step), {}).setdefault(attr, [0, 0])
                cell[0 if measure == rows_m else 1] += n
        out = _assemble(counts, [p.label for p in whole])
    for p in periods:
        if p.label not in out:
            k = known_on_stored(p.end) if asof else None
            out[p.label] = period_flows(conn, Buckets(p.start, p.end, None, k), org, [p.end])[p.end]
    return out


def _assemble(counts: Counts, keys: list[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for key in keys:
        released = counts["released"].get(key, {})
        died = counts["died"].get(key, {})
        absentia = counts["absentia"].get(key, {}).get("", [0, 0])
        out[key] = {
            "recognised": counts["recognised"].get(key, {}).get("", [0, 0])[1],
            "released": {
                "total": sum(c[0] for c in released.values()),
                "persons": sum(c[1] for c in released.values()),
                # Every basis is present, so that tables and charts line up across periods.
                "by_basis": {b: released.get(b, [0, 0])[0] for b in RELEASE_BASES},
            },
            "died": {
                "in_custody": died.get("in_custody", [0, 0])[0],
                "after_release": died.get("after_release", [0, 0])[0],
            },
            "convicted_in_absentia": {"persons": absentia[1], "cases": absentia[0]},
            "prosecuted_persons": counts["prosecuted"].get(key, {}).get("", [0, 0])[1],
        }
    return out


def flows(
    db: Database,
    date_from: str | date,
    date_to: str | date,
    *,
    known_on: str | None = None,
    by: str | None = None,
) -> dict[str, Any]:
    """Return the flows in the inclusive period [date_from, date_to] as known on `known_on`.

    Events fall in the period by their effective date (docs/figures.md). `recognised`,
    `released` and `died` are for recogniser `by` (resolved as in `figures`); in-absentia
    convictions and criminal prosecutions are not filtered by recogniser.

    Returns:
        `{"from", "to", "known_on", "by", "recognised", "released": {"total", "persons",
        "by_basis"}, "died": {"in_custody", "after_release"}, "convicted_in_absentia":
        {"persons", "cases"}, "prosecuted_persons"}`.
    """
    d1, d2 = parse_day(date_from, "from"), parse_day(date_to, "to")
    org = resolve_recogniser(db, by)
    ensure_spans(db)
    with db.connect() as conn:
        result = period_flows(conn, Buckets(d1, d2, None, known_on_stored(known_on)), org, [d2])[d2]
    return {"from": d1, "to": d2, "known_on": known_on, "by": org, **result}
