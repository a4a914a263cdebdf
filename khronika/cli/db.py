"""`khronika init` and `khronika db migrate`: create and upgrade a database."""

from __future__ import annotations

import click

from khronika.cli.common import CliContext, pass_cli

__all__ = ["register"]


def _adopt(ctx: CliContext) -> None:
    """After an upgrade: the audit log vouches for the review queue and the lists from now on."""
    from khronika.audit import adopt
    from khronika.model.dates import now_timestamp, storage_timestamp

    seq = adopt(ctx.database(), at=storage_timestamp(now_timestamp()))
    if seq is not None:
        click.echo(f"audit log: review judgements, lists and accounts covered from row {seq} on")


@click.command("init")
@pass_cli
def init(ctx: CliContext) -> None:
    """Create a database (or bring an existing one up to date).

    \b
    Example:
      khronika --db sqlite:///team.db init
    """
    db = ctx.database(migrated=False)
    applied = db.migrate()
    _adopt(ctx)
    click.echo(f"{db.display_url}: ready at {db.current_revision()} ({len(applied)} applied)")


@click.group("db")
def db_group() -> None:
    """Database administration.

    \b
    Example:
      khronika db migrate
    """


@db_group.command("migrate")
@click.option("--dry-run", is_flag=True, help="Only list the pending migrations.")
@pass_cli
def migrate(ctx: CliContext, dry_run: bool) -> None:
    """Apply pending migrations, each in its own transaction.

    The audit log then vouches for what the areas it did not cover yet hold (an `adopt`
    row; `khronika audit verify`).

    \b
    Example:
      khronika --db postgresql+psycopg://khronika@localhost/khronika db migrate
    """
    db = ctx.database(migrated=False)
    if dry_run:
        pending = db.pending()
        click.echo("\n".join(pending) if pending else "nothing to apply")
        return
    applied = db.migrate()
    _adopt(ctx)
    click.echo(f"applied: {', '.join(applied)}" if applied else "up to date")


def register(cli: click.Group) -> None:
    """Add this module's commands to the CLI."""
    cli.add_command(init)
    cli.add_command(db_group)
