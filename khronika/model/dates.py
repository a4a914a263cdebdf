"""Partial dates (`2021`, `2021-05`, `2021-05-14`) and UTC timestamps.

A partial date keeps the text as written and its bounds: the first and the last day it may
mean. The rule for comparing a partial date with a day lives in `docs/figures.md`:
events that begin a state take the lower bound, events that end one take the upper bound.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from khronika.errors import InvalidValue

__all__ = [
    "END_DAY",
    "END_TS",
    "PartialDate",
    "canonical_timestamp",
    "export_timestamp",
    "format_timestamp",
    "now_timestamp",
    "parse_timestamp",
    "storage_timestamp",
]

#: The open end of a valid-time interval (ISO day): "has not ended, as known then".
END_DAY = "9999-12-31"
#: The open end of a transaction-time interval (stored timestamp): "still known today".
#: Derived tables use these sentinels, never NULL, so that every bound can sit in an index.
END_TS = "9999-12-31T23:59:59.999999Z"

_PARTIAL = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to the year, the month or the day.

    Attributes:
        text: the date as written, `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
        lower: the first day the text may mean (ISO `YYYY-MM-DD`).
        upper: the last day the text may mean (ISO `YYYY-MM-DD`).
    """

    text: str
    lower: str
    upper: str

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; raise InvalidValue for anything else.

        `2021-13` and `2021-02-30` are errors, not silently corrected.
        """
        if not isinstance(text, str):
            raise InvalidValue(f"expected a date as text, got {type(text).__name__}")
        return _parse_partial(text)

    @classmethod
    def _parse(cls, text: str) -> PartialDate:
        m = _PARTIAL.fullmatch(text)
        if not m:
            raise InvalidValue(f"{text!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
        year, month, day = int(m[1]), m[2], m[3]
        if year < 1800:
            raise InvalidValue(f"{text!r}: year before 1800")
        if month is None:
            return cls(text, f"{year:04d}-01-01", f"{year:04d}-12-31")
        mon = int(month)
        if not 1 <= mon <= 12:
            raise InvalidValue(f"{text!r}: month {mon} does not exist")
        last = calendar.monthrange(year, mon)[1]
        if day is None:
            return cls(text, f"{year:04d}-{mon:02d}-01", f"{year:04d}-{mon:02d}-{last:02d}")
        d = int(day)
        if not 1 <= d <= last:
            raise InvalidValue(f"{text!r}: day {d} does not exist in {year:04d}-{mon:02d}")
        return cls(text, text, text)

    @property
    def precision(self) -> str:
        """Return `year`, `month` or `day`."""
        return {4: "year", 7: "month", 10: "day"}[len(self.text)]

    def __str__(self) -> str:
        return self.text


# Imports see the same few thousand dates over and over: parse each text once.
@functools.lru_cache(maxsize=65536)
def _parse_partial(text: str) -> PartialDate:
    return PartialDate._parse(text)


def parse_timestamp(value: str) -> datetime:
    """Parse an ISO 8601 timestamp, or a date meaning the end of that day, to aware UTC.

    A timestamp without a zone is an error: transaction times must be unambiguous.
    A bare date `YYYY-MM-DD` means the end of that day, UTC (the rule for `known_on`).
    """
    if not isinstance(value, str):
        raise InvalidValue(f"expected a timestamp as text, got {type(value).__name__}")
    return _parse_timestamp(value)


@functools.lru_cache(maxsize=65536)
def _parse_timestamp(value: str) -> datetime:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            d = date.fromisoformat(value)
        except ValueError as e:
            raise InvalidValue(f"{value!r}: {e}") from None
        return datetime(d.year, d.month, d.day, 23, 59, 59, 999999, tzinfo=UTC)
    try:
        ts = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        raise InvalidValue(f"{value!r} is not an ISO 8601 timestamp") from None
    if ts.tzinfo is None:
        raise InvalidValue(f"{value!r} has no time zone (add Z for UTC)")
    return ts.astimezone(UTC)


def format_timestamp(ts: datetime) -> str:
    """Format an aware timestamp canonically: `2024-04-02T00:00:00Z`, microseconds if any.

    The text sorts like the time it names (fixed width within each precision is not
    needed because stored timestamps use `storage_timestamp`).
    """
    ts = ts.astimezone(UTC)
    if ts.microsecond:
        return ts.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return ts.strftime("%Y-%m-%dT%H:%M:%SZ")


def now_timestamp() -> datetime:
    """Return the current time, UTC, to the microsecond (used only at write time)."""
    return datetime.now(UTC)


def storage_timestamp(value: str | datetime) -> str:
    """Return the fixed-width UTC text a timestamp is stored as.

    `2024-04-02T00:00:00.000000Z`: fixed width so that text order is time order on every
    engine. Accepts any ISO 8601 timestamp with a zone, or a date (end of that day).
    """
    if isinstance(value, str):
        if _UTC_TEXT.fullmatch(value):
            _check_utc_text(value)
            return value if len(value) == 27 else value[:-1] + ".000000Z"
        return _storage_text(value)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# UTC timestamps already in canonical text take a fast path: strftime costs more than the
# rest of an imported record's handling.
_UTC_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{6})?Z")


def _check_utc_text(value: str) -> None:
    try:
        datetime.fromisoformat(value[:-1])
    except ValueError:
        raise InvalidValue(f"{value!r} is not an ISO 8601 timestamp") from None


def canonical_timestamp(value: str) -> str:
    """Return the canonical text of a timestamp: UTC, `Z`, microseconds only if non-zero."""
    if _UTC_TEXT.fullmatch(value):
        _check_utc_text(value)
        return value[:-8] + "Z" if value.endswith(".000000Z") else value
    return format_timestamp(parse_timestamp(value))


@functools.lru_cache(maxsize=65536)
def _storage_text(value: str) -> str:
    return parse_timestamp(value).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def export_timestamp(stored: str) -> str:
    """Return the canonical text of a stored timestamp (microseconds only when non-zero)."""
    if stored.endswith(".000000Z"):
        return stored[:-8] + "Z"
    return stored
