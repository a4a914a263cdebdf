"""Read the watch: diffs between any two snapshots, entry history, per-list statistics.

Snapshots are named by id (`20211202184100-731c13`), by date-time (the last snapshot at or
before it) or by date (the last snapshot on or before the end of that day).
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from typing import Any

from khronika.errors import KhronikaError, NotFound
from khronika.listwatch.diff import Diff, compare_entries, diff_keyed
from khronika.listwatch.entries import Entry
from khronika.listwatch.screening import RegistryPerson, screen_entries
from khronika.model.judgements import PairKind
from khronika.names import Index
from khronika.names.pairs import compare_birth_dates, default_scorer
from khronika.review import Proposal, list_queue, propose
from khronika.storage import Database
from khronika.storage import lists as store

__all__ = [
    "diff_snapshots",
    "entry_history",
    "entry_json",
    "export_snapshot",
    "list_deltas",
    "list_stats",
    "resolve_snapshot",
    "screen_snapshot",
]


def entry_json(key: str, entry: Entry) -> dict[str, Any]:
    """Return an entry as the CLI and feeds show it: `key` first, then its fields."""
    return {"key": key, **entry.to_json()}


def resolve_snapshot(snaps: list[dict[str, Any]], ref: str) -> dict[str, Any]:
    """Return the snapshot named by `ref` (id, date-time or date) among `snaps` (in order).

    Raises:
        NotFound: when no snapshot matches.
    """
    for snap in snaps:
        if snap["id"] == ref:
            return snap
    text = ref.strip().replace(" ", "T")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        bound = f"{text}T23:59:59Z"
    elif re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?Z?", text):
        bound = text.rstrip("Z") + (":00" if len(text.rstrip("Z")) == 16 else "") + "Z"
    else:
        raise NotFound(f"no snapshot {ref!r} (give a snapshot id, a date or a date-time)")
    before = [s for s in snaps if s["taken"] <= bound]
    if not before:
        raise NotFound(f"no snapshot on or before {ref}")
    return before[-1]


def diff_snapshots(
    db: Database, list_id: str, *, from_ref: str | None = None, to_ref: str | None = None
) -> tuple[dict[str, Any], dict[str, Any], Diff]:
    """Diff two snapshots of a list (default: the last two); return (from, to, diff).

    Raises:
        NotFound: no such list or snapshot. KhronikaError: fewer than two snapshots.
    """
    with db.connect() as conn:
        snaps = _snapshots(conn, list_id)
        to = resolve_snapshot(snaps, to_ref) if to_ref else snaps[-1]
        if from_ref:
            frm = resolve_snapshot(snaps, from_ref)
        else:
            earlier = snaps[: snaps.index(to)]
            if not earlier:
                raise KhronikaError(f"list {list_id!r} has no snapshot before {to['id']}")
            frm = earlier[-1]
        old = store.snapshot_digests(conn, list_id, frm["id"])
        new = store.snapshot_digests(conn, list_id, to["id"])
        # Equal digests are unchanged entries: only entries that differ are read and
        # compared field by field (the 1 s budget for two 16k snapshots).
        differs = {k for k, v in new.items() if old.get(k, v) != v}
        old_entries = store.entries_by_keys(
            conn, list_id, frm["id"], (old.keys() - new.keys()) | differs
        )
        new_entries = store.entries_by_keys(
            conn, list_id, to["id"], (new.keys() - old.keys()) | differs
        )
    diff = diff_keyed(
        {k: Entry.from_json(v) for k, v in old_entries.items()},
        {k: Entry.from_json(v) for k, v in new_entries.items()},
    )
    return frm, to, diff


def entry_history(db: Database, list_id: str, key: str) -> dict[str, Any]:
    """Return an entry's history: first and last seen, and every listing, change and removal.

    Raises:
        NotFound: no such list or key.
    """
    with db.connect() as conn:
        snaps = _snapshots(conn, list_id)
        versions = store.entry_versions(conn, list_id, key)
    if not versions:
        raise NotFound(f"list {list_id!r} has no entry {key!r}")
    events: list[dict[str, Any]] = []
    last: Entry | None = None
    present = False
    seen = [s for s in snaps if s["id"] in versions]
    for snap in snaps[snaps.index(seen[0]) :]:
        data = versions.get(snap["id"])
        base = {"snapshot": snap["id"], "taken": snap["taken"]}
        if data is None:
            if present:
                events.append(base | {"event": "removed"})
            present = False
            continue
        entry = Entry.from_json(data)
        if last is None:
            events.append(base | {"event": "listed", "entry": entry_json(key, entry)})
        elif not present:
            events.append(base | {"event": "relisted", "entry": entry_json(key, entry)})
        if last is not None and (changes := compare_entries(last, entry)):
            events.append(
                base
                | {
                    "event": "changed",
                    "changes": {f: [_plain(o), _plain(n)] for f, (o, n) in changes.items()},
                }
            )
        last, present = entry, True
    return {
        "list": list_id,
        "key": key,
        "first_seen": seen[0]["id"],
        "last_seen": seen[-1]["id"],
        "present": present,
        "entry": entry_json(key, last) if last else None,
        "events": events,
    }


def list_stats(db: Database, list_id: str) -> dict[str, Any]:
    """Return size per snapshot and additions/removals per ISO week and per month."""
    with db.connect() as conn:
        snaps = _snapshots(conn, list_id)
    weeks: dict[str, dict[str, int]] = defaultdict(lambda: {"added": 0, "removed": 0})
    months: dict[str, dict[str, int]] = defaultdict(lambda: {"added": 0, "removed": 0})
    for snap in snaps:
        day = date.fromisoformat(snap["taken"][:10])
        year, week, _ = day.isocalendar()
        for bucket in (weeks[f"{year}-W{week:02d}"], months[snap["taken"][:7]]):
            bucket["added"] += snap["added"]
            bucket["removed"] += snap["removed"]
    return {
        "list": list_id,
        "snapshots": [
            {
                k: s[k]
                for k in (
                    "id",
                    "taken",
                    "entry_count",
                    "added",
                    "removed",
                    "changed",
                    "sha256",
                    "parser",
                    "parser_version",
                    "warnings",
                )
            }
            for s in snaps
        ],
        "weeks": [{"week": k, **v} for k, v in sorted(weeks.items())],
        "months": [{"month": k, **v} for k, v in sorted(months.items())],
    }


def export_snapshot(db: Database, list_id: str, ref: str | None = None) -> list[dict[str, Any]]:
    """Return the entries of a snapshot (default: the latest), keyed, sorted by name."""
    with db.connect() as conn:
        snaps = _snapshots(conn, list_id)
        snap = resolve_snapshot(snaps, ref) if ref else snaps[-1]
        entries = store.snapshot_entries(conn, list_id, snap["id"])
    rows = [{"list": list_id, "snapshot": snap["id"], "key": k, **v} for k, v in entries.items()]
    return sorted(rows, key=lambda r: (r["name"], r["key"]))


def list_deltas(db: Database, list_id: str) -> list[dict[str, Any]]:
    """Return every change between consecutive snapshots, one record each, dated by day.

    Each record: `date` (day of the later snapshot), `list`, `from`, `snapshot`, `op`
    (`added`, `removed`, `changed`), `entry`, and for changes `changes` {field: [old, new]}.
    """
    with db.connect() as conn:
        snaps = _snapshots(conn, list_id)
    out: list[dict[str, Any]] = []
    for frm, to in zip(snaps, snaps[1:], strict=False):
        _, _, diff = diff_snapshots(db, list_id, from_ref=frm["id"], to_ref=to["id"])
        base = {"date": to["taken"][:10], "list": list_id, "from": frm["id"], "snapshot": to["id"]}
        out += [base | {"op": "added", "entry": entry_json(k, e)} for k, e in diff.added]
        out += [base | {"op": "removed", "entry": entry_json(k, e)} for k, e in diff.removed]
        out += [
            base
            | {
                "op": "changed",
                "entry": entry_json(c.key, c.new),
                "changes": {f: [_plain(o), _plain(n)] for f, (o, n) in c.changes.items()},
            }
            for c in diff.changed
        ]
    return out


def _snapshots(conn: Any, list_id: str) -> list[dict[str, Any]]:
    if store.get_list(conn, list_id) is None:
        raise NotFound(f"no list {list_id!r}")
    snaps = store.snapshots(conn, list_id)
    if not snaps:
        raise NotFound(f"list {list_id!r} has no snapshots yet")
    return snaps


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def screen_snapshot(
    db: Database,
    list_id: str,
    ref: str | None = None,
    *,
    queue: bool = False,
    now: Any = None,
    matcher: str = "names",
) -> dict[str, Any]:
    """Screen a snapshot's persons (default: the latest) against the registry's people.

    `matcher`: `names` (default: the name matcher's index, across scripts, together with
    the token scorer of `screening.screen_entries`) or `standin` (the token scorer only).

    Returns `{"list", "snapshot", "candidates": [...]}`. With `queue`, the candidates go
    to the review queue (`khronika.review`): each gets its `review` id and `status`,
    and the result counts `queued` (new) and `already` (proposed before, judged or not).
    """
    with db.connect() as conn:
        snaps = _snapshots(conn, list_id)
        snap = resolve_snapshot(snaps, ref) if ref else snaps[-1]
        entries = store.snapshot_entries(conn, list_id, snap["id"])
        people = [
            RegistryPerson(p["id"], tuple(n["name"] for n in p["names"]), p["birth_date"])
            for p in store.registry_people(conn)
        ]
    keyed = {k: Entry.from_json(v) for k, v in entries.items()}
    found = [c.to_json() for c in screen_entries(keyed, people)]
    if matcher == "names":
        # The name matcher's index finds spellings across scripts; the token stand-in also
        # runs, because the index's blocking can miss a word order the scorer accepts
        # (an all-caps surname-first entry against a mixed-case surname-first record).
        seen = {(c["entry"], c["person"]) for c in found}
        found += [
            c for c in _screen_with_names(keyed, people) if (c["entry"], c["person"]) not in seen
        ]
        found.sort(key=lambda c: (-c["score"], c["entry"], c["person"]))
    result = {
        "list": list_id,
        "snapshot": snap["id"],
        "candidates": [c | {"entry_name": entries[c["entry"]]["name"]} for c in found],
    }
    if queue:
        result |= _queue_candidates(
            db, list_id, snap["id"], entries, people, result["candidates"], now=now
        )
    return result


def _screen_with_names(entries: dict[str, Entry], people: list[Any]) -> list[dict[str, Any]]:
    """Candidates (as `Candidate.to_json`) from the name matcher's index: for each person
    entry, every registry person whose spelling matches one of the entry's names."""
    index = Index()
    index.extend((p.id, n, p.birth_date) for p in people for n in p.names)
    births = {p.id: p.birth_date for p in people}
    out: list[dict[str, Any]] = []
    for key, entry in entries.items():
        if entry.kind != "person":
            continue
        best: dict[Any, Any] = {}
        for name in (entry.name, *entry.aliases):
            for hit in index.search(name, birth_date=entry.birth_date, limit=20):
                if hit.key not in best or hit.score > best[hit.key][0]:
                    best[hit.key] = (hit.score, name, hit)
        for pid, (score, name, hit) in best.items():
            dates = compare_birth_dates(entry.birth_date, births.get(pid))
            out.append(
                {
                    "entry": key,
                    "person": pid,
                    "score": round(score, 3),
                    "features": {"entry_name": name, "person_name": hit.name, "birth_date": dates},
                    "explanation": hit.explanation,
                }
            )
    out.sort(key=lambda c: (-c["score"], c["entry"], c["person"]))
    return out


def _queue_candidates(
    db: Database,
    list_id: str,
    snapshot_id: str,
    entries: dict[str, dict[str, Any]],
    people: list[Any],
    candidates: list[dict[str, Any]],
    *,
    now: Any = None,
) -> dict[str, Any]:
    """Put screening candidates into the review queue, explained by the review scorer too."""
    births = {p.id: p.birth_date for p in people}
    scorer = default_scorer()
    proposals = []
    for c in candidates:
        entry = entries[c["entry"]]
        explained = c.get("explanation")
        if explained is None:  # the stand-in matcher gives features only
            _, explained = scorer(
                c["features"]["entry_name"],
                c["features"]["person_name"],
                entry.get("birth_date"),
                births.get(c["person"]),
            )
        proposals.append(
            Proposal(
                PairKind.ENTRY_PERSON,
                f"{list_id}/{c['entry']}",
                c["person"],
                c["score"],
                {"screening": c["features"], **explained},
                {
                    "list": list_id,
                    "snapshot": snapshot_id,
                    "entry_name": entry["name"],
                    "entry_birth_date": entry.get("birth_date"),
                },
            )
        )
    report = propose(db, proposals, proposed_by="lists screen", now=now)
    status = {
        c["id"]: c["status"]
        for c in list_queue(
            db, kind=PairKind.ENTRY_PERSON.value, status=("open", "unsure", "accepted", "rejected")
        )
    }
    for c, cid in zip(candidates, report.ids, strict=True):
        c |= {"review": cid, "status": status.get(cid, "open")}
    return {"queued": report.new, "already": report.known}
