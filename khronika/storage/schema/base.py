"""The one MetaData every table is defined on, and the column types shared by all tables."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Text
from sqlalchemy.types import TypeEngine

__all__ = ["PK", "Key", "attributed_transaction_time", "metadata", "serial", "transaction_time"]

metadata = MetaData()

# Text compared byte-wise on PostgreSQL too, so that ids and timestamps sort and compare
# the same on both engines (SQLite compares bytes already).
Key = String().with_variant(String(collation="C"), "postgresql")
# 64-bit keys on PostgreSQL; on SQLite an INTEGER PRIMARY KEY is the rowid.
PK = BigInteger().with_variant(Integer(), "sqlite")


def serial(name: str = "pk", type_: TypeEngine[Any] | type[TypeEngine[Any]] = PK) -> Column[Any]:
    """Return a new surrogate-key column that the database numbers (`pk`, of type `PK`).

    A new one per call: a column belongs to one table.
    """
    return Column(name, type_, primary_key=True, autoincrement=True)


def transaction_time() -> tuple[Column[str], Column[str]]:
    """Return new columns of when a version was known: from `recorded` until `retracted`.

    Fixed-width UTC text, `2024-04-02T00:00:00.000000Z`; `retracted` is NULL while the
    version is current.
    """
    return Column("recorded", Key, nullable=False), Column("retracted", Key, nullable=True)


def attributed_transaction_time() -> tuple[Column[str], ...]:
    """Return new columns of when a row was known and on whose word: `transaction_time`,
    then `recorded_by`, `retracted_by` and `retraction_reason` (free text, NULL when unsaid).

    The columns of a registry version and of a review judgement: both are retracted, never
    updated, and a retraction says who and why.
    """
    return (
        *transaction_time(),
        Column("recorded_by", Text, nullable=True),
        Column("retracted_by", Text, nullable=True),
        Column("retraction_reason", Text, nullable=True),
    )
