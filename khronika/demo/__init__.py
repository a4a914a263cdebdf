"""Synthetic demo data: build it into a database, or write it as khronika NDJSON."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from khronika.demo.generate import HORIZON, RECOGNISER, DemoConfig, generate, planted_pairs
from khronika.errors import ConfigurationError
from khronika.interchange import import_records, write_ndjson
from khronika.registry.validate import RawRecord
from khronika.storage import Database
from khronika.storage.versions import select_versions

__all__ = [
    "DemoConfig",
    "HORIZON",
    "RECOGNISER",
    "build_demo",
    "database_state",
    "planted_pairs",
    "write_demo",
]

#: People imported per transaction when building a large demo.
CHUNK_PEOPLE = 20_000


def database_state(db: Database) -> str:
    """Return `empty`, `synthetic` (holds demo data) or `real` (holds anything else)."""
    with db.connect() as conn:
        meta = list(select_versions(conn, "meta"))
        if meta:
            return "synthetic" if all(m.synthetic for m in meta) else "real"
        for rtype in ("person", "event", "source", "organisation"):
            if next(iter(select_versions(conn, rtype, history=True)), None) is not None:
                return "real"
    return "empty"


def build_demo(
    db: Database,
    cfg: DemoConfig,
    *,
    progress: Callable[[str, int, int], None] | None = None,
) -> int:
    """Generate the demo dataset into an empty database; return how many records.

    Raises:
        ConfigurationError: the database already holds data (demo data is never mixed
            with real records).
    """
    state = database_state(db)
    if state != "empty":
        raise ConfigurationError(
            f"{db.display_url} is not empty ({state} data): build the demo into a new database"
        )
    total = 0
    for chunk in _chunks(generate(cfg), CHUNK_PEOPLE):
        raws = [RawRecord(f"demo:{total + i + 1}", r) for i, r in enumerate(chunk)]
        report = import_records(db, raws)
        if report.problems:  # pragma: no cover - the generator makes valid records
            raise RuntimeError("demo generator made invalid records: " + report.problems[0])
        total += len(raws)
        if progress:
            people = sum(1 for r in chunk if r["type"] == "person")
            progress("people", people, cfg.people)
    return total


def _chunks(records: Iterable[dict[str, Any]], people: int) -> Iterator[list[dict[str, Any]]]:
    """Split the record stream into chunks of about `people` people (with their events)."""
    chunk: list[dict[str, Any]] = []
    seen = 0
    for r in records:
        if r["type"] == "person" and r["id"] != (chunk[-1]["id"] if chunk else None):
            seen += 1
            if seen > people:
                yield chunk
                chunk, seen = [], 1
        chunk.append(r)
    if chunk:
        yield chunk


def write_demo(cfg: DemoConfig, stream: IO[bytes]) -> int:
    """Write the demo dataset as khronika NDJSON; return how many records."""
    return write_ndjson(generate(cfg), stream)
