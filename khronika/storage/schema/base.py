"""The one MetaData every table is defined on, and the column types shared by all tables."""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, MetaData, String

__all__ = ["PK", "Key", "metadata"]

metadata = MetaData()

# Text compared byte-wise on PostgreSQL too, so that ids and timestamps sort and compare
# the same on both engines (SQLite compares bytes already).
Key = String().with_variant(String(collation="C"), "postgresql")
# 64-bit keys on PostgreSQL; on SQLite an INTEGER PRIMARY KEY is the rowid.
PK = BigInteger().with_variant(Integer(), "sqlite")
