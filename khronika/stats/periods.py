"""Days and periods of the figures: what a date argument means, and calendar steps.

A day D given for `as_of`, `--from`/`--to` is an ISO date; a K given for `known_on` is a date
(the end of that day, UTC) or a timestamp. Steps are calendar months, quarters or years; the
first step begins at D1 and the last ends at D2 (either may be partial).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from khronika.errors import InvalidValue
from khronika.model.dates import storage_timestamp

__all__ = [
    "STEPS",
    "Period",
    "known_on_stored",
    "parse_day",
    "period_end",
    "period_key",
    "period_start",
    "periods",
]

STEPS = ("month", "quarter", "year")


@dataclass(frozen=True, slots=True)
class Period:
    """One step of a series: its label and first and last days (inclusive, ISO)."""

    label: str
    start: str
    end: str


def parse_day(value: str | date, what: str = "date") -> str:
    """Return an ISO day `YYYY-MM-DD` from a date or its text; InvalidValue otherwise."""
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(value).isoformat() if len(value) == 10 else _bad(value, what)
    except ValueError:
        return _bad(value, what)


def _bad(value: str, what: str) -> str:
    raise InvalidValue(f"{what} {value!r}: expected a day YYYY-MM-DD")


def known_on_stored(value: str | None) -> str | None:
    """Return K in stored form (a bare date means the end of that day, UTC), None for now."""
    return None if value is None else storage_timestamp(value)


@lru_cache(maxsize=8192)
def period_key(day: str, step: str) -> str:
    """The label of the calendar period of an ISO day ("" for none): 2025-04, 2025-Q2, 2025."""
    if not day:
        return ""
    if step == "month":
        return day[:7]
    if step == "year":
        return day[:4]
    return f"{day[:4]}-Q{(int(day[5:7]) + 2) // 3}"


def period_start(day: str, step: str) -> str:
    """The first day of the calendar period of an ISO day."""
    if step == "month":
        return day[:8] + "01"
    if step == "year":
        return day[:5] + "01-01"
    return f"{day[:5]}{(int(day[5:7]) - 1) // 3 * 3 + 1:02d}-01"


@lru_cache(maxsize=8192)
def period_end(day: str, step: str) -> str:
    """The last day of the calendar period of an ISO day."""
    year, month = int(day[:4]), int(day[5:7])
    if step == "quarter":
        month = (month + 2) // 3 * 3
    elif step == "year":
        month = 12
    return date(year, month, calendar.monthrange(year, month)[1]).isoformat()


def periods(date_from: str, date_to: str, step: str) -> list[Period]:
    """Split [date_from, date_to] into calendar steps (`month`, `quarter` or `year`).

    Example: 2025-03-15 → 2025-05-10 by month gives 2025-03 (03-15..03-31), 2025-04,
    2025-05 (05-01..05-10).
    """
    if step not in STEPS:
        raise InvalidValue(f"step {step!r}: one of {', '.join(STEPS)}")
    d1, d2 = (
        date.fromisoformat(parse_day(date_from, "from")),
        date.fromisoformat(parse_day(date_to, "to")),
    )
    if d2 < d1:
        raise InvalidValue(f"--to {d2} is before --from {d1}")
    out: list[Period] = []
    d = d1
    while d <= d2:
        end = min(date.fromisoformat(period_end(d.isoformat(), step)), d2)
        out.append(Period(period_key(d.isoformat(), step), d.isoformat(), end.isoformat()))
        d = date.fromordinal(end.toordinal() + 1)
    return out
