"""Writes by hand: add a record (a new version), retract an event — through the write path."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from khronika.registry.validate import RawRecord
from khronika.registry.writes import ImportReport, retract, write_versions
from khronika.storage import Database

__all__ = ["add_record", "retract_event"]


def add_record(
    db: Database, record: dict[str, Any], *, by: str | None = None, now: datetime | None = None
) -> ImportReport:
    """Add one record (or a new version of it) with the importer's rules.

    Raises:
        ImportRejected: the record is invalid or references unknown records.
    """
    return write_versions(db, [RawRecord("<input>:1", record)], recorded_by=by, now=now)


def retract_event(
    db: Database,
    event_id: str,
    *,
    reason: str,
    by: str | None = None,
    now: datetime | None = None,
    if_version: str | None = None,
) -> None:
    """Retract the current version of an event: it stays in history, marked with why.

    Raises:
        NotFound: no current version of the event exists.
        Conflict: the retraction time is not after the version's `recorded`.
        EditConflict: `if_version` is given and the event changed since.
    """
    retract(db, "event", event_id, reason=reason, by=by, now=now, if_version=if_version)
