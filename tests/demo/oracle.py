"""An independent, deliberately simple computation of a few figures from records in memory.

Used to check the demo generator's bands without depending on khronika.stats; it follows
docs/figures.md: begin-state events take the first day of a partial date, end-state events
the last; a person is in custody on D when their last custody event on or before D is
`detained`; a political prisoner for R is in custody and recognised by R (last recognition
event on or before D).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from khronika.model.dates import PartialDate
from khronika.model.events import EVENT_KINDS


def effective(event: dict[str, Any]) -> str:
    d = PartialDate.parse(event["date"])
    return d.upper if EVENT_KINDS[event["kind"]].ends_state else d.lower


def current(records: Iterable[dict[str, Any]]) -> tuple[dict[str, dict], dict[str, list[dict]]]:
    """Latest version of each person and event (by `recorded`); events grouped by person."""
    people: dict[str, dict] = {}
    events: dict[str, dict] = {}
    for r in records:
        table = people if r["type"] == "person" else events if r["type"] == "event" else None
        if table is None or r.get("retracted"):
            continue
        old = table.get(r["id"])
        if old is None or old.get("recorded", "") <= r.get("recorded", ""):
            table[r["id"]] = r
    by_person: dict[str, list[dict]] = defaultdict(list)
    for e in events.values():
        by_person[e["person"]].append(e)
    for evs in by_person.values():
        evs.sort(key=lambda e: (effective(e), e.get("seq") or 0, e.get("recorded", ""), e["id"]))
    return people, by_person


def political_prisoners(by_person: dict[str, list[dict]], day: str, recogniser: str) -> set[str]:
    out = set()
    for pid, evs in by_person.items():
        custody = [
            e for e in evs if e["kind"] in ("detained", "released", "died") and effective(e) <= day
        ]
        recog = [
            e
            for e in evs
            if e["kind"] in ("recognised", "recognition_withdrawn")
            and e.get("by") == recogniser
            and effective(e) <= day
        ]
        if (
            custody
            and custody[-1]["kind"] == "detained"
            and recog
            and recog[-1]["kind"] == "recognised"
        ):
            out.add(pid)
    return out


def recognitions_per_month(by_person: dict[str, list[dict]], recogniser: str) -> Counter[str]:
    months: Counter[str] = Counter()
    for evs in by_person.values():
        for e in evs:
            if e["kind"] == "recognised" and e.get("by") == recogniser:
                months[effective(e)[:7]] += 1
    return months


def prosecuted(by_person: dict[str, list[dict]]) -> set[str]:
    return {
        pid
        for pid, evs in by_person.items()
        if any(
            e["kind"] in ("charged", "convicted", "convicted_in_absentia")
            and (e.get("details") or {}).get("proceeding", "criminal") == "criminal"
            for e in evs
        )
    }
