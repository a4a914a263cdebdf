"""Every SQL statement of the official-lists watch (tables in schema/lists.py).

Functions take an open Connection, so the caller decides the unit of work: an import
writes its snapshot, new keys and entry versions in one transaction, or nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

import orjson
from sqlalchemy import Connection, and_, func, insert, select

from khronika.storage.schema import organisation, person
from khronika.storage.schema.lists import (
    list_entry,
    list_entry_version,
    list_snapshot,
    watched_list,
)

__all__ = [
    "current_entries",
    "find_organisation",
    "latest_snapshots",
    "entries_by_keys",
    "entry_versions",
    "find_snapshot_by_sha",
    "get_list",
    "insert_entries",
    "insert_list",
    "insert_snapshot",
    "latest_versions_outside",
    "list_lists",
    "next_seq",
    "registry_people",
    "snapshot_entries",
    "snapshot_digests",
    "snapshots",
]

_SNAPSHOT_ORDER = (list_snapshot.c.taken, list_snapshot.c.seq)


def find_organisation(conn: Connection, name: str) -> str | None:
    """Return the id of a current organisation called `name` (any case), or None."""
    found = conn.execute(
        select(organisation.c.id)
        .where(func.lower(organisation.c.name) == name.lower(), organisation.c.retracted.is_(None))
        .limit(1)
    ).scalar()
    return None if found is None else str(found)


def insert_list(conn: Connection, row: Mapping[str, Any]) -> None:
    """Add a watched list (`options` as a dict)."""
    values = dict(row)
    values["options"] = orjson.dumps(values.get("options") or {}).decode()
    conn.execute(insert(watched_list).values(**values))


def get_list(conn: Connection, list_id: str) -> dict[str, Any] | None:
    """Return the watched list `list_id` (options decoded), or None."""
    row = conn.execute(select(watched_list).where(watched_list.c.id == list_id)).mappings().first()
    if row is None:
        return None
    out = dict(row)
    out["options"] = orjson.loads(out["options"])
    return out


def list_lists(conn: Connection) -> list[dict[str, Any]]:
    """Return every watched list, by id."""
    rows = conn.execute(select(watched_list).order_by(watched_list.c.id)).mappings()
    return [dict(r) | {"options": orjson.loads(r["options"])} for r in rows]


def snapshots(conn: Connection, list_id: str) -> list[dict[str, Any]]:
    """Return the snapshots of a list in order: by snapshot time, then import order."""
    rows = conn.execute(
        select(list_snapshot).where(list_snapshot.c.list_id == list_id).order_by(*_SNAPSHOT_ORDER)
    ).mappings()
    return [dict(r) | {"warnings": orjson.loads(r["warnings"])} for r in rows]


def find_snapshot_by_sha(conn: Connection, list_id: str, sha256: str) -> str | None:
    """Return the id of the list's snapshot of exactly these bytes, or None."""
    return conn.execute(
        select(list_snapshot.c.id)
        .where(list_snapshot.c.list_id == list_id, list_snapshot.c.sha256 == sha256)
        .limit(1)
    ).scalar()


def next_seq(conn: Connection, list_id: str) -> int:
    """Return the import order number for the list's next snapshot."""
    value = conn.execute(
        select(func.max(list_snapshot.c.seq)).where(list_snapshot.c.list_id == list_id)
    ).scalar()
    return int(value or 0) + 1


def insert_snapshot(conn: Connection, row: Mapping[str, Any]) -> None:
    """Add a snapshot row (`warnings` as a list)."""
    values = dict(row)
    values["warnings"] = orjson.dumps(values.get("warnings") or []).decode()
    conn.execute(insert(list_snapshot).values(**values))


def insert_entries(
    conn: Connection,
    list_id: str,
    snapshot_id: str,
    keyed: Iterable[tuple[str, dict[str, Any]]],
    *,
    new_keys: Iterable[str],
) -> None:
    """Add the snapshot's entry versions (key, Entry.to_json()) and the keys first seen in it."""
    fresh = [{"list_id": list_id, "key": k, "first_snapshot": snapshot_id} for k in new_keys]
    if fresh:
        conn.execute(insert(list_entry), fresh)
    rows = []
    for key, data in keyed:
        text = orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode()
        rows.append(
            {
                "list_id": list_id,
                "snapshot_id": snapshot_id,
                "key": key,
                "source_id": data.get("source_id"),
                "kind": data["kind"],
                "name": data["name"],
                "birth_date": data.get("birth_date"),
                "data": text,
                "digest": hashlib.sha256(text.encode()).hexdigest()[:32],
            }
        )
    if rows:
        conn.execute(insert(list_entry_version), rows)


def snapshot_entries(conn: Connection, list_id: str, snapshot_id: str) -> dict[str, dict[str, Any]]:
    """Return key -> entry data (Entry.to_json) of one snapshot."""
    rows = conn.execute(
        select(list_entry_version.c.key, list_entry_version.c.data).where(
            list_entry_version.c.list_id == list_id,
            list_entry_version.c.snapshot_id == snapshot_id,
        )
    )
    return {key: orjson.loads(data) for key, data in rows}


def snapshot_digests(conn: Connection, list_id: str, snapshot_id: str) -> dict[str, str]:
    """Return key -> content digest of every entry of one snapshot (an index-only read)."""
    rows = conn.execute(
        select(list_entry_version.c.key, list_entry_version.c.digest).where(
            list_entry_version.c.list_id == list_id,
            list_entry_version.c.snapshot_id == snapshot_id,
        )
    )
    return {key: digest for key, digest in rows}


def entries_by_keys(
    conn: Connection, list_id: str, snapshot_id: str, keys: Iterable[str]
) -> dict[str, dict[str, Any]]:
    """Return key -> entry data for the given keys of one snapshot."""
    wanted = sorted(keys)
    out: dict[str, dict[str, Any]] = {}
    for start in range(0, len(wanted), 500):  # bounded IN lists, for both engines
        rows = conn.execute(
            select(list_entry_version.c.key, list_entry_version.c.data).where(
                list_entry_version.c.list_id == list_id,
                list_entry_version.c.snapshot_id == snapshot_id,
                list_entry_version.c.key.in_(wanted[start : start + 500]),
            )
        )
        out.update((k, orjson.loads(d)) for k, d in rows)
    return out


def latest_versions_outside(
    conn: Connection, list_id: str, snapshot_id: str | None
) -> dict[str, dict[str, Any]]:
    """Return key -> last known data of every key of the list absent from `snapshot_id`.

    These are removed entries; a later snapshot may list them again under their old key.
    """
    v, s = list_entry_version, list_snapshot
    inside = select(v.c.key).where(v.c.list_id == list_id, v.c.snapshot_id == snapshot_id)
    rows = conn.execute(
        select(v.c.key, v.c.data)
        .join(s, and_(s.c.list_id == v.c.list_id, s.c.id == v.c.snapshot_id))
        .where(v.c.list_id == list_id, v.c.key.not_in(inside))
        .order_by(*_SNAPSHOT_ORDER)
    )
    return {key: orjson.loads(data) for key, data in rows}  # later versions overwrite


def entry_versions(conn: Connection, list_id: str, key: str) -> dict[str, dict[str, Any]]:
    """Return snapshot id -> data for every snapshot that lists entry `key`."""
    rows = conn.execute(
        select(list_entry_version.c.snapshot_id, list_entry_version.c.data).where(
            list_entry_version.c.list_id == list_id, list_entry_version.c.key == key
        )
    )
    return {sid: orjson.loads(data) for sid, data in rows}


def registry_people(conn: Connection) -> list[dict[str, Any]]:
    """Return the current version of every person: id, names (decoded), birth date.

    Screening reads these; withheld people are included (matching is not publishing).
    """
    rows = conn.execute(
        select(person.c.id, person.c.names, person.c.birth_date).where(person.c.retracted.is_(None))
    )
    return [
        {"id": pid, "names": orjson.loads(names), "birth_date": born} for pid, names, born in rows
    ]


def latest_snapshots(conn: Connection) -> dict[str, str]:
    """Return list id -> the id of its latest snapshot (lists without one are left out)."""
    rows = conn.execute(
        select(list_snapshot.c.list_id, list_snapshot.c.id).order_by(
            list_snapshot.c.list_id, *_SNAPSHOT_ORDER
        )
    )
    return {list_id: snapshot_id for list_id, snapshot_id in rows}  # the last one stays


def current_entries(
    conn: Connection, list_id: str, snapshot_id: str
) -> Iterable[tuple[str, dict[str, Any], str]]:
    """Yield (key, entry data, taken of the first snapshot that had the key) of a snapshot."""
    v, e, first = list_entry_version, list_entry, list_snapshot.alias("first")
    rows = conn.execute(
        select(v.c.key, v.c.data, first.c.taken)
        .join(e, and_(e.c.list_id == v.c.list_id, e.c.key == v.c.key))
        .join(first, and_(first.c.list_id == e.c.list_id, first.c.id == e.c.first_snapshot))
        .where(v.c.list_id == list_id, v.c.snapshot_id == snapshot_id)
    )
    for key, data, taken in rows:
        yield key, orjson.loads(data), taken
