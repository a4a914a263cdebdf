"""Frozen column types and columns that the written revisions share.

These are copies, never imports, of `khronika.storage.schema` as it was when the revisions
were written: a released migration must not change when the schema does. Kept here,
outside `versions/`, because alembic loads every module there as a revision.

    !!! Change nothing here that a written revision relies on: a revision that needs
    !!! another type or column declares a new one.
"""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.types import TypeEngine

__all__ = ["PK", "Key", "interval", "serial"]

# Text compared byte-wise on PostgreSQL too (collation "C"), as on SQLite.
Key = sa.String().with_variant(sa.String(collation="C"), "postgresql")
# 64-bit keys on PostgreSQL; on SQLite an INTEGER PRIMARY KEY is the rowid.
PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def serial(name: str = "pk", type_: TypeEngine[Any] | type[TypeEngine[Any]] = PK) -> sa.Column[Any]:
    """Return a new surrogate-key column that the database numbers (`pk`, of type `PK`)."""
    return sa.Column(name, type_, primary_key=True, autoincrement=True)


def interval(lo: str, hi: str) -> tuple[sa.Column[str], sa.Column[str]]:
    """Return new columns `lo` and `hi` of a half-open interval [lo, hi): keys, never NULL."""
    return sa.Column(lo, Key, nullable=False), sa.Column(hi, Key, nullable=False)
