"""The media area's proposal kinds: a person named in an item, and what an item claims of them.

`mention-person`: accepting the pair confirms the link: the mention gets the person, and the
person gets a `media_appearance` event citing the item (its registry source), dated by the
item. Undoing retracts that event and leaves the mention for review again. A confirmed link
may carry claims (below): they are proposed at once.

`claim-person`: a state report's claim about a linked person (`khronika.media.claims`:
special proceedings, a conviction in absentia, a return or a repentance shown on TV, property
seized). Accepting writes the event the claim describes, citing the item and dated by it
(the day the state said so, which may be later than the fact); undoing retracts it. The claim
is read again from the item's current version when it is judged.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import Connection

from khronika.errors import NotFound
from khronika.media.claims import Claim, claim_ref, find_claims, parse_claim_ref
from khronika.media.people import sentences
from khronika.model.dates import parse_timestamp
from khronika.model.judgements import JudgementRow, PairKind
from khronika.registry import RawRecord, retract, write_versions
from khronika.registry.merges import register_person_kind
from khronika.review import Proposal, propose
from khronika.storage import Database
from khronika.storage import media as store
from khronika.storage.versions import current_version

__all__ = [
    "CLAIM_PERSON",
    "MENTION_PERSON",
    "appearance_id",
    "claim_event_id",
    "claim_proposals",
    "describe_claim",
    "describe_mention",
    "item_claims",
]


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
        details = {"item": item, "mention": m["text"]}
        _add_event(db, conn, j, eid, "media_appearance", date, details, m["source"], by, when)
        current = store.current_item(conn, item)
        claims = [c for c in item_claims(conn, current) if c.start == start] if current else []
    if claims and current is not None:
        # The reviewer has just said who this is: what the item claims of them follows.
        propose(db, claim_proposals(current, claims), proposed_by="media review", now=None)
    return [eid]


def _undone(db: Database, j: JudgementRow, reason: str, by: str | None, when: str) -> list[str]:
    item, start, end = _parse_ref(j.a)
    with db.begin() as conn:
        m = store.mention_by_ref(conn, item, start, end)
        if m is not None:
            store.set_mention_link(conn, m["pk"], person=None, link="review")
    return _retract_event(db, appearance_id(item, j.b), reason, by, when)


def _retract_event(db: Database, eid: str, reason: str, by: str | None, when: str) -> list[str]:
    """Retract the event an accept wrote, if it is still current (undo is idempotent)."""
    with db.connect() as conn:
        row = current_version(conn, "event", eid)
    if row is None:
        return []
    retract(db, "event", eid, reason=reason, by=by, now=when)
    return [eid]


MENTION_PERSON = register_person_kind(
    PairKind.MENTION_PERSON, describe=describe_mention, accepted=_accepted, undone=_undone
)


# ---- claim-person ------------------------------------------------------------------------


def claim_event_id(item_id: str, kind: str, person: str) -> str:
    """The id of the event a claim of `kind` about one person in one item becomes."""
    return "mc-" + hashlib.sha256(f"{item_id}\0{kind}\0{person}".encode()).hexdigest()[:16]


def item_claims(conn: Connection, item: dict[str, Any]) -> list[Claim]:
    """Return the claims of a stored item version (its text and stored findings)."""
    mentions, narratives = store.item_findings(conn, [item["pk"]])
    text = item["text"]
    return find_claims(text, sentences(text), mentions[item["pk"]], narratives[item["pk"]])


def claim_proposals(item: dict[str, Any], claims: list[Claim]) -> list[Proposal]:
    """The review queue's proposals for an item's claims (one per claim)."""
    return [
        Proposal(
            PairKind.CLAIM_PERSON.value,
            claim_ref(item["id"], c.kind, c.start, c.end),
            c.person,
            1.0,
            {"kind": c.kind, "tag": c.tag, "evidence": c.evidence, "details": c.details},
            {"item": item["id"], "sentence": c.sentence, "mention": c.mention},
        )
        for c in claims
    ]


def _claim_of(conn: Connection, ref: str) -> tuple[dict[str, Any], Claim] | None:
    item_id, kind, start, end = parse_claim_ref(ref)
    item = store.current_item(conn, item_id)
    if item is None:
        return None
    for c in item_claims(conn, item):
        if (c.kind, c.start, c.end) == (kind, start, end):
            return item, c
    return None


def describe_claim(db: Database, ref: str) -> dict[str, Any]:
    """What a reviewer needs to see of a claim: what is claimed, the words, the item."""
    with db.connect() as conn:
        found = _claim_of(conn, ref)
    if found is None:
        return {"claim": ref, "missing": True}
    item, c = found
    return {
        "claim": ref,
        "kind": c.kind,
        "details": c.details,
        "mention": c.mention,
        "evidence": c.evidence,
        "sentence": c.sentence,
        "item": item["id"],
        "title": item["title"],
        "published": item["published"],
    }


def _claim_accepted(db: Database, j: JudgementRow, by: str | None, when: str) -> list[str]:
    with db.begin() as conn:
        found = _claim_of(conn, j.a)
        if found is None:
            raise NotFound(f"the current version of the item no longer claims {j.a}")
        item, c = found
        eid = claim_event_id(item["id"], c.kind, j.b)
        if current_version(conn, "event", eid) is not None:
            return []
        date = (item["published"] or item["recorded"])[:10]
        details = {**c.details, "item": item["id"]}
        _add_event(db, conn, j, eid, c.kind, date, details, item["source"], by, when)
    return [eid]


def _add_event(
    db: Database,
    conn: Connection,
    j: JudgementRow,
    eid: str,
    kind: str,
    date: str,
    details: dict[str, Any],
    source: str,
    by: str | None,
    when: str,
) -> None:
    """Write the event an accepted pair adds to person `j.b`, citing the item's source,
    through the write path in the decision's own transaction (`conn`)."""
    event = {
        "type": "event",
        "id": eid,
        "person": j.b,
        "kind": kind,
        "date": date,
        "details": details,
        "sources": [source],
    }
    record = RawRecord(f"<review>:{j.id}", event)
    write_versions(db, [record], recorded_by=by, now=parse_timestamp(when), conn=conn)


def _claim_undone(
    db: Database, j: JudgementRow, reason: str, by: str | None, when: str
) -> list[str]:
    item_id, kind, _, _ = parse_claim_ref(j.a)
    return _retract_event(db, claim_event_id(item_id, kind, j.b), reason, by, when)


CLAIM_PERSON = register_person_kind(
    PairKind.CLAIM_PERSON, describe=describe_claim, accepted=_claim_accepted, undone=_claim_undone
)
