"""Export records canonically: stable record order and key order, on either engine.

Records come type by type (meta, organisations, facilities, sources, people, events), by id,
then by `recorded`. Within a record: `type`, `id`, the declared fields, unknown fields
sorted, then transaction time. Sorting happens here in Python, not in SQL, because text
collation differs between engines and byte-identical exports must not.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from khronika.errors import InvalidValue
from khronika.model.dates import storage_timestamp
from khronika.model.records import TYPE_ORDER
from khronika.privacy import Audience, public_context, redact
from khronika.storage import Database
from khronika.storage.rows import content_from_row, tx_from_row
from khronika.storage.versions import select_versions

__all__ = ["EXPORT_HEADER", "export_header", "export_records"]

# The `type` of an export's optional first line: it describes the file, it is no record.
EXPORT_HEADER = "export"


def export_records(
    db: Database,
    *,
    scope: str = "full",
    history: bool = False,
    known_on: str | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield every record of the database, canonical and in canonical order.

    Args:
        db: the database.
        scope: `full` (everything, for the team) or `public` (what may be published; see
            `khronika.privacy`).
        history: every version, with `recorded`/`retracted`, instead of the current ones.
        known_on: the versions known on that date or time (full scope only).
    """
    if scope not in ("full", "public"):
        raise InvalidValue(f"scope {scope!r}: use full or public")
    audience = Audience.PUBLIC if scope == "public" else Audience.TEAM
    if audience is Audience.PUBLIC and (history or known_on):
        raise InvalidValue(
            "a public export shows current knowledge only (no --history or --known-on): "
            "visibility is judged on current versions"
        )
    if history and known_on:
        raise InvalidValue("give either --history or --known-on, not both")
    k = storage_timestamp(known_on) if known_on else None
    with db.connect() as conn:
        ctx = public_context(conn) if audience is Audience.PUBLIC else None
        for rtype in TYPE_ORDER:
            rows = [
                (r.id, r.recorded, r)
                for r in select_versions(conn, rtype, known_on=k, history=history)
            ]
            rows.sort(key=lambda x: (x[0], x[1]))
            for _, _, row in rows:
                m = row._mapping
                record = content_from_row(rtype, m)
                record.update(tx_from_row(m))
                shown = redact(rtype, record, audience, ctx)
                if shown is not None:
                    yield shown


def export_header(
    head: dict[str, Any] | None,
    *,
    scope: str,
    history: bool,
    known_on: str | None,
) -> dict[str, Any]:
    """The first line of an export that names the audit head it was taken at (`head` from
    `khronika.audit.audit_head`; None when the database has no log yet)."""
    return {
        "type": EXPORT_HEADER,
        "audit_head": head,
        "scope": scope,
        "history": history,
        "known_on": known_on,
    }
