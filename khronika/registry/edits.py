"""Writes by hand: add a record (a new version), retract an event."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from khronika.errors import Conflict, ImportRejected, NotFound
from khronika.interchange.importer import ImportReport, import_records
from khronika.interchange.validate import RawRecord
from khronika.model.dates import now_timestamp, storage_timestamp
from khronika.stats.maintain import refresh_spans
from khronika.storage import Database
from khronika.storage.versions import current_version, set_retracted

__all__ = ["add_record", "retract_event"]


def add_record(
    db: Database, record: dict[str, Any], *, by: str | None = None, now: datetime | None = None
) -> ImportReport:
    """Add one record (or a new version of it) with the importer's rules.

    Raises:
        ImportRejected: the record is invalid or references unknown records.
    """
    report = import_records(db, [RawRecord("<input>:1", record)], recorded_by=by, now=now)
    return report


def retract_event(
    db: Database, event_id: str, *, reason: str, by: str | None = None, now: datetime | None = None
) -> None:
    """Retract the current version of an event: it stays in history, marked with why.

    Raises:
        NotFound: no current version of the event exists.
        Conflict: the retraction time is not after the version's `recorded`.
    """
    if not reason.strip():
        raise ImportRejected(["<input>: reason: a retraction needs a reason"])
    when = storage_timestamp(now or now_timestamp())
    with db.begin() as conn:
        row = current_version(conn, "event", event_id)
        if row is None:
            raise NotFound(f"event {event_id!r} has no current version")
        if row.recorded >= when:
            raise Conflict(f"event {event_id!r} was recorded at {row.recorded}, after {when}")
        set_retracted(conn, "event", [(row.pk, when, reason)], by=by)
        refresh_spans(conn, [row.person])
