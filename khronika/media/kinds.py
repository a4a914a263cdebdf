"""The `mention-person` proposal kind: a person named in a state-media item.

Accepting the pair confirms the link: the mention gets the person, and the person gets a
`media_appearance` event citing the item (its registry source), dated by the item.
Undoing retracts that event and leaves the mention for review again.
"""

from __future__ import annotations

import hashlib
from typing import Any

from khronika.errors import NotFound
from khronika.model.dates import parse_timestamp
from khronika.model.judgements import JudgementRow, PairKind
from khronika.registry import RawRecord, describe_person, retract, write_versions
from khronika.review import ProposalKind, register_kind
from khronika.storage import Database
from khronika.storage import media as store
from khronika.storage.versions import current_version

__all__ = ["MENTION_PERSON", "appearance_id", "describe_mention"]


def _parse_ref(ref: str) -> tuple[str, int, int]:
    item, _, span = ref.rpartition("@")
    start, _, end = span.partition("-")
    return item, int(start), int(end)


def appearance_id(item_id: str, person: str) -> str:
    """The id of the `media_appearance` event of one person in one item."""
    return "ma-" + hashlib.sha256(f"{item_id}\0{person}".encode()).hexdigest()[:16]


def describe_mention(db: Database, ref: str) -> dict[str, Any]:
    """What a reviewer needs to see of a mention: the words, the sentence, the item."""
    item, start, end = _parse_ref(ref)
    with db.connect() as conn:
        m = store.mention_by_ref(conn, item, start, end)
    if m is None:
        return {"mention": ref, "missing": True}
    return {
        "mention": ref,
        "text": m["text"],
        "normal": m["normal"],
        "sentence": m["sentence"],
        "role": m["role"],
        "item": m["item"],
        "title": m["title"],
        "published": m["published"],
    }


def _accepted(db: Database, j: JudgementRow, by: str | None, when: str) -> list[str]:
    item, start, end = _parse_ref(j.a)
    with db.begin() as conn:
        m = store.mention_by_ref(conn, item, start, end)
        if m is None:
            raise NotFound(f"no mention {j.a} in a current item")
        store.set_mention_link(conn, m["pk"], person=j.b, link="confirmed")
        eid = appearance_id(item, j.b)
        if current_version(conn, "event", eid) is not None:
            return []
        date = (m["published"] or m["recorded"])[:10]
        event = {
            "type": "event",
            "id": eid,
            "person": j.b,
            "kind": "media_appearance",
            "date": date,
            "details": {"item": item, "mention": m["text"]},
            "sources": [m["source"]],
        }
        write_versions(
            db,
            [RawRecord(f"<review>:{j.id}", event)],
            recorded_by=by,
            now=parse_timestamp(when),
            conn=conn,
        )
    return [eid]


def _undone(db: Database, j: JudgementRow, reason: str, by: str | None, when: str) -> list[str]:
    item, start, end = _parse_ref(j.a)
    with db.begin() as conn:
        m = store.mention_by_ref(conn, item, start, end)
        if m is not None:
            store.set_mention_link(conn, m["pk"], person=None, link="review")
        eid = appearance_id(item, j.b)
        row = current_version(conn, "event", eid)
    if row is None:
        return []
    retract(db, "event", eid, reason=reason, by=by, now=when)
    return [eid]


MENTION_PERSON = register_kind(
    ProposalKind(
        name=PairKind.MENTION_PERSON.value,
        describe_a=describe_mention,
        describe_b=describe_person,
        accepted=_accepted,
        undone=_undone,
    )
)
