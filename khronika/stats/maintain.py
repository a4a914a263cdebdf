"""Keep the figures cache (`stats_span`) equal to what the events say.

Spans are a cache: `rebuild_spans` recomputes them for everyone; `refresh_spans` for the
people an import or a retraction touched, inside the writer's own transaction so that the
cache and the events can never disagree after a commit (or after a crash).

    !!! Every code path that writes event versions must call `refresh_spans` with the people
    !!! it touched, in the same transaction (the importer and `retract_event` do). A writer
    !!! that cannot, must call `invalidate_spans`; the next figure rebuilds the cache.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import groupby
from typing import Any

from sqlalchemy import Connection

from khronika.stats.spans import EventVersion, derive_spans
from khronika.storage import Database
from khronika.storage.stats import load_span_events, mark_spans, replace_spans, spans_built

__all__ = ["ensure_spans", "invalidate_spans", "rebuild_spans", "refresh_spans"]

#: Above this many people, refreshing reads every event once instead of looking people up.
_FULL = 50_000


def _rows(events: Iterable[Any]) -> Iterator[dict[str, Any]]:
    """Turn event rows ordered by person into span rows."""
    for person_id, group in groupby(events, key=lambda r: r[0]):
        versions = [EventVersion(*r[1:]) for r in group]
        for s in derive_spans(versions):
            af, at = s.asof
            yield {
                "person": person_id,
                "state": s.state,
                "org": s.org,
                "vf": s.vf,
                "vt": s.vt,
                "tf": s.tf,
                "tt": s.tt,
                "af": af,
                "at": at,
            }


def rebuild_spans(conn: Connection) -> int:
    """Recompute the spans of every person; return how many spans there are."""
    n = replace_spans(conn, None, _rows(load_span_events(conn, None)))
    mark_spans(conn, True)
    return n


def refresh_spans(conn: Connection, persons: Sequence[str]) -> None:
    """Recompute the spans of `persons` (call it in the transaction that changed them).

    Does nothing while the cache is not built: the first figure will build it whole.
    """
    if not persons or not spans_built(conn):
        return
    if len(persons) > _FULL:
        rebuild_spans(conn)
        return
    ids = sorted(set(persons))
    replace_spans(conn, ids, _rows(load_span_events(conn, ids)))


def invalidate_spans(conn: Connection) -> None:
    """Mark the cache stale: the next figure rebuilds it."""
    mark_spans(conn, False)


def ensure_spans(db: Database) -> None:
    """Build the cache when it is not (a database migrated with data, or invalidated)."""
    with db.connect() as conn:
        if spans_built(conn):
            return
    with db.begin() as conn:
        if not spans_built(conn):
            rebuild_spans(conn)
