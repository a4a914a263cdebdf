"""SQL of the console's local accounts and sessions (tables in `schema.accounts`)."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select, update

from khronika.storage.schema.accounts import web_session, web_user

__all__ = ["add_user", "create_session", "delete_session", "find_session", "get_user"]


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_user(conn: Connection, username: str, password_hash: str, *, created: str) -> bool:
    """Create or replace an account's password; return True when the account is new."""
    exists = conn.execute(
        select(web_user.c.username).where(web_user.c.username == username)
    ).first()
    if exists:
        conn.execute(
            update(web_user)
            .where(web_user.c.username == username)
            .values(password_hash=password_hash, disabled=False)
        )
        return False
    conn.execute(
        insert(web_user).values(
            username=username, password_hash=password_hash, created=created, disabled=False
        )
    )
    return True


def get_user(conn: Connection, username: str) -> Row[Any] | None:
    """Return an enabled account by name, or None."""
    return conn.execute(
        select(web_user).where(web_user.c.username == username, web_user.c.disabled.is_(False))
    ).first()


def create_session(
    conn: Connection, token: str, username: str, csrf: str, *, created: str, expires: str
) -> None:
    """Store a new console session (by the token's hash); drop sessions already expired."""
    conn.execute(delete(web_session).where(web_session.c.expires < created))
    conn.execute(
        insert(web_session).values(
            token_hash=_token_hash(token),
            username=username,
            csrf=csrf,
            created=created,
            expires=expires,
        )
    )


def find_session(conn: Connection, token: str, *, now: str) -> Row[Any] | None:
    """Return the live session of a cookie token (joined with an enabled account), or None."""
    stmt = (
        select(web_session)
        .join(web_user, web_user.c.username == web_session.c.username)
        .where(
            web_session.c.token_hash == _token_hash(token),
            web_session.c.expires > now,
            web_user.c.disabled.is_(False),
        )
    )
    return conn.execute(stmt).first()


def delete_session(conn: Connection, token: str) -> None:
    """End a console session."""
    conn.execute(delete(web_session).where(web_session.c.token_hash == _token_hash(token)))
