"""`khronika backup FILE` and `khronika restore FILE --db URL`: one checked file of everything."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from khronika.cli.common import CliContext, current_user, echo_json, json_option, pass_cli

__all__ = ["register"]

#: A passphrase shorter than this is refused when a backup is made (scrypt slows guessing,
#: but it cannot save a short one).
MIN_PASSPHRASE = 8


def passphrase_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The shared `--passphrase-stdin` / `--passphrase-file` options."""
    func = click.option(
        "--passphrase-file",
        type=click.Path(exists=True, dir_okay=False),
        help="Read the passphrase from the first line of this file.",
    )(func)
    return click.option(
        "--passphrase-stdin",
        is_flag=True,
        help="Read the passphrase from standard input (asked for, hidden, on a terminal).",
    )(func)


def _passphrase(from_stdin: bool, file: str | None, *, confirm: bool) -> bytes | None:
    """The passphrase given (never echoed), or None when none was asked for."""
    if from_stdin and file:
        raise click.UsageError("give --passphrase-stdin or --passphrase-file, not both")
    if file:
        lines = Path(file).read_text(encoding="utf-8").splitlines()
        text = lines[0] if lines else ""
    elif from_stdin:
        text = _ask(confirm=confirm)
    else:
        return None
    if not text:
        raise click.UsageError("the passphrase is empty")
    return text.encode()


def _ask(*, confirm: bool) -> str:
    if sys.stdin.isatty():
        return str(click.prompt("Passphrase", hide_input=True, confirmation_prompt=confirm))
    return sys.stdin.readline().rstrip("\r\n")


def _data_dir_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--data-dir",
        type=click.Path(file_okay=False),
        help="The data directory of the archived files (default KHRONIKA_DATA_DIR).",
    )(func)


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@passphrase_options
@_data_dir_option
@click.option(
    "--logical",
    is_flag=True,
    help="Rows as JSON lines instead of the engine's own format (restores into either engine).",
)
@json_option("Print the report as JSON.")
@pass_cli
def backup_cmd(
    ctx: CliContext,
    file: str,
    passphrase_stdin: bool,
    passphrase_file: str | None,
    data_dir: str | None,
    logical: bool,
    as_json: bool,
) -> None:
    """Back up the database and the archived files into FILE (docs/backups.md).

    SQLite is copied through its online backup API and PostgreSQL through pg_dump (the
    logical format when pg_dump is absent), consistently while the app runs; archived
    source files, photos and pages go in beside it. FILE appears only when complete. With
    a passphrase the backup is encrypted (AES-256-GCM, a key derived by scrypt).

    \b
    Example:
      khronika backup khronika-2025-05-01.backup
      khronika --db postgresql+psycopg://team@db/khronika backup team.backup --passphrase-stdin
      khronika backup laptop.backup --passphrase-file ~/.config/khronika/passphrase
    """
    from khronika.backup import backup

    passphrase = _passphrase(passphrase_stdin, passphrase_file, confirm=True)
    if passphrase is not None and len(passphrase.decode()) < MIN_PASSPHRASE:
        raise click.UsageError(
            f"the passphrase is too short (at least {MIN_PASSPHRASE} characters)"
        )
    report = backup(ctx.database(), file, data_dir=data_dir, passphrase=passphrase, logical=logical)
    if as_json:
        echo_json({**_public(report), "path": str(report.path)})
        return
    if report.note:
        click.echo(f"note: {report.note}; the logical format was used", err=True)
    head = report.audit_head
    click.echo(
        f"{report.path}: {report.engine} ({report.database_format}), {report.files} archived "
        f"file(s), {report.size:,} bytes{', encrypted' if report.encrypted else ''}\n"
        f"audit head {head['seq'] if head else '-'} {head['hash'][:16] if head else ''}\n"
        f"digest {report.digest}"
    )


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--db",
    "target_url",
    required=True,
    help="The empty database to restore into (SQLAlchemy URL).",
)
@passphrase_options
@_data_dir_option
@json_option("Print the report as JSON.")
def restore_cmd(
    file: str,
    target_url: str,
    passphrase_stdin: bool,
    passphrase_file: str | None,
    data_dir: str | None,
    as_json: bool,
) -> None:
    """Restore a backup into an empty database, after checking every byte of it.

    Refuses a database that holds records, and a damaged, truncated or wrongly
    decrypted backup, before writing anything. The archived files go into the data
    directory; the restore is appended to the audit log with the backup's digest.

    \b
    Example:
      khronika restore khronika-2025-05-01.backup --db sqlite:///restored.db
      khronika restore team.backup --db postgresql+psycopg://team@db/khronika2 \\
          --data-dir /srv/khronika-data --passphrase-stdin
      khronika --db sqlite:///restored.db audit verify
    """
    from khronika.backup import backup_is_encrypted, restore
    from khronika.storage import Database

    passphrase = _passphrase(passphrase_stdin, passphrase_file, confirm=False)
    if passphrase is None and backup_is_encrypted(file) and sys.stdin.isatty():
        passphrase = _passphrase(True, None, confirm=False)
    target = Database(target_url)
    try:
        report = restore(
            file,
            target,
            data_dir=data_dir,
            passphrase=passphrase,
            actor=current_user(),
        )
    finally:
        target.dispose()
    if as_json:
        echo_json(_public(report))
        return
    head = report.audit_head
    click.echo(
        f"restored {file} ({report.engine}, {report.database_format}, made {report.created}) "
        f"into {target.display_url}: {report.files} archived file(s)"
        + (f"; migrated {', '.join(report.migrated)}" if report.migrated else "")
        + f"\naudit head of the backup {head['seq'] if head else '-'}; restore logged as row "
        f"{report.audit_seq} (backup digest {report.digest[:16]})"
    )


def _public(report: Any) -> dict[str, Any]:
    fields = type(report).__dataclass_fields__
    return {k: getattr(report, k) for k in fields if k != "path"}


def register(cli: click.Group) -> None:
    """Add `backup` and `restore` to the CLI."""
    cli.add_command(backup_cmd)
    cli.add_command(restore_cmd)
