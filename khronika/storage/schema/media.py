"""Tables of the media area: outlets, items (versioned), and what was found in each version.

* `media_outlet` — an outlet (BelTA, SB, ONT …): country, state-owned or not, language,
  homepage, feeds and the collections it belongs to (JSON lists), and the CSS selectors of
  its article pages (a JSON object, when declared).
* `media_item` — one row per *version* of an item, bitemporal like registry records: a page
  whose text changed is a new version (its `recorded`), the old one is retracted at that
  moment, never overwritten. Each item is also a registry `source` (column `source`), so a
  confirmed appearance cites it like any other source.
* `media_mention`, `media_narrative` — what the analysis found in one item version: people
  named (surface text, offsets, normal form, sentence, role cue, link) and narrative tags
  (evidence span). Derived from the version's text; written with it, never updated, except
  a mention's `person` when a reviewer confirms or undoes a link.
* `media_fetch_state` — per URL the fetcher asked: the validators for the next conditional
  GET (ETag, Last-Modified), when it was asked and how it went.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from khronika.storage.schema.base import PK, Key, metadata, serial, transaction_time

__all__ = [
    "media_case",
    "media_fetch_state",
    "media_item",
    "media_mention",
    "media_narrative",
    "media_outlet",
]

media_outlet = Table(
    "media_outlet",
    metadata,
    Column("id", Key, primary_key=True),
    Column("name", Text, nullable=False),
    Column("country", String(8), nullable=True),
    Column("state_owned", Boolean, nullable=False),
    Column("lang", String(16), nullable=True),
    Column("homepage", Text, nullable=True),
    Column("domains", Text, nullable=False),  # JSON list of host names
    Column("feeds", Text, nullable=False),  # JSON list of feed URLs
    Column("collections", Text, nullable=False),  # JSON list of collection ids
    Column("selectors", Text, nullable=True),  # JSON object: CSS selectors of its pages; NULL: none
)

media_item = Table(
    "media_item",
    metadata,
    serial(),
    Column("id", Key, nullable=False),
    Column("external_id", Text, nullable=True),
    Column("url", Text, nullable=True),
    Column("outlet", Key, nullable=True),
    Column("published", Key, nullable=True),  # partial date or timestamp, as given
    Column("title", Text, nullable=True),
    Column("text", Text, nullable=False),
    Column("lang", String(16), nullable=True),
    Column("langs", Text, nullable=False),  # JSON list: the language of each paragraph
    Column("sha256", String(64), nullable=False),  # of the text as stored
    Column("source", Key, nullable=False),  # the registry source record of this item
    *transaction_time(),
    UniqueConstraint("id", "recorded", name="uq_media_item_version"),
    Index("ix_media_item_url", "url"),
    Index("ix_media_item_sha256", "sha256"),
    Index("ix_media_item_external", "external_id"),
)


def _found_in_item(name: str, *columns: Column[Any], index: Index) -> Table:
    """Create a table of what the analysis found in one item version, a row per finding.

    Each row names the version (`item_pk`, indexed) it was found in; `index` is the table's
    other index.
    """
    return Table(
        name,
        metadata,
        serial(),
        Column("item_pk", PK, nullable=False),
        *columns,
        ForeignKeyConstraint(["item_pk"], ["media_item.pk"], name=f"fk_{name}_item"),
        Index(f"ix_{name}_item", "item_pk"),
        index,
    )


media_mention = _found_in_item(
    "media_mention",
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("normal", Text, nullable=False),
    Column("sentence", Text, nullable=False),
    Column("role", String(32), nullable=True),
    Column("person", Key, nullable=True),
    Column("score", Float, nullable=True),
    Column("link", String(16), nullable=False),  # auto | review | confirmed | none
    Column("targeted", Boolean, nullable=False),
    index=Index("ix_media_mention_person", "person"),
)

media_narrative = _found_in_item(
    "media_narrative",
    Column("tag", String(40), nullable=False),
    Column("evidence", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    index=Index("ix_media_narrative_tag", "tag"),
)

# EUvsDisinfo-style cases: one claim, the outlets that spread it, and the items linked to it.
# Lists are JSON text; a case is replaced whole when imported again (it is a catalogue
# entry of another organisation, not khronika's evidence).
media_case = Table(
    "media_case",
    metadata,
    Column("id", Key, primary_key=True),  # the case's URL or id
    Column("date", String(10), nullable=True),
    Column("title", Text, nullable=False),
    Column("summary", Text, nullable=True),
    Column("response", Text, nullable=True),
    Column("countries", Text, nullable=False),
    Column("keywords", Text, nullable=False),
    Column("languages", Text, nullable=False),
    Column("outlets", Text, nullable=False),
    Column("items", Text, nullable=False),  # JSON list of media item ids
    Column("imported", Key, nullable=False),
    Index("ix_media_case_date", "date"),
)

# What the fetcher last heard from each URL it asked (a feed or a page): the validators for
# the next conditional GET, and how it went. A cache of the conversation with the outlets'
# servers, not evidence (the evidence is the item and its archived page): a row is replaced
# whole by URL on every fetch. Validators are kept only once what the URL gave is safely
# ingested, so a page that failed is asked again in full next time.
media_fetch_state = Table(
    "media_fetch_state",
    metadata,
    Column("url", Key, primary_key=True),
    Column("etag", Text, nullable=True),
    Column("last_modified", Text, nullable=True),  # as the server wrote it (an HTTP date)
    Column("fetched", Key, nullable=False),  # storage timestamp of the last attempt
    Column("status", Integer, nullable=True),  # HTTP status of the last answer; NULL: none
    Column("outcome", String(16), nullable=False),  # ok | unchanged | robots | failed
    Column("reason", Text, nullable=True),  # why, when the outcome is robots or failed
)
