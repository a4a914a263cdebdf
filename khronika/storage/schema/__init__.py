"""SQLAlchemy Core tables: the single source of truth for the database layout.

Every table is defined on one `metadata` (`base`), in the module of the area that owns it,
and every module is imported here by name, so that `metadata` holds the whole layout as soon
as this package is imported. Migrations in `migrations/versions` create exactly these tables;
a test compares the two.
"""

from __future__ import annotations

from khronika.storage.schema import accounts, audit, lists, media, review, stats
from khronika.storage.schema.base import PK, Key, metadata
from khronika.storage.schema.registry import (
    VERSIONED,
    event,
    facility,
    meta,
    organisation,
    person,
    source,
    tables,
)

__all__ = [
    "PK",
    "VERSIONED",
    "Key",
    "accounts",
    "audit",
    "event",
    "facility",
    "lists",
    "media",
    "meta",
    "metadata",
    "organisation",
    "person",
    "review",
    "source",
    "stats",
    "tables",
]
