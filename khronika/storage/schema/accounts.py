"""Tables of the console's local accounts and sessions.

Plain tables, not versioned: they are not records of the registry and are never exported. A
session token is stored only as its SHA-256, so a copy of the database does not hand out
live sessions.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, String, Table, Text

from khronika.storage.schema.base import Key, metadata

__all__ = ["web_session", "web_user"]

web_user = Table(
    "web_user",
    metadata,
    Column("username", Key, primary_key=True),
    # `scrypt$n$r$p$salt_hex$hash_hex` (see khronika.web.auth).
    Column("password_hash", Text, nullable=False),
    Column("created", Key, nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
)

web_session = Table(
    "web_session",
    metadata,
    # SHA-256 (hex) of the cookie's token: the token itself is never stored.
    Column("token_hash", String(64), primary_key=True),
    Column("username", Key, nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created", Key, nullable=False),
    Column("expires", Key, nullable=False),
)
