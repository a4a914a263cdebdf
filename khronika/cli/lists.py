"""`khronika lists …`: watch official lists — add, import snapshots, diff, history, stats, feed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
import orjson

from khronika.cli.common import CliContext, current_user, echo_json, json_option, pass_cli

__all__ = ["register"]


@click.group("lists")
def lists_group() -> None:
    """Official lists: snapshots, diffs, entry history, feeds.

    \b
    Example:
      khronika lists add ru-fedsfm --title "Rosfinmonitoring list" \\
          --issuer Rosfinmonitoring --country RU --format ru-fedsfm-html
      khronika lists import ru-fedsfm page.html --snapshot-date 2024-12-05
      khronika lists diff ru-fedsfm --json
    """


@lists_group.command("add")
@click.argument("list_id")
@click.option("--title", required=True, help="What the list is.")
@click.option("--issuer", required=True, help="Issuing organisation (created if new).")
@click.option("--country", required=True, help="ISO country code, e.g. BY.")
@click.option("--format", "fmt", required=True, help="Parser: see `khronika lists formats`.")
@click.option("--url", help="Where the list is published.")
@click.option(
    "--mapping",
    help="`table` format: a shipped mapping name, a JSON file, or `field=header fragment,…`.",
)
@click.option("--part", help="`by-mvd-persons-docx`: the part this list reads (`Часть 4`).")
@click.option(
    "--body", help="`by-special-proceedings`: the announcing body where an announcement names none."
)
@pass_cli
def add(
    ctx: CliContext,
    list_id: str,
    title: str,
    issuer: str,
    country: str,
    fmt: str,
    url: str | None,
    mapping: str | None,
    part: str | None,
    body: str | None,
) -> None:
    """Register a list to watch.

    \b
    Example:
      khronika lists add by-mvd --title "MVD extremists" --issuer "MVD of Belarus" \\
          --country BY --format table --mapping by-mvd-extremists
      khronika lists add by-mvd-4 --title "MVD extremists, part 4" \\
          --issuer "MVD of Belarus" --country BY --format by-mvd-persons-docx --part "Часть 4"
    """
    from khronika.listwatch.snapshots import add_list

    given = {"mapping": mapping, "part": part, "body": body}
    options = {k: v for k, v in given.items() if v}
    row = add_list(
        ctx.database(),
        list_id,
        title=title,
        issuer=issuer,
        country=country,
        fmt=fmt,
        url=url,
        options=options,
    )
    click.echo(f"added list {row['id']} ({row['format']}), issuer {row['issuer']}")


@lists_group.command("formats")
def formats() -> None:
    """List the formats, their compared fields, and the shipped table mappings.

    \b
    Example:
      khronika lists formats
    """
    from khronika.listwatch.formats import FORMATS
    from khronika.listwatch.formats.table import MAPPINGS

    for name, fmt in sorted(FORMATS.items()):
        click.echo(f"{name} (v{fmt.version}, identity: {fmt.identity})")
        for field, help_text in fmt.fields.items():
            click.echo(f"  {field}: {help_text}")
        for option, help_text in fmt.options.items():
            click.echo(f"  option --{option}: {help_text}")
    click.echo("table mappings: " + ", ".join(MAPPINGS))


@lists_group.command("import")
@click.argument("list_id")
@click.argument("file", type=click.Path(allow_dash=True, path_type=Path))
@click.option(
    "--snapshot-date",
    help="DATE or DATETIME (UTC) of the snapshot; default: from the file or its name.",
)
@click.option("--format", "fmt", help="Parse with this format instead of the list's.")
@click.option("--force", is_flag=True, help="Accept a snapshot that shrinks a lot.")
@json_option("Print the report as JSON.")
@pass_cli
def import_(
    ctx: CliContext,
    list_id: str,
    file: Path,
    snapshot_date: str | None,
    fmt: str | None,
    force: bool,
    as_json: bool,
) -> None:
    """Import FILE as the list's next snapshot (the same bytes twice: nothing happens).

    FILE may be a folder for a format that reads one (a collection of announcements of
    special proceedings, a file each): its files are one snapshot.

    \b
    Example:
      khronika lists import us-sdn sdn.csv --snapshot-date 2021-12-02T18:50
      khronika lists import by-sp announcements/
    """
    from khronika.listwatch.snapshots import import_folder, import_snapshot

    options: dict[str, Any] = {"taken": snapshot_date, "fmt": fmt, "force": force}
    if file.is_dir():
        report = import_folder(ctx.database(), list_id, file, **options)
    else:
        data = sys.stdin.buffer.read() if str(file) == "-" else file.read_bytes()
        report = import_snapshot(ctx.database(), list_id, data, filename=file.name, **options)
    # --- review queue: confirmed matches get `delisted` / `designated` (review branch) ---
    events: list[str] = []
    if not report.unchanged_file:
        from khronika.listwatch.designations import sync_designations

        events = sync_designations(ctx.database(), list_id, by=current_user())
    if as_json:
        echo_json(report.to_json() | {"registry_events": events})
        return
    if events:
        click.echo(
            f"{list_id}: {len(events)} event(s) added for confirmed matches (designated, delisted, in absentia)",
            err=True,
        )
    if report.unchanged_file:
        click.echo(f"{list_id}: same file as snapshot {report.snapshot}; nothing imported")
        return
    click.echo(
        f"{list_id}: snapshot {report.snapshot} ({report.taken}): {report.entries} "
        f"entries, +{report.added} -{report.removed} ~{report.changed}"
    )
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)


@lists_group.command("diff")
@click.argument("list_id")
@click.option(
    "--from", "from_ref", help="Snapshot id, date-time or date (default: the one before --to)."
)
@click.option("--to", "to_ref", help="Snapshot id, date-time or date (default: the latest).")
@json_option()
@pass_cli
def diff(
    ctx: CliContext, list_id: str, from_ref: str | None, to_ref: str | None, as_json: bool
) -> None:
    """Show who was added, removed or changed between two snapshots.

    \b
    Example:
      khronika lists diff us-sdn --from 2021-12-02T01:41 --to 2021-12-02T18:50 --json
    """
    from khronika.listwatch.reports import diff_snapshots, entry_json

    frm, to, result = diff_snapshots(ctx.database(), list_id, from_ref=from_ref, to_ref=to_ref)
    if as_json:
        echo_json(
            {"list": list_id, "from": frm["id"], "to": to["id"], **result.to_json(entry_json)}
        )
        return
    click.echo(
        f"{list_id}: {frm['id']} → {to['id']}: "
        + ", ".join(f"{n} {what}" for what, n in result.counts().items())
    )
    for key, entry in result.added:
        click.echo(f"+ {entry.name} ({entry.birth_date or '?'}) [{key}]")
    for key, entry in result.removed:
        click.echo(f"- {entry.name} ({entry.birth_date or '?'}) [{key}]")
    for change in result.changed:
        fields = "; ".join(f"{f}: {o!r} → {n!r}" for f, (o, n) in change.changes.items())
        click.echo(f"~ {change.new.name} [{change.key}]: {fields}")


@lists_group.command("history")
@click.argument("list_id")
@click.argument("key")
@pass_cli
def history(ctx: CliContext, list_id: str, key: str) -> None:
    """Show an entry's history (JSON): first and last seen, every change and removal.

    \b
    Example:
      khronika lists history ru-fedsfm 3f2a9c0d1e4b5a67
    """
    from khronika.listwatch.reports import entry_history

    echo_json(entry_history(ctx.database(), list_id, key))


@lists_group.command("stats")
@click.argument("list_id")
@json_option()
@pass_cli
def stats(ctx: CliContext, list_id: str, as_json: bool) -> None:
    """Show size per snapshot and additions/removals per week and month.

    \b
    Example:
      khronika lists stats ru-foreign-agents --json
    """
    from khronika.listwatch.reports import list_stats

    data = list_stats(ctx.database(), list_id)
    if as_json:
        echo_json(data)
        return
    click.echo(
        f"{'snapshot':<24} {'taken':<21} {'entries':>8} {'added':>6} {'removed':>8} {'changed':>8}"
    )
    for s in data["snapshots"]:
        click.echo(
            f"{s['id']:<24} {s['taken']:<21} {s['entry_count']:>8} {s['added']:>6} "
            f"{s['removed']:>8} {s['changed']:>8}"
        )
    for m in data["months"]:
        click.echo(f"{m['month']}: +{m['added']} -{m['removed']}")


@lists_group.command("figures")
@click.argument("list_id")
@click.option("--chart", type=click.Path(dir_okay=False, path_type=Path),
              help="Also draw the additions per month by medium (.svg or .png).")  # fmt: skip
@json_option()
@pass_cli
def figures(ctx: CliContext, list_id: str, chart: Path | None, as_json: bool) -> None:
    """Show entries per snapshot and additions per month, by medium (Telegram, VK, …).

    \b
    Example:
      khronika lists figures by-mininform --chart mininform.svg
    """
    from khronika.listwatch.figures import list_chart, list_figures

    data = list_figures(ctx.database(), list_id)
    if chart is not None:
        list_chart(data, chart, title=f"{list_id}: entries added per month")
    if as_json:
        echo_json(data)
        return
    for s in data["snapshots"]:
        media = ", ".join(f"{m} {n}" for m, n in s["by_medium"].items())
        click.echo(f"{s['taken'][:10]}  {s['entries']:>7}  {media}")
    for m in data["added_by_month"]:
        media = ", ".join(f"{k} {n}" for k, n in m["by_medium"].items())
        click.echo(f"{m['month']}: +{m['added']} ({media})")


@lists_group.command("feed")
@click.argument("list_id", required=False)
@click.option("--limit", default=50, show_default=True, help="Newest snapshot changes shown.")
@pass_cli
def feed(ctx: CliContext, list_id: str | None, limit: int) -> None:
    """Print an Atom feed of changes of one list, or of all lists.

    \b
    Example:
      khronika lists feed ru-fedsfm > fedsfm.atom
    """
    from khronika.listwatch.feed import render_feed

    click.echo(render_feed(ctx.database(), list_id, limit=limit))


@lists_group.command("export")
@click.argument("list_id")
@click.option("--snapshot", "ref", help="Snapshot id, date-time or date (default: latest).")
@pass_cli
def export(ctx: CliContext, list_id: str, ref: str | None) -> None:
    """Print a snapshot's entries as NDJSON (one entry per line, with its key).

    \b
    Example:
      khronika lists export ru-fedsfm --snapshot 2024-12-05 > fedsfm.ndjson
    """
    from khronika.listwatch.reports import export_snapshot

    for row in export_snapshot(ctx.database(), list_id, ref):
        click.echo(orjson.dumps(row).decode())


@lists_group.command("deltas")
@click.argument("list_id")
@pass_cli
def deltas(ctx: CliContext, list_id: str) -> None:
    """Print every addition, removal and change as NDJSON, dated by snapshot day.

    \b
    Example:
      khronika lists deltas ru-foreign-agents > deltas.ndjson
    """
    from khronika.listwatch.reports import list_deltas

    for row in list_deltas(ctx.database(), list_id):
        click.echo(orjson.dumps(row).decode())


@lists_group.command("screen")
@click.argument("list_id")
@click.option("--snapshot", "ref", help="Snapshot id, date-time or date (default: latest).")
@click.option("--dry-run", is_flag=True, help="Only show the candidates; queue nothing.")
@click.option(
    "--matcher",
    type=click.Choice(["names", "standin"]),
    default="names",
    show_default=True,
    help="names: the name matcher (across scripts) plus the token scorer; standin: tokens only.",
)
@json_option()
@pass_cli
def screen(
    ctx: CliContext, list_id: str, ref: str | None, dry_run: bool, matcher: str, as_json: bool
) -> None:
    """Find registry people who may be the list's entries; queue them for review.

    Candidates go to the review queue (`khronika review list --kind entry-person`); pairs
    proposed before, judged or not, are not proposed again.

    \b
    Example:
      khronika lists screen ru-fedsfm --json
    """
    from khronika.listwatch.reports import screen_snapshot

    result = screen_snapshot(ctx.database(), list_id, ref, queue=not dry_run, matcher=matcher)
    if as_json:
        echo_json(result)
        return
    for c in result["candidates"]:
        review = f"  review {c['review']} ({c['status']})" if "review" in c else ""
        click.echo(
            f"{c['score']:.2f}  {c['entry_name']} [{c['entry']}] ~ person {c['person']}"
            f"  ({c['features']['birth_date']} birth date){review}"
        )
    click.echo(
        f"{len(result['candidates'])} candidate(s) in snapshot {result['snapshot']}"
        + (f"; {result['queued']} new in the review queue" if "queued" in result else "")
    )


@lists_group.command("check")
@click.argument("queries", nargs=-1, required=True)
@json_option("Print a JSON array: one {query, hits} per query, in order.")
@pass_cli
def check_(ctx: CliContext, queries: tuple[str, ...], as_json: bool) -> None:
    """Say on which list a channel, account, site, title or name is, and since when.

    A query is a URL (`https://t.me/name`, `vk.com/name`), an `@handle`, a channel's
    title or a person's name (matched across scripts and inflection). Only the official
    lists are searched, never the registry; nothing about the query is stored.

    \b
    Example:
      khronika lists check @some_channel "https://vk.com/some_group" "Surname Given-name"
    """
    from khronika.listwatch.check import check

    answers = check(ctx.database(), queries)
    if as_json:
        echo_json(answers)
        return
    for answer in answers:
        hits = answer["hits"]
        click.echo(f"{answer['query']}: {'not on any list' if not hits else ''}".rstrip())
        for h in hits:
            since = f"first seen {h['first_seen']}"
            if h["included_on"]:
                since += f", included {h['included_on']}"
            click.echo(f"  {h['list']} {h['key']} ({h['match']}; {since}): {h['name'][:160]}")


@lists_group.command("watch")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@json_option("Print a JSON array: one {query, hits, added, removed} per query.")
@pass_cli
def watch_(ctx: CliContext, file: Any, as_json: bool) -> None:
    """Say what the latest imports changed for your watchlist (one query per line).

    The watchlist is your own file (channels you read, chats you are in, names); khronika
    keeps no copy. Lines starting with `#` are comments. Run it after each `lists import`.

    \b
    Example:
      khronika lists watch my-channels.txt
    """
    from khronika.listwatch.check import watch

    queries = [ln.strip() for ln in file if ln.strip() and not ln.lstrip().startswith("#")]
    answers = watch(ctx.database(), queries)
    if as_json:
        echo_json(answers)
        return
    for a in answers:
        if a["added"]:
            for h in a["added"]:
                click.echo(
                    f"{a['query']}: NEW on {h['list']} ({h['first_seen']}): {h['name'][:160]}"
                )
        if a["removed"]:
            for h in a["removed"]:
                click.echo(f"{a['query']}: removed from {h['list']}: {h['name'][:160]}")
        if not a["added"] and not a["removed"]:
            state = f"listed ({len(a['hits'])})" if a["hits"] else "not listed"
            click.echo(f"{a['query']}: no change, {state}")


def register(cli: click.Group) -> None:
    """Add this module's commands to the CLI."""
    cli.add_command(lists_group)
