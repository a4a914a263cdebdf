"""The one write path for registry records: check, write, keep the figures cache, in one go.

Every writer goes through here — the importer (`khronika.interchange.import_records`), the
CLI, the console, list designations and the review queue — so the rules are the same
everywhere and nothing that must follow a write can be forgotten:

    records ──check (validate.py)──▶ references ──plan (versioning.py)──▶ if_version?
        ──▶ insert versions, retract the ones they replace ──▶ touch_people (figures cache)
        ──▶ the audit row (khronika.audit: who, when, what, in a hash chain)

all in one transaction: a crash (even SIGKILL) leaves the database as it was.

The rules (docs/format.md has the long form):

* A record that gives `recorded` is the version (id, recorded). If the database holds that
  version with the same content, nothing happens; with other content, it is an error.
* A record without `recorded` is compared with the latest version of its id: same content,
  nothing happens (so re-importing a file never resurrects a record retracted since); other
  content becomes a new version recorded at the write time, and the version it replaces is
  retracted at that moment.
* At most one version of an id is current at any instant. Overlaps are errors.
* Events must reference a person, organisation (`by`) and sources present in the same
  write or the database.
* `if_version` (optimistic concurrency): the write happens only if each named record's
  current version is still the one the writer started from; else `EditConflict`.

    !!! Anything that writes registry versions or retracts them without this module
    !!! leaves the figures cache stale (`khronika.stats.maintain`).
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection

from khronika.audit import Change, registry_changes
from khronika.audit import record as record_audit
from khronika.errors import Conflict, EditConflict, ImportRejected, KhronikaError, NotFound
from khronika.model.dates import export_timestamp, now_timestamp, storage_timestamp
from khronika.model.records import TYPE_ORDER
from khronika.registry.validate import Checked, Problem, RawRecord, check_record
from khronika.registry.versioning import plan_versions
from khronika.stats.maintain import refresh_spans
from khronika.storage import Database
from khronika.storage.rows import content_from_row, tx_from_row
from khronika.storage.stats import persons_of_versions
from khronika.storage.versions import current_version, existing_ids, insert_versions, set_retracted

__all__ = [
    "Expected",
    "ImportReport",
    "Progress",
    "retract",
    "retract_many",
    "touch_people",
    "version_token",
    "write_versions",
]

#: Called as (phase, done, total) while a write works.
Progress = Callable[[str, int, int], None]

_BATCH = 50_000


@dataclass
class ImportReport:
    """What a write did."""

    added: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    retracted: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for people: what was added, unchanged, retracted and rejected."""
        added = ", ".join(f"{n} {t}" for t, n in sorted(self.added.items())) or "nothing"
        return (
            f"added {added}; {sum(self.unchanged.values())} unchanged; "
            f"{self.retracted} superseded; {len(self.problems)} rejected"
        )


@dataclass(frozen=True)
class Expected:
    """A record a write touches and the version it was based on (None: it must be new)."""

    rtype: str
    id: str
    version: str | None


def write_versions(
    db: Database,
    records: Iterable[RawRecord],
    *,
    if_version: Sequence[Expected] = (),
    skip_invalid: bool = False,
    recorded_by: str | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
    conn: Connection | None = None,
) -> ImportReport:
    """Check `records` and write them in one transaction.

    Args:
        db: the database (migrated).
        records: raw records with their `FILE:LINE`.
        if_version: write only if these records are still at these versions.
        skip_invalid: write the valid records and report the others, instead of
            rejecting the whole write.
        recorded_by: who is writing; kept with versions that do not say.
        now: the write time (new versions without `recorded` get it); default: now.
        progress: called as (phase, done, total) while working.
        conn: write inside the caller's transaction (a media item and its source commit
            together); default: a transaction of its own.

    Raises:
        ImportRejected: a record is invalid and `skip_invalid` is False; nothing written.
        EditConflict: a record of `if_version` changed meanwhile; nothing written.
    """
    write_time = storage_timestamp(now or now_timestamp())
    # A million records make millions of objects that live until the end: the cyclic
    # garbage collector would walk them again and again for nothing.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        # Validation needs no database: done before the transaction, which stays short.
        checked, problems = _validate(records, progress)
        args = (checked, problems, if_version, skip_invalid, recorded_by, write_time, progress)
        if conn is not None:
            return _write(conn, *args)
        with db.begin() as own:
            return _write(own, *args)
    finally:
        if gc_was_enabled:
            gc.enable()


def _validate(
    records: Iterable[RawRecord], progress: Progress | None
) -> tuple[list[Checked], list[Problem]]:
    problems: list[Problem] = []
    raw_list = list(records)
    checked: list[Checked] = []
    for i, raw in enumerate(raw_list):
        result = check_record(raw)
        if isinstance(result, Checked):
            checked.append(result)
        else:
            problems.extend(result)
        if progress and i % _BATCH == 0:
            progress("validate", i, len(raw_list))
    if progress:
        progress("validate", len(raw_list), len(raw_list))
    return checked, problems


def _write(
    conn: Connection,
    checked: list[Checked],
    problems: list[Problem],
    if_version: Sequence[Expected],
    skip_invalid: bool,
    recorded_by: str | None,
    write_time: str,
    progress: Progress | None,
) -> ImportReport:
    report = ImportReport()
    _check_expected(conn, if_version)
    checked = _check_references(conn, checked, problems)
    inserts, retractions, unchanged = plan_versions(
        conn, checked, problems, write_time, recorded_by
    )
    if problems and not skip_invalid:
        problems.sort(key=_line_order)
        raise ImportRejected([str(p) for p in problems])
    total = sum(len(v) for v in inserts.values())
    done = 0
    for rtype in TYPE_ORDER:
        rows = inserts.get(rtype, [])
        for i in range(0, len(rows), _BATCH):
            insert_versions(conn, rtype, rows[i : i + _BATCH])
            done += len(rows[i : i + _BATCH])
            if progress:
                progress("write", done, total)
        set_retracted(conn, rtype, retractions.get(rtype, []), by=recorded_by)
        if rows:
            report.added[rtype] += len(rows)
        report.retracted += len(retractions.get(rtype, []))
    touched = {r["person"] for r in inserts.get("event", [])}
    touched |= {r["id"] for r in inserts.get("person", [])}
    for rtype in ("event", "person"):
        pks = [pk for pk, _, _ in retractions.get(rtype, [])]
        touched |= persons_of_versions(conn, rtype, pks)
    touch_people(conn, sorted(touched))
    changes = registry_changes(conn, inserts, retractions)
    if changes:
        record_audit(conn, "write", at=write_time, actor=recorded_by, changes=changes)
    report.unchanged = unchanged
    problems.sort(key=_line_order)
    report.problems = [str(p) for p in problems]
    return report


def retract(
    db: Database,
    rtype: str,
    rid: str,
    *,
    reason: str,
    by: str | None = None,
    now: datetime | str | None = None,
    if_version: str | None = None,
) -> None:
    """Retract the current version of a record: it stays in history, marked with why.

    Args:
        if_version: retract only if this is still the current version (its `recorded`).

    Raises:
        ImportRejected: no reason given. NotFound: no current version.
        Conflict: the retraction time is not after the version's `recorded`.
        EditConflict: the record changed since `if_version`.
    """
    retract_many(db, [Expected(rtype, rid, if_version)], reason=reason, by=by, now=now)


def retract_many(
    db: Database,
    records: Sequence[Expected],
    *,
    reason: str,
    by: str | None = None,
    now: datetime | str | None = None,
) -> None:
    """Retract several records' current versions in one transaction (all or none).

    An `Expected` whose `version` is None is retracted whatever its current version.
    Raises as `retract`.
    """
    if not reason.strip():
        raise ImportRejected(["<input>: reason: a retraction needs a reason"])
    when = storage_timestamp(now or now_timestamp())
    with db.begin() as conn:
        _check_expected(conn, [e for e in records if e.version is not None])
        people: set[str] = set()
        changes: list[Change] = []
        for e in records:
            row = current_version(conn, e.rtype, e.id)
            if row is None:
                raise NotFound(f"{e.rtype} {e.id!r} has no current version")
            if row.recorded >= when:
                raise Conflict(f"{e.rtype} {e.id!r} was recorded at {row.recorded}, after {when}")
            set_retracted(conn, e.rtype, [(row.pk, when, reason)], by=by)
            changes.append(("r", e.rtype, row.id, row.recorded, when))
            if e.rtype in ("event", "person"):
                people.add(row.person if e.rtype == "event" else row.id)
        touch_people(conn, sorted(people))
        record_audit(conn, "retract", at=when, actor=by, changes=changes)


def touch_people(conn: Connection, person_ids: Sequence[str]) -> None:
    """Say, inside the writing transaction, that these people's facts or identity changed.

    The figures cache of per-person spans follows at once; the write's audit row follows
    (`khronika.audit`), in the same transaction.
    """
    refresh_spans(conn, person_ids)


def version_token(version: str | None) -> str | None:
    """A version token in the stored form (a form may carry either spelling of a time)."""
    if not version:
        return None
    try:
        return storage_timestamp(version)
    except KhronikaError:
        return version


def _check_expected(conn: Connection, expected: Sequence[Expected]) -> None:
    for e in expected:
        row = current_version(conn, e.rtype, e.id)
        stored = row.recorded if row is not None else None
        if stored == version_token(e.version):
            continue
        current = content_from_row(e.rtype, row) | tx_from_row(row) if row is not None else None
        what = f"{e.rtype} {e.id}"
        if e.version is None:
            raise EditConflict(f"{what} already exists", current)
        if row is None:
            raise EditConflict(f"{what} was retracted or removed meanwhile", None)
        who = row.recorded_by or "someone"
        raise EditConflict(
            f"{what} was changed by {who} at {export_timestamp(row.recorded)}, "
            "after you opened it; your changes were not saved",
            current,
        )


def _line_order(p: Problem) -> tuple[str, int]:
    file, _, line = p.where.rpartition(":")
    return (file, int(line) if line.isdigit() else 0)


def _check_references(
    conn: Connection, checked: list[Checked], problems: list[Problem]
) -> list[Checked]:
    """Drop (and report) events that reference records present neither here nor stored."""
    present: dict[str, set[str]] = {t: set() for t in ("person", "organisation", "source")}
    for c in checked:
        if c.rtype in present:
            present[c.rtype].add(c.id)
    wanted: dict[str, set[str]] = {t: set() for t in present}
    for c in checked:
        if c.rtype == "event":
            wanted["person"].add(c.content["person"])
            if "by" in c.content:
                wanted["organisation"].add(c.content["by"])
            wanted["source"].update(c.content.get("sources", ()))
    for rtype, ids in wanted.items():
        missing = ids - present[rtype]
        if missing:
            present[rtype] |= existing_ids(conn, rtype, missing)
    kept = []
    for c in checked:
        if c.rtype == "event":
            bad = []
            if c.content["person"] not in present["person"]:
                bad.append(("person", f"unknown person {c.content['person']!r}"))
            if "by" in c.content and c.content["by"] not in present["organisation"]:
                bad.append(("by", f"unknown organisation {c.content['by']!r}"))
            for s in c.content.get("sources", ()):
                if s not in present["source"]:
                    bad.append(("sources", f"unknown source {s!r}"))
            if bad:
                problems.extend(Problem(c.where, f, r) for f, r in bad)
                continue
        kept.append(c)
    return kept
