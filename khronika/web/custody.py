"""What a person's events say about them for display: status, custody periods, articles.

This is the person page's summary, not a statistic: figures (who counts as a political
prisoner on a date, per recogniser) are `khronika.stats`' business and are never derived
from this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from khronika.model.dates import PartialDate

__all__ = ["STATUSES", "Custody", "summarise"]

#: Display statuses, in filter order.
STATUSES = ("in_custody", "released", "died", "other")
#: Sentences served behind bars: a conviction with one starts custody if nothing did.
_CUSTODIAL = ("colony", "prison")


@dataclass
class Custody:
    """A person's situation as their public events tell it.

    Attributes:
        status: `in_custody`, `released`, `died` or `other`.
        periods: custody periods as (first day, last day or None while it lasts), ISO days.
        articles: criminal-code articles of charges and convictions, first mention first.
        detention_year: the year custody first began (None when never detained).
        facility: the facility id of the latest detention or transfer while in custody.
        recognised_by: organisations whose recognition stands (not withdrawn).
        died_in_custody: True when death ended a custody period.
    """

    status: str = "other"
    periods: list[tuple[str, str | None]] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    detention_year: int | None = None
    facility: str | None = None
    recognised_by: list[str] = field(default_factory=list)
    died_in_custody: bool = False

    def days(self, today: date) -> int:
        """Days behind bars up to `today` (both ends counted; open periods run to today)."""
        total = 0
        for start, end in self.periods:
            first = date.fromisoformat(start)
            last = min(date.fromisoformat(end), today) if end else today
            if last >= first:
                total += (last - first).days + 1
        return total


def summarise(events: list[dict[str, Any]]) -> Custody:
    """Summarise a person's events, already in order (`khronika.registry.lookup.event_order`)."""
    c = Custody()
    start: str | None = None
    recognised: list[str] = []
    ended = False
    for e in events:
        kind, details = e["kind"], e.get("details") or {}
        d = PartialDate.parse(e["date"])
        if kind in ("charged", "convicted", "convicted_in_absentia"):
            for a in details.get("articles", ()):
                if a not in c.articles:
                    c.articles.append(a)
        begins = kind in ("detained", "transferred") or (
            kind == "convicted" and details.get("sentence_type") in _CUSTODIAL
        )
        if begins:
            if kind in ("detained", "transferred") and details.get("facility"):
                c.facility = details["facility"]
            if start is None:
                start = d.lower
                c.status = "in_custody"
                ended = False
                if c.detention_year is None:
                    c.detention_year = int(start[:4])
        elif kind == "released":
            if start is not None:
                c.periods.append((start, max(d.upper, start)))
                start = None
            c.status, c.facility, ended = "released", None, True
        elif kind == "died":
            if start is not None:
                c.periods.append((start, max(d.upper, start)))
                c.died_in_custody = True
                start = None
            c.status, c.facility, ended = "died", None, True
        elif kind == "recognised" and e.get("by") and e["by"] not in recognised:
            recognised.append(e["by"])
        elif kind == "recognition_withdrawn" and e.get("by") in recognised:
            recognised.remove(e["by"])
    if start is not None:
        c.periods.append((start, None))
        c.status = "in_custody"
    elif not ended and c.status != "in_custody":
        c.status = "other"
    c.recognised_by = recognised
    return c
