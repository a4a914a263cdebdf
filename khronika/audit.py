"""The tamper-evident audit log: every write appended with who, when, what, in a hash chain.

Each row holds the actor, the time, the action, the ids it touched, what it did to registry
versions (`changes`), digests of the touched records before and after, and the hash of the
row before it; its own hash covers all of that. So:

* changing or deleting a logged row breaks the chain from that row on;
* changing a registry version with plain SQL (its content, its retraction) no longer
  matches the row that wrote it;
* a version added with plain SQL matches no row at all.

`verify` finds all three and names the first broken row. The registry's write path appends
the row in the write's own transaction (`khronika.registry.writes`); the review queue, the
lists watch and the accounts append theirs for what they write.

A database that had versions before its first logged write starts its log with one
`adopt` row that takes those versions as they are (it cannot vouch for what came before).

    !!! Never UPDATE or DELETE audit rows. A restore appends its own row; nothing rewrites
    !!! the chain.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection

from khronika.model.records import content_digest
from khronika.storage import Database
from khronika.storage import audit as store
from khronika.storage.rows import content_from_row

__all__ = [
    "GENESIS",
    "Change",
    "Problem",
    "audit_head",
    "audit_log",
    "record",
    "registry_changes",
    "verify",
]

#: The `prev` of the first row.
GENESIS = "0" * 64

#: ("w", type, id, recorded, digest) for a version written; ("r", type, id, recorded,
#: retracted) for a version retracted.
Change = tuple[str, str, str, str, str]


@dataclass(frozen=True, slots=True)
class Problem:
    """What `verify` found wrong: the row it concerns (None: no row covers it) and why."""

    seq: int | None
    message: str

    def __str__(self) -> str:
        return f"row {self.seq}: {self.message}" if self.seq is not None else self.message


def _row_hash(prev: str, row: dict[str, Any]) -> str:
    body = {k: row[k] for k in ("at", "actor", "action", "ids", "changes", "before", "after")}
    return hashlib.sha256(
        prev.encode() + orjson.dumps(body, option=orjson.OPT_SORT_KEYS)
    ).hexdigest()


def _states_digest(states: Iterable[tuple[str, str]]) -> str:
    return hashlib.sha256(orjson.dumps(sorted(states))).hexdigest()


def record(
    conn: Connection,
    action: str,
    *,
    at: str,
    actor: str | None,
    changes: Sequence[Change] = (),
    ids: Iterable[str] = (),
    before: Iterable[tuple[str, str]] = (),
    after: Iterable[tuple[str, str]] = (),
) -> int:
    """Append one row inside the caller's transaction; return its sequence number.

    Args:
        action: what was done (`write`, `retract`, `review.judge`, `lists.import`, …).
        at: the write time (stored form).
        actor: who did it (None: unknown).
        changes: what it did to registry versions.
        ids: what else it touched (`type:id`); the ids of `changes` are added.
        before, after: (`type:id`, state) of the touched records before and after; by
            default the changes say them (the version retracted before, the digest of the
            version written after).
    """
    store.lock_log(conn)
    prev = store.last_hash(conn)
    if prev is None:
        prev = _adopt(conn, at, exclude={(c[1], c[2], c[3]) for c in changes})
    before = list(before) or [(f"{c[1]}:{c[2]}", c[3]) for c in changes if c[0] == "r"]
    after = list(after) or [(f"{c[1]}:{c[2]}", c[4]) for c in changes if c[0] == "w"]
    touched = sorted({*ids, *(f"{c[1]}:{c[2]}" for c in changes)})
    row = {
        "at": at,
        "actor": actor,
        "action": action,
        "ids": orjson.dumps(touched).decode(),
        "changes": orjson.dumps(sorted(changes)).decode(),
        "before": _states_digest(before),
        "after": _states_digest(after),
        "prev": prev,
    }
    row["hash"] = _row_hash(prev, row)
    return store.append_row(conn, row)


def registry_changes(
    conn: Connection,
    written: dict[str, list[dict[str, Any]]],
    retracted: dict[str, list[tuple[int, str, str | None]]],
) -> list[Change]:
    """The changes of a registry write: version rows inserted, (pk, when, reason) retracted."""
    out: list[Change] = [
        ("w", rtype, r["id"], r["recorded"], r["digest"])
        for rtype, rows in written.items()
        for r in rows
    ]
    for rtype, changes in retracted.items():
        found = store.versions_by_pk(conn, rtype, [pk for pk, _, _ in changes])
        out.extend(("r", rtype, *found[pk], at) for pk, at, _ in changes)
    return out


def _adopt(conn: Connection, at: str, *, exclude: set[tuple[str, str, str]]) -> str:
    """Start the log: one `adopt` row for the versions already there (none: the genesis)."""
    changes: list[Change] = []
    for rtype, row in store.version_rows(conn):
        if (rtype, row.id, row.recorded) in exclude:
            continue
        changes.append(("w", rtype, row.id, row.recorded, row.digest))
        if row.retracted is not None:
            changes.append(("r", rtype, row.id, row.recorded, row.retracted))
    if not changes:
        return GENESIS
    entry = {
        "at": at,
        "actor": None,
        "action": "adopt",
        "ids": "[]",
        "changes": orjson.dumps(sorted(changes)).decode(),
        "before": _states_digest([]),
        "after": _states_digest((f"{c[1]}:{c[2]}", c[4]) for c in changes if c[0] == "w"),
        "prev": GENESIS,
    }
    entry["hash"] = _row_hash(GENESIS, entry)
    store.append_row(conn, entry)
    return str(entry["hash"])


def audit_head(db: Database) -> dict[str, Any] | None:
    """The newest row's sequence number and hash (an export names the head it was taken at)."""
    with db.connect() as conn:
        head = store.log_head(conn)
    return None if head is None else {"seq": head[0], "hash": head[1]}


def audit_log(
    db: Database, *, actor: str | None = None, since: str | None = None
) -> list[dict[str, Any]]:
    """Rows oldest first, with `ids` and `changes` decoded (of one actor, from a time on)."""
    with db.connect() as conn:
        rows = list(store.audit_rows(conn, actor=actor, since=since))
    for r in rows:
        r["ids"] = orjson.loads(r["ids"])
        r["changes"] = orjson.loads(r["changes"])
    return rows


def verify(db: Database) -> list[Problem]:
    """Check the chain and every registry version against it; return what is wrong.

    Problems of the chain itself come first (a row changed or removed explains the
    versions that no longer match it), each group sorted by row: the first problem names
    the first broken row.
    """
    chain: list[Problem] = []
    problems: list[Problem] = []
    written: dict[tuple[str, str, str], tuple[str, int]] = {}
    retracted: dict[tuple[str, str, str], tuple[str, int]] = {}
    with db.connect() as conn:
        prev, last = GENESIS, 0
        for row in store.audit_rows(conn):
            seq = int(row["seq"])
            if row["prev"] != prev:
                chain.append(
                    Problem(
                        seq,
                        f"the chain is broken (a row before it, after row {last}, was changed or removed)",
                    )
                )
            elif _row_hash(prev, row) != row["hash"]:
                chain.append(Problem(seq, "the row was changed after it was written"))
            prev, last = row["hash"], seq
            for kind, rtype, rid, recorded, value in orjson.loads(row["changes"]):
                target = written if kind == "w" else retracted
                target[(rtype, rid, recorded)] = (value, seq)
        seen: set[tuple[str, str, str]] = set()
        for rtype, v in store.version_rows(conn):
            key = (rtype, v.id, v.recorded)
            seen.add(key)
            what = f"{rtype} {v.id!r} version {v.recorded}"
            if key not in written:
                problems.append(
                    Problem(None, f"{what} is in no row: written behind khronika's back")
                )
                continue
            digest, seq = written[key]
            if content_digest(content_from_row(rtype, v)) != digest:
                problems.append(Problem(seq, f"{what} no longer has the content this row wrote"))
            logged = retracted.get(key)
            if (logged[0] if logged else None) != v.retracted:
                at = logged[1] if logged else seq
                problems.append(
                    Problem(at, f"{what}: its retraction was changed behind khronika's back")
                )
        for key, (_, seq) in written.items():
            if key not in seen:
                problems.append(Problem(seq, f"{key[0]} {key[1]!r} version {key[2]} was deleted"))
    problems.sort(key=lambda p: (p.seq is None, p.seq or 0))
    return chain + problems
