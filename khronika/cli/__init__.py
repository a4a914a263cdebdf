"""The `khronika` command: `khronika <area> <verb>`, thin over the library.

Each area is a module of this package that defines click commands and adds them to a group
in its `register()`. `COMMANDS` below names every top-level command, the module that
registers it and its one-line help, so `khronika --help` imports no area module and a
command imports only its own (`khronika.cli.lazy`). Commands parse arguments, call one
library function and print.
"""

from __future__ import annotations

import click

from khronika.cli.common import CliContext, run_cli
from khronika.cli.lazy import LazyCommand, LazyGroup

__all__ = ["COMMANDS", "main"]

# Every top-level command: name -> the module whose register() adds it, and its short help.
# A new command goes here as well as in its module's register(); tests/cli/test_startup.py
# fails if the two disagree (a missing name, a wrong module, a summary out of date).
COMMANDS: dict[str, LazyCommand] = {
    "audit": LazyCommand(
        "audit", "The audit log: every write, in a hash chain (docs/security.md)."
    ),
    "backup": LazyCommand(
        "backup", "Back up the database and the archived files into FILE (docs/backups.md)."
    ),
    "db": LazyCommand("db", "Database administration."),
    "demo": LazyCommand(
        "demo", "Build a synthetic demo database (every record invented, and labelled so)."
    ),
    "event": LazyCommand("registry", "Add and retract events."),
    "export": LazyCommand(
        "interchange", "Export the database canonically (stable record and key order)."
    ),
    "import": LazyCommand(
        "interchange", "Import a khronika NDJSON file or CSV zip: all or nothing, idempotent."
    ),
    "init": LazyCommand("db", "Create a database (or bring an existing one up to date)."),
    "lists": LazyCommand("lists", "Official lists: snapshots, diffs, entry history, feeds."),
    "media": LazyCommand(
        "media",
        "Watch state media: ingest items, see who is named and with which narrative.",
    ),
    "names": LazyCommand("names", "Compare names across Belarusian, Russian and Latin spellings."),
    "person": LazyCommand("registry", "Look people up."),
    "restore": LazyCommand(
        "backup", "Restore a backup into an empty database, after checking every byte of it."
    ),
    "review": LazyCommand(
        "review", "Decide proposed pairs: duplicates, list matches, media mentions."
    ),
    "serve": LazyCommand("web", "Serve the public site, the console and the API."),
    "source": LazyCommand("registry", "Add sources."),
    "stats": LazyCommand(
        "stats",
        "Figures: political prisoners on a day, flows over a period, time series and charts.",
    ),
    "token": LazyCommand(
        "web",
        "API tokens: hashed at rest, scoped read or write, expiring, revocable, shown once.",
    ),
    "user": LazyCommand(
        "web",
        "Console accounts: viewer (reads), editor (writes, reviews), admin (also accounts).",
    ),
}


@click.group(
    cls=LazyGroup,
    lazy_commands=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "--db",
    "db_url",
    envvar="KHRONIKA_DB_URL",
    default="sqlite:///khronika.db",
    show_default=True,
    help="Database URL (also KHRONIKA_DB_URL).",
)
@click.version_option(package_name="khronika")
@click.pass_context
def cli(ctx: click.Context, db_url: str) -> None:
    """khronika: document political persecution, with sources, as of any date.

    \b
    Example:
      khronika --db sqlite:///team.db init
      khronika import people.ndjson
    """
    ctx.obj = CliContext(db_url=db_url)


def main() -> None:
    """Run the CLI (the console script and `python -m khronika`)."""
    run_cli(cli)
