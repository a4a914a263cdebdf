"""Flows over a period: recognitions, releases (by basis), deaths, in-absentia convictions,
criminal prosecutions."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection

from khronika.model.events import RELEASE_BASES
from khronika.stats.maintain import ensure_spans
from khronika.stats.periods import known_on_stored, parse_day
from khronika.stats.recognisers import resolve_recogniser
from khronika.storage import Database
from khronika.storage.stats import Buckets, flow_day_counts

__all__ = ["flows", "period_flows"]

#: The flows of docs/figures.md: (name in stats_flow, filtered by the recogniser).
_FLOWS = (
    ("recognised", True),
    ("released", True),
    ("died", True),
    ("absentia", False),
    ("prosecuted", False),
)


def period_flows(
    conn: Connection, buckets: Buckets, org: str, keys: list[str]
) -> dict[str, dict[str, Any]]:
    """Return the flows of each period of `buckets`, by its key (every one of `keys` present)."""
    # {flow: {period key: {attr: [rows, people]}}}
    counts: dict[str, dict[str, dict[str, list[int]]]] = {}
    for flow, by_org in _FLOWS:
        per_key = counts[flow] = {}
        for day, attr, rows, people in flow_day_counts(conn, buckets, flow, org if by_org else ""):
            cell = per_key.setdefault(buckets.key_of(day), {}).setdefault(attr, [0, 0])
            cell[0] += rows
            cell[1] += people
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
