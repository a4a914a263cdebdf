"""The console's side of accounts: session cookies, CSRF, bearer tokens.

A login creates a random session token (cookie `khronika_session`, HttpOnly, SameSite
Strict, Secure behind HTTPS when `KHRONIKA_WEB_SECURE_COOKIES` is set); the database keeps
only its SHA-256, the user and a CSRF token that every console form must send back. Before
login a `khronika_csrf` cookie and a hidden field must agree (double submit), so a login
cannot be forged from another site either. Passwords, roles, throttling and the second
factor are `khronika.accounts`.
"""

from __future__ import annotations

import hmac

from fastapi import Request

from khronika.accounts import Session, check_token, find_session
from khronika.storage import Database

__all__ = [
    "LOGIN_CSRF_COOKIE",
    "SESSION_COOKIE",
    "Session",
    "api_account",
    "bearer_session",
    "client_address",
    "current_session",
]

SESSION_COOKIE = "khronika_session"
LOGIN_CSRF_COOKIE = "khronika_csrf"


def current_session(request: Request) -> Session | None:
    """Return the console session of a request (from its cookie), or None."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    db: Database = request.app.state.db
    return find_session(db, token)


def bearer_session(request: Request) -> Session | None:
    """Return the account of an `Authorization: Bearer <API token>` header, or None."""
    header = request.headers.get("authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return check_token(request.app.state.db, secret.strip())


def client_address(request: Request) -> str:
    """The address a request came from (the proxy's, unless uvicorn was told to trust it)."""
    return request.client.host if request.client else ""


def api_account(request: Request) -> Session | None:
    """The account an API write acts for: a bearer token's, or a console session's when
    the request carries the session's CSRF token in `X-CSRF-Token` (a cookie alone could be
    sent by any site the analyst has open)."""
    if request.headers.get("authorization"):
        return bearer_session(request)
    session = current_session(request)
    sent = request.headers.get("x-csrf-token", "")
    if session is None or not hmac.compare_digest(sent.encode(), session.csrf.encode()):
        return None
    return session
