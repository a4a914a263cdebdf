"""`khronika serve` (the web app) and `khronika user add` (console accounts)."""

from __future__ import annotations

import os
import sys

import click

from khronika.cli.common import CliContext, pass_cli

__all__ = ["register"]


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


@click.group("user")
def user_group() -> None:
    """Console accounts.

    \b
    Example:
      khronika user add anna
    """


@user_group.command("add")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@pass_cli
def user_add(ctx: CliContext, username: str, password_stdin: bool) -> None:
    """Create a console account (or set a new password for one).

    \b
    Example:
      khronika user add anna
      printf '%s' "$PASSWORD" | khronika user add anna --password-stdin
    """
    from khronika.web.auth import create_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        new = create_user(ctx.database(), username, password)
    except ValueError as e:
        raise click.UsageError(str(e)) from None
    click.echo(f"{'created' if new else 'updated'} user {username}")


def register(cli: click.Group) -> None:
    """Add this module's commands to the CLI."""
    cli.add_command(serve)
    cli.add_command(user_group)
