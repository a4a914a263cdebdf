"""Figures of the campaign, as pure functions of the items known on a date.

    items (as known on K) ──▶ narrative_series: items per narrative per week/month (per outlet)
                          ──▶ targeted_series: distinct registry people targeted per period
                              (by one narrative, when asked: `in_absentia` is "named on TV
                              as facing a trial in absentia")
    events (as known on K) ──▶ campaign_as_of: people in special proceedings or convicted in
                              absentia on a day; returns through the commission by stage,
                              as state media claimed them vs as the team documented them
    tallies (officials' totals) ──▶ officials_as_of: the latest total of each measure stated
                              on or before a day ("about 300 have applied")

An item counts in the period of its `published` date (partial dates count in the period of
their first day: `2025-01` is January's); items without a date are left out and counted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from khronika.errors import InvalidValue
from khronika.media.tallies import MEASURES

__all__ = [
    "MEDIA_STEPS",
    "campaign_as_of",
    "narrative_series",
    "officials_as_of",
    "officials_vs_registry",
    "period_of",
    "targeted_series",
]

MEDIA_STEPS = ("week", "month")


def period_of(published: str, step: str) -> str:
    """Return the period of a published date: ISO week `2025-W03` or month `2025-01`."""
    day = published[:10]
    if len(day) == 4:
        day += "-01-01"
    elif len(day) == 7:
        day += "-01"
    d = date.fromisoformat(day)
    if step == "month":
        return f"{d.year:04d}-{d.month:02d}"
    if step == "week":
        y, w, _ = d.isocalendar()
        return f"{y:04d}-W{w:02d}"
    raise InvalidValue(f"step {step!r}: one of {', '.join(MEDIA_STEPS)}")


def _periods(date_from: str, date_to: str, step: str) -> list[str]:
    start, end = date.fromisoformat(date_from), date.fromisoformat(date_to)
    if end < start:
        raise InvalidValue(f"--to {date_to} is before --from {date_from}")
    out: list[str] = []
    d = start
    while d <= end:
        p = period_of(d.isoformat(), step)
        if not out or out[-1] != p:
            out.append(p)
        d += timedelta(days=1)
    return out


def _in_range(
    items: Iterable[Mapping[str, Any]], date_from: str, date_to: str
) -> tuple[list[Mapping[str, Any]], int]:
    kept, undated = [], 0
    for item in items:
        published = item.get("published")
        if not published:
            undated += 1
            continue
        first = published[:10] if len(published) >= 10 else (published + "-01-01")[:10]
        if date_from <= first <= date_to:
            kept.append(item)
    return kept, undated


def narrative_series(
    items: Iterable[Mapping[str, Any]],
    *,
    date_from: str,
    date_to: str,
    step: str = "month",
    by_outlet: bool = False,
) -> dict[str, Any]:
    """Items carrying each narrative, per period (and per outlet), with zeros filled in.

    Args:
        items: item reports (`khronika.media.list_item_reports`), as known on the date wanted.
        date_from, date_to: ISO days, inclusive.
        step: `week` or `month`.
        by_outlet: split each count by outlet.
    """
    periods = _periods(date_from, date_to, step)
    kept, undated = _in_range(items, date_from, date_to)
    counts: dict[tuple[str, str, str], int] = defaultdict(int)
    tags: set[str] = set()
    for item in kept:
        p = period_of(item["published"], step)
        for tag in {n["tag"] for n in item["narratives"]}:
            outlet = (item.get("outlet") or "?") if by_outlet else "*"
            counts[(p, tag, outlet)] += 1
            tags.add(tag)
    outlets = sorted({k[2] for k in counts}) or ["*"]
    rows = [
        {
            "period": p,
            "narrative": t,
            **({"outlet": o} if by_outlet else {}),
            "items": counts[(p, t, o)],
        }
        for p in periods
        for t in sorted(tags)
        for o in outlets
    ]
    return {"step": step, "from": date_from, "to": date_to, "undated": undated, "rows": rows}


def targeted_series(
    items: Iterable[Mapping[str, Any]],
    *,
    date_from: str,
    date_to: str,
    step: str = "month",
    tag: str | None = None,
) -> dict[str, Any]:
    """Distinct registry people targeted per period (linked mentions only), with zeros.

    With `tag`, only items that carry that narrative count.
    """
    periods = _periods(date_from, date_to, step)
    kept, undated = _in_range(items, date_from, date_to)
    people: dict[str, set[str]] = defaultdict(set)
    for item in kept:
        if tag is not None and all(n["tag"] != tag for n in item["narratives"]):
            continue
        p = period_of(item["published"], step)
        people[p] |= {m["person"] for m in item["mentions"] if m["targeted"] and m["person"]}
    return {
        "step": step,
        "from": date_from,
        "to": date_to,
        **({"narrative": tag} if tag is not None else {}),
        "undated": undated,
        "rows": [{"period": p, "people": len(people[p])} for p in periods],
    }


#: The kinds that put a person "in special proceedings" on a day.
_ABSENTIA = ("in_absentia_proceedings", "convicted_in_absentia")


def campaign_as_of(events: Iterable[Mapping[str, Any]], day: str) -> dict[str, Any]:
    """The campaign's people on `day`, from the events known on the date asked.

    Args:
        events: current event records (as known on K) of the kinds `in_absentia_proceedings`,
            `convicted_in_absentia` and `return_commission` (others are ignored), each with
            `person`, `kind`, `date` (partial), `details` and `sources`.
        day: the day (ISO); an event counts from the first day of its date.

    A return is *claimed* when the event cites a state-media item (its details name the item:
    the event came from a claim) and *documented* otherwise. People are registry ids: two
    records of one person not yet merged count twice.
    """
    absentia: dict[str, set[str]] = {k: set() for k in _ABSENTIA}
    returns: dict[str, dict[str, set[str]]] = {
        "claimed": defaultdict(set),
        "documented": defaultdict(set),
    }
    for e in events:
        if _first_day(str(e["date"])) > day:
            continue
        if e["kind"] in absentia:
            absentia[e["kind"]].add(str(e["person"]))
        elif e["kind"] == "return_commission":
            details = e.get("details") or {}
            side = "claimed" if details.get("item") else "documented"
            returns[side][str(details.get("stage") or "unknown")].add(str(e["person"]))
    return {
        "as_of": day,
        "in_absentia": {
            "people": len(set().union(*absentia.values())),
            "proceedings": len(absentia["in_absentia_proceedings"]),
            "convicted": len(absentia["convicted_in_absentia"]),
        },
        "returns": {
            side: {stage: len(people) for stage, people in sorted(by_stage.items())}
            for side, by_stage in returns.items()
        },
    }


def _first_day(partial: str) -> str:
    return partial + ("-01-01" if len(partial) == 4 else "-01" if len(partial) == 7 else "")


def officials_as_of(tallies: Iterable[Mapping[str, Any]], day: str) -> dict[str, Any]:
    """The latest total officials stated of each measure on or before `day`.

    Args:
        tallies: tallies of items as known on the date asked (`khronika.media.tallies`), each
            with the item's `published`, `item`, `outlet`, `source`, and `measure`, `number`,
            `bound`, `evidence`. Undated items are left out.
        day: the day (ISO).

    A measure with no tally yet is None. Of two tallies stated the same day, the larger
    counts (an item repeating an older figure beside a new one says both). `stated` is how
    many tallies of the measure were stated up to the day.
    """
    latest: dict[str, Mapping[str, Any]] = {}
    stated: dict[str, int] = defaultdict(int)
    for t in tallies:
        published = t.get("published")
        if not published or _first_day(str(published)[:10]) > day:
            continue
        measure = str(t["measure"])
        stated[measure] += 1
        key = (_first_day(str(published)[:10]), int(t["number"]))
        old = latest.get(measure)
        if old is None or key > (_first_day(str(old["published"])[:10]), int(old["number"])):
            latest[measure] = t
    return {
        measure: (
            {
                "number": int(latest[measure]["number"]),
                "bound": latest[measure]["bound"],
                "published": latest[measure]["published"],
                "item": latest[measure]["item"],
                "outlet": latest[measure].get("outlet"),
                "evidence": latest[measure]["evidence"],
                "stated": stated[measure],
            }
            if measure in latest
            else None
        )
        for measure in MEASURES
    }


def officials_vs_registry(campaign: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per measure: the officials' latest total beside the people the registry holds.

    Args:
        campaign: `khronika.media.reports.campaign_report` output (`campaign_as_of` plus
            `officials`).

    `registry` counts people with the matching event (a return's stage `applied` or
    `returned`); `from_media`, of those, the ones whose event came from an item's claim
    that a reviewer accepted (None where events do not tell).
    """
    returns = campaign["returns"]
    absentia = campaign["in_absentia"]
    registry = {
        "applied": (
            returns["documented"].get("applied", 0) + returns["claimed"].get("applied", 0),
            returns["claimed"].get("applied", 0),
        ),
        "returned": (
            returns["documented"].get("returned", 0) + returns["claimed"].get("returned", 0),
            returns["claimed"].get("returned", 0),
        ),
        "in_absentia_proceedings": (absentia["proceedings"], None),
        "convicted_in_absentia": (absentia["convicted"], None),
    }
    return [
        {
            "measure": measure,
            "officials": campaign["officials"].get(measure),
            "registry": registry[measure][0],
            "from_media": registry[measure][1],
        }
        for measure in MEASURES
    ]
