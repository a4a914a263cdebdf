"""Local accounts of the console: scrypt password hashes, sessions and CSRF tokens.

A login creates a random session token (cookie `khronika_session`, HttpOnly, SameSite
Strict, path /console); the database keeps only its SHA-256, the user and a CSRF token that
every console form must send back. Before login a `khronika_csrf` cookie and a hidden field
must agree (double submit), so a login cannot be forged from another site either.
A later issue hardens authentication (lockout, second factor).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fastapi import Request

from khronika import settings
from khronika.audit import record as record_audit
from khronika.model.dates import storage_timestamp
from khronika.storage import Database
from khronika.storage.accounts import (
    add_user,
    create_session,
    delete_session,
    find_session,
    get_user,
)

__all__ = [
    "LOGIN_CSRF_COOKIE",
    "SESSION_COOKIE",
    "Session",
    "create_user",
    "current_session",
    "hash_password",
    "login",
    "logout",
    "verify_password",
]

SESSION_COOKIE = "khronika_session"
LOGIN_CSRF_COOKIE = "khronika_csrf"
# scrypt cost: 16 MiB and about 50 ms per check on a small machine.
_N, _R, _P = 2**14, 8, 1
MIN_PASSWORD = 10


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """Hash a password with scrypt: `scrypt$n$r$p$salt$hash` (hex)."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """True when `password` matches a stored scrypt hash (compared in constant time)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    got = hashlib.scrypt(
        password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32
    )
    return hmac.compare_digest(got.hex(), digest)


def create_user(db: Database, username: str, password: str) -> bool:
    """Create an account (or set a new password); return True when it is new.

    Raises:
        ValueError: the name is not a plain login name or the password is too short.
    """
    if not username or not username.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise ValueError("user names use letters, digits, - _ and . only")
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"passwords have at least {MIN_PASSWORD} characters")
    now = storage_timestamp(datetime.now(UTC))
    with db.begin() as conn:
        new = add_user(conn, username, hash_password(password), created=now)
        # The password's hash never enters the log: only that it was set.
        record_audit(
            conn,
            "user.add" if new else "user.passwd",
            at=now,
            actor=settings.get("KHRONIKA_USER") or None,
            ids=[f"user:{username}"],
        )
        return new


@dataclass(frozen=True)
class Session:
    """A logged-in console user and the CSRF token their forms carry."""

    username: str
    csrf: str


def login(db: Database, username: str, password: str) -> tuple[str, Session] | None:
    """Check a password; on success start a session and return (cookie token, session)."""
    with db.connect() as conn:
        user = get_user(conn, username)
    # Hash even for unknown users, so timing does not tell which names exist.
    stored = user.password_hash if user else hash_password("x", salt=b"0" * 16)
    if not verify_password(password, stored) or user is None:
        return None
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    now = datetime.now(UTC)
    hours = float(settings.get("KHRONIKA_SESSION_HOURS"))
    with db.begin() as conn:
        create_session(
            conn,
            token,
            username,
            csrf,
            created=storage_timestamp(now),
            expires=storage_timestamp(now + timedelta(hours=hours)),
        )
    return token, Session(username, csrf)


def current_session(request: Request) -> Session | None:
    """Return the console session of a request (from its cookie), or None."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    db: Database = request.app.state.db
    with db.connect() as conn:
        row = find_session(conn, token, now=storage_timestamp(datetime.now(UTC)))
    return Session(row.username, row.csrf) if row else None


def logout(db: Database, token: str | None) -> None:
    """End the session of a cookie token (if any)."""
    if token:
        with db.begin() as conn:
            delete_session(conn, token)
