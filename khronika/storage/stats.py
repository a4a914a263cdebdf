"""Every SQL statement of the figures: span maintenance, stocks on a day, flows in periods.

Stocks read the `stats_span` cache, flows the `stats_flow` one and series the per-day totals
of both in `stats_daily` (see `schema.stats`); all three are derived from the event versions
by `khronika.stats.maintain`. "Known on K" is `tf <= K < tt`; K None means the rows still
open in transaction time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import orjson
from sqlalchemy import (
    Connection,
    String,
    and_,
    bindparam,
    case,
    delete,
    distinct,
    exists,
    func,
    literal,
    or_,
    select,
)

from khronika.model.events import DERIVED_KINDS
from khronika.storage.dialects import bulk_insert, upsert_add
from khronika.storage.schema import event, meta, organisation, person, tables
from khronika.storage.schema.review import review_judgement
from khronika.storage.schema.stats import (
    END_DAY,
    END_TS,
    stats_daily,
    stats_flow,
    stats_span,
    stats_state,
)

__all__ = [
    "Buckets",
    "add_daily",
    "count_people",
    "count_stock",
    "daily_stock",
    "daily_stock_known",
    "daily_totals",
    "flow_day_counts",
    "is_synthetic",
    "list_recognisers",
    "load_derived",
    "load_merge_judgements",
    "load_person_versions",
    "load_span_events",
    "mark_spans",
    "persons_of_versions",
    "replace_daily",
    "replace_derived",
    "span_day_counts",
    "spans_built",
    "stock_breakdown",
]

S = stats_span
_CHUNK = 5_000


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
    """Yield every version of events spans and flows depend on (of `persons`, or everyone).

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
    base = select(*cols).where(e.c.kind.in_(DERIVED_KINDS)).order_by(e.c.person)
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


def count_people(conn: Connection) -> int:
    """Return how many people (ids) have a version stored."""
    return int(conn.execute(select(func.count(distinct(person.c.id)))).scalar_one())


def persons_of_versions(conn: Connection, rtype: str, pks: Sequence[int]) -> set[str]:
    """Return the people of the `event` or `person` versions with primary keys `pks`."""
    t = tables[rtype]
    col = t.c.person if rtype == "event" else t.c.id
    out: set[str] = set()
    for i in range(0, len(pks), _CHUNK):
        out.update(conn.execute(select(col).where(t.c.pk.in_(list(pks[i : i + _CHUNK])))).scalars())
    return out


def load_merge_judgements(conn: Connection) -> list[tuple[int, int, str, str, str, str, Any]]:
    """Return every `person-person` judgement (retracted ones too), the stuff of merges.

    Rows: (candidate, id, a, b, decision, recorded, retracted).
    """
    j = review_judgement.c
    stmt = select(j.candidate, j.id, j.a, j.b, j.decision, j.recorded, j.retracted).where(
        j.kind == "person-person"
    )
    return [tuple(r) for r in conn.execute(stmt)]


def replace_derived(
    conn: Connection, persons: Sequence[str] | None, rows: Iterable[tuple[str, dict[str, Any]]]
) -> dict[str, int]:
    """Delete the spans and flow rows of `persons` (everyone when None) and insert `rows`.

    Args:
        rows: ("span", row) or ("flow", row) pairs, in any mix.

    Returns:
        How many rows of each were inserted: {"span": n, "flow": n}.
    """
    targets = {"span": S, "flow": stats_flow}
    for table in targets.values():
        if persons is None:
            conn.execute(delete(table))
        else:
            for i in range(0, len(persons), _CHUNK):
                conn.execute(delete(table).where(table.c.person.in_(list(persons[i : i + _CHUNK]))))
    if persons is None:
        # Everyone: indexes built once over the sorted rows cost less than kept up row by
        # row (DDL is transactional on both engines: a crash leaves them as they were).
        indexes = [ix for table in targets.values() for ix in table.indexes]
        for ix in indexes:
            ix.drop(conn)
        counts = _insert_tagged(conn, targets, rows)
        for ix in indexes:
            ix.create(conn)
        return counts
    return _insert_tagged(conn, targets, rows)


def _insert_tagged(
    conn: Connection, targets: Mapping[str, Any], rows: Iterable[tuple[str, dict[str, Any]]]
) -> dict[str, int]:
    """Insert tagged rows into their tables in batches; return how many of each."""
    batches: dict[str, list[dict[str, Any]]] = {"span": [], "flow": []}
    counts = {"span": 0, "flow": 0}
    for tag, row in rows:
        batch = batches[tag]
        batch.append(row)
        if len(batch) >= 50_000:
            bulk_insert(conn, targets[tag], batch)
            counts[tag] += len(batch)
            batch.clear()
    for tag, batch in batches.items():
        bulk_insert(conn, targets[tag], batch)
        counts[tag] += len(batch)
    return counts


def load_derived(conn: Connection, persons: Sequence[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield the stored spans and flow rows of `persons`, tagged like `replace_derived` takes
    them (the columns the daily totals count)."""
    F = stats_flow
    span_cols = (S.c.state, S.c.org, S.c.vf, S.c.vt, S.c.tf, S.c.tt, S.c.af, S.c.at)
    flow_cols = (F.c.flow, F.c.org, F.c.day, F.c.attr, F.c.prev, F.c.tf, F.c.tt)
    for i in range(0, len(persons), _CHUNK):
        chunk = list(persons[i : i + _CHUNK])
        for r in conn.execute(select(*span_cols).where(S.c.person.in_(chunk))).mappings():
            yield "span", dict(r)
        for r in conn.execute(select(*flow_cols).where(F.c.person.in_(chunk))).mappings():
            yield "flow", dict(r)


_DAILY_COLUMNS = ("what", "org", "day", "attr", "measure")


def replace_daily(conn: Connection, totals: Mapping[tuple[str, str, str, str, str], int]) -> None:
    """Replace every daily total (keys: what, org, day, attr, measure)."""
    conn.execute(delete(stats_daily))
    rows = [dict(zip(_DAILY_COLUMNS, k, strict=True), n=n) for k, n in totals.items() if n]
    for i in range(0, len(rows), 50_000):
        bulk_insert(conn, stats_daily, rows[i : i + 50_000])


def add_daily(conn: Connection, deltas: Mapping[tuple[str, str, str, str, str], int]) -> None:
    """Add `deltas` to the daily totals (a total that reaches 0 is removed).

    Safe beside other writers: each addition is one atomic upsert.
    """
    if not deltas:
        return
    rows = [{**dict(zip(_DAILY_COLUMNS, k, strict=True)), "n": n} for k, n in deltas.items()]
    upsert_add(conn, stats_daily, rows, _DAILY_COLUMNS, "n")
    d = stats_daily.c
    where = and_(*(d[c] == bindparam(f"k_{c}") for c in _DAILY_COLUMNS), d.n == 0)
    conn.execute(
        delete(stats_daily).where(where),
        [{f"k_{c}": r[c] for c in _DAILY_COLUMNS} for r in rows],
    )


def daily_stock(conn: Connection, state: str, org: str, day: str) -> int:
    """Count people in `state` (of `org`) on `day` as known now, from the daily totals:
    spans begun by then minus spans ended by then."""
    return _signed_sum(conn, state, org, ("starts", "ends"), stats_daily.c.day <= day)


def daily_stock_known(conn: Connection, state: str, org: str, day: str, known_day: str) -> int:
    """Count people in `state` (of `org`) on `day` as known at the end of `known_day`, from
    the corner totals of the daily table (khronika.stats.daily)."""
    d = stats_daily.c
    where = and_(d.day <= day, d.attr <= known_day)
    return _signed_sum(conn, state, org, ("corner+", "corner-"), where)


def _signed_sum(
    conn: Connection, state: str, org: str, measures: tuple[str, str], where: Any
) -> int:
    """Sum of the first measure minus the second, over the daily totals of `state` matching."""
    d = stats_daily.c
    stmt = (
        select(d.measure, func.sum(d.n))
        .where(d.what == f"span:{state}", d.org == org, d.measure.in_(measures), where)
        .group_by(d.measure)
    )
    sums = {m: int(n) for m, n in conn.execute(stmt)}
    return sums.get(measures[0], 0) - sums.get(measures[1], 0)


def daily_totals(
    conn: Connection, what: str, org: str, measures: Sequence[str], start: str, end: str
) -> list[tuple[str, str, str, int]]:
    """Return (day, attr, measure, n) of the daily totals of `what` by `org` in [start, end]."""
    d = stats_daily.c
    stmt = select(d.day, d.attr, d.measure, d.n).where(
        d.what == what, d.org == org, d.measure.in_(list(measures)), d.day >= start, d.day <= end
    )
    return [(r[0], r[1], r[2], int(r[3])) for r in conn.execute(stmt)]


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


def is_known_on(table: Any, k: str | None) -> Any:
    """Rows of a derived table (a span or flow table, or an alias of one) known on K.

    Args:
        table: a table with transaction-time columns `tf` and `tt`.
        k: K in stored form, or None for what is known now (the open end `END_TS`).
    """
    if k is None:
        return table.c.tt == END_TS
    return and_(table.c.tf <= k, table.c.tt > k)


def _holding(state: str, org: str, day: str, known_on: str | None) -> Any:
    """Spans of `state` by `org` holding on `day` as known on K."""
    return and_(
        S.c.state == state,
        S.c.org == org,
        S.c.vt > day,
        S.c.vf <= day,
        is_known_on(S, known_on),
    )


def _retroactive_persons(org: str, day: str, known_on: str | None) -> Any:
    """A subquery (column `person`) of the people in custody on `day` whose last recognition
    event by `org` known on K, whatever its date, is a recognition."""
    r = S.alias("r")
    still = select(literal(1)).where(
        r.c.person == S.c.person,
        r.c.state == "recognition",
        r.c.org == org,
        r.c.vt == END_DAY,
        is_known_on(r, known_on),
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
) -> list[tuple[str, str, str, int]]:
    """Return (sex, region, articles joined by `|`, count) of the political prisoners of
    `org` on `day`; "" where there is none.

    Sex and region are those of the person version known on K; the articles those of the
    case counting on `day` (latest conviction, else charge). Without `retroactive` the
    prisoner spans carry all three (one index range); with it, the person and case spans
    of the people found are joined.
    """
    if not retroactive:
        stmt = (
            select(S.c.detail, func.count())
            .where(_holding("prisoner", org, day, known_on))
            .group_by(S.c.detail)
        )
        out = []
        for detail, n in conn.execute(stmt):
            sex, region, articles = orjson.loads(detail)
            out.append((sex, region, articles, int(n)))
        return out
    pp = _retroactive_persons(org, day, known_on)
    ps, c = S.alias("ps"), S.alias("c")
    on_person = and_(ps.c.person == pp.c.person, ps.c.state == "person", is_known_on(ps, known_on))
    on_case = and_(
        c.c.person == pp.c.person,
        c.c.state == "case",
        c.c.vf <= day,
        c.c.vt > day,
        is_known_on(c, known_on),
    )
    stmt = (
        select(ps.c.org, c.c.org, func.count())
        .select_from(pp.outerjoin(ps, on_person).outerjoin(c, on_case))
        .group_by(ps.c.org, c.c.org)
    )
    rows = []
    for attrs, articles, n in conn.execute(stmt):
        sex, _, region = (attrs or "").partition("|")
        rows.append((sex, region, articles or "", int(n)))
    return rows


def span_day_counts(
    conn: Connection, state: str, org: str, until: str, known_on: str
) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Return (starts, ends): how many spans known on K begin and end on each day up to
    `until` (the stock on D is starts up to D minus ends up to D).

    For a K given to the microsecond; as known now and as known then, the daily totals
    (`daily_totals`) hold the same counts.
    """
    where = and_(S.c.state == state, S.c.org == org, is_known_on(S, known_on))
    starts = select(S.c.vf, func.count()).where(where, S.c.vf <= until).group_by(S.c.vf)
    ends = select(S.c.vt, func.count()).where(where, S.c.vt <= until).group_by(S.c.vt)
    return (
        [(r[0], int(r[1])) for r in conn.execute(starts)],
        [(r[0], int(r[1])) for r in conn.execute(ends)],
    )


# --- flows -------------------------------------------------------------------------------


class Buckets:
    """Periods as SQL: which period a day falls in, as known on one K.

    Periods are calendar steps (`month`, `quarter`, `year`) clipped to [start, end], keyed by
    their label (`2025-04`, `2025-Q2`, `2025`); or, with `step` None, the one period
    [start, end] keyed `end`. Text keys sort like time.

    Args:
        start: first day of the first period (ISO).
        end: last day of the last period (ISO).
        step: `month`, `quarter`, `year`, or None for a single period.
        known_on: K (stored form), None for current.
    """

    def __init__(self, start: str, end: str, step: str | None, known_on: str | None) -> None:
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

    def first_in_period(self, prev: Any, day: Any) -> Any:
        """`prev` (a day, or "" for none) lies before the period of `day`.

        Periods are contiguous from `start`, so that is: before `start`, or in an earlier
        period (labels sort like time).
        """
        if self.step is None:
            return prev < self.start
        return or_(prev < self.start, self.key(prev) < self.key(day))

    def known(self, table: Any) -> Any:
        """Spans or flow rows known on K."""
        return is_known_on(table, self.known_on)


def flow_day_counts(
    conn: Connection, b: Buckets, flow: str, org: str
) -> list[tuple[str, str, int, int]]:
    """Count the rows of `flow` (by `org`) per day and attr in the buckets' range, known on K.

    Returns (day, attr, rows, people): `people` counts the rows that are a person's first
    of the flow in the row's period (their `prev` lies before it), so that summing it over
    a period gives the distinct people.
    """
    F = stats_flow
    first = case((b.first_in_period(F.c.prev, F.c.day), 1), else_=0)
    stmt = (
        select(F.c.day, F.c.attr, func.count(), func.sum(first))
        .where(
            F.c.flow == flow,
            F.c.org == org,
            F.c.day >= b.start,
            F.c.day <= b.end,
            b.known(F),
        )
        .group_by(F.c.day, F.c.attr)
    )
    return [(r[0], r[1], int(r[2]), int(r[3])) for r in conn.execute(stmt)]
