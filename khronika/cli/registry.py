"""The registry by hand: `person show|search`, `event add|retract`, `source add`."""

from __future__ import annotations

import json
import os
from typing import Any

import click

from khronika.cli.common import CliContext, current_user, echo_json, json_option, pass_cli
from khronika.errors import ImportRejected

# khronika.registry and khronika.model are imported inside the commands: they pull in
# SQLAlchemy and pydantic, and `khronika person show --help` needs neither.

__all__ = ["register"]


@click.group("person")
def person_group() -> None:
    """Look people up.

    \b
    Example:
      khronika person search вярбіцкая
    """


@person_group.command("show")
@click.argument("person_id")
@click.option("--known-on", help="Show what was known on this date or time.")
@json_option()
@pass_cli
def person_show(ctx: CliContext, person_id: str, known_on: str | None, as_json: bool) -> None:
    """Show a person, their names and events (with sources), as known on a date.

    \b
    Example:
      khronika person show p1 --known-on 2025-05-01
    """
    from khronika.registry import get_person

    view = get_person(ctx.database(), person_id, known_on=known_on)
    if as_json:
        echo_json({"person": view.person, "events": view.events})
        return
    p = view.person
    click.echo(f"{p['names'][0]['name']}  [{p['id']}, {p['visibility']}]")
    for n in p["names"][1:]:
        system = f", {n['system']}" if n.get("system") else ""
        click.echo(f"  {n['name']}  ({n['lang']}{system})")
    facts = [f"sex {p['sex']}"]
    if p.get("birth_date"):
        facts.append(f"born {p['birth_date']}")
    if p.get("region"):
        facts.append(f"region {p['region']}")
    click.echo("  " + ", ".join(facts))
    for e in view.events:
        extra = ", ".join(f"{k}={_short(v)}" for k, v in (e.get("details") or {}).items())
        by = f" by {e['by']}" if e.get("by") else ""
        sources = f"  [{', '.join(e.get('sources', []))}]" if e.get("sources") else ""
        click.echo(f"  {e['date']:<10} {e['kind']}{by} {extra}{sources}")


def _short(value: Any) -> str:
    return "|".join(value) if isinstance(value, list) else str(value)


@person_group.command("search")
@click.argument("query")
@click.option("--known-on", help="Search what was known on this date or time.")
@click.option("--limit", default=50, show_default=True)
@json_option()
@pass_cli
def person_search(
    ctx: CliContext, query: str, known_on: str | None, limit: int, as_json: bool
) -> None:
    """Find people whose names contain every word of QUERY (any script, any case).

    \b
    Example:
      khronika person search "Hanna Kandr"
    """
    from khronika.registry import search_people

    found = search_people(ctx.database(), query, known_on=known_on, limit=limit)
    if as_json:
        echo_json(found)
        return
    for p in found:
        others = "; ".join(n["name"] for n in p["names"][1:])
        click.echo(f"{p['id']:<12} {p['names'][0]['name']}" + (f"  ({others})" if others else ""))
    if not found:
        click.echo("no one found", err=True)


@click.group("event")
def event_group() -> None:
    """Add and retract events.

    \b
    Example:
      khronika event add p1 released 2024-04 --detail basis=end_of_term --source s1
    """


class _EventKindChoice(click.Choice[str]):
    """The names of `EVENT_KINDS`, read from the model only when a value or a help needs them.

    A plain `click.Choice(EVENT_KINDS)` would import the model (pydantic) with this module,
    so every `person` and `source` command would start as slowly as `event add`.
    """

    def __init__(self) -> None:
        super().__init__(())

    @property
    def choices(self) -> tuple[str, ...]:
        """The event kinds, in the model's order."""
        from khronika.model.events import EVENT_KINDS

        return tuple(EVENT_KINDS)

    @choices.setter
    def choices(self, value: tuple[str, ...]) -> None:
        # click's __init__ assigns the (empty) tuple; the model's table always wins.
        pass


@event_group.command("add")
@click.argument("person_id")
@click.argument("kind", type=_EventKindChoice())
@click.argument("date")
@click.option("--id", "event_id", help="Event id (default: generated).")
@click.option("--by", "by_org", help="Organisation id (recogniser, list issuer).")
@click.option("--seq", type=int, help="Order among the person's events on the same day.")
@click.option("--source", "sources", multiple=True, required=True, help="Source id (repeat).")
@click.option(
    "--detail",
    "details",
    multiple=True,
    help="KEY=VALUE detail (repeat); VALUE may be JSON, e.g. articles='[\"342\"]'.",
)
@click.option(
    "--visibility",
    type=click.Choice(["public", "restricted", "withheld"]),
    help="The event's own tier (default: public only when its person is public and it "
    "cites a public source).",
)
@pass_cli
def event_add(
    ctx: CliContext,
    person_id: str,
    kind: str,
    date: str,
    event_id: str | None,
    by_org: str | None,
    seq: int | None,
    sources: tuple[str, ...],
    details: tuple[str, ...],
    visibility: str | None,
) -> None:
    """Record an event of a person, citing at least one source.

    \b
    Example:
      khronika event add p1 convicted 2022-06-14 --source s1 \\
        --detail articles='["342"]' --detail sentence_months=36
    """
    record: dict[str, Any] = {
        "type": "event",
        "id": event_id or f"e-{os.urandom(6).hex()}",
        "person": person_id,
        "kind": kind,
        "date": date,
        "sources": list(sources),
        "details": dict(_detail(d) for d in details),
    }
    if by_org:
        record["by"] = by_org
    if seq is not None:
        record["seq"] = seq
    if visibility:
        record["visibility"] = visibility
    _add(ctx, record)
    click.echo(record["id"])


def _detail(text: str) -> tuple[str, Any]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise click.BadParameter(f"{text!r}: use KEY=VALUE", param_hint="--detail")
    try:
        parsed = json.loads(value)
        # Bare words and numbers-as-text stay text unless JSON says otherwise.
        return key, parsed if not isinstance(parsed, str) else value
    except json.JSONDecodeError:
        return key, value


def _add(ctx: CliContext, record: dict[str, Any]) -> None:
    from khronika.registry import add_record

    try:
        add_record(ctx.database(), record, by=current_user())
    except ImportRejected as e:
        for line in e.problems:
            click.echo(line.replace("<input>:1: ", ""), err=True)
        raise SystemExit(1) from None


@event_group.command("retract")
@click.argument("event_id")
@click.option("--reason", required=True, help="Why (kept with the retracted version).")
@pass_cli
def event_retract(ctx: CliContext, event_id: str, reason: str) -> None:
    """Retract an event: it leaves current figures but stays in history.

    \b
    Example:
      khronika event retract e2 --reason "release was of another person"
    """
    from khronika.registry import retract_event

    retract_event(ctx.database(), event_id, reason=reason, by=current_user())
    click.echo(f"retracted {event_id}")


@click.group("source")
def source_group() -> None:
    """Add sources.

    \b
    Example:
      khronika source add --id s1 --url https://example.org/a --publisher Viasna --public
    """


@source_group.command("add")
@click.option("--id", "source_id", help="Source id (default: generated).")
@click.option("--url")
@click.option(
    "--file", "path", type=click.Path(exists=True, dir_okay=False), help="Archive this file."
)
@click.option("--title")
@click.option("--publisher")
@click.option("--published", help="Partial date: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--retrieved", help="Timestamp (default: now when a file is archived).")
@click.option("--public", is_flag=True, help="May be published (default: restricted).")
@pass_cli
def source_add(
    ctx: CliContext,
    source_id: str | None,
    url: str | None,
    path: str | None,
    title: str | None,
    publisher: str | None,
    published: str | None,
    retrieved: str | None,
    public: bool,
) -> None:
    """Add a source; with --file the file is archived by its SHA-256.

    \b
    Example:
      khronika source add --file verdict.pdf --title "Verdict" --published 2022-06
    """
    if not url and not path:
        raise click.UsageError("give --url or --file")
    record: dict[str, Any] = {
        "type": "source",
        "id": source_id or f"s-{os.urandom(6).hex()}",
        "url": url,
        "title": title,
        "publisher": publisher,
        "published": published,
        "retrieved": retrieved,
        "visibility": "public" if public else "restricted",
    }
    if path:
        from khronika.registry import archive_file

        sha, stored = archive_file(path)
        record["file"] = os.path.basename(path)
        record["sha256"] = sha
        click.echo(f"archived {stored}", err=True)
    _add(ctx, {k: v for k, v in record.items() if v is not None})
    click.echo(record["id"])


def register(cli: click.Group) -> None:
    """Add this module's commands to the CLI."""
    for group in (person_group, event_group, source_group):
        cli.add_command(group)
