"""Confirmed list matches as registry events: `designated` when listed, `delisted` when removed.

A list entry confirmed to be a registry person (a positive `entry-person` judgement in the
review queue) gets one `designated` event per listing (the first and every re-listing) and
one `delisted` event per removal, read from the entry's history across snapshots:

* `designated`: dated by the entry's `included_on` when the list states it (first listing),
  else by the day of the snapshot that first lists it (the list may have named the person
  earlier: the first snapshot is when *we* saw it);
* `delisted`: dated by the day of the first snapshot without the entry;
* `details.list` = list id, `details.entry` = entry key; the source is the snapshot (its
  archived file, SHA-256, the list's URL), public: an official list is a public document;
  a format whose entries keep the addresses of the documents naming them (`cite`) has the
  event cite each of those too.

A format may say otherwise (its declaration's `link_events`, a `formats.LinkEvents`):
announcements of special proceedings (`by-special-proceedings`) add one
`in_absentia_proceedings`, dated by the decision, with the entry's articles and announcing
body in its details, citing each announcement that named the person (by its address) beside
the collection's snapshot.

Event ids are derived from (judgement, snapshot, kind), so adding them again is a no-op and
an undone judgement's events can be found and retracted. `sync_designations` runs after each
snapshot import (the CLI `lists import` calls it): a confirmed entry that has just left the
list gets its `delisted`.

This module declares the `entry-person` review kind (`ENTRY_PERSON`): accepting a pair adds
the events, undoing it retracts them, all through the registry's one write path.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from khronika.errors import NotFound
from khronika.listwatch.formats import FORMATS, LinkEvents
from khronika.listwatch.reports import entry_history
from khronika.listwatch.snapshots import archive_path
from khronika.model.dates import now_timestamp, parse_timestamp, storage_timestamp
from khronika.model.judgements import Judgement, JudgementRow, PairKind, current_decision
from khronika.registry import (
    Expected,
    RawRecord,
    archive_file,
    archived_path,
    retract_many,
    write_versions,
)
from khronika.registry.merges import register_person_kind
from khronika.storage import Database
from khronika.storage import lists as list_store
from khronika.storage import review as review_store
from khronika.storage.versions import current_version, existing_ids

__all__ = [
    "ENTRY_PERSON",
    "add_link_events",
    "describe_entry",
    "link_records",
    "retract_link_events",
    "sync_designations",
]


def _event_id(judgement_id: int, snapshot: str, kind: str) -> str:
    digest = hashlib.sha256(f"{judgement_id}\0{snapshot}\0{kind}".encode()).hexdigest()
    return f"lw-{kind}-{digest[:16]}"


def _source(wlist: dict[str, Any], snap: dict[str, Any], issuer: str | None) -> dict[str, Any]:
    return {
        "type": "source",
        "id": f"lw-{wlist['id']}-{snap['id']}",
        "url": wlist.get("url"),
        "file": snap.get("filename") or f"{wlist['id']}-{snap['id']}",
        "title": f"{wlist['title']} (snapshot {snap['id']})",
        "publisher": issuer,
        "retrieved": snap["taken"],
        "sha256": snap["sha256"],
        "visibility": "public",
    }


_WEB = ("https://", "http://")


def _cited(entry: dict[str, Any], field: str | None, publisher: str | None) -> list[dict[str, Any]]:
    """The public sources of the web addresses in the entry's `field` (announcements)."""
    urls = entry.get(field) if field else None
    if not isinstance(urls, list | tuple):
        return []
    return [
        {
            "type": "source",
            "id": f"lw-doc-{hashlib.sha256(url.encode()).hexdigest()[:16]}",
            "url": url,
            "publisher": publisher,
            "visibility": "public",
        }
        for url in sorted(u for u in urls if isinstance(u, str) and u.startswith(_WEB))
    ]


def link_records(db: Database, judgement: JudgementRow) -> list[dict[str, Any]]:
    """Return the source and event records one confirmed entry-person link calls for.

    Raises:
        NotFound: the list or entry does not exist.
    """
    list_id, _, key = judgement.a.partition("/")
    hist = entry_history(db, list_id, key)
    with db.connect() as conn:
        wlist = list_store.get_list(conn, list_id)
        snaps = {s["id"]: s for s in list_store.snapshots(conn, list_id)}
        issuer = _organisation_name(conn, wlist["issuer"]) if wlist else None
    assert wlist is not None  # entry_history raised NotFound otherwise
    fmt = FORMATS.get(wlist["format"])
    link = fmt.link_events if fmt is not None else LinkEvents()
    records: list[dict[str, Any]] = []
    for item in hist["events"]:
        kind = link.kinds.get(item["event"])
        if kind is None:
            continue
        snap = snaps[item["snapshot"]]
        date = snap["taken"][:10]
        entry = item.get("entry") or {}
        stated = entry.get(link.date)
        if item["event"] == "listed" and isinstance(stated, str) and stated[:4].isdigit():
            date = stated[:10]
        source = _source(wlist, snap, issuer)
        cited = _cited(entry, link.cite, entry.get("body") or issuer)
        records.extend(r for r in (source, *cited) if r not in records)
        records.append(
            {
                "type": "event",
                "id": _event_id(judgement.id, snap["id"], kind),
                "person": judgement.b,
                "kind": kind,
                "date": date,
                "details": {"list": list_id, "entry": key}
                | {f: entry[f] for f in link.details if entry.get(f) not in (None, "", [])},
                "sources": [source["id"], *(c["id"] for c in cited)],
            }
        )
    return records


def _organisation_name(conn: Any, org_id: str) -> str | None:
    row = current_version(conn, "organisation", org_id)
    return None if row is None else str(row.name)


def add_link_events(
    db: Database,
    judgement_id: int,
    *,
    by: str | None = None,
    now: datetime | str | None = None,
) -> list[str]:
    """Add the `designated`/`delisted` events of one accepted link; return the new event ids."""
    with db.connect() as conn:
        rows = [
            j
            for j in review_store.judgements(conn, kind=PairKind.ENTRY_PERSON.value)
            if j.id == judgement_id
        ]
    if not rows:
        raise NotFound(f"no judgement {judgement_id}")
    return _write(db, link_records(db, rows[0]), by=by, now=now)


def _write(
    db: Database, records: list[dict[str, Any]], *, by: str | None, now: datetime | str | None
) -> list[str]:
    events = [r["id"] for r in records if r["type"] == "event"]
    with db.connect() as conn:
        fresh = [e for e in events if e not in existing_ids(conn, "event", events)]
    todo = [r for r in records if r["type"] == "source" or r["id"] in fresh]
    if not fresh:
        return []
    when = parse_timestamp(now) if isinstance(now, str) else now
    for r in todo:
        if r.get("sha256"):  # a snapshot's source (an announcement's has only its address)
            _archive_snapshot(r["sha256"])
    write_versions(
        db, [RawRecord(f"<review>:{i}", r) for i, r in enumerate(todo, 1)], recorded_by=by, now=when
    )
    return fresh


def _archive_snapshot(sha256: str) -> None:
    """Make the snapshot's bytes reachable from the registry archive too (by SHA-256)."""
    kept = archive_path(sha256)
    if kept.exists() and not archived_path(sha256).exists():
        archive_file(kept)


def retract_link_events(
    db: Database,
    judgement: JudgementRow,
    *,
    reason: str,
    by: str | None = None,
    now: datetime | str | None = None,
) -> list[str]:
    """Retract the current events an undone link added; return their ids."""
    when = storage_timestamp(now or now_timestamp())
    try:
        ids = [r["id"] for r in link_records(db, judgement) if r["type"] == "event"]
    except NotFound:
        return []
    with db.connect() as conn:
        rows = [current_version(conn, "event", eid) for eid in ids]
    todo = [
        Expected("event", eid, row.recorded)
        for eid, row in zip(ids, rows, strict=True)
        if row is not None and row.recorded < when
    ]
    if todo:
        retract_many(db, todo, reason=reason, by=by, now=when)
    return [e.id for e in todo]


def sync_designations(
    db: Database,
    list_id: str,
    *,
    by: str | None = None,
    now: datetime | str | None = None,
) -> list[str]:
    """Add the events every confirmed match of the list now calls for; return the new ids.

    Run after importing a snapshot: an entry confirmed earlier that has left the list gets
    `delisted`, one listed again gets another `designated`. Idempotent.
    """
    kind = PairKind.ENTRY_PERSON.value
    with db.connect() as conn:
        positives = review_store.positive_judgements(conn, kind, a_prefix=f"{list_id}/")
        history = review_store.judgements(conn, candidates={j.candidate for j in positives})
    added: list[str] = []
    for j in positives:
        decision = current_decision([h for h in history if h.candidate == j.candidate])
        if decision is None or decision.id != j.id or decision.decision != Judgement.POSITIVE:
            continue
        try:
            records = link_records(db, j)
        except NotFound:
            continue
        added += _write(db, records, by=by, now=now)
    return added


def describe_entry(db: Database, ref: str) -> dict[str, Any]:
    """What a reviewer needs to see of a list entry (`LIST/KEY`): the entry and its history."""
    list_id, _, key = ref.partition("/")
    try:
        hist = entry_history(db, list_id, key)
    except NotFound:
        return {"entry": ref, "missing": True}
    return {
        "list": list_id,
        "key": key,
        "entry": hist["entry"],
        "present": hist["present"],
        "first_seen": hist["first_seen"],
        "last_seen": hist["last_seen"],
    }


def _accepted(db: Database, j: JudgementRow, by: str | None, when: str) -> list[str]:
    return _write(db, link_records(db, j), by=by, now=when)


def _undone(db: Database, j: JudgementRow, reason: str, by: str | None, when: str) -> list[str]:
    return retract_link_events(db, j, reason=reason, by=by, now=when)


ENTRY_PERSON = register_person_kind(
    PairKind.ENTRY_PERSON, describe=describe_entry, accepted=_accepted, undone=_undone
)
