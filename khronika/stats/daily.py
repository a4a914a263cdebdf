"""Daily totals of the figures cache: what a series reads instead of scanning every row.

A monthly series over six years would otherwise read every span and flow row of those
years (1.7M prosecution rows at a million people), evaluating "known then" and "first of
the person in this period" row by row. Both only depend on the row and on the calendar
period of its day, so they can be counted once per day, when the rows are derived:

* spans (`prisoner` of each recogniser, `custody`): `starts` / `ends` — current spans
  beginning / ending that day; `asof_starts` / `asof_ends` — the same for the "as known
  then" bounds [af, at) (see `schema.stats`); for custody also `corner+` / `corner-` by
  day recorded (`attr`), from which the stock on any day as known at the end of any day
  is a sum;
* flows: `rows` and `first:<step>` — current rows of that day, and those that are the
  person's first of the flow in the day's month / quarter / year (`prev` in an earlier
  period); `rows:asof:<step>` and `first:asof:<step>` — the same among the rows known at
  the end of the day's calendar period ("as known then").

Totals are keyed (what, org, day, attr, measure), `what` being `span:<state>` or
`flow:<flow>`. Everything here is pure; `khronika.stats.maintain` stores the totals with the
rows, and keeps them equal to a recount (tested).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from itertools import chain
from typing import Any

from khronika.model.dates import END_TS
from khronika.stats.periods import STEPS, period_end, period_key

__all__ = ["DailyKey", "contributions", "deltas", "keys_of"]

#: (what, org, day, attr, measure)
DailyKey = tuple[str, str, str, str, str]
#: Span states whose stock a series follows.
_STOCK_STATES = frozenset(("prisoner", "custody"))


def _known_at_end_of(day: str, tf: str, tt: str) -> bool:
    """A row [tf, tt) is known at the end of `day` (UTC): recorded by then, not retracted."""
    return tf[:10] <= day and (tt == END_TS or tt[:10] > day)


def _span(row: Mapping[str, Any]) -> Iterator[DailyKey]:
    if row["state"] not in _STOCK_STATES:
        return
    what, org = f"span:{row['state']}", row["org"]
    vf, vt, tt = row["vf"], row["vt"], row["tt"]
    if tt == END_TS:
        yield what, org, vf, "", "starts"
        yield what, org, vt, "", "ends"
    if row["af"] < row["at"]:
        yield what, org, row["af"], "", "asof_starts"
        yield what, org, row["at"], "", "asof_ends"
    if row["state"] == "custody":
        # The corners of the span in (valid day, day recorded): it holds on D as known at
        # the end of day K exactly when vf <= D < vt and tf <= K < tt, which is
        # [vf<=D][tf<=K] - [vt<=D][tf<=K] - [vf<=D][tt<=K] + [vt<=D][tt<=K]; summing the
        # corners with day <= D and attr (day recorded) <= K counts the stock for any K.
        tf_day = row["tf"][:10]
        yield what, org, vf, tf_day, "corner+"
        yield what, org, vt, tf_day, "corner-"
        if tt != END_TS:
            yield what, org, vf, tt[:10], "corner-"
            yield what, org, vt, tt[:10], "corner+"


def _flow(row: Mapping[str, Any]) -> Iterator[DailyKey]:
    what, org, day, attr = f"flow:{row['flow']}", row["org"], row["day"], row["attr"]
    prev, tf, tt = row["prev"], row["tf"], row["tt"]
    current = tt == END_TS
    if current:
        yield what, org, day, attr, "rows"
    for step in STEPS:
        first = period_key(prev, step) < period_key(day, step)
        if current and first:
            yield what, org, day, attr, f"first:{step}"
        if _known_at_end_of(period_end(day, step), tf, tt):
            yield what, org, day, attr, f"rows:asof:{step}"
            if first:
                yield what, org, day, attr, f"first:asof:{step}"


def contributions(rows: Iterable[tuple[str, Mapping[str, Any]]]) -> Counter[DailyKey]:
    """Count what derived rows add to the daily totals.

    Args:
        rows: ("span", row) and ("flow", row) pairs, rows as stored (column: value).
    """
    return Counter(chain.from_iterable(keys_of(tag, row) for tag, row in rows))


def keys_of(tag: str, row: Mapping[str, Any]) -> Iterator[DailyKey]:
    """The totals one derived row ("span" or "flow") adds 1 to."""
    return _span(row) if tag == "span" else _flow(row)


def deltas(old: Counter[DailyKey], new: Counter[DailyKey]) -> dict[DailyKey, int]:
    """What to add to each total when rows counted in `old` are replaced by `new` (no zeros)."""
    out = {k: new.get(k, 0) - n for k, n in old.items()}
    out.update({k: n for k, n in new.items() if k not in old})
    return {k: n for k, n in out.items() if n}
