"""The tamper-evident audit log: every write appended with who, when, what, in a hash chain.

Each row holds the actor, the time, the action, the ids it touched, what it did to the rows
it vouches for (`changes`: registry versions, review judgements, lists, accounts), digests of the
touched records before and after, and the hash of the row before it; its own hash covers
all of that. So:

* changing or deleting a logged row breaks the chain from that row on;
* changing a registry version, a review judgement or a list's snapshot or entry with plain
  SQL (its content, its retraction) no longer matches the row that wrote it; an account or
  token row (changed in place) must match the newest row that logged it;
* such a row added with plain SQL matches no row at all, and one deleted is missed.

`verify` finds all of these and names the first broken row. The registry's write path
appends the row in the write's own transaction (`khronika.registry.writes`); the review
queue, the lists watch and the accounts append theirs for what they write, with one
change per table row for judgements, lists and accounts (`table_changes`).

A database that had versions before its first logged write starts its log with one
`adopt` row that takes those versions as they are (it cannot vouch for what came before).
Likewise for the areas beyond the registry (`AREAS`): every row names, in `covers`, the
areas it vouches for row by row; a log whose newest row covers fewer (rows from before
they were covered) gets one `adopt` row for what those areas hold before its next row
(`adopt`, run by `khronika db migrate`). Until then `verify` checks such an area's rows
against no one: an untouched old database verifies clean.

    !!! Never UPDATE or DELETE audit rows. A restore appends its own row; nothing rewrites
    !!! the chain.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection

from khronika.model.records import content_digest
from khronika.storage import Database
from khronika.storage import audit as store
from khronika.storage.rows import content_from_row

__all__ = [
    "AREAS",
    "GENESIS",
    "Change",
    "Problem",
    "adopt",
    "audit_head",
    "audit_log",
    "prior_states",
    "record",
    "registry_changes",
    "table_changes",
    "verify",
]

#: The `prev` of the first row.
GENESIS = "0" * 64

#: ("w", type, id, recorded, digest) for a version written; ("r", type, id, recorded,
#: retracted) for a version retracted. Rows of the other covered tables (`AREAS`) take the
#: same shape: the table's name as type, and the digest of the retraction as its value. A
#: row changed in place (an account) also has ("b", table, id, recorded, digest) for what it
#: held just before the change: `verify` checks that against the row's last logged state.
Change = tuple[str, str, str, str, str]


@dataclass(frozen=True, slots=True)
class _Covered:
    """How a covered table's row becomes a change: its id, its `recorded`, its name."""

    area: str
    ident: tuple[str, ...]  # joined with "/" into the change's id
    recorded: str  # the column in the change's `recorded` place
    label: str  # what `verify` calls the row ({id}, {recorded})
    retraction: tuple[str, ...] = ()  # set later by an undo; outside the write's digest
    volatile: tuple[str, ...] = ()  # moves on use (a login, a token's use); not vouched for


#: The tables beyond the registry the log vouches for row by row, by area; the digest of a
#: row covers every column but those of its retraction (`khronika.storage.audit.COVERED`).
_TABLES: dict[str, _Covered] = {
    "review_judgement": _Covered(
        "review",
        ("id",),
        "recorded",
        "review judgement {id}",
        ("retracted", "retracted_by", "retraction_reason"),
    ),
    "watched_list": _Covered("lists", ("id",), "created", "list {id!r}"),
    "list_snapshot": _Covered("lists", ("list_id", "id"), "imported", "list snapshot {id}"),
    "list_entry": _Covered(
        "lists", ("list_id", "key"), "first_snapshot", "list entry key {id} (first in {recorded})"
    ),
    "list_entry_version": _Covered(
        "lists", ("list_id", "key"), "snapshot_id", "list entry {id} in snapshot {recorded}"
    ),
    # Accounts change in place: each logged change of one carries the digest of the whole
    # row as it then is (the password's argon2 hash and a TOTP seed only inside a digest),
    # and the newest one must match. An account or token added by plain SQL is found.
    "web_user": _Covered(
        "accounts", ("username",), "created", "account {id!r}", (), ("totp_last",)
    ),
    "api_token": _Covered("accounts", ("id",), "created", "API token {id}", (), ("last_used",)),
}

#: The areas beyond the registry whose rows the log vouches for one by one.
AREAS = tuple(sorted({t.area for t in _TABLES.values()}))
_COVERS = orjson.dumps(list(AREAS)).decode()


@dataclass(frozen=True, slots=True)
class Problem:
    """What `verify` found wrong: the row it concerns (None: no row covers it) and why."""

    seq: int | None
    message: str

    def __str__(self) -> str:
        return f"row {self.seq}: {self.message}" if self.seq is not None else self.message


def _row_hash(prev: str, row: Mapping[str, Any]) -> str:
    body = {k: row[k] for k in ("at", "actor", "action", "ids", "changes", "before", "after")}
    if row.get("covers") is not None:  # rows from before it hash without it
        body["covers"] = row["covers"]
    return hashlib.sha256(
        prev.encode() + orjson.dumps(body, option=orjson.OPT_SORT_KEYS)
    ).hexdigest()


def _states_digest(states: Iterable[tuple[str, str]]) -> str:
    return hashlib.sha256(orjson.dumps(sorted(states))).hexdigest()


def _digest(values: Mapping[str, Any]) -> str:
    return hashlib.sha256(orjson.dumps(dict(values), option=orjson.OPT_SORT_KEYS)).hexdigest()[:32]


def _state(table: str, row: Mapping[str, Any]) -> tuple[str, str, str, str | None]:
    """(id, recorded, digest of the write, digest of the retraction or None) of a row."""
    spec = _TABLES[table]
    rid = "/".join(str(row[c]) for c in spec.ident)
    skip = (*spec.retraction, *spec.volatile)
    written = _digest({k: v for k, v in row.items() if k not in skip})
    retracted = None
    if spec.retraction and row[spec.retraction[0]] is not None:
        retracted = _digest({k: row[k] for k in spec.retraction})
    return rid, str(row[spec.recorded]), written, retracted


def _label(rtype: str, rid: str, recorded: str) -> str:
    spec = _TABLES.get(rtype)
    if spec is None:
        return f"{rtype} {rid!r} version {recorded}"
    return spec.label.format(id=rid, recorded=recorded)


def table_changes(
    conn: Connection, table: str, *, retraction: bool = False, **equal: Any
) -> list[Change]:
    """The changes of rows just written to a covered table (those whose columns equal
    `equal`): the digest of each, or with `retraction` that of each one's retraction.

    Call it after the write, in its transaction, and pass the result to `record`:

        record(conn, "review.judge", …, changes=table_changes(conn, "review_judgement", id=jid))
    """
    out: list[Change] = []
    for row in store.covered_rows(conn, table, **equal):
        rid, recorded, written, retracted = _state(table, row)
        if not retraction:
            out.append(("w", table, rid, recorded, written))
        elif retracted is not None:
            out.append(("r", table, rid, recorded, retracted))
    return out


def prior_states(conn: Connection, table: str, **equal: Any) -> list[Change]:
    """The states of rows of a covered table about to be changed in place (those whose
    columns equal `equal`), as ("b", …) changes: call it before the UPDATE, in the same
    transaction, and pass it to `record` with the `table_changes` after it.

    A row changed behind khronika's back and then changed through it is found this way:
    what it held before the logged change is not what the log last said it held.
    """
    out: list[Change] = []
    for row in store.covered_rows(conn, table, **equal):
        rid, recorded, written, _ = _state(table, row)
        out.append(("b", table, rid, recorded, written))
    return out


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
        changes: what it did to registry versions (`registry_changes`) and to the rows of
            covered tables (`table_changes`).
        ids: what else it touched (`type:id`); the ids of registry changes are added.
        before, after: (`type:id`, state) of the touched records before and after; by
            default the registry changes say them (the version retracted before, the
            digest of the version written after).
    """
    store.lock_log(conn)
    prev = _adopt(conn, at, exclude={c[:4] for c in changes})
    registry = [c for c in changes if c[1] not in _TABLES]
    before = list(before) or [(f"{c[1]}:{c[2]}", c[3]) for c in registry if c[0] == "r"]
    after = list(after) or [(f"{c[1]}:{c[2]}", c[4]) for c in registry if c[0] == "w"]
    touched = sorted({*ids, *(f"{c[1]}:{c[2]}" for c in registry)})
    row = {
        "at": at,
        "actor": actor,
        "action": action,
        "ids": orjson.dumps(touched).decode(),
        "changes": orjson.dumps(sorted(changes)).decode(),
        "before": _states_digest(before),
        "after": _states_digest(after),
        "prev": prev,
        "covers": _COVERS,
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


def _held(conn: Connection, *, registry: bool, areas: Iterable[str]) -> Iterator[Change]:
    """The changes that would write what the tables hold now: registry versions (when
    asked) and the rows of the covered tables of `areas`, each with its retraction."""
    if registry:
        for rtype, v in store.version_rows(conn):
            yield ("w", rtype, v.id, v.recorded, v.digest)  # as it stands: its stored digest
            if v.retracted is not None:
                yield ("r", rtype, v.id, v.recorded, v.retracted)
    wanted = set(areas)
    for table, spec in _TABLES.items():
        if spec.area not in wanted:
            continue
        for row in store.covered_rows(conn, table):
            rid, recorded, written, retracted = _state(table, row)
            yield ("w", table, rid, recorded, written)
            if retracted is not None:
                yield ("r", table, rid, recorded, retracted)


def _adopt(conn: Connection, at: str, *, exclude: set[tuple[str, ...]]) -> str:
    """Return the hash the next row chains on, after one `adopt` row if the log lacks one:
    for the versions already there (an empty log) and the rows of the areas the newest
    row does not cover, but those the caller's own write logs (`exclude`: kind, type, id,
    recorded). Nothing to adopt: no row (the genesis for an empty log)."""
    head = store.head_row(conn)
    if head is not None and _covers_all(head[1]):
        return head[0]
    covered = set(orjson.loads(head[1])) if head is not None and head[1] else set()
    prev = GENESIS if head is None else head[0]
    held = _held(conn, registry=head is None, areas=set(AREAS) - covered)
    changes = sorted(c for c in held if c[:4] not in exclude)
    if not changes:
        return prev
    entry = {
        "at": at,
        "actor": None,
        "action": "adopt",
        "ids": "[]",
        "changes": orjson.dumps(changes).decode(),
        "before": _states_digest([]),
        "after": _states_digest((f"{c[1]}:{c[2]}", c[4]) for c in changes if c[0] == "w"),
        "prev": prev,
        "covers": _COVERS,
    }
    entry["hash"] = _row_hash(prev, entry)
    store.append_row(conn, entry)
    return str(entry["hash"])


def adopt(db: Database, *, at: str) -> int | None:
    """Start covering every area now: append the `adopt` row the next write would have
    appended, and return its sequence number (None: covered already, or an empty log and
    empty tables).

    `khronika db migrate` runs it, so that an upgraded database is vouched for from the
    upgrade on, not from its next write. If the uncovered areas hold nothing, the row
    adopts nothing and only says that they are covered from there on.
    """
    with db.begin() as conn:
        store.lock_log(conn)
        head = store.head_row(conn)
        if head is not None and _covers_all(head[1]):
            return None
        if _adopt(conn, at, exclude=set()) != (GENESIS if head is None else head[0]):
            found = store.log_head(conn)
            return None if found is None else found[0]
        return None if head is None else record(conn, "adopt", at=at, actor=None)


def _covers_all(covers: str | None) -> bool:
    return covers is not None and set(orjson.loads(covers)) >= set(AREAS)


def audit_head(db: Database) -> dict[str, Any] | None:
    """The newest row's sequence number and hash (an export names the head it was taken at)."""
    with db.connect() as conn:
        head = store.log_head(conn)
    return None if head is None else {"seq": head[0], "hash": head[1]}


def audit_log(
    db: Database, *, actor: str | None = None, since: str | None = None
) -> list[dict[str, Any]]:
    """Rows oldest first, with `ids`, `changes` and `covers` decoded (of one actor, from a
    time on)."""
    with db.connect() as conn:
        rows = list(store.audit_rows(conn, actor=actor, since=since))
    for r in rows:
        r["ids"] = orjson.loads(r["ids"])
        r["changes"] = orjson.loads(r["changes"])
        r["covers"] = orjson.loads(r["covers"]) if r["covers"] is not None else None
    return rows


def _current(
    conn: Connection, areas: Iterable[str]
) -> Iterator[tuple[tuple[str, str, str], str, str | None]]:
    """((type, id, recorded), digest of the content, retraction) of every registry
    version and every row of the covered tables of `areas`, as the tables hold them."""
    for rtype, v in store.version_rows(conn):
        yield (rtype, v.id, v.recorded), content_digest(content_from_row(rtype, v)), v.retracted
    wanted = set(areas)
    for table, spec in _TABLES.items():
        if spec.area in wanted:
            for row in store.covered_rows(conn, table):
                rid, recorded, written, retracted = _state(table, row)
                yield (table, rid, recorded), written, retracted


def verify(db: Database) -> list[Problem]:
    """Check the chain, and every registry version and every row of the covered areas
    against it; return what is wrong.

    An area is checked from the first row that covers it on (`AREAS`; older databases:
    from their `adopt` row); before that, its rows are vouched for by no one and not
    checked. Problems of the chain itself come first (a row changed or removed explains
    the rows that no longer match it), each group sorted by row: the first problem names
    the first broken row.
    """
    chain: list[Problem] = []
    problems: list[Problem] = []
    written: dict[tuple[str, str, str], tuple[str, int]] = {}
    retracted: dict[tuple[str, str, str], tuple[str, int]] = {}
    covered: set[str] = set()
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
            if row["covers"] is not None:
                covered.update(orjson.loads(row["covers"]))
            for kind, rtype, rid, recorded, value in orjson.loads(row["changes"]):
                key = (rtype, rid, recorded)
                if kind == "b":
                    # Sorted first in a row: compared before the row's own "w" replaces it.
                    said = written.get(key)
                    if said is not None and said[0] != value:
                        problems.append(
                            Problem(
                                seq,
                                f"{_label(*key)} was changed behind khronika's back "
                                f"after row {said[1]}, before this row changed it",
                            )
                        )
                    continue
                target = written if kind == "w" else retracted
                target[key] = (value, seq)
        seen: set[tuple[str, str, str]] = set()
        for key, digest, retraction in _current(conn, covered):
            seen.add(key)
            what = _label(*key)
            if key not in written:
                problems.append(
                    Problem(None, f"{what} is in no row: written behind khronika's back")
                )
                continue
            logged_digest, seq = written[key]
            if digest != logged_digest:
                problems.append(Problem(seq, f"{what} no longer has the content this row wrote"))
            logged = retracted.get(key)
            if (logged[0] if logged else None) != retraction:
                at = logged[1] if logged else seq
                problems.append(
                    Problem(at, f"{what}: its retraction was changed behind khronika's back")
                )
        for key, (_, seq) in written.items():
            if key not in seen:
                problems.append(Problem(seq, f"{_label(*key)} was deleted"))
    problems.sort(key=lambda p: (p.seq is None, p.seq or 0))
    return chain + problems
