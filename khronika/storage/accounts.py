"""SQL of local accounts: users, sessions, failed logins, API tokens (`schema.accounts`)."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, Table, delete, func, insert, select, update

from khronika.storage.schema.accounts import api_token, login_failure, web_session, web_user

__all__ = [
    "add_token",
    "add_user",
    "clear_failures",
    "count_failures",
    "create_session",
    "delete_all_sessions",
    "delete_session",
    "delete_user_sessions",
    "drop_expired_sessions",
    "find_session",
    "find_token",
    "get_user",
    "list_tokens",
    "list_users",
    "record_failure",
    "revoke_token",
    "session_id",
    "touch_session",
    "touch_token",
    "update_user",
]


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def session_id(token_hash: str) -> str:
    """Name a session in the audit log by the first 16 hex digits of its token's hash.

    Enough to tell a login's session from another's; neither the token nor its whole
    hash (the key `find_session` looks it up by) is logged.
    """
    return token_hash[:16]


def _insert_hashed(conn: Connection, table: Table, token: str, **values: Any) -> None:
    """Insert a row of a session or an API token, keyed by the SHA-256 of its secret.

    The secret itself is never stored: a copy of the database hands out neither.
    """
    conn.execute(insert(table).values(token_hash=_token_hash(token), **values))


def _find_live(
    conn: Connection, table: Table, token: str, *, now: str, alive: ColumnElement[bool]
) -> Row[Any] | None:
    """Return the live row of a session's or an API token's secret with its account's role,
    or None.

    Live: before its expiry, `alive`, and of an enabled account.
    """
    stmt = (
        select(table, web_user.c.role)
        .join(web_user, web_user.c.username == table.c.username)
        .where(
            table.c.token_hash == _token_hash(token),
            table.c.expires > now,
            alive,
            web_user.c.disabled.is_(False),
        )
    )
    return conn.execute(stmt).first()


# ---- users -----------------------------------------------------------------------------


def add_user(
    conn: Connection, username: str, password_hash: str, *, role: str, created: str
) -> bool:
    """Create an account; return False (and change nothing) when the name is taken."""
    if conn.execute(select(web_user.c.username).where(web_user.c.username == username)).first():
        return False
    conn.execute(
        insert(web_user).values(
            username=username,
            password_hash=password_hash,
            created=created,
            disabled=False,
            role=role,
        )
    )
    return True


def get_user(conn: Connection, username: str, *, disabled: bool = False) -> Row[Any] | None:
    """Return an enabled account by name (or any account with `disabled=True`), or None."""
    stmt = select(web_user).where(web_user.c.username == username)
    if not disabled:
        stmt = stmt.where(web_user.c.disabled.is_(False))
    return conn.execute(stmt).first()


def list_users(conn: Connection) -> list[Row[Any]]:
    """Every account with its count of stored sessions (expired ones go at the next login),
    by name."""
    live = (
        select(web_session.c.username, func.count().label("sessions"))
        .group_by(web_session.c.username)
        .subquery()
    )
    stmt = (
        select(web_user, func.coalesce(live.c.sessions, 0).label("sessions"))
        .outerjoin(live, live.c.username == web_user.c.username)
        .order_by(web_user.c.username)
    )
    return list(conn.execute(stmt))


def update_user(conn: Connection, username: str, **values: Any) -> bool:
    """Set columns of an account; return False when there is no such account."""
    result = conn.execute(update(web_user).where(web_user.c.username == username).values(**values))
    return bool(result.rowcount)


# ---- sessions --------------------------------------------------------------------------


def create_session(
    conn: Connection,
    token: str,
    username: str,
    csrf: str,
    *,
    created: str,
    expires: str,
) -> str:
    """Store a new console session (by the token's hash); return its `session_id`."""
    _insert_hashed(
        conn,
        web_session,
        token,
        username=username,
        csrf=csrf,
        created=created,
        expires=expires,
        last_seen=created,
    )
    return session_id(_token_hash(token))


def drop_expired_sessions(conn: Connection, *, now: str, idle_since: str) -> list[tuple[str, str]]:
    """Delete the sessions expired by `now` (past their limit, or unused since
    `idle_since`); return (username, `session_id`) of each.

    One DELETE … RETURNING: of two logins sweeping at once, each session is returned to
    one of them only (PostgreSQL's second DELETE skips rows the first took).
    """
    stmt = (
        delete(web_session)
        .where(
            (web_session.c.expires < now)
            | (func.coalesce(web_session.c.last_seen, web_session.c.created) <= idle_since)
        )
        .returning(web_session.c.username, web_session.c.token_hash)
    )
    return sorted((str(r.username), session_id(str(r.token_hash))) for r in conn.execute(stmt))


def find_session(conn: Connection, token: str, *, now: str, idle_since: str) -> Row[Any] | None:
    """Return the live session of a cookie token with its account's role, or None.

    Live: before its absolute expiry, seen since `idle_since`, and of an enabled account.
    """
    seen = func.coalesce(web_session.c.last_seen, web_session.c.created)
    return _find_live(conn, web_session, token, now=now, alive=seen > idle_since)


def touch_session(conn: Connection, token: str, *, now: str) -> None:
    """Record that a session was used now (its idle expiry starts again)."""
    conn.execute(
        update(web_session)
        .where(web_session.c.token_hash == _token_hash(token))
        .values(last_seen=now)
    )


def delete_session(conn: Connection, token: str) -> tuple[str, str] | None:
    """End a console session; return (username, `session_id`) of it, or None when there
    was none."""
    digest = _token_hash(token)
    stmt = (
        delete(web_session)
        .where(web_session.c.token_hash == digest)
        .returning(web_session.c.username)
    )
    username = conn.execute(stmt).scalar()
    return None if username is None else (str(username), session_id(digest))


def delete_user_sessions(conn: Connection, username: str) -> int:
    """End every session of an account; return how many there were."""
    result = conn.execute(delete(web_session).where(web_session.c.username == username))
    return int(result.rowcount or 0)


def delete_all_sessions(conn: Connection) -> int:
    """End every console session of every account; return how many there were."""
    return int(conn.execute(delete(web_session)).rowcount or 0)


# ---- failed logins ---------------------------------------------------------------------


def record_failure(conn: Connection, keys: list[str], *, at: str) -> None:
    """Count one failed login against each key (`user:<name>`, `addr:<address>`)."""
    conn.execute(insert(login_failure), [{"key": k, "at": at} for k in keys])


def count_failures(conn: Connection, key: str, *, since: str) -> tuple[int, str | None]:
    """Failed logins of a key since a time, and the earliest of them (None when none)."""
    row = conn.execute(
        select(func.count(), func.min(login_failure.c.at)).where(
            login_failure.c.key == key, login_failure.c.at > since
        )
    ).one()
    return int(row[0]), row[1]


def clear_failures(conn: Connection, key: str, *, before: str | None = None) -> None:
    """Forget a key's failed logins (all of them, or those before a time)."""
    stmt = delete(login_failure).where(login_failure.c.key == key)
    if before is not None:
        stmt = stmt.where(login_failure.c.at <= before)
    conn.execute(stmt)


# ---- API tokens ------------------------------------------------------------------------


def add_token(
    conn: Connection,
    token_id: str,
    token: str,
    *,
    username: str,
    scope: str,
    label: str | None,
    created: str,
    expires: str,
) -> None:
    """Store a new API token by its hash."""
    _insert_hashed(
        conn,
        api_token,
        token,
        id=token_id,
        username=username,
        scope=scope,
        label=label,
        created=created,
        expires=expires,
    )


def find_token(conn: Connection, token: str, *, now: str) -> Row[Any] | None:
    """Return a live API token (not expired, not revoked, of an enabled account) with its
    account's role, or None."""
    return _find_live(conn, api_token, token, now=now, alive=api_token.c.revoked.is_(None))


def touch_token(conn: Connection, token_id: str, *, now: str) -> None:
    """Record when a token was last used (shown in `khronika token list`)."""
    conn.execute(update(api_token).where(api_token.c.id == token_id).values(last_used=now))


def list_tokens(conn: Connection, username: str | None = None) -> list[Row[Any]]:
    """API tokens (never their secrets), newest first, of one account or all."""
    stmt = select(api_token).order_by(api_token.c.created.desc(), api_token.c.id)
    if username is not None:
        stmt = stmt.where(api_token.c.username == username)
    return list(conn.execute(stmt))


def revoke_token(conn: Connection, token_id: str, *, at: str) -> Row[Any] | None:
    """Revoke a token now; return its row, or None when there is no live token of that id."""
    row = conn.execute(
        select(api_token).where(api_token.c.id == token_id, api_token.c.revoked.is_(None))
    ).first()
    if row is not None:
        conn.execute(update(api_token).where(api_token.c.id == token_id).values(revoked=at))
    return row
