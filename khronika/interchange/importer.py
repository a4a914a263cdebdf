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
from khronika.interchange.versioning import plan_versions
from khronika.model.dates import now_timestamp, storage_timestamp
from khronika.model.records import ID_PATTERN, TYPE_ORDER
from khronika.stats.maintain import refresh_spans
from khronika.storage import Database
from khronika.storage.stats import persons_of_versions
from khronika.storage.versions import existing_ids, insert_versions, set_retracted

__all__ = ["ImportReport", "import_records"]


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
        inserts, retractions, unchanged = plan_versions(
            conn, checked, problems, import_time, recorded_by
        )
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
            if rows:
                report.added[rtype] += len(rows)
            report.retracted += len(retractions.get(rtype, []))
        # The figures cache follows the events in the same transaction.
        touched = {r["person"] for r in inserts.get("event", [])}
        touched |= {r["id"] for r in inserts.get("person", [])}
        for rtype in ("event", "person"):
            pks = [pk for pk, _, _ in retractions.get(rtype, [])]
            touched |= persons_of_versions(conn, rtype, pks)
        refresh_spans(conn, sorted(touched))
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
