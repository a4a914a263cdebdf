"""What the media area tells its users: items with their findings, a person's mentions.

Team views: every mention, whoever it names. Public pages go through `khronika.privacy`
(a mention of a person who is not public is never shown).
"""

from __future__ import annotations

from typing import Any

from khronika.errors import NotFound
from khronika.media.figures import campaign_as_of, officials_as_of
from khronika.media.tallies import find_tallies
from khronika.storage import Database
from khronika.storage import media as store
from khronika.storage.rows import content_from_row
from khronika.storage.schema import event
from khronika.storage.versions import select_versions

__all__ = [
    "LINKED",
    "campaign_report",
    "item_report",
    "list_item_reports",
    "list_tallies",
    "person_mentions",
]

#: The event kinds the campaign figures read.
CAMPAIGN_KINDS = ("in_absentia_proceedings", "convicted_in_absentia", "return_commission")

#: The narratives under which officials state totals (`khronika.media.tallies`).
TALLY_TAGS = ("return_commission", "repentance", "in_absentia")

#: Link states in which a mention names its person (a `review` link is only a proposal).
LINKED = ("auto", "confirmed")


def _mention(m: dict[str, Any]) -> dict[str, Any]:
    return {
        "text": m["text"],
        "normal": m["normal"],
        "start": m["start"],
        "end": m["end"],
        "person": m["person"] if m["link"] in LINKED else None,
        "targeted": bool(m["targeted"]),
        "role": m["role"],
        "link": m["link"],
        "candidate": m["person"] if m["link"] == "review" else None,
        "score": m["score"],
        "sentence": m["sentence"],
    }


def _report(
    item: dict[str, Any],
    mentions: list[dict[str, Any]],
    narratives: list[dict[str, Any]],
    *,
    text: bool,
) -> dict[str, Any]:
    out = {
        "id": item["external_id"] or item["id"],
        "item": item["id"],
        "url": item["url"],
        "outlet": item["outlet"],
        "published": item["published"],
        "title": item["title"],
        "lang": item["lang"],
        "langs": item["langs"],
        "sha256": item["sha256"],
        "source": item["source"],
        "recorded": item["recorded"],
        "narratives": [
            {"tag": n["tag"], "evidence": n["evidence"], "start": n["start"], "end": n["end"]}
            for n in narratives
        ],
        "mentions": [_mention(m) for m in mentions],
    }
    if text:
        out["text"] = item["text"]
    return out


def list_item_reports(
    db: Database, *, known_on: str | None = None, outlet: str | None = None
) -> list[dict[str, Any]]:
    """Return every current item (as known on `known_on`) with its findings (the contract);
    of one outlet when given."""
    with db.connect() as conn:
        items = store.list_items(conn, known_on, outlet=outlet)
        mentions, narratives = store.item_findings(conn, [i["pk"] for i in items])
    return [_report(i, mentions[i["pk"]], narratives[i["pk"]], text=False) for i in items]


def item_report(db: Database, ref: str) -> dict[str, Any]:
    """Return one item (by khronika id or external id) with its text and findings.

    Raises:
        NotFound: no current item has that id.
    """
    with db.connect() as conn:
        item = store.current_item(conn, ref)
        if item is None:
            matches = [i for i in store.list_items(conn) if i["external_id"] == ref]
            item = matches[0] if matches else None
        if item is None:
            raise NotFound(f"no media item {ref!r}")
        mentions, narratives = store.item_findings(conn, [item["pk"]])
    return _report(item, mentions[item["pk"]], narratives[item["pk"]], text=True)


def person_mentions(db: Database, person: str | None = None) -> list[dict[str, Any]]:
    """Return mentions in current items (of one linked person, when given), oldest first."""
    with db.connect() as conn:
        rows = store.mentions(conn, person=person)
    out = []
    for m in rows:
        if person is not None and m["link"] not in LINKED:
            continue
        out.append(
            _mention(m)
            | {
                "item": m["item"],
                "outlet": m["outlet"],
                "published": m["published"],
                "title": m["title"],
            }
        )
    return out


def campaign_report(db: Database, day: str, *, known_on: str | None = None) -> dict[str, Any]:
    """The campaign's people on `day` (`khronika.media.figures.campaign_as_of`), as known on K.

    A team view: it counts every person, whatever their tier. `officials` holds the latest
    total each measure was given by the state on or before the day
    (`khronika.media.figures.officials_as_of`), beside the people the registry holds.
    """
    with db.connect() as conn:
        rows = select_versions(
            conn, "event", known_on=known_on, where=event.c.kind.in_(CAMPAIGN_KINDS)
        )
        events = [content_from_row("event", r) for r in rows]
    officials = officials_as_of(list_tallies(db, known_on=known_on), day)
    return {"known_on": known_on, **campaign_as_of(events, day), "officials": officials}


def list_tallies(db: Database, *, known_on: str | None = None) -> list[dict[str, Any]]:
    """Return the totals officials state in the items known on `known_on`, oldest first.

    Read from the text of each item that carries one of `TALLY_TAGS` (`find_tallies`), so
    every item ever ingested has them; undated items come last.
    """
    with db.connect() as conn:
        items = store.items_tagged(conn, TALLY_TAGS, known_on)
    out = []
    for item in items:
        for t in find_tallies(item["text"], [{"tag": tag} for tag in item["tags"]]):
            out.append(
                {
                    "item": item["id"],
                    "id": item["external_id"] or item["id"],
                    "outlet": item["outlet"],
                    "published": item["published"],
                    "source": item["source"],
                    **t.to_json(),
                }
            )
    out.sort(key=lambda t: (t["published"] is None, t["published"] or "", t["item"], t["start"]))
    return out
