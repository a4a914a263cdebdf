"""Local accounts: argon2id passwords, roles, sessions, login throttling, TOTP, API tokens.

Who may do what is one rule, `allowed(role, need)`: a `viewer` reads restricted data and
writes nothing, an `editor` writes records and decides reviews, an `admin` also manages
accounts. The console and the API ask it; the CLI runs with the database's own rights (a
shell on the machine can do anything) and names its actor from `KHRONIKA_USER`.

Every change of an account (added, new password, role, disabled, enabled, second factor,
sessions ended, token made or revoked) appends an audit row; so does every sign-in event:
a login, a failed one (the name as typed and the address, never the password), a logout
and a session dropped expired (`_signed`). No secret ever enters the log.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection

from khronika import settings
from khronika.audit import Change, prior_states, table_changes
from khronika.audit import record as record_audit
from khronika.errors import KhronikaError
from khronika.model.dates import storage_timestamp
from khronika.storage import Database
from khronika.storage import accounts as store

__all__ = [
    "MIN_PASSWORD",
    "ROLES",
    "SCOPES",
    "AccountError",
    "LoginRefused",
    "Session",
    "Token",
    "User",
    "allowed",
    "check_token",
    "create_token",
    "create_user",
    "end_all_sessions",
    "end_session",
    "find_session",
    "hash_password",
    "list_tokens",
    "list_users",
    "login",
    "revoke_token",
    "set_disabled",
    "set_password",
    "set_role",
    "set_totp",
    "totp_uri",
    "verify_password",
]

ROLES = ("viewer", "editor", "admin")
SCOPES = ("read", "write")
MIN_PASSWORD = 10
# Throttling: failures counted over this window; an account locks after ACCOUNT_LIMIT of
# them, an address after ADDRESS_LIMIT (many accounts tried from one place).
WINDOW = timedelta(minutes=15)
ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20
# A session's last_seen is written at most this often (not on every page).
_TOUCH_EVERY = timedelta(seconds=60)

# argon2id, RFC 9106's second recommended set (64 MiB, 3 passes): about 0.1 s on a small
# machine, and a GPU farm's cost per guess with it.
_HASHER = PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=1)
# A hash of nothing anyone knows, checked for unknown names so that timing does not tell
# which names exist.
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))


class AccountError(KhronikaError, ValueError):
    """An account operation that cannot be done (no such user, bad role, weak password)."""


class LoginRefused(KhronikaError):
    """A login that did not start a session: why (`reason`, one of REASONS) and, when
    throttled, for how many minutes more."""

    REASONS = {
        "wrong": "Wrong name or password.",
        "code_needed": "Enter the code from your authenticator app.",
        "code_wrong": "Wrong or already used code.",
        "throttled": "Too many failed logins. Try again later.",
    }

    def __init__(self, reason: str, *, wait_minutes: int = 0) -> None:
        message = self.REASONS[reason]
        if wait_minutes:
            message = f"Too many failed logins. Try again in {wait_minutes} min."
        super().__init__(message)
        self.reason = reason
        self.wait_minutes = wait_minutes


def _now() -> datetime:
    return datetime.now(UTC)


def _ts(moment: datetime) -> str:
    return storage_timestamp(moment)


def _actor() -> str | None:
    return settings.get("KHRONIKA_USER") or None


# ---- passwords -------------------------------------------------------------------------


def hash_password(password: str) -> str:
    """Hash a password with argon2id (PHC string form)."""
    return _HASHER.hash(password)


def verify_password(password: str, stored: str) -> bool:
    """True when `password` matches a stored hash: argon2id, or a legacy scrypt one."""
    if stored.startswith("scrypt$"):
        try:
            _scheme, n, r, p, salt, digest = stored.split("$")
            got = hashlib.scrypt(
                password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32
            )
        except ValueError:
            return False
        return hmac.compare_digest(got.hex(), digest)
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _needs_rehash(stored: str) -> bool:
    return stored.startswith("scrypt$") or _HASHER.check_needs_rehash(stored)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"passwords have at least {MIN_PASSWORD} characters")


def _plain_name(username: str) -> bool:
    return (
        0 < len(username) <= 64
        and username.replace("-", "").replace("_", "").replace(".", "").isalnum()
    )


def _check_name(username: str) -> None:
    if not _plain_name(username):
        raise AccountError("user names use letters, digits, - _ and . only (at most 64)")


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}: choose {', '.join(ROLES)}")


def allowed(role: str, need: str) -> bool:
    """True when an account of `role` may do what needs `need` (roles are ordered)."""
    return role in ROLES and ROLES.index(role) >= ROLES.index(need)


# ---- users -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class User:
    """An account as `khronika user list` shows it (never its secrets)."""

    username: str
    role: str
    disabled: bool
    totp: bool
    created: str
    sessions: int


def _audit(
    conn: Connection,
    action: str,
    username: str,
    *,
    at: str,
    by: str | None = None,
    prior: list[Change] | None = None,
    **state: Any,
) -> None:
    """Log a change of an account; `prior`: its `prior_states`, taken before an UPDATE."""
    after = [(f"user:{username}", ",".join(f"{k}={v}" for k, v in sorted(state.items())))]
    record_audit(
        conn,
        action,
        at=at,
        actor=by or _actor(),
        changes=[*(prior or ()), *table_changes(conn, "web_user", username=username)],
        ids=[f"user:{username}"],
        after=after,
    )


#: Longest name or address a sign-in row keeps as typed (the rest is cut, marked "…").
_TYPED_MAX = 100


def _as_typed(value: str) -> str:
    """`value` as a log row can hold it on both engines: characters that print kept, others
    (NUL, controls, lone surrogates) written as escapes; cut at `_TYPED_MAX`."""
    shown = "".join(
        c if c.isprintable() else c.encode("unicode_escape", "backslashreplace").decode()
        for c in value[: _TYPED_MAX + 1]
    )
    return shown if len(shown) <= _TYPED_MAX else shown[:_TYPED_MAX] + "…"


def _signed(
    conn: Connection,
    action: str,
    username: str,
    *,
    at: str,
    address: str = "",
    sessions: tuple[str, ...] = (),
) -> None:
    """Log a sign-in event of `username` (as typed, for a failed login): `login`,
    `login.fail`, `login.code_fail`, `session.logout` or `session.expire`.

    The actor is the account the event is about, so `khronika audit log --actor NAME`
    lists its logins with its writes. The row changes no vouched-for row: a session is
    not a record (nor is a failure; the throttle counts those).

        !!! A failed login of a name that does not exist is logged exactly like one of a
        !!! name that does (same action, actor, ids): the log does not say which exist.
    """
    name = _as_typed(username)
    ids = [f"user:{name}", *(f"session:{s}" for s in sessions)]
    if address:
        ids.append(f"address:{_as_typed(address)}")
    record_audit(conn, action, at=at, actor=name, ids=ids)


def create_user(
    db: Database, username: str, password: str, *, role: str = "editor", by: str | None = None
) -> None:
    """Create an account.

    Raises:
        AccountError: the name is not a plain login name, is taken, the role is unknown or
            the password too short.
    """
    _check_name(username)
    _check_role(role)
    _check_password(password)
    now = _ts(_now())
    with db.begin() as conn:
        if not store.add_user(conn, username, hash_password(password), role=role, created=now):
            raise AccountError(
                f"user {username} exists: `khronika user passwd {username}` sets a new password"
            )
        # The password's hash never enters the log: only that an account was made.
        _audit(conn, "user.add", username, at=now, by=by, role=role)


def _existing(conn: Connection, username: str) -> Any:
    user = store.get_user(conn, username, disabled=True)
    if user is None:
        raise AccountError(f"no user {username}")
    return user


def _prior(conn: Connection, username: str) -> list[Change]:
    """The account's row as it stands, before a change (`khronika.audit.prior_states`).

    Raises:
        AccountError: there is no such account.
    """
    _existing(conn, username)
    return prior_states(conn, "web_user", username=username)


def set_password(db: Database, username: str, password: str, *, by: str | None = None) -> None:
    """Give an account a new password and end its sessions (a stolen one stops working)."""
    _check_password(password)
    now = _ts(_now())
    with db.begin() as conn:
        prior = _prior(conn, username)
        store.update_user(conn, username, password_hash=hash_password(password))
        store.delete_user_sessions(conn, username)
        _audit(conn, "user.passwd", username, at=now, by=by, prior=prior)


def set_role(db: Database, username: str, role: str, *, by: str | None = None) -> None:
    """Change an account's role (its open sessions take the new role at once)."""
    _check_role(role)
    now = _ts(_now())
    with db.begin() as conn:
        prior = _prior(conn, username)
        store.update_user(conn, username, role=role)
        _audit(conn, "user.role", username, at=now, by=by, prior=prior, role=role)


def set_disabled(
    db: Database, username: str, disabled: bool = True, *, by: str | None = None
) -> None:
    """Disable an account (it cannot log in; its sessions and tokens stop) or enable it."""
    now = _ts(_now())
    with db.begin() as conn:
        prior = _prior(conn, username)
        store.update_user(conn, username, disabled=disabled)
        if disabled:
            store.delete_user_sessions(conn, username)
        action = "user.disable" if disabled else "user.enable"
        _audit(conn, action, username, at=now, by=by, prior=prior)


def set_totp(
    db: Database, username: str, *, enable: bool = True, by: str | None = None
) -> str | None:
    """Turn the second factor on (return the new secret, shown once) or off (None)."""
    now = _ts(_now())
    secret = pyotp.random_base32() if enable else None
    with db.begin() as conn:
        prior = _prior(conn, username)
        store.update_user(conn, username, totp_secret=secret, totp_last=None)
        store.delete_user_sessions(conn, username)
        totp = "on" if enable else "off"
        _audit(conn, "user.totp", username, at=now, by=by, prior=prior, totp=totp)
    return secret


def totp_uri(username: str, secret: str) -> str:
    """The otpauth:// URI an authenticator app reads (as text or a QR code)."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name="khronika")


def end_all_sessions(db: Database, username: str, *, by: str | None = None) -> int:
    """Log an account out everywhere (`by`: who asked, when not `KHRONIKA_USER`); return
    how many sessions ended."""
    now = _ts(_now())
    with db.begin() as conn:
        prior = _prior(conn, username)
        ended = store.delete_user_sessions(conn, username)
        _audit(conn, "user.logout", username, at=now, by=by, prior=prior, sessions=ended)
    return ended


def list_users(db: Database) -> list[User]:
    """Every account, by name."""
    with db.connect() as conn:
        rows = store.list_users(conn)
    return [
        User(r.username, r.role, bool(r.disabled), bool(r.totp_secret), r.created, r.sessions)
        for r in rows
    ]


# ---- login and sessions ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Session:
    """A logged-in console user, their role and the CSRF token their forms carry."""

    username: str
    csrf: str
    role: str = "viewer"

    def can(self, need: str) -> bool:
        """True when this session's role may do what needs `need`."""
        return allowed(self.role, need)


def _throttled(conn: Connection, keys: list[str], now: datetime) -> int | None:
    """Minutes until a login may be tried again, or None when it may be tried now."""
    since = _ts(now - WINDOW)
    for key, limit in zip(keys, (ACCOUNT_LIMIT, ADDRESS_LIMIT), strict=False):
        count, earliest = store.count_failures(conn, key, since=since)
        if count >= limit and earliest is not None:
            free = datetime.fromisoformat(earliest.replace("Z", "+00:00")) + WINDOW
            return max(1, math.ceil((free - now).total_seconds() / 60))
    return None


def _totp_step(secret: str, code: str, last: int | None, now: datetime) -> int | None:
    """The time step a code belongs to (now or one step either side), if valid and unused."""
    totp = pyotp.TOTP(secret)
    step = int(now.timestamp()) // totp.interval
    code = code.strip().replace(" ", "")
    for s in (step, step - 1, step + 1):
        if hmac.compare_digest(totp.generate_otp(s), code) and (last is None or s > last):
            return s
    return None


def login(
    db: Database,
    username: str,
    password: str,
    *,
    address: str = "",
    code: str = "",
    now: datetime | None = None,
) -> tuple[str, Session]:
    """Check a password (and second factor); start a session: (cookie token, session).

    Raises:
        LoginRefused: wrong name, password or code, or too many failures lately (of the
            name or of the address); the message says which and, when throttled, for how long.
    """
    now = now or _now()
    # A name no account can have is never looked up; it is throttled by its digest (it may
    # hold bytes a database refuses, such as NUL).
    plain = _plain_name(username)
    name_key = username.lower() if plain else "#" + hashlib.sha256(username.encode()).hexdigest()
    keys = [f"user:{name_key}", *([f"addr:{address}"] if address else [])]
    # Read, then hash outside any transaction (argon2 takes ~0.1 s: no write lock is held
    # meanwhile), then write the outcome; a refusal is raised after that commits, so the
    # failure it counts stays.
    with db.connect() as conn:
        wait = _throttled(conn, keys, now)
        user = store.get_user(conn, username) if plain and wait is None else None
    if wait is not None:
        raise LoginRefused("throttled", wait_minutes=wait)
    # Hash even for unknown names, so timing does not tell which names exist.
    good = verify_password(password, user.password_hash if user else _DUMMY_HASH)
    refusal: LoginRefused | None = None
    changes: dict[str, Any] = {}
    if not good or user is None:
        refusal = LoginRefused("wrong")
    elif user.totp_secret and not code:
        refusal = LoginRefused("code_needed")
    elif user.totp_secret:
        step = _totp_step(user.totp_secret, code, user.totp_last, now)
        if step is None:
            refusal = LoginRefused("code_wrong")
        changes["totp_last"] = step
    if refusal is None and user is not None and _needs_rehash(user.password_hash):
        changes["password_hash"] = hash_password(password)
    started: tuple[str, Session] | None = None
    with db.begin() as conn:
        if refusal is None and "totp_last" in changes:
            # Another login may have used this code since it was read: a code is good once.
            now_user = store.get_user(conn, username)
            last = now_user.totp_last if now_user is not None else None
            if last is not None and last >= changes["totp_last"]:
                refusal = LoginRefused("code_wrong")
        if refusal is not None:
            if refusal.reason != "code_needed":
                store.record_failure(conn, keys, at=_ts(now))
                # A wrong code follows the right password: only then is the action other.
                action = "login.code_fail" if refusal.reason == "code_wrong" else "login.fail"
                _signed(conn, action, username, at=_ts(now), address=address)
        elif user is not None:
            rehash = "password_hash" in changes
            prior = prior_states(conn, "web_user", username=username) if rehash else None
            if changes:
                store.update_user(conn, username, **changes)
            if rehash:
                # The same password, hashed the current way: the row the log vouches for moved.
                _audit(conn, "user.rehash", username, at=_ts(now), by=username, prior=prior)
            store.clear_failures(conn, keys[0])
            _end_expired(conn, now)
            token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
            hours = float(settings.get("KHRONIKA_SESSION_HOURS"))
            sid = store.create_session(
                conn,
                token,
                username,
                csrf,
                created=_ts(now),
                expires=_ts(now + timedelta(hours=hours)),
            )
            _signed(conn, "login", username, at=_ts(now), address=address, sessions=(sid,))
            started = token, Session(username, csrf, user.role)
    if started is None:
        raise refusal or LoginRefused("wrong")
    return started


def _end_expired(conn: Connection, now: datetime) -> None:
    """Drop every session expired by `now`, of every account, and log them: one
    `session.expire` row per account. A login does it, so expired sessions are logged
    when the next login (anyone's) finds them, not at the moment they expired."""
    by_user: dict[str, list[str]] = {}
    for username, sid in store.drop_expired_sessions(
        conn, now=_ts(now), idle_since=_ts(now - _idle())
    ):
        by_user.setdefault(username, []).append(sid)
    for username, sids in sorted(by_user.items()):
        _signed(conn, "session.expire", username, at=_ts(now), sessions=tuple(sids))


def _idle() -> timedelta:
    return timedelta(minutes=float(settings.get("KHRONIKA_SESSION_IDLE_MINUTES")))


def find_session(db: Database, token: str, *, now: datetime | None = None) -> Session | None:
    """Return the live session of a cookie token (within absolute and idle expiry), or None."""
    now = now or _now()
    with db.connect() as conn:
        row = store.find_session(conn, token, now=_ts(now), idle_since=_ts(now - _idle()))
    if row is None:
        return None
    if (row.last_seen or row.created) <= _ts(now - _TOUCH_EVERY):
        with db.begin() as conn:
            store.touch_session(conn, token, now=_ts(now))
    return Session(row.username, row.csrf, row.role)


def end_session(db: Database, token: str | None, *, address: str = "") -> None:
    """End the session of a cookie token (if any), logged as `session.logout` (with the
    address asked from)."""
    if token:
        with db.begin() as conn:
            ended = store.delete_session(conn, token)
            if ended is not None:
                username, sid = ended
                at = _ts(_now())
                _signed(conn, "session.logout", username, at=at, address=address, sessions=(sid,))


# ---- API tokens ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Token:
    """An API token as listed (never its secret)."""

    id: str
    username: str
    scope: str
    label: str | None
    created: str
    expires: str
    revoked: str | None
    last_used: str | None


def create_token(
    db: Database,
    username: str,
    *,
    scope: str = "read",
    days: float = 30,
    label: str = "",
    by: str | None = None,
) -> tuple[str, Token]:
    """Make an API token for an account: return (the secret, shown once; the token).

    The secret is `khk_<id>_<random>`; only its SHA-256 is stored.
    """
    if scope not in SCOPES:
        raise AccountError(f"unknown scope {scope!r}: choose {', '.join(SCOPES)}")
    if days <= 0:
        raise AccountError("a token lasts a positive number of days")
    now = _now()
    token_id = secrets.token_hex(6)
    secret = f"khk_{token_id}_{secrets.token_urlsafe(32)}"
    created, expires = _ts(now), _ts(now + timedelta(days=days))
    with db.begin() as conn:
        _existing(conn, username)
        store.add_token(
            conn,
            token_id,
            secret,
            username=username,
            scope=scope,
            label=label or None,
            created=created,
            expires=expires,
        )
        record_audit(
            conn,
            "token.add",
            at=created,
            actor=by or _actor(),
            changes=table_changes(conn, "api_token", id=token_id),
            ids=[f"user:{username}", f"token:{token_id}"],
            after=[(f"token:{token_id}", f"scope={scope},expires={expires}")],
        )
    return secret, Token(token_id, username, scope, label or None, created, expires, None, None)


def revoke_token(db: Database, token_id: str, *, by: str | None = None) -> None:
    """Revoke a token at once.

    Raises:
        AccountError: there is no live token of that id.
    """
    now = _ts(_now())
    with db.begin() as conn:
        prior = prior_states(conn, "api_token", id=token_id)
        row = store.revoke_token(conn, token_id, at=now)
        if row is None:
            raise AccountError(f"no live token {token_id}")
        record_audit(
            conn,
            "token.revoke",
            at=now,
            actor=by or _actor(),
            changes=[*prior, *table_changes(conn, "api_token", id=token_id)],
            ids=[f"user:{row.username}", f"token:{token_id}"],
        )


def list_tokens(db: Database, username: str | None = None) -> list[Token]:
    """API tokens, newest first (of one account, or all)."""
    with db.connect() as conn:
        rows = store.list_tokens(conn, username)
    return [
        Token(r.id, r.username, r.scope, r.label, r.created, r.expires, r.revoked, r.last_used)
        for r in rows
    ]


def check_token(db: Database, secret: str, *, now: datetime | None = None) -> Session | None:
    """The account behind a live API token, as a session whose role is capped by the
    token's scope (a read token acts as a viewer), or None."""
    now = now or _now()
    with db.connect() as conn:
        row = store.find_token(conn, secret, now=_ts(now))
    if row is None:
        return None
    if (row.last_used or "") <= _ts(now - _TOUCH_EVERY):
        with db.begin() as conn:
            store.touch_token(conn, row.id, now=_ts(now))
    role = row.role if row.scope == "write" else "viewer"
    return Session(row.username, "", role)
