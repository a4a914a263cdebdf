"""Figures recomputed from the events, person by person, straight from docs/figures.md.

A slow, obvious implementation with no cache and no SQL beyond reading versions: the tests
check that `khronika.stats` (spans cache, SQL) gives the same answers, for past K too.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

from khronika.identity import identity_map
from khronika.model.dates import storage_timestamp
from khronika.model.events import RELEASE_BASES
from khronika.registry.lookup import event_order
from khronika.storage import Database
from khronika.storage.rows import content_from_row
from khronika.storage.versions import select_versions

CUSTODY = ("detained", "released", "died")
RECOGNITION = ("recognised", "recognition_withdrawn")


class Reference:
    """Every event and person version, loaded once; figures computed in plain Python.

    Merged people count as one, the canonical id (`khronika.identity.identity_map` as known
    on the same K): their events together, the canonical person's sex and region.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        with db.connect() as conn:
            self.events = [
                (content_from_row("event", r), r.recorded, r.retracted)
                for r in select_versions(conn, "event", history=True)
            ]
            self.people = [
                (content_from_row("person", r), r.recorded, r.retracted)
                for r in select_versions(conn, "person", history=True)
            ]

    @staticmethod
    def _known(recorded: str, retracted: str | None, k: str | None) -> bool:
        if k is None:
            return retracted is None
        return recorded <= k and (retracted is None or retracted > k)

    def known(
        self, known_on: str | None
    ) -> tuple[dict[str, list[dict[str, Any]]], dict[str, dict[str, Any]]]:
        """Events by person (in person order) and people, as known on K."""
        k = storage_timestamp(known_on) if known_on else None
        ids = identity_map(self.db, known_on=k)
        events: dict[str, list[dict[str, Any]]] = {}
        for e, rec, ret in self.events:
            if self._known(rec, ret, k):
                events.setdefault(ids.canonical(e["person"]), []).append({**e, "recorded": rec})
        for evs in events.values():
            evs.sort(key=event_order)
        people = {p["id"]: p for p, rec, ret in self.people if self._known(rec, ret, k)}
        return events, people


def effective(e: dict[str, Any]) -> str:
    return event_order(e)[0]


def last_kind(
    evs: list[dict[str, Any]], kinds: tuple[str, ...], day: str, by: str | None = None
) -> str | None:
    """The kind of the last event of `kinds` (by `by`) with effective date <= day."""
    out = None
    for e in evs:
        if e["kind"] in kinds and effective(e) <= day and (by is None or e.get("by") == by):
            out = e["kind"]
    return out


def in_custody(evs: list[dict[str, Any]], day: str) -> bool:
    return last_kind(evs, CUSTODY, day) == "detained"


def recognised(evs: list[dict[str, Any]], by: str, day: str) -> bool:
    return last_kind(evs, RECOGNITION, day, by) == "recognised"


def prisoner(evs: list[dict[str, Any]], by: str, day: str) -> bool:
    return in_custody(evs, day) and recognised(evs, by, day)


def day_before(day: str) -> str:
    return (date.fromisoformat(day) - timedelta(days=1)).isoformat()


def ref_figures(
    ref: Reference, as_of: str, known_on: str | None, by: str, retroactive: bool = False
) -> dict[str, Any]:
    events, people = ref.known(known_on)
    pp = []
    for pid, evs in events.items():
        if retroactive:
            ok = (
                in_custody(evs, as_of)
                and last_kind(evs, RECOGNITION, "9999-12-31", by) == "recognised"
            )
        else:
            ok = prisoner(evs, by, as_of)
        if ok:
            pp.append(pid)
    by_sex = Counter({"f": 0, "m": 0, "unknown": 0})
    by_region: Counter[str] = Counter()
    by_article: Counter[str] = Counter()
    for pid in pp:
        p = people.get(pid, {})
        by_sex[p.get("sex", "unknown")] += 1
        by_region[p.get("region") or "unknown"] += 1
        evs = [e for e in events[pid] if effective(e) <= as_of]
        convictions = [e for e in evs if e["kind"] == "convicted"]
        charges = [e for e in evs if e["kind"] == "charged"]
        latest = (convictions or charges or [None])[-1]
        arts = set((latest.get("details") or {}).get("articles") or ()) if latest else set()
        by_article.update(arts or {"unknown"})
    return {
        "political_prisoners": len(pp),
        "by_sex": dict(by_sex),
        "by_region": dict(by_region),
        "by_article": dict(by_article),
        "in_custody_total": sum(in_custody(evs, as_of) for evs in events.values()),
    }


def ref_flows(ref: Reference, d1: str, d2: str, known_on: str | None, by: str) -> dict[str, Any]:
    events, _ = ref.known(known_on)
    rec: set[str] = set()
    released: Counter[str] = Counter()
    released_people: set[str] = set()
    died = {"in_custody": 0, "after_release": 0}
    absentia_people: set[str] = set()
    cases = 0
    prosecuted: set[str] = set()
    for pid, evs in events.items():
        for e in evs:
            d = effective(e)
            if not d1 <= d <= d2:
                continue
            kind = e["kind"]
            if kind == "recognised" and e.get("by") == by:
                rec.add(pid)
            elif kind == "released" and prisoner(evs, by, day_before(d)):
                released[e["details"]["basis"]] += 1
                released_people.add(pid)
            elif kind == "died" and recognised(evs, by, d):
                died["in_custody" if in_custody(evs, day_before(d)) else "after_release"] += 1
            if kind == "convicted_in_absentia":
                absentia_people.add(pid)
                cases += 1
            criminal = (e.get("details") or {}).get("proceeding", "criminal") == "criminal"
            if kind in ("charged", "convicted", "convicted_in_absentia") and criminal:
                prosecuted.add(pid)
    return {
        "recognised": len(rec),
        "released": {
            "total": sum(released.values()),
            "persons": len(released_people),
            "by_basis": {b: released.get(b, 0) for b in RELEASE_BASES},
        },
        "died": died,
        "convicted_in_absentia": {"persons": len(absentia_people), "cases": cases},
        "prosecuted_persons": len(prosecuted),
    }
