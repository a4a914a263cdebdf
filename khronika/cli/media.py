"""`khronika media outlets|add-outlet|ingest|fetch|items|show|mentions|tallies|…`: state media."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from khronika.cli.common import CliContext, current_user, echo_json, json_option, pass_cli

__all__ = ["register"]


@click.group("media")
def media_group() -> None:
    """Watch state media: ingest items, see who is named and with which narrative.

    \b
    Example:
      khronika media ingest items.jsonl
      khronika media items --json
    """


@media_group.command("outlets")
@json_option()
@pass_cli
def outlets_cmd(ctx: CliContext, as_json: bool) -> None:
    """List the outlets (the shipped starter list until a team adds its own).

    \b
    Example:
      khronika media outlets --json
    """
    from khronika.media.outlets import starter_outlets
    from khronika.storage import media as store

    with ctx.database().connect() as conn:
        rows = store.list_outlets(conn)
    rows = rows or [o.to_json() for o in starter_outlets()]
    if as_json:
        echo_json(rows)
        return
    for o in rows:
        state = "state" if o["state_owned"] else "     "
        click.echo(
            f"{o['id']:<12} {o['country'] or '':<3} {state} {o['name']}  {o['homepage'] or ''}"
        )


@media_group.command("add-outlet")
@click.argument("outlet_id")
@click.option("--name", required=True, help="The outlet's name.")
@click.option("--country", help="ISO 3166 country code (BY, RU …).")
@click.option("--state-owned/--independent", default=False, help="Owned by a state.")
@click.option("--lang", help="Main language (ru, be …).")
@click.option("--homepage", help="Homepage URL.")
@click.option("--domain", "domains", multiple=True, help="A host name of the outlet (repeatable).")
@click.option("--feed", "feeds", multiple=True, help="A feed URL (repeatable).")
@click.option("--collection", "collections", multiple=True, help="A collection id (repeatable).")
@click.option(
    "--selector",
    "selectors",
    multiple=True,
    metavar="FIELD=CSS",
    help="Where the outlet's pages keep their text, title or published date (repeatable).",
)
@pass_cli
def add_outlet_cmd(
    ctx: CliContext, /, outlet_id: str, selectors: tuple[str, ...], **fields: Any
) -> None:
    """Add an outlet (or replace the one with that id); the starter list is added first.

    With `--selector`, `media fetch` reads the outlet's article pages by those CSS
    selectors (`text` is needed; `title` and `published` may be added) and falls back to
    trafilatura on a page where the text selector finds nothing.

    \b
    Example:
      khronika media add-outlet grodno-tv --name "Grodno TV" --country BY --state-owned
      khronika media add-outlet vestnik --name Vestnik --domain vestnik.example \\
          --selector text=div.article-body --selector title=h1.headline
    """
    from khronika.media.outlets import Outlet, parse_selectors, starter_outlets
    from khronika.storage import media as store

    outlet = Outlet.from_json({"id": outlet_id, **fields, "selectors": parse_selectors(selectors)})
    with ctx.database().begin() as conn:
        if not store.list_outlets(conn):
            store.put_outlets(conn, [o.to_json() for o in starter_outlets()])
        store.put_outlets(conn, [outlet.to_json()])
    click.echo(f"outlet {outlet_id}: {outlet.name}")


def _expand(patterns: tuple[str, ...]) -> list[Path]:
    """Paths as given, and quoted globs (`'exports/**/*.json'`) expanded, in order.

    A glob is expanded here too, not only by the shell: a shell that leaves it as it is, or
    thousands of files that would not fit one command line.
    """
    import glob

    out: list[Path] = []
    for pattern in patterns:
        if Path(pattern).exists():
            out.append(Path(pattern))
            continue
        if glob.has_magic(pattern):
            found = sorted(glob.glob(pattern, recursive=True))
            if not found:
                raise click.BadParameter(f"{pattern!r} matches no file", param_hint="PATHS")
            out.extend(Path(f) for f in found)
            continue
        raise click.BadParameter(f"{pattern!r} does not exist", param_hint="PATHS")
    return out


@media_group.command("ingest")
@click.argument("patterns", metavar="PATHS...", nargs=-1, required=True)
@json_option("Print the report as JSON.")
@pass_cli
def ingest_cmd(ctx: CliContext, patterns: tuple[str, ...], as_json: bool) -> None:
    """Ingest items: JSON Lines, Telegram exports, transcripts, or directories or globs of them.

    Each item is kept as evidence (a versioned item and a registry source), analysed
    (languages, narratives, people named) and linked to the registry's people; uncertain
    links go to the review queue. Bad lines are reported with their line; the rest go in.

    \b
    JSON Lines: one item a line,
      {"id": "…", "url": "…", "outlet": "belta.by", "published": "2025-01-14", "title": "…", "text": "…"}

    \b
    Example:
      khronika media ingest items.jsonl
      khronika media ingest exports/ --json
      khronika media ingest 'transcripts/**/*.srt'
    """
    from khronika.cli.progress import progress_bar
    from khronika.media import ItemIn, ingest_items, read_items

    items: list[ItemIn] = []
    problems: list[str] = []
    for path in _expand(patterns):
        i, p = read_items(path)
        items += i
        problems += p
    with progress_bar() as bar:
        report = ingest_items(
            ctx.database(),
            items,
            by=current_user(),
            progress=lambda done, total: bar("analyse", done, total),
        )
    report.problems = sorted(problems + report.problems, key=_place)
    if as_json:
        echo_json(report.to_json())
        return
    for problem in report.problems:
        click.echo(problem, err=True)
    click.echo(report.summary())


@media_group.command("items")
@click.option("--known-on", help="As known on this date or time (default: now).")
@json_option("Print JSON (one object per item).")
@pass_cli
def items_cmd(ctx: CliContext, known_on: str | None, as_json: bool) -> None:
    """List items with their language, narratives and the people they name.

    \b
    Example:
      khronika media items --json
    """
    from khronika.media import list_item_reports
    from khronika.model.dates import storage_timestamp

    rows = list_item_reports(
        ctx.database(), known_on=storage_timestamp(known_on) if known_on else None
    )
    if as_json:
        echo_json(rows)
        return
    for r in rows:
        tags = ",".join(sorted({n["tag"] for n in r["narratives"]})) or "-"
        named = ", ".join(m["normal"] for m in r["mentions"]) or "-"
        click.echo(
            f"{r['id']:<20} {r['published'] or '':<10} {r['lang'] or '?':<3} {tags}  {named}"
        )
    click.echo(f"{len(rows)} item(s)")


@media_group.command("show")
@click.argument("item_id")
@json_option()
@pass_cli
def show_cmd(ctx: CliContext, item_id: str, as_json: bool) -> None:
    """Show one item: its text, narratives and mentions.

    \b
    Example:
      khronika media show belta-2025-0114
    """
    from khronika.media import item_report

    r = item_report(ctx.database(), item_id)
    if as_json:
        echo_json(r)
        return
    click.echo(f"{r['id']}  {r['outlet'] or ''}  {r['published'] or ''}  {r['url'] or ''}")
    if r["title"]:
        click.echo(r["title"])
    click.echo(r["text"])
    for n in r["narratives"]:
        click.echo(f"  narrative {n['tag']}: {n['evidence']!r}")
    for m in r["mentions"]:
        who = m["person"] or (f"review? {m['candidate']}" if m["candidate"] else "-")
        mark = " targeted" if m["targeted"] else ""
        click.echo(
            f"  {m['text']!r} = {m['normal']} → {who}{mark}{' (' + m['role'] + ')' if m['role'] else ''}"
        )


@media_group.command("mentions")
@click.option("--person", help="Only this registry person's (linked) mentions.")
@json_option()
@pass_cli
def mentions_cmd(ctx: CliContext, person: str | None, as_json: bool) -> None:
    """List people named in current items (one person's, with --person).

    \b
    Example:
      khronika media mentions --person p-4f9c2a1b7d --json
    """
    from khronika.media import person_mentions

    rows = person_mentions(ctx.database(), person)
    if as_json:
        echo_json(rows)
        return
    for m in rows:
        click.echo(
            f"{m['published'] or '':<10} {m['item']:<20} {m['normal']:<30} {m['person'] or '-'}"
        )
    click.echo(f"{len(rows)} mention(s)")


@media_group.command("narratives")
@click.option("--from", "date_from", required=True, help="First day (YYYY-MM-DD).")
@click.option("--to", "date_to", required=True, help="Last day (YYYY-MM-DD).")
@click.option("--step", type=click.Choice(["week", "month"]), default="month", show_default=True)
@click.option("--by-outlet", is_flag=True, help="Split each count by outlet.")
@click.option("--targeted", is_flag=True, help="Count distinct people targeted instead.")
@click.option(
    "--narrative", "tag", help="With --targeted: only items with this narrative (in_absentia…)."
)
@click.option("--known-on", help="As known on this date or time (default: now).")
@json_option()
@pass_cli
def narratives_cmd(
    ctx: CliContext,
    date_from: str,
    date_to: str,
    step: str,
    by_outlet: bool,
    targeted: bool,
    tag: str | None,
    known_on: str | None,
    as_json: bool,
) -> None:
    """Items per narrative per week or month (or people targeted), as known on a date.

    \b
    Example:
      khronika media narratives --from 2025-01-01 --to 2025-03-31 --step week --json
      khronika media narratives --from 2025-01-01 --to 2025-12-31 --targeted
      khronika media narratives --from 2025-01-01 --to 2025-01-31 --targeted --narrative in_absentia
    """
    from khronika.media import list_item_reports
    from khronika.media.figures import narrative_series, targeted_series
    from khronika.model.dates import storage_timestamp

    items = list_item_reports(
        ctx.database(), known_on=storage_timestamp(known_on) if known_on else None
    )
    if tag is not None and not targeted:
        raise click.UsageError("--narrative goes with --targeted")
    if targeted:
        data = targeted_series(items, date_from=date_from, date_to=date_to, step=step, tag=tag)
    else:
        data = narrative_series(
            items, date_from=date_from, date_to=date_to, step=step, by_outlet=by_outlet
        )
    if as_json:
        echo_json(data)
        return
    for r in data["rows"]:
        click.echo("  ".join(str(v) for v in r.values()))
    if data["undated"]:
        click.echo(f"({data['undated']} item(s) without a date left out)")


@media_group.command("campaign")
@click.option("--as-of", "day", required=True, help="The day (YYYY-MM-DD).")
@click.option("--known-on", help="As known on this date or time (default: now).")
@json_option()
@pass_cli
def campaign_cmd(ctx: CliContext, day: str, known_on: str | None, as_json: bool) -> None:
    """People in special proceedings (trials in absentia) and returns, on a day.

    Counted from the registry's events: `in_absentia_proceedings`, `convicted_in_absentia`
    and `return_commission` (by stage; "claimed" when the event came from a state-media
    item, "documented" otherwise). Claims found in items count once a reviewer accepts them.
    Beside them, the latest totals officials stated up to the day (`media tallies`).

    \b
    Example:
      khronika media campaign --as-of 2025-01-31 --json
    """
    from khronika.media.reports import campaign_report
    from khronika.model.dates import PartialDate, storage_timestamp

    if len(day) != 10:
        raise click.BadParameter(f"{day!r}: a day, YYYY-MM-DD", param_hint="--as-of")
    PartialDate.parse(day)
    data = campaign_report(
        ctx.database(), day, known_on=storage_timestamp(known_on) if known_on else None
    )
    if as_json:
        echo_json(data)
        return
    a = data["in_absentia"]
    click.echo(
        f"{day}: {a['people']} people in special proceedings or convicted in absentia "
        f"({a['proceedings']} in proceedings, {a['convicted']} convicted)"
    )
    for side, stages in data["returns"].items():
        shown = ", ".join(f"{stage} {n}" for stage, n in stages.items()) or "none"
        click.echo(f"returns through the commission, {side}: {shown}")
    for measure, t in data["officials"].items():
        if t is not None:
            click.echo(
                f"officials' latest total, {measure}: {_BOUNDS[t['bound']]}{t['number']:,} "
                f"({t['published']}, {t['outlet'] or '?'}, item {t['item']}: «{t['evidence']}»)"
            )


_BOUNDS = {"exact": "", "at_least": "at least ", "about": "about "}


@media_group.command("tallies")
@click.option("--known-on", help="As known on this date or time (default: now).")
@json_option()
@pass_cli
def tallies_cmd(ctx: CliContext, known_on: str | None, as_json: bool) -> None:
    """Totals officials state in the items ("about 300 have applied"), oldest first.

    The state's own numbers of applications to the return commission, returns, special
    proceedings and convictions in absentia, each with the words that state it. They are
    kept beside what the registry documents, never added to it.

    \b
    Example:
      khronika media tallies --json
    """
    from khronika.media.reports import list_tallies
    from khronika.model.dates import storage_timestamp

    rows = list_tallies(ctx.database(), known_on=storage_timestamp(known_on) if known_on else None)
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo("no totals stated in the items")
    for t in rows:
        click.echo(
            f"{t['published'] or '(undated)'}  {t['outlet'] or '?'}  {t['measure']}  "
            f"{_BOUNDS[t['bound']]}{t['number']:,}  «{t['evidence']}»  [{t['id']}]"
        )


@media_group.group("cases")
def cases_group() -> None:
    """Disinformation cases (EUvsDisinfo style): import them, count them.

    \b
    Example:
      khronika media cases import posts.csv
      khronika media cases counts --by outlet --country Belarus
    """


@cases_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_cli
def cases_import_cmd(ctx: CliContext, path: Path) -> None:
    """Import a cases CSV (date,id,title,countries,keywords,languages,outlets): all or nothing.

    \b
    Example:
      khronika media cases import posts.csv
    """
    from khronika.media.cases import import_cases, read_cases_csv

    n = import_cases(ctx.database(), read_cases_csv(path))
    click.echo(f"{n} case(s) imported")


@cases_group.command("counts")
@click.option(
    "--by",
    type=click.Choice(["outlet", "keyword", "country", "language", "month"]),
    default="outlet",
    show_default=True,
)
@click.option("--country", help="Only cases about this country (as the cases name it).")
@click.option("--limit", type=int, help="At most this many rows.")
@json_option()
@pass_cli
def cases_counts_cmd(
    ctx: CliContext, by: str, country: str | None, limit: int | None, as_json: bool
) -> None:
    """Count cases by outlet, keyword, country, language or month.

    \b
    Example:
      khronika media cases counts --by month --country Belarus --json
    """
    from khronika.media.cases import case_counts
    from khronika.storage import media as store

    with ctx.database().connect() as conn:
        cases = store.list_cases(conn)
    rows = case_counts(cases, by=by, country=country)[:limit]
    if as_json:
        echo_json(
            {
                "by": by,
                "country": country,
                "cases": len(cases),
                "rows": [{by: k, "cases": n} for k, n in rows],
            }
        )
        return
    for k, n in rows:
        click.echo(f"{n:>6}  {k}")


@cases_group.command("link")
@click.argument("case_id")
@click.argument("items", nargs=-1, required=True)
@click.option("--unlink", is_flag=True, help="Remove these items from the case instead.")
@json_option()
@pass_cli
def cases_link_cmd(
    ctx: CliContext, case_id: str, items: tuple[str, ...], unlink: bool, as_json: bool
) -> None:
    """Link state-media items (khronika or external ids) to a case: the items carry its claim.

    \b
    Example:
      khronika media cases link https://euvsdisinfo.eu/report/example/ sb-0114 ont-0117
    """
    from khronika.media.cases import link_items

    linked = link_items(ctx.database(), case_id, items, unlink=unlink)
    if as_json:
        echo_json({"case": case_id, "items": linked})
        return
    click.echo(f"{case_id}: {len(linked)} item(s) linked")


@media_group.command("fetch")
@click.argument("targets", nargs=-1, metavar="[OUTLET_OR_FEED_URL]...")
@click.option(
    "--interval",
    type=click.FloatRange(min=0),
    default=1.0,
    show_default=True,
    help="Seconds at least between two requests to one host.",
)
@json_option("Print the report as JSON.")
@pass_cli
def fetch_cmd(ctx: CliContext, targets: tuple[str, ...], interval: float, as_json: bool) -> None:
    """Fetch outlets' RSS/Atom feeds and the articles they list, and ingest them as items.

    Polite: robots.txt is obeyed, one request per host at a time and at least --interval
    apart, conditional GET (an unchanged page is not fetched again), a few retries with
    backoff. Each article is kept as evidence: its page archived, its text analysed like
    any ingested item. With no argument, every outlet that declares feeds is fetched.

    \b
    Example:
      khronika media fetch
      khronika media fetch belta https://example.org/rss.xml --json
    """
    from khronika.cli.progress import progress_bar
    from khronika.media.feeds import fetch_feeds
    from khronika.media.fetch import FetchPolicy

    with progress_bar() as bar:
        report = fetch_feeds(
            ctx.database(),
            targets,
            policy=FetchPolicy(interval=interval),
            by=current_user(),
            progress=bar,
        )
    if as_json:
        echo_json(report.to_json())
    else:
        for url in report.robots:
            click.echo(f"{url}: skipped, disallowed by robots.txt", err=True)
        for problem in report.failed + report.ingest.problems:
            click.echo(problem, err=True)
        click.echo(report.summary())
    if report.nothing_done:
        raise click.ClickException("nothing fetched: no feed could be read (see above)")


def _place(problem: str) -> tuple[str, int]:
    where = problem.split(": ", 1)[0]
    file, _, line = where.rpartition(":")
    return (file, int(line)) if line.isdigit() else (where, 0)


def register(cli: click.Group) -> None:
    """Add this module's commands to the CLI."""
    cli.add_command(media_group)
