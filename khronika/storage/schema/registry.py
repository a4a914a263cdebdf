"""The registry's record tables: meta, organisation, facility, source, person, event.

Every record table is *versioned*: a row is one version of a record, identified by
(id, recorded). A correction never updates content in place; it sets `retracted` on the old
version and adds a new one (see docs/data-model.md).

    !!! Never UPDATE a content column of a versioned table. The only UPDATE allowed is
    !!! setting `retracted` (and `retraction_reason`) on a version that has none yet.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from khronika.storage.schema.base import Key, attributed_transaction_time, metadata, serial

__all__ = ["VERSIONED", "event", "facility", "meta", "organisation", "person", "source", "tables"]


def _versioned(name: str, *columns: Column[Any], indexes: tuple[Index, ...] = ()) -> Table:
    """Create a versioned record table: the shared identity and transaction-time columns."""
    return Table(
        name,
        metadata,
        serial(),
        Column("id", Key, nullable=False),
        *attributed_transaction_time(),
        # SHA-256 (hex, 32 chars) of the canonical content: equal content, equal digest.
        Column("digest", String(32), nullable=False),
        *columns,
        # Fields this khronika does not know, as canonical JSON; exported as they came.
        Column("extra", Text, nullable=True),
        UniqueConstraint("id", "recorded", name=f"uq_{name}_version"),
        # The data stamp counts retractions and the web app asks which came since it.
        Index(f"ix_{name}_retracted", "retracted"),
        *indexes,
    )


meta = _versioned(
    "meta",
    Column("dataset", Text),
    Column("licence", Text),
    Column("synthetic", Boolean, nullable=False),
    Column("description", Text),
)

organisation = _versioned(
    "organisation",
    Column("name", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("url", Text),
)

facility = _versioned(
    "facility",
    Column("name", Text, nullable=False),
    Column("kind", Text),
    Column("address", Text),
    Column("public", Boolean, nullable=False),
)

source = _versioned(
    "source",
    Column("url", Text),
    Column("file", Text),
    Column("title", Text),
    Column("publisher", Text),
    Column("published", Text),
    Column("published_lo", Key),
    Column("published_hi", Key),
    Column("retrieved", Key),
    Column("sha256", String(64)),
    Column("visibility", String(16), nullable=False),
)

person = _versioned(
    "person",
    # JSON list of {name, lang, system?, primary}; primary first (canonical order).
    Column("names", Text, nullable=False),
    Column("primary_name", Text, nullable=False),
    # Every name, case-folded, one per line: what `person search` looks in.
    Column("search_text", Text, nullable=False),
    Column("sex", String(8), nullable=False),
    Column("birth_date", Text),
    Column("birth_lo", Key),
    Column("birth_hi", Key),
    Column("region", Text),
    Column("visibility", String(16), nullable=False),
    Column("photo", Text),
    Column("story", Text),  # JSON {lang: text}
    # Private notes: restricted whatever the person's visibility.
    Column("notes", Text),
)

event = _versioned(
    "event",
    Column("person", Key, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("date", Text, nullable=False),
    # Bounds of the partial date (ISO days); which one applies is the kind's business.
    Column("date_lo", Key, nullable=False),
    Column("date_hi", Key, nullable=False),
    Column("seq", Integer),
    Column("by", Key),
    Column("details", Text, nullable=False),  # JSON object, canonical
    Column("sources", Text, nullable=False),  # JSON list of source ids, sorted
    # The event's own tier; NULL means "by rule" (khronika.privacy.event_tier).
    Column("visibility", String(16)),
    indexes=(
        Index("ix_event_person", "person"),
        Index("ix_event_kind_date", "kind", "date_lo"),
        Index("ix_event_visibility", "visibility"),
    ),
)

tables: dict[str, Table] = {
    "meta": meta,
    "organisation": organisation,
    "facility": facility,
    "source": source,
    "person": person,
    "event": event,
}
#: Tables whose rows are versions of records.
VERSIONED: tuple[str, ...] = tuple(tables)
