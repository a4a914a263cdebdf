"""Small synthetic registries for the review tests (every name is invented)."""

from __future__ import annotations

from datetime import UTC, datetime

from khronika.interchange.importer import import_records
from khronika.registry.validate import RawRecord
from khronika.storage import Database

__all__ = ["T", "add_people", "person"]


def T(day: int, hour: int = 12) -> datetime:  # noqa: N802 - a short name for a time
    """A fixed time in January 2025 (tests never depend on now)."""
    return datetime(2025, 1, day, hour, tzinfo=UTC)


def person(pid: str, *names: str, born: str | None = None, sex: str = "unknown") -> dict:
    """A person record with its spellings (the first is primary)."""
    return {
        "type": "person",
        "id": pid,
        "sex": sex,
        "birth_date": born,
        "names": [{"name": n, "lang": "ru", "primary": i == 0} for i, n in enumerate(names)],
    }


def add_people(db: Database, *records: dict, now: datetime | None = None) -> None:
    """Import person records (recorded at `now`, default 1 January 2025)."""
    import_records(
        db,
        [RawRecord(f"<test>:{i}", r) for i, r in enumerate(records, 1)],
        recorded_by="test",
        now=now or T(1, 0),
    )
