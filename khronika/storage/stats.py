"""Every SQL statement of the figures: span maintenance, stocks on a day, flows in periods.

Stocks read the `stats_span` cache (see `stats_schema`); flows read the event table
directly (`date_lo`/`date_hi` are the effective dates of begin/end kinds). "Known on K" is
`known_on_clause` for record versions and `tf <= K < tt` for spans; K None means the
current versions (retracted null) and the spans still open in transaction time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    String,
    and_,
    case,
    delete,
    distinct,
    exists,
    func,
    literal,
    or_,
    select,
)

from khronika.storage.dialects import bulk_insert, json_text
from khronika.storage.schema import event, meta, organisation, person, tables
from khronika.storage.stats_schema import END_DAY, END_TS, stats_span, stats_state

__all__ = [
    "Buckets",
    "count_stock",
    "flow_absentia",
    "flow_died",
    "flow_prosecuted",
    "flow_recognised",
    "flow_released",
    "is_synthetic",
    "list_recognisers",
    "load_span_events",
    "load_person_versions",
    "mark_spans",
    "persons_of_versions",
    "replace_spans",
    "span_day_counts",
    "spans_built",
    "stock_breakdown",
]

S = stats_span
_CHUNK = 5_000
_SPAN_KINDS = (
    "detained",
    "released",
    "died",
    "recognised",
    "recognition_withdrawn",
    "charged",
    "convicted",
)


# --- maintenance -------------------------------------------------------------------------


def spans_built(conn: Connection, version: str) -> bool:
    """True when `stats_span` holds the spans of every person, derived by `version`."""
    row = conn.execute(select(stats_state.c.value).where(stats_state.c.name == "spans")).first()
    return row is not None and row.value == f"built {version}"


def mark_spans(conn: Connection, version: str | None) -> None:
    """Record that `stats_span` is complete (derived by `version`), or stale (None)."""
    conn.execute(delete(stats_state).where(stats_state.c.name == "spans"))
    if version is not None:
        conn.execute(stats_state.insert().values(name="spans", value=f"built {version}"))


def load_span_events(conn: Connection, persons: Sequence[str] | None) -> Iterator[Any]:
    """Yield every version of state-changing events (of `persons`, or of everyone).

    Rows: person, id, kind, date_lo, date_hi, seq, by, recorded, retracted, details; ordered
    by person (byte order on both engines, like Python's), so one person's rows are
    adjacent. `persons` must be sorted.
    """
    e = event
    cols = (
        e.c.person,
        e.c.id,
        e.c.kind,
        e.c.date_lo,
        e.c.date_hi,
        e.c.seq,
        e.c.by,
        e.c.recorded,
        e.c.retracted,
        e.c.details,
    )
    base = select(*cols).where(e.c.kind.in_(_SPAN_KINDS)).order_by(e.c.person)
    if persons is None:
        yield from conn.execute(base.execution_options(yield_per=50_000))
        return
    for i in range(0, len(persons), _CHUNK):
        yield from conn.execute(base.where(e.c.person.in_(list(persons[i : i + _CHUNK]))))


def load_person_versions(conn: Connection, persons: Sequence[str] | None) -> Iterator[Any]:
    """Yield every version's (id, sex, region, recorded, retracted) of `persons` (sorted) or
    of everyone, ordered by id."""
    p = person
    base = select(p.c.id, p.c.sex, p.c.region, p.c.recorded, p.c.retracted).order_by(p.c.id)
    if persons is None:
        yield from conn.execute(base.execution_options(yield_per=50_000))
        return
    for i in range(0, len(persons), _CHUNK):
        yield from conn.execute(base.where(p.c.id.in_(list(persons[i : i + _CHUNK]))))


def persons_of_versions(conn: Connection, rtype: str, pks: Sequence[int]) -> set[str]:
    """Return the people of the `event` or `person` versions with primary keys `pks`."""
    t = tables[rtype]
    col = t.c.person if rtype == "event" else t.c.id
    out: set[str] = set()
    for i in range(0, len(pks), _CHUNK):
        out.update(conn.execute(select(col).where(t.c.pk.in_(list(pks[i : i + _CHUNK])))).scalars())
    return out


def replace_spans(
    conn: Connection, persons: Sequence[str] | None, rows: Iterable[dict[str, Any]]
) -> int:
    """Delete the spans of `persons` (everyone when None), insert `rows`; return how many."""
    if persons is None:
        conn.execute(delete(S))
    else:
        for i in range(0, len(persons), _CHUNK):
            conn.execute(delete(S).where(S.c.person.in_(list(persons[i : i + _CHUNK]))))
    n = 0
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= 50_000:
            bulk_insert(conn, S, batch)
            n += len(batch)
            batch = []
    bulk_insert(conn, S, batch)
    return n + len(batch)


# --- reference data ----------------------------------------------------------------------


def list_recognisers(conn: Connection) -> list[tuple[str, str]]:
    """Return (id, name) of current organisations of kind `recogniser`, by id."""
    o = organisation
    stmt = select(o.c.id, o.c.name).where(o.c.kind == "recogniser", o.c.retracted.is_(None))
    return sorted((r.id, r.name) for r in conn.execute(stmt))


def is_synthetic(conn: Connection) -> bool:
    """True when a current meta record says the data is synthetic."""
    stmt = select(meta.c.synthetic).where(meta.c.retracted.is_(None))
    return any(bool(r.synthetic) for r in conn.execute(stmt))


# --- stocks ------------------------------------------------------------------------------


def _span_known(known_on: str | None) -> Any:
    if known_on is None:
        return S.c.tt == END_TS
    return and_(S.c.tf <= known_on, S.c.tt > known_on)


def _holding(state: str, org: str, day: str, known_on: str | None) -> Any:
    """Spans of `state` by `org` holding on `day` as known on K."""
    return and_(
        S.c.state == state,
        S.c.org == org,
        S.c.vt > day,
        S.c.vf <= day,
        _span_known(known_on),
    )


def _stock_persons(org: str, day: str, known_on: str | None, *, retroactive: bool = False) -> Any:
    """A subquery (column `person`) of the political prisoners of `org` on `day`."""
    if not retroactive:
        return select(S.c.person).where(_holding("prisoner", org, day, known_on)).subquery()
    r = S.alias("r")
    still = select(literal(1)).where(
        r.c.person == S.c.person,
        r.c.state == "recognition",
        r.c.org == org,
        r.c.vt == END_DAY,
        (r.c.tt == END_TS) if known_on is None else and_(r.c.tf <= known_on, r.c.tt > known_on),
    )
    return (
        select(S.c.person).where(_holding("custody", "", day, known_on), exists(still)).subquery()
    )


def count_stock(conn: Connection, state: str, org: str, day: str, known_on: str | None) -> int:
    """Count people in `state` (of `org`) on `day` as known on K."""
    stmt = select(func.count()).select_from(S).where(_holding(state, org, day, known_on))
    return int(conn.execute(stmt).scalar_one())


def stock_breakdown(
    conn: Connection, org: str, day: str, known_on: str | None, *, retroactive: bool = False
) -> list[tuple[str | None, str | None, int]]:
    """Return (`sex|region`, articles joined by `|`, count) of the political prisoners of
    `org` on `day`, in one pass.

    Sex and region are those of the person version known on K; the articles those of the
    case counting on `day` (latest conviction, else charge). None where there is none.
    """
    pp = _stock_persons(org, day, known_on, retroactive=retroactive)
    ps, c = S.alias("ps"), S.alias("c")
    on_person = and_(ps.c.person == pp.c.person, ps.c.state == "person", _alias_known(ps, known_on))
    on_case = and_(
        c.c.person == pp.c.person,
        c.c.state == "case",
        c.c.vf <= day,
        c.c.vt > day,
        _alias_known(c, known_on),
    )
    stmt = (
        select(ps.c.org, c.c.org, func.count())
        .select_from(pp.outerjoin(ps, on_person).outerjoin(c, on_case))
        .group_by(ps.c.org, c.c.org)
    )
    return [(r[0], r[1], int(r[2])) for r in conn.execute(stmt)]


def _alias_known(span: Any, known_on: str | None) -> Any:
    if known_on is None:
        return span.c.tt == END_TS
    return and_(span.c.tf <= known_on, span.c.tt > known_on)


def span_day_counts(
    conn: Connection, state: str, org: str, until: str, known_on: str | None, *, asof: bool
) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Return (starts, ends): how many spans begin and end on each day up to `until`.

    The stock on D is then starts up to D minus ends up to D. With `asof`, the bounds are
    the "as known then" ones (`af`, `at`) and `known_on` is ignored.
    """
    if asof:
        lo, hi, cond = S.c.af, S.c.at, S.c.af < S.c.at
    else:
        lo, hi, cond = S.c.vf, S.c.vt, _span_known(known_on)
    where = and_(S.c.state == state, S.c.org == org, cond)
    starts = select(lo, func.count()).where(where, lo <= until).group_by(lo)
    ends = select(hi, func.count()).where(where, hi <= until).group_by(hi)
    return (
        [(r[0], int(r[1])) for r in conn.execute(starts)],
        [(r[0], int(r[1])) for r in conn.execute(ends)],
    )


# --- flows -------------------------------------------------------------------------------


class Buckets:
    """Periods as SQL: which period an effective date falls in, and what was known then.

    Periods are calendar steps (`month`, `quarter`, `year`) clipped to [start, end], keyed by
    their label (`2025-04`, `2025-Q2`, `2025`); or, with `step` None, the one period
    [start, end] keyed `end`. Text keys sort like time, so "as known at the end of the row's
    own period" needs no date arithmetic: a version recorded on day r is known then when
    key(r) <= key(day) and r <= end (the last period may stop before its calendar end).

    Args:
        start: first day of the first period (ISO).
        end: last day of the last period (ISO).
        step: `month`, `quarter`, `year`, or None for a single period.
        known_on: a fixed K (stored form), None for current, or "asof" (needs a step).
    """

    def __init__(self, start: str, end: str, step: str | None, known_on: str | None) -> None:
        if known_on == "asof" and step is None:
            raise ValueError("'asof' needs calendar steps")
        self.start, self.end, self.step, self.known_on = start, end, step, known_on

    def key(self, day: Any) -> Any:
        """The label of the period of `day` (an ISO day or the start of a timestamp)."""
        if self.step is None:
            return literal(self.end)
        year = func.substr(day, 1, 4, type_=String)
        if self.step == "year":
            return year
        month = func.substr(day, 6, 2, type_=String)
        if self.step == "month":
            return year + "-" + month
        q = case((month <= "03", "1"), (month <= "06", "2"), (month <= "09", "3"), else_="4")
        return year + "-Q" + q

    def in_range(self, day: Any) -> Any:
        """`day` lies in one of the periods.

        For end kinds (`day` is `date_hi`) a redundant bound on `date_lo` lets the search use
        ix_event_kind_date: a partial date spans at most a year, so date_hi >= start implies
        date_lo > start - 366 days, and date_hi <= end implies date_lo <= end.
        """
        cond = and_(day >= self.start, day <= self.end)
        if day is event.c.date_hi:
            lo = (date.fromisoformat(self.start) - timedelta(days=366)).isoformat()
            cond = and_(event.c.date_lo > lo, event.c.date_lo <= self.end, cond)
        return cond

    def _known_by(self, since: Any, until: Any, day: Any, *, open_end: Any) -> Any:
        """Transaction time [since, until) covers K (with asof: the end of `day`'s period).

        `open_end` is the condition of a range still open today (a null `retracted`, or the
        sentinel `tt` of spans).
        """
        if self.known_on is None:
            return open_end
        if self.known_on != "asof":
            return and_(since <= self.known_on, or_(open_end, until > self.known_on))
        s_day = func.substr(since, 1, 10, type_=String)
        u_day = func.substr(until, 1, 10, type_=String)
        later = or_(open_end, self.key(u_day) > self.key(day), u_day > self.end)
        return and_(s_day <= self.end, self.key(s_day) <= self.key(day), later)

    def known(self, table: Any, day: Any) -> Any:
        """Versions of `table` known on K (per row's period with "asof")."""
        c = table.c
        return self._known_by(c.recorded, c.retracted, day, open_end=c.retracted.is_(None))

    def span_known(self, span: Any, day: Any) -> Any:
        """Spans known on K (per row's period with "asof")."""
        return self._known_by(span.c.tf, span.c.tt, day, open_end=span.c.tt == END_TS)


def _events(b: Buckets, kinds: Sequence[str], day: Any) -> Any:
    e = event
    return and_(e.c.kind.in_(kinds), b.in_range(day), b.known(e, day))


def flow_recognised(conn: Connection, b: Buckets, org: str) -> dict[str, int]:
    """Distinct people with a `recognised` event by `org`, per period end."""
    e = event
    key = b.key(e.c.date_lo).label("k")
    stmt = (
        select(key, func.count(distinct(e.c.person)))
        .where(_events(b, ("recognised",), e.c.date_lo), e.c.by == org)
        .group_by(key)
    )
    return {r[0]: int(r[1]) for r in conn.execute(stmt)}


def _stood(b: Buckets, state: str, org: str, day: Any, *, day_before: bool) -> Any:
    """EXISTS a span of `state` holding on `day` (or on the day before it)."""
    s = S.alias("s")
    holds = and_(s.c.vf < day, s.c.vt >= day) if day_before else and_(s.c.vf <= day, s.c.vt > day)
    return exists(
        select(literal(1)).where(
            s.c.person == event.c.person,
            s.c.state == state,
            s.c.org == org,
            holds,
            b.span_known(s, day),
        )
    )


def flow_released(
    conn: Connection, b: Buckets, org: str
) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """Releases of people who were political prisoners of `org` the day before.

    Returns ({period key: {basis: events}}, {period key: distinct people}).
    """
    e = event
    key = b.key(e.c.date_hi).label("k")
    basis = json_text(conn, e.c.details, "basis").label("basis")
    stmt = select(key, e.c.person, basis).where(
        _events(b, ("released",), e.c.date_hi),
        _stood(b, "prisoner", org, e.c.date_hi, day_before=True),
    )
    # One pass; the (few) qualifying releases are counted here, per basis and per person.
    by_basis: dict[str, dict[str, int]] = {}
    people: dict[str, set[str]] = {}
    for k, person_id, bs in conn.execute(stmt):
        counts = by_basis.setdefault(k, {})
        counts[bs or "other"] = counts.get(bs or "other", 0) + 1
        people.setdefault(k, set()).add(person_id)
    return by_basis, {k: len(v) for k, v in people.items()}


def flow_died(conn: Connection, b: Buckets, org: str) -> dict[str, dict[str, int]]:
    """Deaths of people whose recognition by `org` stood that day: {period end: {where: n}}."""
    e = event
    key = b.key(e.c.date_hi).label("k")
    in_custody = case(
        (_stood(b, "custody", "", e.c.date_hi, day_before=True), "in_custody"),
        else_="after_release",
    ).label("where")
    stmt = (
        select(key, in_custody, func.count())
        .where(
            _events(b, ("died",), e.c.date_hi),
            _stood(b, "recognition", org, e.c.date_hi, day_before=False),
        )
        .group_by(key, in_custody)
    )
    out: dict[str, dict[str, int]] = {}
    for k, where, n in conn.execute(stmt):
        out.setdefault(k, {})[where] = int(n)
    return out


def flow_absentia(conn: Connection, b: Buckets) -> dict[str, tuple[int, int]]:
    """In-absentia convictions: {period end: (distinct people, events)}."""
    e = event
    key = b.key(e.c.date_lo).label("k")
    stmt = (
        select(key, func.count(distinct(e.c.person)), func.count())
        .where(_events(b, ("convicted_in_absentia",), e.c.date_lo))
        .group_by(key)
    )
    return {r[0]: (int(r[1]), int(r[2])) for r in conn.execute(stmt)}


def flow_prosecuted(conn: Connection, b: Buckets) -> dict[str, int]:
    """Distinct people with a criminal charge or conviction (also in absentia), per period."""
    e = event
    key = b.key(e.c.date_lo).label("k")
    stmt = (
        select(key, func.count(distinct(e.c.person)))
        .where(
            _events(b, ("charged", "convicted", "convicted_in_absentia"), e.c.date_lo),
            json_text(conn, e.c.details, "proceeding") == "criminal",
        )
        .group_by(key)
    )
    return {r[0]: int(r[1]) for r in conn.execute(stmt)}
