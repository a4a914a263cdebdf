"""Derive a person's state spans and flow rows from their event versions (and merges).

This is the one place that turns events into states and decides which events the flows
count; the figures read its output from the `stats_span` and `stats_flow` tables. The rules
are those of docs/figures.md:

* the effective date of an event is the first day of its partial date for kinds that begin a
  state and the last day for kinds that end one; events are ordered by (effective date,
  `seq`, `recorded`, id);
* in custody on D: the last custody event (`detained`, `released`, `died`) with effective
  date <= D is `detained`;
* recognised by R on D: the last `recognised`/`recognition_withdrawn` by R with effective
  date <= D is `recognised`;
* political prisoner of R on D: both;
* the case on D (state `case`, `org` = its articles joined by `|`): the person's latest
  `convicted` event with effective date <= D, else their latest `charged` one.

A person's sex and region (state `person`, `org` = `sex|region`) come from their person
versions, valid on every day. A `prisoner` span also carries them, with the articles of
the case (`detail`), and is split where the case changes: the stock on a day and its
breakdown are then one index range.

A flow row is an event a flow counts, with what decides it: a `released` row per
recogniser whose prisoner the person was the day before (`attr` = basis), a `died` row per
recogniser whose recognition stood that day (`attr` = `in_custody` if in custody the day
before, else `after_release`), `recognised` rows per recogniser, `absentia` and criminal
`prosecuted` rows (org ""). Its `prev` (the day of the person's previous row of the same
flow and org) turns "distinct people in a period" into a count.

Transaction time: the versions known on K are those with recorded <= K < retracted. Between
two consecutive instants at which a version is recorded or retracted (or a merge begins or
ends), the known set (and so every state) is constant; a span or flow row keeps one row
for as long as it stays the same. People merged at K count as one, under the smallest id.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import orjson

from khronika.identity import Merge, resolve_merges
from khronika.model.dates import END_DAY, END_TS
from khronika.model.events import EVENT_KINDS

__all__ = [
    "FLOW_KINDS",
    "SPAN_KINDS",
    "EventVersion",
    "FlowRow",
    "Merge",
    "PersonVersion",
    "Span",
    "States",
    "derive",
    "flow_rows",
    "states",
]

#: Event kinds that can change a state; other kinds never matter to spans.
CUSTODY_KINDS = ("detained", "released", "died")
RECOGNITION_KINDS = ("recognised", "recognition_withdrawn")
CASE_KINDS = ("charged", "convicted")
SPAN_KINDS = CUSTODY_KINDS + RECOGNITION_KINDS + CASE_KINDS
#: Event kinds counted by the flows (docs/figures.md).
FLOW_KINDS = frozenset(
    ("recognised", "released", "died", "charged", "convicted", "convicted_in_absentia")
)
#: Whether each event kind ends a state (its effective date is the last day of its date).
_ENDS_STATE = {kind: k.ends_state for kind, k in EVENT_KINDS.items()}
#: Valid-time start of spans that hold on every day (a person's sex and region).
FIRST_DAY = "0001-01-01"


@dataclass(frozen=True, slots=True)
class EventVersion:
    """The fields of one event version that spans and flows depend on."""

    person: str
    id: str
    kind: str
    date_lo: str
    date_hi: str
    seq: int | None
    by: str | None
    recorded: str
    retracted: str | None
    #: Articles of a charge or conviction, joined by "|" in sorted order ("" when none).
    articles: str = ""
    #: The basis of a release ("" when none).
    basis: str = ""
    #: A charge or conviction (also in absentia) in criminal proceedings.
    criminal: bool = False

    @property
    def eff(self) -> str:
        """The effective date: the last day of the partial date for kinds that end a state,
        else the first."""
        return self.date_hi if _ENDS_STATE[self.kind] else self.date_lo

    @property
    def order(self) -> tuple[str, int, str, str]:
        """The person-level event order: (effective date, seq, recorded, id)."""
        return (self.eff, self.seq or 0, self.recorded, self.id)


@dataclass(frozen=True, slots=True)
class PersonVersion:
    """The fields of one person version that the figures depend on."""

    person: str
    sex: str
    region: str
    recorded: str
    retracted: str | None


@dataclass(frozen=True, slots=True)
class Span:
    """One row of `stats_span`."""

    person: str
    state: str
    org: str
    vf: str
    vt: str
    detail: str
    tf: str
    tt: str


#: (event id, flow, org, day, attr, prev): one row of `stats_flow` without person and time.
FlowKey = tuple[str, str, str, str, str, str]


@dataclass(frozen=True, slots=True)
class FlowRow:
    """One row of `stats_flow`: an event counted by a flow, for transaction times [tf, tt)."""

    person: str
    event: str
    flow: str
    org: str
    day: str
    attr: str
    prev: str
    tf: str
    tt: str


Interval = tuple[str, str]


def _intervals(events: Iterable[EventVersion], starts: str) -> list[Interval]:
    """Days on which the state begun by kind `starts` holds, as disjoint [from, to) days.

    `events` come in person order. Only the last event of each effective date counts (that
    is what "the last event with effective date <= D" means); so a release and a
    re-detention on one day, in that `seq` order, leave the state unbroken.
    """
    last_of_day: dict[str, bool] = {}
    for e in events:
        last_of_day[e.eff] = e.kind == starts
    out: list[Interval] = []
    start: str | None = None
    for day, on in last_of_day.items():  # in day order: the events were
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


def _cases(events: Iterable[EventVersion]) -> list[tuple[str, str, str]]:
    """The articles of the case that counts on each day, as (articles, from, to).

    `events` come in person order. A conviction outranks every charge; among events of one
    rank the last in person order counts, so the case changes only at the effective date of
    a later event of a rank at least as high.
    """
    by_day: dict[str, str] = {}
    convicted = False
    for e in events:
        if e.kind == "convicted":
            convicted = True
        elif convicted:
            continue  # a charge after a conviction does not replace it
        by_day[e.eff] = e.articles
    out: list[tuple[str, str, str]] = []
    current: tuple[str, str] | None = None  # (articles, since)
    for day, arts in by_day.items():
        if current is None:
            current = (arts, day)
        elif arts != current[0]:
            out.append((current[0], current[1], day))
            current = (arts, day)
    if current is not None:
        out.append((current[0], current[1], END_DAY))
    return out


@dataclass(slots=True)
class States:
    """The states of one person on every day, given the events known at one instant."""

    custody: list[Interval]
    recognition: dict[str, list[Interval]]
    prisoner: dict[str, list[Interval]]
    cases: list[tuple[str, str, str]]

    def rows(self, sex: str, region: str) -> set[tuple[str, str, str, str, str]]:
        """The states as (state, org, from, to, detail).

        A prisoner span is split where the case changes, and carries what the figures break
        the stock down by: `detail` = JSON [sex, region, articles] (articles joined by "|").
        """
        out = {("custody", "", lo, hi, "") for lo, hi in self.custody}
        out |= {("case", arts, lo, hi, "") for arts, lo, hi in self.cases}
        for org, ivs in self.recognition.items():
            out |= {("recognition", org, lo, hi, "") for lo, hi in ivs}
        for org, ivs in self.prisoner.items():
            for lo, hi in ivs:
                for a, b, arts in _split_by_case(lo, hi, self.cases):
                    detail = orjson.dumps([sex, region, arts]).decode()
                    out.add(("prisoner", org, a, b, detail))
        return out


def _split_by_case(
    lo: str, hi: str, cases: Sequence[tuple[str, str, str]]
) -> Iterator[tuple[str, str, str]]:
    """Split the days [lo, hi) where the case changes: (from, to, articles) ("" for none)."""
    day = lo
    for arts, c_lo, c_hi in cases:  # disjoint, in day order
        if c_hi <= day or c_lo >= hi:
            continue
        if c_lo > day:
            yield day, c_lo, ""
            day = c_lo
        end = min(c_hi, hi)
        yield day, end, arts
        day = end
    if day < hi:
        yield day, hi, ""


def states(known: Sequence[EventVersion]) -> States:
    """Return the states of one person given the events known (sorted in person order)."""
    custody = _intervals((e for e in known if e.kind in CUSTODY_KINDS), "detained")
    recognition: dict[str, list[Interval]] = {}
    for e in known:
        if e.kind in RECOGNITION_KINDS and e.by and e.by not in recognition:
            recognition[e.by] = _intervals(
                (x for x in known if x.kind in RECOGNITION_KINDS and x.by == e.by), "recognised"
            )
    prisoner = {org: _intersect(custody, ivs) for org, ivs in recognition.items()}
    cases = _cases(e for e in known if e.kind in CASE_KINDS)
    return States(custody, recognition, prisoner, cases)


def _holds(intervals: Sequence[Interval], day: str) -> bool:
    return any(lo <= day < hi for lo, hi in intervals)


@lru_cache(maxsize=65_536)
def _day_before(day: str) -> str:
    return date.fromordinal(date.fromisoformat(day).toordinal() - 1).isoformat()


def flow_rows(known: Sequence[EventVersion], st: States) -> set[FlowKey]:
    """Return the flow rows of one person given the events known (sorted in person order).

    Each row is (event id, flow, org, day, attr, prev): `prev` is the day of the person's
    previous row of the same flow and org ("" for the first), so that "distinct people in a
    period" is "rows whose `prev` lies before the period", a plain count.
    """
    out: set[FlowKey] = set()
    last: dict[tuple[str, str], str] = {}

    def add(e: EventVersion, flow: str, org: str, day: str, attr: str = "") -> None:
        out.add((e.id, flow, org, day, attr, last.get((flow, org), "")))
        last[(flow, org)] = day

    for e in known:
        kind = e.kind
        if kind not in FLOW_KINDS:
            continue
        day = e.eff
        if kind == "recognised":
            if e.by:
                add(e, "recognised", e.by, day)
        elif kind == "released":
            before = _day_before(day)
            for org, ivs in st.prisoner.items():
                if _holds(ivs, before):
                    add(e, "released", org, day, e.basis or "other")
        elif kind == "died":
            where = "in_custody" if _holds(st.custody, _day_before(day)) else "after_release"
            for org, ivs in st.recognition.items():
                if _holds(ivs, day):
                    add(e, "died", org, day, where)
        else:
            if kind == "convicted_in_absentia":
                add(e, "absentia", "", day)
            if e.criminal:
                add(e, "prosecuted", "", day)
    return out


def derive(
    versions: Sequence[EventVersion],
    merges: Sequence[Merge] = (),
    people: Sequence[PersonVersion] = (),
) -> tuple[list[Span], list[FlowRow]]:
    """Return the spans and flow rows of one person (or of people merged at some time).

    Args:
        versions: all stored versions (current, retracted, superseded) of the events of
            the person (of every member of a merge cluster) whose kind is in FLOW_KINDS or
            SPAN_KINDS.
        merges: the times at which pairs of these people stood merged; the members of a
            cluster then count as one person, the smallest id (`khronika.identity`).
        people: every version of those people (sex and region; "" when none is known).

    Returns:
        Spans and flow rows in no particular order; a state or flow row unchanged across
        transaction times is one row.
    """
    instants = {v.recorded for v in versions} | {v.retracted for v in versions if v.retracted}
    if versions:
        instants |= {p.recorded for p in people} | {p.retracted for p in people if p.retracted}
    for m in merges:
        instants.add(m.tf)
        if m.tt != END_TS:
            instants.add(m.tt)
    ordered = sorted(versions, key=lambda v: v.order)
    open_spans: dict[tuple[str, str, str, str, str, str], str] = {}
    open_flows: dict[tuple[str, FlowKey], str] = {}
    spans: list[Span] = []
    flows: list[FlowRow] = []
    for t in sorted(instants):
        known = [v for v in ordered if v.recorded <= t and (v.retracted is None or v.retracted > t)]
        attrs = {
            p.person: (p.sex, p.region)
            for p in people
            if p.recorded <= t and (p.retracted is None or p.retracted > t)
        }
        span_keys: set[tuple[str, str, str, str, str, str]] = set()
        flow_keys: set[tuple[str, FlowKey]] = set()
        for person, events in _by_person(known, merges, t):
            st = states(events)
            sex, region = attrs.get(person, ("", ""))
            span_keys |= {(person, *row) for row in st.rows(sex, region)}
            flow_keys |= {(person, row) for row in flow_rows(events, st)}
        for key in [k for k in open_spans if k not in span_keys]:
            spans.append(Span(*key, open_spans.pop(key), t))
        for key in span_keys:
            open_spans.setdefault(key, t)
        for fkey in [k for k in open_flows if k not in flow_keys]:
            flows.append(FlowRow(fkey[0], *fkey[1], open_flows.pop(fkey), t))
        for fkey in flow_keys:
            open_flows.setdefault(fkey, t)
    spans.extend(Span(*key, tf, END_TS) for key, tf in open_spans.items())
    flows.extend(FlowRow(key[0], *key[1], tf, END_TS) for key, tf in open_flows.items())
    return spans, flows


def _by_person(
    known: list[EventVersion], merges: Sequence[Merge], t: str
) -> Iterator[tuple[str, list[EventVersion]]]:
    """Group the known events by the person they count for at instant `t` (merges applied)."""
    if not merges:
        if known:
            yield known[0].person, known
        return
    canonical = resolve_merges((m.a, m.b) for m in merges if m.tf <= t < m.tt)
    groups: dict[str, list[EventVersion]] = {}
    for v in known:
        groups.setdefault(canonical.get(v.person, v.person), []).append(v)
    yield from groups.items()
