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
from khronika.storage.stats import (
    Buckets,
    flow_absentia,
    flow_died,
    flow_prosecuted,
    flow_recognised,
    flow_released,
)

__all__ = ["flows", "period_flows"]


def period_flows(conn: Connection, buckets: Buckets, org: str) -> dict[str, dict[str, Any]]:
    """Return the flows of every period of `buckets`, keyed by period end (every end present)."""
    recognised = flow_recognised(conn, buckets, org)
    released, released_persons = flow_released(conn, buckets, org)
    died = flow_died(conn, buckets, org)
    absentia = flow_absentia(conn, buckets)
    prosecuted = flow_prosecuted(conn, buckets)
    out: dict[str, dict[str, Any]] = {}
    for end in buckets.ends:
        bases = released.get(end, {})
        deaths = died.get(end, {})
        persons, cases = absentia.get(end, (0, 0))
        out[end] = {
            "recognised": recognised.get(end, 0),
            "released": {
                "total": sum(bases.values()),
                "persons": released_persons.get(end, 0),
                # Every basis is present, so that tables and charts line up across periods.
                "by_basis": {b: bases.get(b, 0) for b in RELEASE_BASES},
            },
            "died": {
                "in_custody": deaths.get("in_custody", 0),
                "after_release": deaths.get("after_release", 0),
            },
            "convicted_in_absentia": {"persons": persons, "cases": cases},
            "prosecuted_persons": prosecuted.get(end, 0),
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
        result = period_flows(conn, Buckets(d1, [d2], known_on_stored(known_on)), org)[d2]
    return {"from": d1, "to": d2, "known_on": known_on, "by": org, **result}
