"""`khronika demo`: a synthetic dataset at the scale of Belarus since 2020."""

from __future__ import annotations

import sys
import time

import click
from sqlalchemy import func, select

from khronika.cli.common import CliContext, pass_cli
from khronika.cli.progress import progress_bar
from khronika.demo import DemoConfig, build_demo, database_state, write_demo

__all__ = ["register"]


@click.command("demo")
@click.option("--people", default=10_000, show_default=True, help="How many people to invent.")
@click.option("--seed", default=1, show_default=True, help="Random seed (same seed, same data).")
@click.option(
    "--out",
    type=click.Path(allow_dash=True, dir_okay=False),
    help="Write khronika NDJSON here instead of building a database.",
)
@pass_cli
def demo(ctx: CliContext, people: int, seed: int, out: str | None) -> None:
    """Build a synthetic demo database (every record invented, and labelled so).

    At the default size it has the shape of Belarus since 2020: about 8,500 people
    prosecuted, 4,300 recognised, 1,300 political prisoners on 1 May 2025. Run it again on
    the same database and it shows the figures without rebuilding.

    \b
    Example:
      khronika demo
      khronika --db sqlite:///bench.db demo --people 100000 --seed 7
      khronika demo --people 100000 --out demo-100k.ndjson
    """
    cfg = DemoConfig(people=people, seed=seed)
    if out:
        stream = sys.stdout.buffer if out == "-" else open(out, "wb")  # noqa: SIM115
        try:
            n = write_demo(cfg, stream)
        finally:
            if stream is not sys.stdout.buffer:
                stream.close()
        click.echo(f"{n} synthetic records → {out}", err=True)
        return
    db = ctx.database(migrated=False)
    db.migrate()
    state = database_state(db)
    if state == "empty":
        click.echo(
            f"Building synthetic demo data ({people} people, seed {seed}) in {db.display_url}"
        )
        started = time.monotonic()
        with progress_bar() as progress:
            n = build_demo(db, cfg, progress=progress)
        click.echo(f"{n} records in {time.monotonic() - started:.0f} s")
    elif state == "real":
        raise click.ClickException(
            f"{db.display_url} holds real (non-synthetic) data; use another --db for the demo"
        )
    _summary(ctx)


def _summary(ctx: CliContext) -> None:
    from khronika.storage.schema import tables

    db = ctx.database()
    with db.connect() as conn:
        counts = {
            name: conn.execute(
                select(func.count()).select_from(t).where(t.c.retracted.is_(None))
            ).scalar_one()
            for name, t in tables.items()
            if name in ("person", "event", "source")
        }
    click.echo(
        "SYNTHETIC DEMO DATA — every person and event is invented.\n"
        f"  {counts['person']:,} people, {counts['event']:,} events, {counts['source']:,} sources"
    )


def register(cli: click.Group) -> None:
    """Add this module's commands to the CLI."""
    cli.add_command(demo)
