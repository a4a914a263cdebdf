"""Ingest media items: read them, keep each as evidence, analyse it, link and propose.

    JSON Lines (the contract) ─┐                         ┌─ item version (bitemporal)
    Telegram export ───────────┼─▶ ItemIn ─▶ ingest_items ┼─ registry source (write path)
    transcripts .txt/.srt/.vtt ┘                         ├─ mentions, narratives
                                                         └─ review proposals (mention-person)

Identity: an item is its URL (else its external id, else its text's SHA-256). The same
text again is unchanged; other text under the same identity is a new version (the old one
is retracted at that moment, never overwritten); the same text under another URL is a
duplicate and is skipped. An item and its source commit together, or not at all.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from khronika.errors import InvalidValue
from khronika.media.analysis import Analyser, Analysis
from khronika.media.claims import Claim, find_claims
from khronika.media.kinds import claim_proposals, item_claims
from khronika.media.outlets import Outlet, resolve_outlet, starter_outlets
from khronika.model.dates import PartialDate, now_timestamp, parse_timestamp, storage_timestamp
from khronika.model.shapes import fields_json
from khronika.registry import RawRecord, archive_file, write_versions
from khronika.review import Proposal, propose
from khronika.storage import Database
from khronika.storage import lists as list_store
from khronika.storage import media as store

__all__ = [
    "IngestReport",
    "ItemIn",
    "ingest_items",
    "item_id_for",
    "mention_ref",
    "registry_analyser",
]

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ItemIn:
    """One item as read from a file, before it is stored."""

    where: str  # FILE:LINE (or FILE#message-id)
    text: str
    external_id: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    title: str | None = None
    #: The raw bytes the item was read from (a fetched page's HTML): when given, archived
    #: by SHA-256 with a new version, and the source names that file instead of the text.
    archive: bytes | None = field(default=None, repr=False)


@dataclass
class IngestReport:
    """What an ingest did."""

    added: int = 0
    new_versions: int = 0
    unchanged: int = 0
    duplicates: int = 0
    mentions: int = 0
    linked: int = 0
    proposed: int = 0
    problems: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Return the report as JSON-ready data."""
        # `items` (the ids touched) is for the caller, not the report.
        return fields_json(self, skip=("items",))

    def summary(self) -> str:
        """One line for people."""
        return (
            f"{self.added} new item(s), {self.new_versions} changed, {self.unchanged} unchanged, "
            f"{self.duplicates} duplicate(s); {self.mentions} mention(s), {self.linked} linked, "
            f"{self.proposed} for review; {len(self.problems)} rejected"
        )


def item_id_for(item: ItemIn, sha256: str) -> str:
    """Return the stable id of an item: from its URL, else its external id, else its text."""
    basis = (
        f"url:{item.url}"
        if item.url
        else (
            f"ext:{item.outlet or ''}:{item.external_id}" if item.external_id else f"sha:{sha256}"
        )
    )
    return "mi-" + hashlib.sha256(basis.encode()).hexdigest()[:16]


def mention_ref(item_id: str, start: int, end: int) -> str:
    """The review queue's reference to a mention: `ITEM@START-END`."""
    return f"{item_id}@{start}-{end}"


def _published(value: str | None) -> str | None:
    """The partial date of `published` (a date or a timestamp), or None."""
    if not value:
        return None
    m = re.match(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", value)
    if m is None:
        raise InvalidValue(f"published: {value!r}: a date (2025-01-14) or a timestamp")
    PartialDate.parse(m.group(0))
    return m.group(0)


def ingest_items(
    db: Database,
    items: Iterable[ItemIn],
    *,
    by: str | None = None,
    now: datetime | None = None,
    analyser: Analyser | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Store, analyse and link items; propose uncertain links for review.

    Items with problems (a bad date, no text) are reported with their place and skipped;
    each other item commits with its source in one transaction.
    """
    when = storage_timestamp(now or now_timestamp())
    report = IngestReport()
    todo = list(items)
    with db.connect() as conn:
        outlets = {o["id"]: o for o in store.list_outlets(conn)}
    known = [Outlet.from_json(o) for o in outlets.values()] or starter_outlets()
    names = {o.id: o.name for o in known}
    analyser = analyser or registry_analyser(db)
    proposals: list[Proposal] = []
    for i, item in enumerate(todo):
        try:
            _ingest_one(db, item, when, by, known, names, analyser, report, proposals)
        except InvalidValue as e:
            report.problems.append(f"{item.where}: {e}")
        if len(proposals) >= _PROPOSE_EVERY or (proposals and i == len(todo) - 1):
            # In batches: a long ingest keeps neither every proposal in memory nor the
            # reviewers waiting for the end.
            report.proposed += propose(db, proposals, proposed_by="media ingest", now=now).new
            proposals.clear()
        if progress:
            progress(i + 1, len(todo))
    return report


#: Proposals are put into the review queue every this many.
_PROPOSE_EVERY = 2_000


def registry_analyser(db: Database) -> Analyser:
    """An analyser over every registry person's names (every tier: matching is not publishing)."""
    with db.connect() as conn:
        people = list_store.registry_people(conn)
    return Analyser([(p["id"], [n["name"] for n in p["names"]], p["birth_date"]) for p in people])


def _ingest_one(
    db: Database,
    item: ItemIn,
    when: str,
    by: str | None,
    outlets: Sequence[Outlet],
    names: dict[str, str],
    analyser: Analyser,
    report: IngestReport,
    proposals: list[Proposal],
) -> None:
    if not item.text.strip():
        raise InvalidValue("text: an item needs text")
    published = _published(item.published)
    sha = hashlib.sha256(item.text.encode("utf-8")).hexdigest()
    iid = item_id_for(item, sha)
    outlet = resolve_outlet(item.outlet, item.url, list(outlets))
    with db.begin() as conn:
        current = store.current_item(conn, iid)
        if current is not None and current["sha256"] == sha:
            report.unchanged += 1
            report.items.append(iid)
            mentions, _ = store.item_findings(conn, [current["pk"]])
            claims = item_claims(conn, current)
            proposals.extend(_proposals_of(current, mentions[current["pk"]], claims))
            return
        twin = store.item_by_sha256(conn, sha)
        if current is None and twin is not None and twin["id"] != iid:
            report.duplicates += 1
            return
        analysis = analyser.analyse(item.text)
        # The archived bytes, when given, are the source's file (evidence: kept byte for byte).
        file, file_sha = _archive(item) if item.archive is not None else (None, sha)
        source = {
            "type": "source",
            "id": iid,
            "url": item.url,
            # Never a slice of the text: it may name a person the public must not see.
            "title": item.title
            or " ".join(filter(None, (names.get(outlet or "", outlet) or "item", published))),
            "publisher": names.get(outlet or "", outlet),
            "published": published,
            "retrieved": when,
            "file": file,
            "sha256": file_sha,
            # Restricted: an item may name withheld or restricted people (in its title too),
            # and a public source's title reaches public exports. Publishing an item is a
            # team's decision per item, after checking whom it names.
            "visibility": "restricted",
        }
        write_versions(
            db,
            [RawRecord(item.where, {k: v for k, v in source.items() if v is not None})],
            recorded_by=by,
            now=parse_timestamp(when),
            conn=conn,
        )
        if current is not None:
            store.retract_item(conn, current["pk"], when)
            report.new_versions += 1
        else:
            report.added += 1
        pk = store.insert_item(
            conn,
            {
                "id": iid,
                "external_id": item.external_id,
                "url": item.url,
                "outlet": outlet,
                "published": item.published,
                "title": item.title,
                "text": item.text,
                "lang": analysis.lang,
                "langs": analysis.langs,
                "sha256": sha,
                "source": iid,
                "recorded": when,
            },
        )
        mention_rows, narrative_rows = _finding_rows(item.text, analysis)
        store.insert_findings(conn, pk, mention_rows, narrative_rows)
        report.items.append(iid)
        report.mentions += len(analysis.mentions)
        report.linked += sum(1 for m in analysis.mentions if m.link == "auto")
        stored = {"pk": pk, "id": iid, "title": item.title, "text": item.text}
        # The claims from what was just found (the sentences are at hand: no second parse).
        claims = find_claims(item.text, analysis.sentences, mention_rows, narrative_rows)
        proposals.extend(_proposals_of(stored, mention_rows, claims))


def _archive(item: ItemIn) -> tuple[str, str]:
    """Archive the item's raw bytes; return (file name, SHA-256) for its source record."""
    with tempfile.NamedTemporaryFile(delete=False) as tmp:
        tmp.write(item.archive or b"")
    try:
        sha, _ = archive_file(tmp.name)
    finally:
        Path(tmp.name).unlink(missing_ok=True)
    name = PurePosixPath(urlsplit(item.url).path).name if item.url else ""
    return name or "index.html", sha


def _finding_rows(text: str, a: Analysis) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    def sentence(i: int) -> str:
        if not a.sentences:
            return text
        start, end = a.sentences[i]
        return text[start:end]

    mentions = [
        {
            "start": m.start,
            "end": m.end,
            "text": m.text,
            "normal": m.normal,
            "sentence": sentence(m.sentence),
            "role": m.role,
            "person": m.person,
            "score": m.score,
            "link": m.link,
            "targeted": m.targeted,
        }
        for m in a.mentions
    ]
    narratives = [
        {"tag": n.tag, "evidence": n.evidence, "start": n.start, "end": n.end} for n in a.narratives
    ]
    return mentions, narratives


def _proposals_of(
    item: dict[str, Any], mentions: list[dict[str, Any]], claims: list[Claim]
) -> list[Proposal]:
    """The item's proposals: links to review, and claims about people linked already
    (automatically, or by a reviewer before this ingest); claims about a person still in
    review follow the reviewer's accept."""
    links = [
        Proposal(
            "mention-person",
            mention_ref(item["id"], m["start"], m["end"]),
            m["person"],
            float(m["score"] or 0.0),
            {"mention": m["text"], "normal": m["normal"]},
            {"item": item["id"], "sentence": m["sentence"], "title": item.get("title")},
        )
        for m in mentions
        if m["link"] == "review" and m["person"]
    ]
    return links + claim_proposals(item, claims)
