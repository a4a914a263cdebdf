"""Tables of local accounts: users, console sessions, failed logins and API tokens.

Plain tables, not versioned: they are not records of the registry and are never exported.
Secrets are stored only as digests (a session's or a token's SHA-256, a password's argon2id
hash), so a copy of the database hands out neither live sessions nor tokens. The one secret
kept as it is, a TOTP seed, must be: the server computes the codes from it (docs/security.md).
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Index, Integer, String, Table, Text

from khronika.storage.schema.base import Key, metadata, serial

__all__ = ["api_token", "login_failure", "web_session", "web_user"]

web_user = Table(
    "web_user",
    metadata,
    Column("username", Key, primary_key=True),
    # argon2id in PHC form (`$argon2id$…`); older accounts `scrypt$n$r$p$salt$hash` until
    # their next login rehashes them (khronika.accounts).
    Column("password_hash", Text, nullable=False),
    Column("created", Key, nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    # viewer | editor | admin (khronika.accounts.ROLES).
    Column("role", String(16), nullable=False, default="editor", server_default="editor"),
    Column("totp_secret", Text, nullable=True),
    # The last TOTP time step accepted: a code is good once (no replay within its window).
    Column("totp_last", Integer, nullable=True),
)

web_session = Table(
    "web_session",
    metadata,
    # SHA-256 (hex) of the cookie's token: the token itself is never stored.
    Column("token_hash", String(64), primary_key=True),
    Column("username", Key, nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created", Key, nullable=False),
    # Absolute expiry; idle expiry is measured from last_seen.
    Column("expires", Key, nullable=False),
    Column("last_seen", Key, nullable=True),
)

# One row per failed login, keyed `user:<name>` or `addr:<address>`; throttling counts the
# rows inside its window. Names that do not exist are counted like real ones.
login_failure = Table(
    "login_failure",
    metadata,
    serial("id", Integer),
    Column("key", Key, nullable=False),
    Column("at", Key, nullable=False),
    Index("ix_login_failure_key_at", "key", "at"),
)

api_token = Table(
    "api_token",
    metadata,
    # Public id (shown in lists, used to revoke); the secret part is only hashed.
    Column("id", String(16), primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("username", Key, nullable=False),
    # read | write
    Column("scope", String(8), nullable=False),
    Column("label", Text, nullable=True),
    Column("created", Key, nullable=False),
    Column("expires", Key, nullable=False),
    Column("revoked", Key, nullable=True),
    Column("last_used", Key, nullable=True),
)
