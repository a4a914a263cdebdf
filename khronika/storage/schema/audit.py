"""The audit log: one row per write, each carrying the hash of the one before (a chain).

`changes` lists what the write did to registry versions (`["w", type, id, recorded,
digest]` for a version written, `["r", type, id, recorded, retracted]` for one retracted)
and to the rows of the other tables it vouches for (review judgements, lists: `["w", table,
id, recorded, digest]`, `["r", …, digest of the retraction]`); `covers` names those areas
(NULL on rows from before revision 0014). `khronika.audit` says how the chain is made and
checked.

    !!! Rows are only ever appended. `khronika audit verify` names the first row whose hash
    !!! no longer matches, or whose versions no longer match the tables.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, String, Table, Text

from khronika.storage.schema.base import Key, metadata, serial

__all__ = ["audit_log"]

audit_log = Table(
    "audit_log",
    metadata,
    serial("seq"),
    Column("at", Key, nullable=False),
    Column("actor", Text, nullable=True),
    Column("action", String(40), nullable=False),
    Column("ids", Text, nullable=False),  # JSON list of "type:id" touched
    Column("changes", Text, nullable=False),  # JSON list (see above)
    Column("before", String(64), nullable=False),  # SHA-256 of the touched records before
    Column("after", String(64), nullable=False),  # and after the write
    Column("prev", String(64), nullable=False),  # the previous row's hash ("0"×64 first)
    Column("hash", String(64), nullable=False),
    # JSON list of the areas beyond the registry covered row by row from here on.
    Column("covers", Text, nullable=True),
    Index("ix_audit_log_at", "at"),
    Index("ix_audit_log_actor", "actor"),
)
