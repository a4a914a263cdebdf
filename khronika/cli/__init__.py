"""The `khronika` command: `khronika <area> <verb>`, thin over the library.

Each area is a module of this package that defines click commands and registers them on
`main` in `_register()`. Commands parse arguments, call one library function and print.
"""

from __future__ import annotations

import click

from khronika.cli.common import CliContext, KhronikaGroup, run_cli

__all__ = ["main"]


@click.group(
    cls=KhronikaGroup,
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


def _register() -> None:
    from khronika.cli import audit as audit_cmds
    from khronika.cli import backup as backup_cmds
    from khronika.cli import db as db_cmds
    from khronika.cli import demo as demo_cmds
    from khronika.cli import interchange as interchange_cmds
    from khronika.cli import lists as lists_cmds
    from khronika.cli import media as media_cmds
    from khronika.cli import names as names_cmds
    from khronika.cli import registry as registry_cmds
    from khronika.cli import review as review_cmds
    from khronika.cli import stats as stats_cmds
    from khronika.cli import web as web_cmds

    for module in (
        db_cmds,
        interchange_cmds,
        registry_cmds,
        demo_cmds,
        lists_cmds,
        media_cmds,
        names_cmds,
        stats_cmds,
        review_cmds,
        audit_cmds,
        backup_cmds,
        web_cmds,
    ):
        module.register(cli)


def main() -> None:
    """Run the CLI (the console script and `python -m khronika`)."""
    run_cli(cli)


_register()
