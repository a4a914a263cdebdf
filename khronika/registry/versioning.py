"""Where each imported version goes in its record's history (the rules of docs/format.md).

For every id, stored versions and the file's versions form one sequence ordered by
`recorded`; at most one version is current at any instant. A new version retracts the one
before it (`superseded`) and is retracted by the one after it; overlaps are errors.
Nothing here writes: `plan_versions` returns the rows to insert and the retractions to set.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from khronika.model.dates import storage_timestamp
from khronika.model.records import TYPE_ORDER
from khronika.registry.validate import Checked, Problem
from khronika.storage.rows import row_from_content
from khronika.storage.versions import load_versions, stored_upper_bound

__all__ = ["plan_versions"]

#: Above this many ids of one type, read all stored versions instead of looking ids up,
#: unless the table holds many times more (a 20k-person chunk into a 10M-event table).
_FULL_SCAN = 20_000
_FULL_SCAN_RATIO = 4

Rows = dict[str, list[dict[str, Any]]]
Retractions = dict[str, list[tuple[int, str, str | None]]]


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


def plan_versions(
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
    ids_of: dict[str, list[str]] = {}
    for c in checked:
        key = (c.rtype, c.id)
        if key in by_key:
            by_key[key].append(c)
        else:
            by_key[key] = [c]
            ids_of.setdefault(c.rtype, []).append(c.id)
    inserts: dict[str, list[dict[str, Any]]] = {}
    retractions: dict[str, list[tuple[int, str, str | None]]] = {}
    unchanged: Counter[str] = Counter()
    for rtype in TYPE_ORDER:
        ids = ids_of.get(rtype, [])
        if not ids:
            continue
        full = len(ids) > _FULL_SCAN and (
            stored_upper_bound(conn, rtype) <= _FULL_SCAN_RATIO * len(ids)
        )
        stored = load_versions(conn, rtype, None if full else ids)
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
