"""`khronika audit log|verify`: who changed what, and whether anything changed behind it."""

from __future__ import annotations

import click

from khronika.cli.common import CliContext, echo_json, json_option, pass_cli

__all__ = ["register"]


@click.group("audit")
def audit_group() -> None:
    """The audit log: every write, in a hash chain (docs/security.md).

    \b
    Example:
      khronika audit log --actor anna --since 2025-01-01
      khronika audit verify
    """


@audit_group.command("log")
@click.option("--actor", help="Only this actor's rows.")
@click.option("--since", help="Only rows from this date or time on (UTC).")
@json_option("Print the rows as JSON.")
@pass_cli
def log_cmd(ctx: CliContext, actor: str | None, since: str | None, as_json: bool) -> None:
    """List the log, oldest first: time, actor, action, what it touched.

    \b
    Example:
      khronika audit log --actor anna --since 2025-01-01
      khronika audit log --json > audit.json
    """
    from khronika.audit import audit_log
    from khronika.model.dates import storage_timestamp

    since_ts = storage_timestamp(since if "T" in since else f"{since}T00:00:00Z") if since else None
    rows = audit_log(ctx.database(), actor=actor, since=since_ts)
    if as_json:
        echo_json(rows)
        return
    for r in rows:
        ids = r["ids"]
        shown = ", ".join(ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")
        click.echo(f"{r['seq']:>6}  {r['at']}  {r['actor'] or '-':<12} {r['action']:<14} {shown}")
    click.echo(f"{len(rows)} row(s)")


@audit_group.command("verify")
@json_option("Print the result as JSON.")
@pass_cli
def verify_cmd(ctx: CliContext, as_json: bool) -> None:
    """Check the hash chain, and every registry version, review judgement and list
    snapshot and entry against it; exit 1 on any break.

    Names the first broken row: a row changed or removed; a version, judgement or list
    entry whose content or retraction was changed with plain SQL, or which was deleted;
    one added behind khronika's back (named itself, as no row covers it).

    \b
    Example:
      khronika audit verify || echo "the log or the registry was changed behind khronika"
    """
    from khronika.audit import audit_head, verify

    db = ctx.database()
    problems = verify(db)
    head = audit_head(db)
    if as_json:
        echo_json({"ok": not problems, "head": head, "problems": [str(p) for p in problems]})
    elif problems:
        click.echo(f"audit log broken: {problems[0]}", err=True)
        for p in problems[1:]:
            click.echo(f"  also: {p}", err=True)
    else:
        rows = head["seq"] if head else 0
        click.echo(f"audit log intact: {rows} row(s), head {head['hash'][:16] if head else '-'}")
    if problems:
        raise SystemExit(1)


def register(cli: click.Group) -> None:
    """Add the `audit` group to the CLI."""
    cli.add_command(audit_group)
