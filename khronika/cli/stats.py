"""`khronika stats figures|flows|series|rebuild`: figures as of any date, as known on any date."""

from __future__ import annotations

import csv
import sys
from typing import Any

import click

from khronika.cli.common import CliContext, echo_json, json_option, pass_cli
from khronika.cli.progress import progress_bar

__all__ = ["register"]

_BY = click.option(
    "--by",
    help="Recognising organisation (default: KHRONIKA_DEFAULT_RECOGNISER, else the only one).",
)
_KNOWN_ON = click.option(
    "--known-on", help="Use what was known on this date (end of day, UTC) or timestamp."
)


@click.group("stats")
def stats_group() -> None:
    """Figures: political prisoners on a day, flows over a period, time series and charts.

    Definitions: docs/figures.md.

    \b
    Example:
      khronika stats figures --as-of 2025-05-01 --json
    """


@stats_group.command("figures")
@click.option("--as-of", "as_of", required=True, help="The day D (YYYY-MM-DD).")
@_KNOWN_ON
@_BY
@click.option(
    "--retroactive",
    is_flag=True,
    help="Recognition decided by R's last recognition event known on K, whatever its date.",
)
@json_option("Print JSON (the documented keys).")
@pass_cli
def figures_cmd(
    ctx: CliContext,
    as_of: str,
    known_on: str | None,
    by: str | None,
    retroactive: bool,
    as_json: bool,
) -> None:
    """Political prisoners on a day (by sex, region, article) and everyone in custody.

    \b
    Example:
      khronika stats figures --as-of 2025-05-01 --by viasna --json
      khronika stats figures --as-of 2025-05-01 --known-on 2025-05-02 --json
    """
    from khronika.stats import figures

    result = figures(_ready(ctx), as_of, known_on=known_on, by=by, retroactive=retroactive)
    if as_json:
        echo_json(result)
        return
    when = f" as known on {known_on}" if known_on else ""
    click.echo(
        f"{result['political_prisoners']:,} political prisoners ({result['by']}) on "
        f"{result['as_of']}{when}; {result['in_custody_total']:,} people in custody"
    )
    click.echo("  by sex: " + ", ".join(f"{k} {v:,}" for k, v in result["by_sex"].items()))
    click.echo("  by region: " + ", ".join(f"{k} {v:,}" for k, v in result["by_region"].items()))
    top = sorted(result["by_article"].items(), key=lambda kv: -kv[1])[:10]
    click.echo("  by article (top 10): " + ", ".join(f"{k} {v:,}" for k, v in top))


@stats_group.command("flows")
@click.option("--from", "date_from", required=True, help="First day D1 (inclusive).")
@click.option("--to", "date_to", required=True, help="Last day D2 (inclusive).")
@_KNOWN_ON
@_BY
@json_option("Print JSON (the documented keys).")
@pass_cli
def flows_cmd(
    ctx: CliContext,
    date_from: str,
    date_to: str,
    known_on: str | None,
    by: str | None,
    as_json: bool,
) -> None:
    """Recognitions, releases (by basis), deaths, in-absentia convictions, prosecutions.

    \b
    Example:
      khronika stats flows --from 2025-04-01 --to 2025-04-30 --json
      khronika stats flows --from 2024-07-01 --to 2025-05-01 --known-on 2025-05-02 --json
    """
    from khronika.stats import flows

    result = flows(_ready(ctx), date_from, date_to, known_on=known_on, by=by)
    if as_json:
        echo_json(result)
        return
    rel, died, abs_ = result["released"], result["died"], result["convicted_in_absentia"]
    bases = ", ".join(f"{k} {v:,}" for k, v in rel["by_basis"].items() if v)
    click.echo(f"{result['from']} → {result['to']} ({result['by']})")
    click.echo(f"  recognised: {result['recognised']:,}")
    click.echo(
        f"  released: {rel['total']:,} ({rel['persons']:,} people){': ' + bases if bases else ''}"
    )
    click.echo(
        f"  died: {died['in_custody']:,} in custody, {died['after_release']:,} after release"
    )
    click.echo(f"  convicted in absentia: {abs_['persons']:,} people, {abs_['cases']:,} cases")
    click.echo(f"  prosecuted (criminal): {result['prosecuted_persons']:,} people")


_CSV_COLUMNS = [
    "period",
    "from",
    "to",
    "political_prisoners",
    "in_custody_total",
    "recognised",
    "released.total",
    "released.persons",
    "died.in_custody",
    "died.after_release",
    "convicted_in_absentia.persons",
    "convicted_in_absentia.cases",
    "prosecuted_persons",
]


def _flat(point: dict[str, Any], column: str) -> Any:
    value: Any = point
    for key in column.split("."):
        value = value[key]
    return value


@stats_group.command("series")
@click.option("--from", "date_from", required=True, help="First day D1.")
@click.option("--to", "date_to", required=True, help="Last day D2 (a partial last step ends here).")
@click.option(
    "--step", type=click.Choice(["month", "quarter", "year"]), default="month", show_default=True
)
@_BY
@click.option("--known-on", help="A date or timestamp, or `asof`: each point as known then.")
@json_option("Print JSON (the documented keys).")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV, one row per step.")
@click.option("--svg", type=click.Path(dir_okay=False), help="Draw the chart to this SVG file.")
@click.option("--png", type=click.Path(dir_okay=False), help="Draw the chart to this PNG file.")
@click.option(
    "--chart",
    type=click.Choice(["prisoners", "flows"]),
    default="prisoners",
    show_default=True,
    help="prisoners: stock over time (as known now and then, two recognisers); "
    "flows: recognitions against releases by basis.",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "be", "ru"]),
    default="en",
    show_default=True,
    help="Language of the chart labels.",
)
@pass_cli
def series_cmd(
    ctx: CliContext,
    date_from: str,
    date_to: str,
    step: str,
    by: str | None,
    known_on: str | None,
    as_json: bool,
    as_csv: bool,
    svg: str | None,
    png: str | None,
    chart: str,
    lang: str,
) -> None:
    """One point per month, quarter or year: the stock at its end and the flows within it.

    \b
    Example:
      khronika stats series --from 2020-01-01 --to 2025-12-31 --step month --known-on asof --json
      khronika stats series --from 2020-08-01 --to 2025-12-31 --svg prisoners.svg
      khronika stats series --from 2023-01-01 --to 2025-12-31 --chart flows --png flows.png --lang be
    """
    db = _ready(ctx)
    for path in (svg, png):
        if path:
            from khronika.stats.charts import draw_chart

            draw_chart(
                chart, db, date_from, date_to, path, step=step, by=by, lang=lang, known_on=known_on
            )
            click.echo(f"chart → {path}", err=True)
    if (svg or png) and not (as_json or as_csv):
        return
    from khronika.stats import series

    result = series(db, date_from, date_to, step=step, by=by, known_on=known_on)
    if as_csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(_CSV_COLUMNS)
        for p in result["points"]:
            writer.writerow([_flat(p, c) for c in _CSV_COLUMNS])
        return
    if as_json:
        echo_json(result)
        return
    click.echo(f"{'period':<9} {'prisoners':>10} {'recognised':>11} {'released':>9} {'died':>5}")
    for p in result["points"]:
        died = p["died"]["in_custody"] + p["died"]["after_release"]
        click.echo(
            f"{p['period']:<9} {p['political_prisoners']:>10,} {p['recognised']:>11,} "
            f"{p['released']['total']:>9,} {died:>5,}"
        )


@stats_group.command("rebuild")
@pass_cli
def rebuild_cmd(ctx: CliContext) -> None:
    """Recompute the figures cache (stats_span) from every event version.

    Imports and retractions keep it current; rebuild after writing events by other means.

    \b
    Example:
      khronika stats rebuild
    """
    from khronika.stats import rebuild_spans

    db = ctx.database()
    with progress_bar() as progress, db.begin() as conn:
        n = rebuild_spans(conn, progress)
    click.echo(f"{n:,} spans")


def _ready(ctx: CliContext) -> Any:
    """The database, its figures cache built first (with a progress bar: after a large
    import that takes minutes)."""
    from khronika.stats import ensure_spans

    db = ctx.database()
    with progress_bar() as progress:
        ensure_spans(db, progress)
    return db


def register(cli: click.Group) -> None:
    """Add this module's commands to the CLI."""
    cli.add_command(stats_group)
