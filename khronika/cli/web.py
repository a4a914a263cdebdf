"""`khronika serve` (the web app), `khronika user` (accounts) and `khronika token` (API)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import asdict
from typing import Any, TypeVar

import click

from khronika.cli.common import CliContext, current_user, echo_json, json_option, pass_cli

__all__ = ["register"]

T = TypeVar("T")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, help="Port to listen on.")
@click.option("--workers", default=1, show_default=True, help="Worker processes.")
@click.option("--access-log", is_flag=True, help="Log every request (off: readers stay unlogged).")
@pass_cli
def serve(ctx: CliContext, host: str, port: int, workers: int, access_log: bool) -> None:
    """Serve the public site, the console and the API.

    \b
    Example:
      khronika serve --port 8000
      khronika --db postgresql+psycopg://khronika@db/khronika serve --host 0.0.0.0 --workers 4
    """
    import uvicorn

    db = ctx.database()  # fail here, not in every worker, when the database is not ready
    db.dispose()
    # Workers are separate processes: they find the database through the environment.
    os.environ["KHRONIKA_DB_URL"] = ctx.db_url
    click.echo(f"khronika on http://{host}:{port}/  ({db.display_url}, {workers} worker(s))")
    uvicorn.run(
        "khronika.web.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=access_log,
        log_level="warning",
        proxy_headers=False,
    )


def _read_secret(prompt: str, from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(click.prompt(prompt, hide_input=True, confirmation_prompt=True))


def _account_call(ctx: CliContext, change: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Make an account change: `change(db, *args, by=<who runs the command>, **kwargs)`.

    Its `AccountError` (no such account, a password too short…) is a usage error.
    """
    from khronika.accounts import AccountError

    db = ctx.database()
    try:
        return change(db, *args, by=current_user(), **kwargs)
    except AccountError as e:
        raise click.UsageError(str(e)) from None


_ROLE = click.Choice(["viewer", "editor", "admin"])
#: The shared `--password-stdin` flag of the commands that set a password.
_password_stdin = click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input."
)


@click.group("user")
def user_group() -> None:
    """Console accounts: viewer (reads), editor (writes, reviews), admin (also accounts).

    \b
    Example:
      khronika user add anna --role editor
      khronika user list
    """


def _account_command(name: str) -> Callable[[Callable[..., None]], click.Command]:
    """Declare `khronika user NAME USERNAME …`: a command on one account, given the CLI
    context and the username (then its own options)."""

    def declare(f: Callable[..., None]) -> click.Command:
        return user_group.command(name)(click.argument("username")(pass_cli(f)))

    return declare


@user_group.command("add")
@click.argument("username")
@click.option("--role", type=_ROLE, default="editor", show_default=True, help="What it may do.")
@_password_stdin
@pass_cli
def user_add(ctx: CliContext, username: str, role: str, password_stdin: bool) -> None:
    """Create a console account.

    \b
    Example:
      khronika user add anna
      printf '%s' "$PASSWORD" | khronika user add olga --role viewer --password-stdin
    """
    from khronika.accounts import create_user

    password = _read_secret("Password", password_stdin)
    _account_call(ctx, create_user, username, password, role=role)
    click.echo(f"created user {username} ({role})")


@_account_command("passwd")
@_password_stdin
def user_passwd(ctx: CliContext, username: str, password_stdin: bool) -> None:
    """Set a new password (the account's sessions end).

    \b
    Example:
      khronika user passwd anna
    """
    from khronika.accounts import set_password

    password = _read_secret("New password", password_stdin)
    _account_call(ctx, set_password, username, password)
    click.echo(f"new password for {username}; its sessions ended")


@_account_command("role")
@click.argument("role", type=_ROLE)
def user_role(ctx: CliContext, username: str, role: str) -> None:
    """Change what an account may do.

    \b
    Example:
      khronika user role anna admin
    """
    from khronika.accounts import set_role

    _account_call(ctx, set_role, username, role)
    click.echo(f"{username} is now {role}")


@_account_command("disable")
@click.option("--enable", is_flag=True, help="Enable a disabled account again.")
def user_disable(ctx: CliContext, username: str, enable: bool) -> None:
    """Disable an account: it cannot log in, its sessions and tokens stop working.

    \b
    Example:
      khronika user disable anna
      khronika user disable anna --enable
    """
    from khronika.accounts import set_disabled

    _account_call(ctx, set_disabled, username, not enable)
    click.echo(f"{username} {'enabled' if enable else 'disabled'}")


@_account_command("logout")
def user_logout(ctx: CliContext, username: str) -> None:
    """End every session of an account (logout everywhere).

    \b
    Example:
      khronika user logout anna
    """
    from khronika.accounts import end_all_sessions

    ended = _account_call(ctx, end_all_sessions, username)
    click.echo(f"{ended} session(s) of {username} ended")


@_account_command("totp")
@click.option("--off", is_flag=True, help="Turn the second factor off.")
def user_totp(ctx: CliContext, username: str, off: bool) -> None:
    """Turn on a second factor (TOTP): prints the secret and the otpauth:// URI once.

    Enter either in an authenticator app; the login form then asks for its code.

    \b
    Example:
      khronika user totp anna
      khronika user totp anna --off
    """
    from khronika.accounts import set_totp, totp_uri

    secret = _account_call(ctx, set_totp, username, enable=not off)
    if secret is None:
        click.echo(f"second factor off for {username}")
        return
    click.echo(f"secret: {secret}")
    click.echo(f"uri:    {totp_uri(username, secret)}")
    click.echo("shown once: enter it in an authenticator app now")


@user_group.command("list")
@json_option()
@pass_cli
def user_list(ctx: CliContext, as_json: bool) -> None:
    """List accounts: role, disabled, second factor, sessions on record.

    \b
    Example:
      khronika user list --json
    """
    from khronika.accounts import list_users

    users = list_users(ctx.database())
    if as_json:
        echo_json([asdict(u) for u in users])
        return
    for u in users:
        flags = ", ".join(f for f, on in (("disabled", u.disabled), ("totp", u.totp)) if on)
        click.echo(f"{u.username}\t{u.role}\t{u.sessions} session(s)\t{flags}".rstrip())


@click.group("token")
def token_group() -> None:
    """API tokens: hashed at rest, scoped read or write, expiring, revocable, shown once.

    \b
    Example:
      khronika token add anna --scope read --days 30
      curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8000/api/v1/meta
    """


@token_group.command("add")
@click.argument("username")
@click.option("--scope", type=click.Choice(["read", "write"]), default="read", show_default=True)
@click.option("--days", type=float, default=30, show_default=True, help="Days until it expires.")
@click.option("--label", default="", help="What the token is for (shown in lists).")
@pass_cli
def token_add(ctx: CliContext, username: str, scope: str, days: float, label: str) -> None:
    """Make an API token for an account; the token is printed once and never again.

    A read token acts as a viewer; a write token with the account's role.

    \b
    Example:
      khronika token add anna --scope write --days 7 --label "court-data sync"
    """
    from khronika.accounts import create_token

    secret, token = _account_call(ctx, create_token, username, scope=scope, days=days, label=label)
    click.echo(secret)
    click.echo(f"token {token.id} ({scope}) expires {token.expires}; shown once", err=True)


@token_group.command("list")
@click.option("--user", "username", default=None, help="Only this account's tokens.")
@json_option()
@pass_cli
def token_list(ctx: CliContext, username: str | None, as_json: bool) -> None:
    """List API tokens (never their secrets).

    \b
    Example:
      khronika token list --user anna
    """
    from khronika.accounts import list_tokens

    tokens = list_tokens(ctx.database(), username)
    if as_json:
        echo_json([asdict(t) for t in tokens])
        return
    for t in tokens:
        state = f"revoked {t.revoked}" if t.revoked else f"expires {t.expires}"
        click.echo(f"{t.id}\t{t.username}\t{t.scope}\t{state}\t{t.label or ''}".rstrip())


@token_group.command("revoke")
@click.argument("token_id")
@pass_cli
def token_revoke(ctx: CliContext, token_id: str) -> None:
    """Revoke an API token at once.

    \b
    Example:
      khronika token revoke 3f9a1c0d2b7e
    """
    from khronika.accounts import revoke_token

    _account_call(ctx, revoke_token, token_id)
    click.echo(f"token {token_id} revoked")


def register(cli: click.Group) -> None:
    """Add this module's commands to the CLI."""
    cli.add_command(serve)
    cli.add_command(user_group)
    cli.add_command(token_group)
