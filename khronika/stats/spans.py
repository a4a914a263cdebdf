"""Derive a person's state spans (custody, recognition, prisoner) from their event versions.

This is the one place that turns events into states; the figures read its output from the
`stats_span` table. The rules are those of docs/figures.md:

* the effective date of an event is the first day of its partial date for kinds that begin a
  state and the last day for kinds that end one; events are ordered by (effective date,
  `seq`, `recorded`, id);
* in custody on D: the last custody event (`detained`, `released`, `died`) with effective
  date <= D is `detained`;
* recognised by R on D: the last `recognised`/`recognition_withdrawn` by R with effective
  date <= D is `recognised`;
* political prisoner of R on D: both.

Transaction time: the versions known on K are those with recorded <= K < retracted. Between
two consecutive instants at which a version is recorded or retracted, the known set (and so
every state) is constant; a span keeps one row for as long as it stays the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from khronika.model.events import EVENT_KINDS
from khronika.storage.stats_schema import END_DAY, END_TS

__all__ = ["SPAN_KINDS", "EventVersion", "Span", "derive_spans"]

#: Event kinds that can change a state; other kinds never matter to spans.
CUSTODY_KINDS = ("detained", "released", "died")
RECOGNITION_KINDS = ("recognised", "recognition_withdrawn")
SPAN_KINDS = CUSTODY_KINDS + RECOGNITION_KINDS


@dataclass(frozen=True, slots=True)
class EventVersion:
    """The fields of one event version that spans depend on."""

    id: str
    kind: str
    date_lo: str
    date_hi: str
    seq: int | None
    by: str | None
    recorded: str
    retracted: str | None

    @property
    def order(self) -> tuple[str, int, str, str]:
        """The person-level event order: (effective date, seq, recorded, id)."""
        eff = self.date_hi if EVENT_KINDS[self.kind].ends_state else self.date_lo
        return (eff, self.seq or 0, self.recorded, self.id)


@dataclass(frozen=True, slots=True)
class Span:
    """One row of `stats_span` (without the person)."""

    state: str
    org: str
    vf: str
    vt: str
    tf: str
    tt: str

    @property
    def asof(self) -> tuple[str, str]:
        """Days D on which the span holds as known at the end of D: [af, at)."""
        return (max(self.vf, self.tf[:10]), min(self.vt, self.tt[:10]))


Interval = tuple[str, str]


def _intervals(events: Iterable[EventVersion], starts: str) -> list[Interval]:
    """Days on which the state begun by kind `starts` holds, as disjoint [from, to) days.

    Only the last event of each effective date counts (that is what "the last event with
    effective date <= D" means); so a release and a re-detention on one day, in that `seq`
    order, leave the state unbroken.
    """
    last_of_day: dict[str, bool] = {}
    for e in sorted(events, key=lambda e: e.order):
        last_of_day[e.order[0]] = e.kind == starts
    out: list[Interval] = []
    start: str | None = None
    for day in sorted(last_of_day):
        on = last_of_day[day]
        if on and start is None:
            start = day
        elif not on and start is not None:
            out.append((start, day))
            start = None
    if start is not None:
        out.append((start, END_DAY))
    return out


def _intersect(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    """Intersect two sorted lists of disjoint [from, to) intervals."""
    out: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if lo < hi:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def states(known: Sequence[EventVersion]) -> set[tuple[str, str, str, str]]:
    """Return the states (state, org, from, to) of one person given the events known."""
    custody = _intervals((e for e in known if e.kind in CUSTODY_KINDS), "detained")
    out = {("custody", "", lo, hi) for lo, hi in custody}
    orgs = {e.by for e in known if e.kind in RECOGNITION_KINDS and e.by}
    for org in sorted(orgs):
        recognition = _intervals(
            (e for e in known if e.kind in RECOGNITION_KINDS and e.by == org), "recognised"
        )
        out |= {("recognition", org, lo, hi) for lo, hi in recognition}
        out |= {("prisoner", org, lo, hi) for lo, hi in _intersect(custody, recognition)}
    return out


def derive_spans(versions: Sequence[EventVersion]) -> list[Span]:
    """Return the spans of one person from every version of their state-changing events.

    Args:
        versions: all stored versions (current, retracted, superseded) of the person's
            events whose kind is in SPAN_KINDS.

    Returns:
        Spans in no particular order; a state unchanged across transaction times is one span.
    """
    instants = sorted(
        {v.recorded for v in versions} | {v.retracted for v in versions if v.retracted}
    )
    open_since: dict[tuple[str, str, str, str], str] = {}
    out: list[Span] = []
    for t in instants:
        known = [
            v for v in versions if v.recorded <= t and (v.retracted is None or v.retracted > t)
        ]
        now = states(known)
        for key in [k for k in open_since if k not in now]:
            out.append(Span(*key, open_since.pop(key), t))
        for key in now:
            open_since.setdefault(key, t)
    for key, tf in open_since.items():
        out.append(Span(*key, tf, END_TS))
    return out
