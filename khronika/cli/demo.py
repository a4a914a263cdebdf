"""`khronika demo`: a synthetic dataset at the scale of Belarus since 2020."""

from __future__ import annotations

import sys
import time

import click

from khronika.cli.common import CliContext
from khronika.cli.progress import progress_bar

__all__ = ["register"]


@click.command("demo")
@click.option("--people", default=10_000, show_default=True, help="How many people to invent.")
@click.option("--seed", default=1, show_default=True, help="Random seed (same seed, same data).")
@click.option(
    "--out",
    type=click.Path(allow_dash=True, dir_okay=False),
    help="Write khronika NDJSON here instead of building a database.",
)
@click.option("--serve/--no-serve", default=True, help="Open the demo site afterwards (default).")
@click.option("--port", default=8000, show_default=True, help="Port of the demo site.")
@click.pass_context
def demo(
    click_ctx: click.Context, people: int, seed: int, out: str | None, serve: bool, port: int
) -> None:
    """Build a synthetic demo database (every record invented, and labelled so).

    At the default size it has the shape of Belarus since 2020: about 8,500 people
    prosecuted, 4,300 recognised, 1,300 political prisoners on 1 May 2025. Run it again on
    the same database and it shows the figures without rebuilding.

    \b
    Example:
      khronika demo
      khronika --db sqlite:///bench.db demo --people 100000 --seed 7
      khronika demo --people 100000 --out demo-100k.ndjson
      khronika --db sqlite:///bench.db demo --people 100000 --no-serve
    """
    # Imported here: the generator loads the name tables and the model, and `demo --help`
    # should not wait for them.
    from khronika.demo import DemoConfig, build_demo, database_state, write_demo

    ctx: CliContext = click_ctx.obj
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
        from khronika.demo.media import build_demo_media  # loads the language models

        media = build_demo_media(db)
        click.echo(f"{n} records in {time.monotonic() - started:.0f} s")
        click.echo(f"State media (synthetic): {media.summary()}")
    elif state == "real":
        raise click.ClickException(
            f"{db.display_url} holds real (non-synthetic) data; use another --db for the demo"
        )
    _summary(ctx)
    if serve:
        from khronika.cli.web import serve as serve_cmd

        click.echo(f"Open http://127.0.0.1:{port}/ in a browser (Ctrl-C stops the site).")
        click_ctx.invoke(serve_cmd, host="127.0.0.1", port=port, workers=1, access_log=False)


def _summary(ctx: CliContext) -> None:
    """Print the headline figures of the demo, the way a monthly report states them."""
    from khronika.demo import RECOGNISER
    from khronika.stats import figures, flows

    db = ctx.database()
    day = "2025-05-01"
    stock = figures(db, day, by=RECOGNISER)
    april = flows(db, "2025-04-01", "2025-04-30", by=RECOGNISER)
    since_july = flows(db, "2024-07-01", "2025-04-30", by=RECOGNISER)
    since_2020 = flows(db, "2020-01-01", "2025-04-30", by=RECOGNISER)
    women = stock["by_sex"]["f"]
    released = since_july["released"]
    pardons = released["by_basis"].get("pardon", 0)
    absentia = since_2020["convicted_in_absentia"]
    died = since_2020["died"]
    click.echo(
        "SYNTHETIC DEMO DATA — every person and event is invented.\n"
        f"As of 1 May 2025 ({RECOGNISER}):\n"
        f"  {stock['political_prisoners']:,} political prisoners, including {women:,} women\n"
        f"  {april['recognised']:,} newly recognised in April 2025\n"
        f"  {since_2020['prosecuted_persons']:,} people prosecuted on political grounds since 2020\n"
        f"  {released['persons']:,} political prisoners released since July 2024 "
        f"({pardons:,} pardoned)\n"
        f"  {absentia['persons']:,} people convicted in absentia ({absentia['cases']:,} cases)\n"
        f"  {died['in_custody']:,} died in custody, {died['after_release']:,} after release\n"
        "More: khronika stats figures --as-of 2025-05-01 --by demo-rights --json\n"
        "      khronika stats series --from 2020-08-01 --to 2025-12-31 --step month "
        "--by demo-rights --svg chart.svg"
    )


def register(cli: click.Group) -> None:
    """Add this module's commands to the CLI."""
    cli.add_command(demo)
