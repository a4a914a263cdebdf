"""Keep the figures cache (`stats_span`) equal to what the events say.

Spans are a cache: `rebuild_spans` recomputes them for everyone; `refresh_spans` for the
people an import or a retraction touched, inside the writer's own transaction so that the
cache and the events can never disagree after a commit (or after a crash).

    !!! Every code path that writes event versions must call `refresh_spans` with the people
    !!! it touched, in the same transaction (the importer and `retract_event` do). A writer
    !!! that cannot, must call `invalidate_spans`; the next figure rebuilds the cache.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Sequence
from itertools import groupby
from typing import Any

import orjson
from sqlalchemy import Connection

from khronika.stats.spans import CASE_KINDS, FIRST_DAY, EventVersion, derive_spans
from khronika.storage import Database
from khronika.storage.stats import (
    load_person_versions,
    load_span_events,
    mark_spans,
    replace_spans,
    spans_built,
)
from khronika.storage.stats_schema import END_DAY, END_TS

__all__ = ["SPANS_VERSION", "ensure_spans", "invalidate_spans", "rebuild_spans", "refresh_spans"]

#: Above this many people, refreshing reads every event once instead of looking people up.
# Above this many people, an import marks the cache stale instead of refreshing it inside
# its transaction: the next figure rebuilds it whole, once, which is cheaper than refreshing
# in the write path (a million-event import would spend a third of its time here).
_FULL = 5_000
#: The version of the span derivation; a cache built by another version is rebuilt on first
#: use. Bump it whenever `khronika.stats.spans` or `_rows` changes what they produce.
SPANS_VERSION = "2"


def _articles(kind: str, details: str | None) -> str:
    if kind not in CASE_KINDS or not details:
        return ""
    return "|".join(sorted(set(orjson.loads(details).get("articles") or ())))


def _span_row(
    person_id: str, state: str, org: str, vf: str, vt: str, tf: str, tt: str
) -> dict[str, Any]:
    return {
        "person": person_id,
        "state": state,
        "org": org,
        "vf": vf,
        "vt": vt,
        "tf": tf,
        "tt": tt,
        # [af, at): the days on which the span holds as known at the end of that day.
        "af": max(vf, tf[:10]),
        "at": min(vt, tt[:10]),
    }


def _rows(events: Iterable[Any], people: Iterable[Any]) -> Iterator[dict[str, Any]]:
    """Turn event rows and person versions, both ordered by person, into span rows."""
    tagged = heapq.merge(
        ((r[0], 0, r) for r in events), ((r[0], 1, r) for r in people), key=lambda t: t[0]
    )
    for person_id, group in groupby(tagged, key=lambda t: t[0]):
        versions: list[EventVersion] = []
        for _, tag, r in group:
            if tag == 1:
                # The person's sex and region, valid every day, for as long as the version was.
                yield _span_row(
                    person_id,
                    "person",
                    f"{r.sex}|{r.region or ''}",
                    FIRST_DAY,
                    END_DAY,
                    r.recorded,
                    r.retracted or END_TS,
                )
            else:
                versions.append(EventVersion(*r[1:9], _articles(r.kind, r.details)))
        for s in derive_spans(versions):
            yield _span_row(person_id, s.state, s.org, s.vf, s.vt, s.tf, s.tt)


def rebuild_spans(conn: Connection) -> int:
    """Recompute the spans of every person; return how many spans there are."""
    rows = _rows(load_span_events(conn, None), load_person_versions(conn, None))
    n = replace_spans(conn, None, rows)
    mark_spans(conn, SPANS_VERSION)
    return n


def refresh_spans(conn: Connection, persons: Sequence[str]) -> None:
    """Recompute the spans of `persons` (call it in the transaction that changed them).

    Does nothing while the cache is not built: the first figure will build it whole.
    """
    if not persons or not spans_built(conn, SPANS_VERSION):
        return
    if len(persons) > _FULL:
        invalidate_spans(conn)
        return
    ids = sorted(set(persons))
    replace_spans(conn, ids, _rows(load_span_events(conn, ids), load_person_versions(conn, ids)))


def invalidate_spans(conn: Connection) -> None:
    """Mark the cache stale: the next figure rebuilds it."""
    mark_spans(conn, None)


def ensure_spans(db: Database) -> None:
    """Build the cache when it is not (a database migrated with data, or invalidated)."""
    with db.connect() as conn:
        if spans_built(conn, SPANS_VERSION):
            return
    with db.begin() as conn:
        if not spans_built(conn, SPANS_VERSION):
            rebuild_spans(conn)
