"""Days and periods of the figures: what a date argument means, and calendar steps.

A day D given for `as_of`, `--from`/`--to` is an ISO date; a K given for `known_on` is a date
(the end of that day, UTC) or a timestamp. Steps are calendar months, quarters or years; the
first step begins at D1 and the last ends at D2 (either may be partial).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from khronika.errors import InvalidValue
from khronika.model.dates import storage_timestamp

__all__ = ["STEPS", "Period", "known_on_stored", "parse_day", "periods"]

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


def _label(d: date, step: str) -> str:
    if step == "month":
        return f"{d.year:04d}-{d.month:02d}"
    if step == "quarter":
        return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"
    return f"{d.year:04d}"


def _step_end(d: date, step: str) -> date:
    if step == "month":
        month = d.month
    elif step == "quarter":
        month = ((d.month - 1) // 3 + 1) * 3
    else:
        month = 12
    return date(d.year, month, calendar.monthrange(d.year, month)[1])


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
        end = min(_step_end(d, step), d2)
        out.append(Period(_label(d, step), d.isoformat(), end.isoformat()))
        d = date.fromordinal(end.toordinal() + 1)
    return out
