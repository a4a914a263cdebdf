"""Every SQL statement of the figures: span maintenance, stocks on a day, flows in periods.

Stocks read the `stats_span` cache (see `stats_schema`); flows read the event table
directly (`date_lo`/`date_hi` are the effective dates of begin/end kinds). "Known on K" is
`known_on_clause` for record versions and `tf <= K < tt` for spans; K None means the
current versions (retracted null) and the spans still open in transaction time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import (
    Connection,
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
from khronika.storage.schema import event, meta, organisation, person
from khronika.storage.stats_schema import END_DAY, END_TS, stats_span, stats_state
from khronika.storage.versions import known_on_clause

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
    "mark_spans",
    "persons_of_events",
    "replace_spans",
    "span_day_counts",
    "spans_built",
    "stock_articles",
    "stock_people",
    "stock_persons",
]

S = stats_span
_CHUNK = 5_000
_SPAN_KINDS = ("detained", "released", "died", "recognised", "recognition_withdrawn")
_END_OF_DAY = "T23:59:59.999999Z"


# --- maintenance -------------------------------------------------------------------------


def spans_built(conn: Connection) -> bool:
    """True when `stats_span` holds the spans of every person."""
    row = conn.execute(select(stats_state.c.value).where(stats_state.c.name == "spans")).first()
    return row is not None and row.value == "built"


def mark_spans(conn: Connection, built: bool) -> None:
    """Record whether `stats_span` is complete."""
    conn.execute(delete(stats_state).where(stats_state.c.name == "spans"))
    if built:
        conn.execute(stats_state.insert().values(name="spans", value="built"))


def load_span_events(conn: Connection, persons: Sequence[str] | None) -> Iterator[Any]:
    """Yield every version of state-changing events (of `persons`, or of everyone).

    Rows: person, id, kind, date_lo, date_hi, seq, by, recorded, retracted; ordered by
    person (byte order on both engines, like Python's), so one person's rows are adjacent.
    `persons` must be sorted.
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
    )
    base = select(*cols).where(e.c.kind.in_(_SPAN_KINDS)).order_by(e.c.person)
    if persons is None:
        yield from conn.execute(base.execution_options(yield_per=50_000))
        return
    for i in range(0, len(persons), _CHUNK):
        yield from conn.execute(base.where(e.c.person.in_(list(persons[i : i + _CHUNK]))))


def persons_of_events(conn: Connection, pks: Sequence[int]) -> set[str]:
    """Return the people of the event versions with primary keys `pks`."""
    out: set[str] = set()
    for i in range(0, len(pks), _CHUNK):
        stmt = select(event.c.person).where(event.c.pk.in_(list(pks[i : i + _CHUNK])))
        out.update(conn.execute(stmt).scalars())
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


def stock_people(
    conn: Connection, org: str, day: str, known_on: str | None, *, retroactive: bool = False
) -> list[tuple[str | None, str | None, int]]:
    """Return (sex, region, count) of the political prisoners of `org` on `day`.

    Sex and region are those of the person version known on K (None when none is).
    """
    pp = _stock_persons(org, day, known_on, retroactive=retroactive)
    p = person
    stmt = (
        select(p.c.sex, p.c.region, func.count())
        .select_from(pp.outerjoin(p, and_(p.c.id == pp.c.person, known_on_clause(p, known_on))))
        .group_by(p.c.sex, p.c.region)
    )
    return [(r[0], r[1], int(r[2])) for r in conn.execute(stmt)]


def stock_persons(
    conn: Connection, org: str, day: str, known_on: str | None, *, retroactive: bool = False
) -> list[str]:
    """Return the ids of the political prisoners of `org` on `day` as known on K, sorted."""
    pp = _stock_persons(org, day, known_on, retroactive=retroactive)
    return sorted(conn.execute(select(pp.c.person)).scalars())


def stock_articles(
    conn: Connection, persons: Sequence[str], day: str, known_on: str | None
) -> list[str]:
    """Return the details (JSON) of the latest conviction, else charge, with effective date
    <= `day` of each of `persons`; people with neither have no row."""
    e = event
    rank = (
        func.row_number()
        .over(
            partition_by=e.c.person,
            order_by=(
                case((e.c.kind == "convicted", 1), else_=0).desc(),
                e.c.date_lo.desc(),
                func.coalesce(e.c.seq, 0).desc(),
                e.c.recorded.desc(),
                e.c.id.desc(),
            ),
        )
        .label("rank")
    )
    out: list[str] = []
    # Looked up by person (ix_event_person), a chunk at a time: prisoners are few next to
    # everyone's convictions, and a join lets the SQLite planner scan every conviction.
    for i in range(0, len(persons), _CHUNK):
        ranked = (
            select(e.c.details, rank)
            .where(
                e.c.person.in_(list(persons[i : i + _CHUNK])),
                # coalesce() on a NOT NULL column changes nothing but keeps SQLite's planner
                # off ix_event_kind_date (every conviction) and on ix_event_person.
                func.coalesce(e.c.kind, "").in_(("convicted", "charged")),
                e.c.date_lo <= day,
                known_on_clause(e, known_on),
            )
            .subquery()
        )
        out.extend(conn.execute(select(ranked.c.details).where(ranked.c.rank == 1)).scalars())
    return out


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

    Args:
        start: first day of the first period (ISO).
        ends: last day of each period, ascending; the last is the end of the range.
        known_on: a fixed K (stored form), None for current, or "asof" for the end of each
            row's own period.
    """

    def __init__(self, start: str, ends: Sequence[str], known_on: str | None) -> None:
        self.start, self.ends, self.known_on = start, list(ends), known_on

    def key(self, day: Any) -> Any:
        """The period end of `day` (NULL outside the range)."""
        return case(*[(day <= e, e) for e in self.ends])

    def in_range(self, day: Any) -> Any:
        """`day` lies in one of the periods."""
        return and_(day >= self.start, day <= self.ends[-1])

    def known(self, table: Any, day: Any) -> Any:
        """Versions of `table` known on K (per row's period with "asof")."""
        if self.known_on != "asof":
            return known_on_clause(table, self.known_on)
        k = case(*[(day <= e, e + _END_OF_DAY) for e in self.ends])
        return and_(table.c.recorded <= k, or_(table.c.retracted.is_(None), table.c.retracted > k))

    def span_known(self, span: Any, day: Any) -> Any:
        """Spans known on K (per row's period with "asof")."""
        if self.known_on != "asof":
            if self.known_on is None:
                return span.c.tt == END_TS
            return and_(span.c.tf <= self.known_on, span.c.tt > self.known_on)
        k = case(*[(day <= e, e + _END_OF_DAY) for e in self.ends])
        return and_(span.c.tf <= k, span.c.tt > k)


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

    Returns ({period end: {basis: events}}, {period end: distinct people}).
    """
    e = event
    key = b.key(e.c.date_hi).label("k")
    basis = json_text(conn, e.c.details, "basis").label("basis")
    where = and_(
        _events(b, ("released",), e.c.date_hi),
        _stood(b, "prisoner", org, e.c.date_hi, day_before=True),
    )
    by_basis: dict[str, dict[str, int]] = {}
    for k, bs, n in conn.execute(
        select(key, basis, func.count()).where(where).group_by(key, basis)
    ):
        by_basis.setdefault(k, {})[bs or "other"] = by_basis.get(k, {}).get(bs or "other", 0) + int(
            n
        )
    persons = {
        r[0]: int(r[1])
        for r in conn.execute(
            select(key, func.count(distinct(e.c.person))).where(where).group_by(key)
        )
    }
    return by_basis, persons


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
