"""Import records into the database: all or nothing, idempotent, history kept.

The rules (docs/format.md has the long form):

* A record that gives `recorded` is the version (id, recorded). If the database holds that
  version with the same content, nothing happens; with other content, it is an error.
* A record without `recorded` is compared with the latest version of its id: same content,
  nothing happens (so re-importing a file never resurrects a record retracted since); other
  content becomes a new version recorded at the import time, and the version it replaces is
  retracted at that moment.
* At most one version of an id is current at any instant: a new version retracts the one
  before it, and is itself retracted by a later one. Overlaps are errors.
* Events must reference a person, organisation (`by`) and sources present in the file or
  the database.

Everything is checked before anything is written; the writes happen in one transaction, so
a crash (even SIGKILL) leaves the database as it was.
"""

from __future__ import annotations

import gc
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from khronika.errors import ImportRejected, InvalidValue
from khronika.interchange.validate import Checked, Problem, RawRecord, check_record
from khronika.model.dates import now_timestamp, storage_timestamp
from khronika.model.records import ID_PATTERN, TYPE_ORDER
from khronika.storage import Database
from khronika.storage.rows import row_from_content
from khronika.storage.versions import (
    existing_ids,
    insert_versions,
    load_versions,
    set_retracted,
)

__all__ = ["ImportReport", "import_records"]

#: Above this many ids of one type, read all stored versions instead of looking ids up.
_FULL_SCAN = 20_000

Progress = Callable[[str, int, int], None]


@dataclass
class ImportReport:
    """What an import did."""

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


@dataclass(slots=True)
class _Version:
    """A version during planning: stored (pk set) or new (checked set)."""

    recorded: str
    retracted: str | None
    digest: str
    pk: int | None = None
    checked: Checked | None = None
    reason: str | None = None
    changed: bool = False


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
    if prefix is not None:
        if not re.fullmatch(ID_PATTERN, prefix) or ":" in prefix:
            raise InvalidValue(f"prefix {prefix!r}: letters, digits and . ~ @ + - _ only")
    import_time = storage_timestamp(now or now_timestamp())
    # A million records make millions of objects that live until the end: the cyclic
    # garbage collector would walk them again and again for nothing.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _import(db, records, prefix, skip_invalid, recorded_by, import_time, progress)
    finally:
        if gc_was_enabled:
            gc.enable()


def _import(
    db: Database,
    records: Iterable[RawRecord],
    prefix: str | None,
    skip_invalid: bool,
    recorded_by: str | None,
    import_time: str,
    progress: Progress | None,
) -> ImportReport:
    report = ImportReport()
    problems: list[Problem] = []
    raw_list = list(records)
    if prefix is not None:
        raw_list = _prefixed(raw_list, prefix)
    checked: list[Checked] = []
    for i, raw in enumerate(raw_list):
        result = check_record(raw)
        if isinstance(result, Checked):
            checked.append(result)
        else:
            problems.extend(result)
        if progress and i % 50_000 == 0:
            progress("validate", i, len(raw_list))
    if progress:
        progress("validate", len(raw_list), len(raw_list))
    del raw_list

    with db.begin() as conn:
        checked = _check_references(conn, checked, problems)
        inserts, retractions, unchanged = _plan(conn, checked, problems, import_time, recorded_by)
        if problems and not skip_invalid:
            problems.sort(key=_line_order)
            raise ImportRejected([str(p) for p in problems])
        total = sum(len(v) for v in inserts.values())
        done = 0
        for rtype in TYPE_ORDER:
            rows = inserts.get(rtype, [])
            for i in range(0, len(rows), 50_000):
                insert_versions(conn, rtype, rows[i : i + 50_000])
                done += len(rows[i : i + 50_000])
                if progress:
                    progress("write", done, total)
            set_retracted(conn, rtype, retractions.get(rtype, []), by=recorded_by)
            report.added[rtype] += len(rows)
            report.retracted += len(retractions.get(rtype, []))
        report.unchanged = unchanged
    problems.sort(key=_line_order)
    report.problems = [str(p) for p in problems]
    return report


def _line_order(p: Problem) -> tuple[str, int]:
    file, _, line = p.where.rpartition(":")
    return (file, int(line) if line.isdigit() else 0)


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


def _check_references(conn: Any, checked: list[Checked], problems: list[Problem]) -> list[Checked]:
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


def _plan(
    conn: Any,
    checked: list[Checked],
    problems: list[Problem],
    import_time: str,
    recorded_by: str | None,
) -> tuple[
    dict[str, list[dict[str, Any]]], dict[str, list[tuple[int, str, str | None]]], Counter[str]
]:
    """Decide which versions to insert and which stored versions to retract."""
    by_key: dict[tuple[str, str], list[Checked]] = {}
    for c in checked:
        by_key.setdefault((c.rtype, c.id), []).append(c)
    inserts: dict[str, list[dict[str, Any]]] = {}
    retractions: dict[str, list[tuple[int, str, str | None]]] = {}
    unchanged: Counter[str] = Counter()
    for rtype in TYPE_ORDER:
        ids = [i for (t, i) in by_key if t == rtype]
        if not ids:
            continue
        stored = load_versions(conn, rtype, None if len(ids) > _FULL_SCAN else ids)
        rows = inserts.setdefault(rtype, [])
        retract = retractions.setdefault(rtype, [])
        for rid in ids:
            items = by_key[(rtype, rid)]
            if len(items) == 1 and rid not in stored:
                # The common case of a large import: a new id, given once. Nothing to order
                # or supersede.
                c = items[0]
                retracted = c.retracted
                if retracted is not None and storage_timestamp(retracted) <= storage_timestamp(
                    c.recorded or import_time
                ):
                    problems.append(Problem(c.where, "retracted", "must be later than `recorded`"))
                    continue
                rows.append(
                    row_from_content(
                        rtype,
                        c.content,
                        digest=c.digest,
                        recorded=c.recorded or import_time,
                        retracted=retracted,
                        recorded_by=c.recorded_by or recorded_by,
                        retracted_by=c.retracted_by,
                        retraction_reason=c.retraction_reason,
                    )
                )
                continue
            versions = [
                _Version(v.recorded, v.retracted, v.digest, pk=v.pk) for v in stored.get(rid, ())
            ]
            for c in _in_order(items, problems):
                if _place(versions, c, import_time, problems) == "unchanged":
                    unchanged[rtype] += 1
            for v in versions:
                if v.checked is None:
                    continue
                c = v.checked
                rows.append(
                    row_from_content(
                        rtype,
                        c.content,
                        digest=c.digest,
                        recorded=v.recorded,
                        retracted=v.retracted,
                        recorded_by=c.recorded_by or recorded_by,
                        retracted_by=c.retracted_by or (recorded_by if v.reason else None),
                        retraction_reason=c.retraction_reason or v.reason,
                    )
                )
            # Stored versions whose retraction the plan set.
            for v in versions:
                if v.pk is not None and v.changed:
                    retract.append((v.pk, v.retracted or "", v.reason))
    return inserts, retractions, unchanged


def _in_order(items: list[Checked], problems: list[Problem]) -> list[Checked]:
    """Order a file's versions of one id: explicit `recorded` first (by time), then the one
    without; duplicates with equal content collapse, with different content are errors."""
    explicit: dict[str, Checked] = {}
    implicit: Checked | None = None
    for c in items:
        if c.recorded is not None:
            key = storage_timestamp(c.recorded)
            first = explicit.get(key)
            if first is None:
                explicit[key] = c
            elif first.digest != c.digest:
                problems.append(
                    Problem(
                        c.where,
                        "recorded",
                        f"version ({c.id}, {c.recorded}) given twice with different content "
                        f"(first at {first.where})",
                    )
                )
        elif implicit is None:
            implicit = c
        elif implicit.digest != c.digest:
            problems.append(
                Problem(
                    c.where,
                    "id",
                    f"{c.rtype} {c.id!r} given twice without `recorded` and with different "
                    f"content (first at {implicit.where})",
                )
            )
    ordered = [explicit[k] for k in sorted(explicit)]
    if implicit is not None:
        ordered.append(implicit)
    return ordered


def _place(versions: list[_Version], c: Checked, import_time: str, problems: list[Problem]) -> str:
    """Put one checked version into an id's version list (sorted by `recorded`)."""
    retracted = storage_timestamp(c.retracted) if c.retracted else None
    if c.recorded is None:
        latest = versions[-1] if versions else None
        if latest is not None and latest.digest == c.digest:
            return "unchanged"
        if latest is not None and latest.recorded >= import_time:
            problems.append(
                Problem(c.where, "recorded", f"a version recorded later ({latest.recorded}) exists")
            )
            return "error"
        recorded = import_time
    else:
        recorded = storage_timestamp(c.recorded)
        same = next((v for v in versions if v.recorded == recorded), None)
        if same is not None:
            if same.digest != c.digest:
                problems.append(
                    Problem(
                        c.where,
                        "recorded",
                        f"conflicts with the stored version ({c.id}, {c.recorded}): "
                        "same id and time, different content",
                    )
                )
                return "error"
            if retracted and same.retracted is None:
                same.retracted, same.changed = retracted, True
                same.reason = c.retraction_reason
            return "unchanged"
    if retracted is not None and retracted <= recorded:
        problems.append(Problem(c.where, "retracted", "must be later than `recorded`"))
        return "error"
    before = [v for v in versions if v.recorded < recorded]
    after = [v for v in versions if v.recorded > recorded]
    prev = before[-1] if before else None
    nxt = after[0] if after else None
    if prev is not None and prev.retracted is not None and prev.retracted > recorded:
        problems.append(
            Problem(
                c.where,
                "recorded",
                f"overlaps the version recorded {prev.recorded} (retracted {prev.retracted})",
            )
        )
        return "error"
    if nxt is not None:
        if retracted is None:
            retracted = nxt.recorded
        elif retracted > nxt.recorded:
            problems.append(
                Problem(c.where, "retracted", f"overlaps the version recorded {nxt.recorded}")
            )
            return "error"
    if prev is not None and prev.retracted is None:
        prev.retracted, prev.changed = recorded, True
        prev.reason = "superseded"
    new = _Version(recorded, retracted, c.digest, checked=c)
    versions.insert(len(before), new)
    return "added"
