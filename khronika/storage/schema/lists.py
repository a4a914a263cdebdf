"""Tables of the official-lists watch: lists, snapshots, entry identities, entry versions.

These are append-only: a snapshot, once imported, is never changed; an entry's key is
written once, when it is first seen, and never recomputed. Migration 0101_listwatch
creates exactly these tables; the migration test compares the two.

    !!! Never UPDATE or DELETE rows of list_snapshot, list_entry or list_entry_version:
    !!! diffs, history and feeds are recomputed from them and must give the same answer
    !!! later (the maintainers compare published diffs with recomputed ones).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from khronika.storage.schema.base import Key, metadata

__all__ = ["list_entry", "list_entry_version", "list_snapshot", "watched_list"]

watched_list = Table(
    "watched_list",
    metadata,
    Column("id", Key, primary_key=True),
    Column("title", Text, nullable=False),
    # Id of the issuing organisation (the organisation table's `id`).
    Column("issuer", Key, nullable=False),
    Column("country", String(8), nullable=False),
    Column("format", String(64), nullable=False),
    Column("url", Text),
    Column("options", Text, nullable=False),  # JSON object, e.g. a table column mapping
    Column("created", Key, nullable=False),
)

list_snapshot = Table(
    "list_snapshot",
    metadata,
    Column("list_id", Key, primary_key=True),
    # Sortable: `20211202014100-5e6db9` (snapshot time, then the file's SHA-256 prefix).
    Column("id", Key, primary_key=True),
    Column("seq", Integer, nullable=False),  # import order within the list
    Column("taken", Key, nullable=False),  # `2021-12-02T01:41:00Z`
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("filename", Text),
    Column("parser", String(64), nullable=False),
    Column("parser_version", String(16), nullable=False),
    Column("imported", Key, nullable=False),
    Column("entry_count", Integer, nullable=False),
    Column("added", Integer, nullable=False),
    Column("removed", Integer, nullable=False),
    Column("changed", Integer, nullable=False),
    Column("forced", Boolean, nullable=False),
    Column("warnings", Text, nullable=False),  # JSON list of text
    ForeignKeyConstraint(["list_id"], ["watched_list.id"], name="fk_list_snapshot_list"),
    Index("ix_list_snapshot_order", "list_id", "taken", "seq"),
    Index("ix_list_snapshot_sha", "list_id", "sha256"),
)

list_entry = Table(
    "list_entry",
    metadata,
    Column("list_id", Key, primary_key=True),
    Column("key", Key, primary_key=True),  # opaque, assigned once
    Column("first_snapshot", Key, nullable=False),
    ForeignKeyConstraint(["list_id"], ["watched_list.id"], name="fk_list_entry_list"),
)

list_entry_version = Table(
    "list_entry_version",
    metadata,
    Column("list_id", Key, primary_key=True),
    Column("snapshot_id", Key, primary_key=True),
    Column("key", Key, primary_key=True),
    Column("source_id", Text),
    Column("kind", String(16), nullable=False),
    Column("name", Text, nullable=False),
    Column("birth_date", Text),
    Column("data", Text, nullable=False),  # the entry as canonical JSON (Entry.to_json)
    # SHA-256 (hex, 32 chars) of `data`: diffs compare digests through the covering index
    # below and read `data` only for entries that differ.
    Column("digest", String(32), nullable=False),
    ForeignKeyConstraint(
        ["list_id", "snapshot_id"],
        ["list_snapshot.list_id", "list_snapshot.id"],
        name="fk_list_entry_version_snapshot",
    ),
    Index("ix_list_entry_version_key", "list_id", "key"),
    Index("ix_list_entry_version_digest", "list_id", "snapshot_id", "key", "digest"),
)
