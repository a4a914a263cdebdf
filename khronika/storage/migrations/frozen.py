"""Frozen column types that the written revisions share.

These are copies, never imports, of `khronika.storage.schema.base` as it was when the
revisions were written: a released migration must not change when the schema does. Kept
here, outside `versions/`, because alembic loads every module there as a revision.

    !!! Change nothing here that a written revision relies on: a revision that needs
    !!! another type or column declares a new one.
"""

import sqlalchemy as sa

__all__ = ["PK", "Key"]

# Text compared byte-wise on PostgreSQL too (collation "C"), as on SQLite.
Key = sa.String().with_variant(sa.String(collation="C"), "postgresql")
# 64-bit keys on PostgreSQL; on SQLite an INTEGER PRIMARY KEY is the rowid.
PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
