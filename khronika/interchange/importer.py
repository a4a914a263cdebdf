"""Import records into the database: all or nothing, idempotent, history kept.

Reading a file's records is `khronika.interchange.ndjson` / `csvzip`; this adds what belongs
to a file (another group's ids under a prefix) and hands the records to the one write path,
`khronika.registry.writes.write_versions`, whose docstring (and docs/format.md) states the
rules. Everything is checked before anything is written, in one transaction, so a crash
(even SIGKILL) leaves the database as it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from khronika.errors import InvalidValue
from khronika.interchange.exporter import EXPORT_HEADER
from khronika.model.records import ID_PATTERN
from khronika.registry.validate import RawRecord
from khronika.registry.writes import ImportReport, Progress, write_versions
from khronika.storage import Database

__all__ = ["ImportReport", "import_records"]


def import_records(
    db: Database,
    records: Iterable[RawRecord],
    *,
    prefix: str | None = None,
    skip_invalid: bool = False,
    recorded_by: str | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Validate `records` and write them to `db` in one transaction.

    Args:
        db: the database (migrated).
        records: raw records with their `FILE:LINE`.
        prefix: namespace every id of the file as `PREFIX:id` (references too), so that
            another group's `p1` cannot touch yours.
        skip_invalid: import the valid records and report the others, instead of
            rejecting the whole import.
        recorded_by: who is importing; kept with versions that do not say.
        now: the import time (new versions without `recorded` get it); default: now.
        progress: called as (phase, done, total) while working.

    Returns:
        What was added, left unchanged, superseded and rejected.

    Raises:
        ImportRejected: when any record is invalid and `skip_invalid` is False; nothing
            was written.
    """
    if prefix is not None and (not re.fullmatch(ID_PATTERN, prefix) or ":" in prefix):
        raise InvalidValue(f"prefix {prefix!r}: letters, digits and . ~ @ + - _ only")
    # An export's header line describes the file it heads; it is no record to import.
    records = (
        r for r in records if not (isinstance(r.data, dict) and r.data.get("type") == EXPORT_HEADER)
    )
    if prefix is not None:
        records = _prefixed(list(records), prefix)
    return write_versions(
        db,
        records,
        skip_invalid=skip_invalid,
        recorded_by=recorded_by,
        now=now,
        progress=progress,
    )


def _prefixed(raws: list[RawRecord], prefix: str) -> list[RawRecord]:
    """Namespace ids and references as `PREFIX:id` (facility details only when they name a
    facility of the same file)."""
    facilities = {
        r.data.get("id")
        for r in raws
        if isinstance(r.data, dict) and r.data.get("type") == "facility"
    }

    def p(value: Any) -> Any:
        return f"{prefix}:{value}" if isinstance(value, str) else value

    out = []
    for raw in raws:
        d = raw.data
        if not isinstance(d, dict) or d.get("type") == "meta":
            if isinstance(d, dict):
                continue  # another group's meta does not describe this database
            out.append(raw)
            continue
        d = dict(d)
        d["id"] = p(d.get("id"))
        if d.get("type") == "event":
            d["person"] = p(d.get("person"))
            if d.get("by") is not None:
                d["by"] = p(d["by"])
            if isinstance(d.get("sources"), list):
                d["sources"] = [p(s) for s in d["sources"]]
            details = d.get("details")
            if isinstance(details, dict) and details.get("facility") in facilities:
                d["details"] = {**details, "facility": p(details["facility"])}
        out.append(RawRecord(raw.where, d, raw.size))
    return out
