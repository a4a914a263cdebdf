"""Watched lists and their snapshots: register a list, import a file as a snapshot.

An import parses the file, runs the safety checks, carries entry keys forward and writes
the snapshot in one transaction; the raw bytes are archived under KHRONIKA_DATA_DIR,
content-addressed by SHA-256 (`lists/ab/abcdef…`). Re-importing the same bytes is a no-op.

Safety checks (learned the hard way by peers): an empty or unparseable file is rejected;
a snapshot that shrinks by more than max(20, 5 %) is rejected unless forced; a mass
addition (same threshold) is accepted with a warning for review; the first snapshot of a
list produces no 'added' entries. A rejected import writes nothing.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from khronika import settings
from khronika.audit import record as record_audit
from khronika.audit import table_changes
from khronika.errors import KhronikaError, NotFound
from khronika.listwatch.diff import Diff, diff_keyed
from khronika.listwatch.entries import Entry, ParseError, ParseResult
from khronika.listwatch.folders import pack_folder
from khronika.listwatch.formats import FORMATS, Format
from khronika.listwatch.formats.table import load_mapping
from khronika.listwatch.identity import assign_keys
from khronika.model.dates import parse_timestamp
from khronika.model.shapes import fields_json
from khronika.registry import RawRecord, write_versions
from khronika.storage import Database
from khronika.storage import lists as store

__all__ = [
    "SnapshotReport",
    "SnapshotRejected",
    "add_list",
    "archive_path",
    "import_folder",
    "import_snapshot",
    "normalise_time",
    "shrink_limit",
]


class SnapshotRejected(KhronikaError):
    """A snapshot failed a safety check or could not be parsed; nothing was written."""


@dataclass(frozen=True, slots=True)
class SnapshotReport:
    """What an import did: the snapshot, its counts, and warnings for review."""

    list_id: str
    snapshot: str
    taken: str
    entries: int
    added: int = 0
    removed: int = 0
    changed: int = 0
    unchanged_file: bool = False
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Return the report as JSON-ready data."""
        return fields_json(self, rename={"list_id": "list"})


def shrink_limit(previous: int) -> int:
    """Return how many entries a snapshot may lose (or mass-add) unforced: max(20, 5 %)."""
    return max(20, previous * 5 // 100)


def add_list(
    db: Database,
    list_id: str,
    *,
    title: str,
    issuer: str,
    country: str,
    fmt: str,
    url: str | None = None,
    options: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Register a watched list; the issuer organisation is created by name if needed.

    Raises:
        KhronikaError: when the id is taken, the format unknown or the options invalid.
    """
    if not re.fullmatch(r"[\w.~@+-]+", list_id):
        raise KhronikaError(f"list id {list_id!r}: use letters, digits and . ~ @ + - _ only")
    if fmt not in FORMATS:
        raise KhronikaError(f"unknown format {fmt!r}; known: {', '.join(sorted(FORMATS))}")
    allowed = FORMATS[fmt].options
    if unknown := sorted(set(options or {}) - set(allowed)):
        takes = f"it takes {', '.join(sorted(allowed))}" if allowed else "it takes none"
        raise KhronikaError(f"format {fmt!r} has no option {unknown[0]!r} ({takes})")
    if fmt == "table":
        try:
            load_mapping((options or {}).get("mapping") or "")
        except (ParseError, ValueError) as e:
            raise KhronikaError(f"table format: {e}") from e
    now = _now()
    with db.begin() as conn:
        if store.get_list(conn, list_id) is not None:
            raise KhronikaError(f"list {list_id!r} exists already")
        issuer_id = _issuer(db, conn, issuer, now)
        row = {
            "id": list_id,
            "title": title,
            "issuer": issuer_id,
            "country": country.upper(),
            "format": fmt,
            "url": url,
            "options": options or {},
            "created": now,
        }
        store.insert_list(conn, row)
        record_audit(
            conn,
            "lists.add",
            at=now,
            actor=settings.get("KHRONIKA_USER") or None,
            changes=table_changes(conn, "watched_list", id=list_id),
            ids=[f"list:{list_id}"],
            after=[(f"list:{list_id}", f"{fmt}|{issuer_id}")],
        )
    return row


def _issuer(db: Database, conn: Connection, name: str, now: str) -> str:
    """The id of the organisation called `name`, created through the write path if new."""
    found = store.find_organisation(conn, name)
    if found is not None:
        return found
    slug = re.sub(r"[^\w.~@+-]+", "-", name.lower()).strip("-")[:150] or "issuer"
    org = {"type": "organisation", "id": f"org-{slug}", "name": name, "kind": "state_body"}
    write_versions(
        db,
        [RawRecord("<lists add>", org)],
        recorded_by="khronika lists add",
        now=parse_timestamp(now),
        conn=conn,
    )
    return str(org["id"])


def import_snapshot(
    db: Database,
    list_id: str,
    data: bytes,
    *,
    filename: str | None = None,
    taken: str | None = None,
    fmt: str | None = None,
    force: bool = False,
    data_dir: Path | None = None,
) -> SnapshotReport:
    """Import file bytes as the list's next snapshot and return what changed.

    Args:
        taken: snapshot time, `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM[:SS]` (UTC); by default
            from the file, else from a date in `filename`.
        fmt: parse with this format instead of the list's own.
        force: accept a snapshot that shrinks by more than max(20, 5 %).
        data_dir: archive root (default KHRONIKA_DATA_DIR).

    Raises:
        NotFound: no such list.
        SnapshotRejected: unparseable, empty, out of order, or shrinking (unforced).
    """
    sha = hashlib.sha256(data).hexdigest()
    with db.connect() as conn:
        wlist = store.get_list(conn, list_id)
        if wlist is None:
            raise NotFound(f"no list {list_id!r} (add it with `khronika lists add`)")
        existing = store.find_snapshot_by_sha(conn, list_id, sha)
        history = store.snapshots(conn, list_id)
    if existing is not None:
        snap = next(s for s in history if s["id"] == existing)
        return SnapshotReport(
            list_id,
            existing,
            snap["taken"],
            snap["entry_count"],
            unchanged_file=True,
            warnings=["the same bytes were imported before: nothing to do"],
        )
    parser = _parser(fmt or wlist["format"])
    result = _parse(parser, data, wlist["options"], filename)
    when = _snapshot_time(taken, result.taken, filename)
    previous = history[-1] if history else None
    _check(previous, when, len(result.entries), force=force)
    snapshot_id = f"{re.sub(r'[^0-9]', '', when)}-{sha[:6]}"
    with db.begin() as conn:
        keyed, known, diff = _carry_keys(
            conn,
            list_id,
            snapshot_id,
            previous,
            result.entries,
            by_source_id=parser.identity == "source_id",
        )
        added = len(diff.added) if previous else 0  # the first snapshot is a baseline
        warnings = list(result.warnings)
        limit = shrink_limit(previous["entry_count"]) if previous else 0
        if previous is not None and added > limit:
            warnings.append(f"mass addition: {added} entries added at once — review them")
        store.insert_snapshot(
            conn,
            {
                "list_id": list_id,
                "id": snapshot_id,
                "seq": store.next_seq(conn, list_id),
                "taken": when,
                "sha256": sha,
                "size": len(data),
                "filename": filename,
                "parser": parser.name,
                "parser_version": parser.version,
                "imported": _now(),
                "entry_count": len(keyed),
                "added": added,
                "removed": len(diff.removed),
                "changed": len(diff.changed),
                "warnings": warnings,
                "forced": previous is not None and previous["entry_count"] - len(keyed) > limit,
            },
        )
        store.insert_entries(
            conn,
            list_id,
            snapshot_id,
            ((k, e.to_json()) for k, e in keyed.items()),
            new_keys=[k for k in keyed if k not in known],
        )
        # One change per row written: the snapshot, its entries, the keys first seen in it.
        written = [
            *table_changes(conn, "list_snapshot", list_id=list_id, id=snapshot_id),
            *table_changes(conn, "list_entry_version", list_id=list_id, snapshot_id=snapshot_id),
            *table_changes(conn, "list_entry", list_id=list_id, first_snapshot=snapshot_id),
        ]
        record_audit(
            conn,
            "lists.import",
            at=_now(),
            actor=settings.get("KHRONIKA_USER") or None,
            changes=written,
            ids=[f"list:{list_id}", f"snapshot:{snapshot_id}"],
            after=[(f"snapshot:{snapshot_id}", f"{sha}|{len(keyed)}")],
        )
        # Archived inside the transaction: if writing the file fails, nothing is committed.
        _archive(data, sha, data_dir)
    return SnapshotReport(
        list_id,
        snapshot_id,
        when,
        len(keyed),
        added,
        len(diff.removed),
        len(diff.changed),
        warnings=warnings,
    )


def import_folder(
    db: Database, list_id: str, folder: Path, *, fmt: str | None = None, **options: Any
) -> SnapshotReport:
    """Import every file of `folder` as one snapshot of a list whose format takes folders.

    The folder is packed into one archive whose bytes depend only on its files
    (`khronika.listwatch.folders`), so the same folder twice is the same snapshot. Other
    arguments as `import_snapshot`.

    Raises:
        NotFound: no such list.
        SnapshotRejected: the list's format reads one file, not a folder; the folder is
            empty; or as `import_snapshot`.
    """
    with db.connect() as conn:
        wlist = store.get_list(conn, list_id)
    if wlist is None:
        raise NotFound(f"no list {list_id!r} (add it with `khronika lists add`)")
    parser = _parser(fmt or wlist["format"])
    if not parser.folders:
        raise SnapshotRejected(f"{parser.name} reads one file, not a folder: give one file")
    try:
        data = pack_folder(folder)
    except ParseError as e:
        raise SnapshotRejected(str(e)) from None
    return import_snapshot(db, list_id, data, filename=f"{folder.name}.zip", fmt=fmt, **options)


def _parser(name: str) -> Format:
    if name not in FORMATS:
        raise SnapshotRejected(f"unknown format {name!r}; known: {', '.join(sorted(FORMATS))}")
    return FORMATS[name]


def _parse(
    parser: Format, data: bytes, options: dict[str, Any], filename: str | None
) -> ParseResult:
    """Parse, turning any reading failure or an empty result into SnapshotRejected."""
    try:
        result = parser.parse(data, options=options)
    except (ParseError, UnicodeDecodeError, ValueError) as e:
        raise SnapshotRejected(
            f"{filename or 'file'} is not a valid {parser.name} file: {e}"
        ) from e
    if not result.entries:
        raise SnapshotRejected(f"{filename or 'file'}: no entries found (empty or not this list)")
    return result


def _check(previous: dict[str, Any] | None, when: str, count: int, *, force: bool) -> None:
    """Reject a snapshot older than the latest, or one that shrinks too much (unforced)."""
    if previous is None:
        return
    if when < previous["taken"]:
        raise SnapshotRejected(
            f"snapshot time {when} is before the latest snapshot {previous['id']} "
            f"({previous['taken']}): import snapshots in time order"
        )
    limit = shrink_limit(previous["entry_count"])
    if previous["entry_count"] - count > limit and not force:
        raise SnapshotRejected(
            f"the list shrinks from {previous['entry_count']} to {count} entries (more than "
            f"{limit}): a broken download? Check the file; import with --force if the "
            "removals are real"
        )


def _carry_keys(
    conn: Connection,
    list_id: str,
    snapshot_id: str,
    previous: dict[str, Any] | None,
    entries: tuple[Entry, ...],
    *,
    by_source_id: bool,
) -> tuple[dict[str, Entry], set[str], Diff]:
    """Key the new entries from the previous snapshot (and earlier removals); diff them.

    Returns (key -> entry, keys known before, diff against the previous snapshot).
    """
    prev: dict[str, Entry] = {}
    earlier: dict[str, Entry] = {}
    if previous is not None:
        prev = {
            k: Entry.from_json(v)
            for k, v in store.snapshot_entries(conn, list_id, previous["id"]).items()
        }
        earlier = {
            k: Entry.from_json(v)
            for k, v in store.latest_versions_outside(conn, list_id, previous["id"]).items()
        }
    keys = assign_keys(
        entries,
        prev,
        history=earlier,
        by_source_id=by_source_id,
        new_key=lambda i: hashlib.sha256(f"{list_id}\0{snapshot_id}\0{i}".encode()).hexdigest()[
            :16
        ],
    )
    keyed = dict(zip(keys, entries, strict=True))
    return keyed, set(prev) | set(earlier), diff_keyed(prev, keyed)


def archive_path(sha256: str, data_dir: Path | None = None) -> Path:
    """Return where the bytes with this SHA-256 are archived."""
    root = data_dir or Path(settings.get("KHRONIKA_DATA_DIR"))
    return root / "lists" / sha256[:2] / sha256


def _archive(data: bytes, sha: str, data_dir: Path | None) -> None:
    path = archive_path(sha, data_dir)
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    tmp.write_bytes(data)
    tmp.replace(path)


def normalise_time(value: str) -> str:
    """Return a date or date-time as `YYYY-MM-DDTHH:MM:SSZ` (UTC; a date means 00:00).

    Raises:
        SnapshotRejected: when the value is not a date or date-time.
    """
    text = value.strip().replace(" ", "T")
    m = re.fullmatch(
        r"(\d{4}-\d{2}-\d{2})(?:T(\d{2}):?(\d{2})(?::?(\d{2}))?(?:\.\d+)?)?(Z|[+-]00:?00)?", text
    )
    if m is None:
        raise SnapshotRejected(f"not a date or date-time: {value!r} (use 2021-12-02T18:50)")
    stamp = f"{m[1]}T{m[2] or '00'}:{m[3] or '00'}:{m[4] or '00'}Z"
    try:
        datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError as e:
        raise SnapshotRejected(f"not a valid date-time: {value!r}") from e
    return stamp


def _snapshot_time(given: str | None, from_file: str | None, filename: str | None) -> str:
    if given:
        return normalise_time(given)
    if from_file:
        return normalise_time(from_file)
    m = re.search(r"(\d{4}-\d{2}-\d{2})(?:[T_](\d{2})(\d{2}))?", filename or "")
    if m:
        return normalise_time(f"{m[1]}T{m[2]}:{m[3]}" if m[2] else m[1])
    raise SnapshotRejected(
        "no snapshot time: the file states none and its name has no date; give --snapshot-date"
    )


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
