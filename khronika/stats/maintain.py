"""Keep the figures cache (`stats_span`, `stats_flow`, `stats_daily`) equal to what the
records say.

The cache is derived: `rebuild_spans` recomputes it for everyone; `refresh_spans` for the
people an import, a retraction or a merge touched, inside the writer's own transaction so
that the cache and the records can never disagree after a commit (or after a crash).

    !!! Every code path that writes event versions or person-person judgements must call
    !!! `refresh_spans` with the people it touched, in the same transaction (the importer,
    !!! `retract_event` and the review do). A writer that cannot, must call
    !!! `invalidate_spans`; the next figure rebuilds the cache.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import groupby
from typing import Any

import orjson
from sqlalchemy import Connection

from khronika.identity import Merge, merge_history, resolve_merges
from khronika.model.dates import END_DAY, END_TS
from khronika.stats.daily import DailyKey, contributions, deltas, keys_of
from khronika.stats.spans import CASE_KINDS, FIRST_DAY, EventVersion, PersonVersion, derive
from khronika.storage import Database
from khronika.storage.stats import (
    add_daily,
    count_people,
    load_derived,
    load_merge_judgements,
    load_person_versions,
    load_span_events,
    mark_spans,
    replace_daily,
    replace_derived,
    spans_built,
)

__all__ = ["SPANS_VERSION", "ensure_spans", "invalidate_spans", "rebuild_spans", "refresh_spans"]

# Above this many people, an import marks the cache stale instead of refreshing it inside
# its transaction: the next figure rebuilds it whole, once, which is cheaper than refreshing
# in the write path (a million-event import would spend a third of its time here).
_FULL = 5_000
#: The version of the derivation; a cache built by another version is rebuilt on first use.
#: Bump it whenever `khronika.stats.spans` or `_rows` changes what they produce.
SPANS_VERSION = "6"

Tagged = tuple[str, dict[str, Any]]
Progress = Callable[[str, int, int], None]


#: Kinds whose JSON details the derivation reads (proceeding, articles, basis).
_PROSECUTION = frozenset(("charged", "convicted", "convicted_in_absentia"))
_DETAILED = _PROSECUTION | {"released"}


def _event_version(r: Any) -> EventVersion:
    """The fields spans and flows need from an event row (details parsed once, here)."""
    kind = r.kind
    articles = basis = ""
    criminal = False
    if r.details and kind in _DETAILED:
        details = orjson.loads(r.details)
        if kind in CASE_KINDS:
            articles = "|".join(sorted(set(details.get("articles") or ())))
        if kind == "released":
            basis = details.get("basis") or ""
        else:
            criminal = details.get("proceeding", "criminal") == "criminal"
    elif kind in _PROSECUTION:
        criminal = True  # no details: the proceeding defaults to criminal
    return EventVersion(
        r.person,
        r.id,
        kind,
        r.date_lo,
        r.date_hi,
        r.seq,
        r.by,
        r.recorded,
        r.retracted,
        articles,
        basis,
        criminal,
    )


def _span_row(
    person_id: str, state: str, org: str, vf: str, vt: str, detail: str, tf: str, tt: str
) -> dict[str, Any]:
    return {
        "person": person_id,
        "state": state,
        "org": org,
        "vf": vf,
        "vt": vt,
        "detail": detail,
        "tf": tf,
        "tt": tt,
        # [af, at): the days on which the span holds as known at the end of that day.
        "af": max(vf, tf[:10]),
        "at": min(vt, tt[:10]),
    }


def _derived(
    versions: Sequence[EventVersion], people: Sequence[PersonVersion], merges: Sequence[Merge] = ()
) -> Iterator[Tagged]:
    spans, flows = derive(versions, merges, people)
    for s in spans:
        yield "span", _span_row(s.person, s.state, s.org, s.vf, s.vt, s.detail, s.tf, s.tt)
    for f in flows:
        yield (
            "flow",
            {
                "person": f.person,
                "event": f.event,
                "flow": f.flow,
                "org": f.org,
                "day": f.day,
                "attr": f.attr,
                "prev": f.prev,
                "tf": f.tf,
                "tt": f.tt,
            },
        )


def _rows(
    events: Iterable[Any], person_rows: Iterable[Any], merges: list[Merge]
) -> Iterator[Tagged]:
    """Turn event rows and person versions, both ordered by person, into derived rows.

    People who were ever merged are derived together, cluster by cluster, at the end.
    """
    cluster_of = resolve_merges((m.a, m.b) for m in merges)
    pending: dict[str, tuple[list[EventVersion], list[PersonVersion]]] = {
        root: ([], []) for root in cluster_of.values()
    }
    tagged = heapq.merge(
        ((r[0], 0, r) for r in events), ((r[0], 1, r) for r in person_rows), key=lambda t: t[0]
    )
    for person_id, group in groupby(tagged, key=lambda t: t[0]):
        versions: list[EventVersion] = []
        people: list[PersonVersion] = []
        for _, tag, r in group:
            if tag == 1:
                # The person's sex and region, valid every day, for as long as the version was
                # (the retroactive stock joins them; prisoner spans carry their own copy).
                region = r.region or ""
                yield (
                    "span",
                    _span_row(
                        person_id,
                        "person",
                        f"{r.sex}|{region}",
                        FIRST_DAY,
                        END_DAY,
                        "",
                        r.recorded,
                        r.retracted or END_TS,
                    ),
                )
                people.append(PersonVersion(person_id, r.sex, region, r.recorded, r.retracted))
            else:
                versions.append(_event_version(r))
        root = cluster_of.get(person_id)
        if root is not None:
            pending[root][0].extend(versions)
            pending[root][1].extend(people)
        elif versions:
            yield from _derived(versions, people)
    for root, (versions, people) in pending.items():
        yield from _derived(versions, people, [m for m in merges if cluster_of[m.a] == root])


def rebuild_spans(conn: Connection, progress: Progress | None = None) -> int:
    """Recompute the spans, flow rows and daily totals of everyone; return how many spans.

    `progress`, if given, is called as ("figures", people done, people) while it works.
    """
    merges = merge_history(load_merge_judgements(conn))
    totals: Counter[DailyKey] = Counter()
    person_rows: Iterable[Any] = load_person_versions(conn, None)
    if progress is not None:
        person_rows = _reporting(person_rows, count_people(conn), progress)
    rows = _rows(load_span_events(conn, None), person_rows, merges)
    counts = replace_derived(conn, None, _counted(rows, totals))
    replace_daily(conn, totals)
    mark_spans(conn, SPANS_VERSION)
    return counts["span"]


def _reporting(person_rows: Iterable[Any], total: int, progress: Progress) -> Iterator[Any]:
    """Pass person versions on (ordered by id), reporting every 10,000th new person."""
    done, last = 0, None
    progress("figures", 0, total)
    for r in person_rows:
        if r[0] != last:
            done, last = done + 1, r[0]
            if done % 10_000 == 0:
                progress("figures", done, total)
        yield r
    progress("figures", total, total)


def _counted(rows: Iterable[Tagged], totals: Counter[DailyKey]) -> Iterator[Tagged]:
    """Pass `rows` on, adding what they contribute to the daily totals to `totals`."""
    keys: list[DailyKey] = []
    for tag, row in rows:
        keys.extend(keys_of(tag, row))
        if len(keys) >= 100_000:  # one Counter.update per batch: per row it costs more
            totals.update(keys)
            keys.clear()
        yield tag, row
    totals.update(keys)


def refresh_spans(conn: Connection, persons: Sequence[str]) -> None:
    """Recompute the spans, flow rows and daily totals of `persons` (call it in the
    transaction that changed them; with everyone ever merged with them).

    Does nothing while the cache is not built: the first figure will build it whole.
    """
    if not persons or not spans_built(conn, SPANS_VERSION):
        return
    if len(persons) > _FULL:
        invalidate_spans(conn)
        return
    merges = merge_history(load_merge_judgements(conn))
    cluster_of = resolve_merges((m.a, m.b) for m in merges)
    roots = {cluster_of[p] for p in persons if p in cluster_of}
    ids = sorted(set(persons) | {p for p, root in cluster_of.items() if root in roots})
    merges = [m for m in merges if cluster_of[m.a] in roots]
    old = contributions(load_derived(conn, ids))
    rows = list(_rows(load_span_events(conn, ids), load_person_versions(conn, ids), merges))
    replace_derived(conn, ids, rows)
    add_daily(conn, deltas(old, contributions(rows)))


def invalidate_spans(conn: Connection) -> None:
    """Mark the cache stale: the next figure rebuilds it."""
    mark_spans(conn, None)


def ensure_spans(db: Database, progress: Progress | None = None) -> None:
    """Build the cache when it is not (a database migrated with data, or invalidated)."""
    with db.connect() as conn:
        if spans_built(conn, SPANS_VERSION):
            return
    with db.begin() as conn:
        if not spans_built(conn, SPANS_VERSION):
            rebuild_spans(conn, progress)
