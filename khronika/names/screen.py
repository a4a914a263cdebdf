"""Screen a name against the registry and the official lists: ranked, explained candidates.

The index holds every name of every current person (all scripts) and the names and aliases
of every entry of each list's latest snapshot. Building it costs seconds per hundred
thousand names, so it is cached under the data directory (a pickle, keyed by the database
and a fingerprint of what it was built from) and rebuilt only when the registry or a list
has changed.

This is a team tool: restricted and withheld people are screened too (matching is not
publishing). Public search goes through `khronika.privacy`.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
from typing import Any

from khronika import settings
from khronika.names.index import Index
from khronika.storage import Database
from khronika.storage.lists import list_lists, registry_people, snapshot_entries, snapshots
from khronika.storage.versions import table_fingerprint

__all__ = ["registry_index", "screen_name"]

_CACHE_VERSION = 1


def _fingerprint(db: Database) -> tuple[str, list[tuple[str, str]]]:
    with db.connect() as conn:
        people = table_fingerprint(conn, "person")
        latest = []
        for lst in list_lists(conn):
            snaps = snapshots(conn, lst["id"])
            if snaps:
                latest.append((lst["id"], snaps[-1]["id"]))
    key = repr((_CACHE_VERSION, db.display_url, db.schema, people, latest))
    return hashlib.sha256(key.encode()).hexdigest()[:24], latest


def registry_index(db: Database, *, cache_dir: str | Path | None = None) -> Index:
    """Return the screening index of the registry and the lists (from cache when current)."""
    digest, latest = _fingerprint(db)
    directory = Path(cache_dir or Path(settings.get("KHRONIKA_DATA_DIR")) / "cache")
    path = directory / f"names-index-{digest}.pickle"
    if path.exists():
        with open(path, "rb") as f:
            index: Index = pickle.load(f)  # noqa: S301 - our own cache file
        return index
    index = Index()
    with db.connect() as conn:
        for p in registry_people(conn):
            for n in p["names"]:
                index.add(("person", p["id"]), n["name"], p["birth_date"])
        for list_id, snapshot_id in latest:
            for key, entry in snapshot_entries(conn, list_id, snapshot_id).items():
                if entry.get("kind", "person") != "person":
                    continue
                names = [entry["name"], *(entry.get("aliases") or ())]
                for name in names:
                    index.add(("entry", list_id, key), name, entry.get("birth_date"))
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("names-index-*.pickle"):
        old.unlink(missing_ok=True)
    tmp = path.with_suffix(".part")
    with open(tmp, "wb") as f:
        pickle.dump(index, f, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
    return index


def screen_name(
    db: Database,
    name: str,
    *,
    birth_date: str | None = None,
    mention: bool = False,
    limit: int = 10,
    index: Index | None = None,
) -> list[dict[str, Any]]:
    """Return the people and list entries whose names match `name`, best first, explained.

    One result per person or entry (its best-matching spelling).
    """
    index = index or registry_index(db)
    hits = index.search(name, birth_date=birth_date, mention=mention, limit=limit * 4)
    out: list[dict[str, Any]] = []
    seen: set[Any] = set()
    for hit in hits:
        if hit.key in seen:
            continue
        seen.add(hit.key)
        key: tuple[str, ...] = hit.key  # type: ignore[assignment]  # screen adds tuples
        kind, *ref = key
        result: dict[str, Any] = (
            {"kind": "person", "id": ref[0]}
            if kind == "person"
            else {"kind": "list_entry", "list": ref[0], "key": ref[1]}
        )
        result.update(
            matched_name=hit.name,
            birth_date=hit.birth_date,
            score=hit.score,
            match=hit.match,
            explanation=hit.explanation,
        )
        out.append(result)
        if len(out) == limit:
            break
    return out
