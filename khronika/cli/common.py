"""What every command shares: the database from `--db`, JSON output, error reporting."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import click
import orjson

from khronika import settings
from khronika.errors import KhronikaError

if TYPE_CHECKING:
    from khronika.storage import Database

__all__ = ["CliContext", "KhronikaGroup", "echo_json", "pass_cli", "run_cli"]


class KhronikaGroup(click.Group):
    """A click group that reports khronika's own errors as a message and exit code 1."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except KhronikaError as e:
            raise click.ClickException(str(e)) from e


@dataclass
class CliContext:
    """State shared by the commands of one invocation."""

    db_url: str
    _db: Database | None = field(default=None, repr=False)

    def database(self, *, migrated: bool = True) -> Database:
        """Open the database (once); by default insist that it is migrated."""
        if self._db is None:
            # Imported here: SQLAlchemy is most of start-up, and `--help` never opens a database.
            from khronika.storage import Database

            self._db = Database(self.db_url)
        if migrated:
            self._db.require_current()
        return self._db


pass_cli = click.make_pass_decorator(CliContext)


def echo_json(data: Any) -> None:
    """Print `data` as indented JSON (UTF-8, not escaped)."""
    click.echo(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode())


def run_cli(group: click.Group) -> None:
    """Run `group`, turning khronika's own errors into a message and exit code 1."""
    try:
        group.main(standalone_mode=False)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except click.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except BrokenPipeError:
        # `khronika export | head`: the reader went away; that is not an error.
        sys.stderr.close()
        sys.exit(0)


def json_option(help: str = "Print JSON.") -> Callable[[Callable[..., Any]], Callable[..., Any]]:  # noqa: A002
    """The shared `--json` flag: the command receives it as `as_json`."""
    return click.option("--json", "as_json", is_flag=True, help=help)


def current_user() -> str:
    """Who is recording: KHRONIKA_USER, else the login name."""
    user = settings.get("KHRONIKA_USER")
    if user:
        return user
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "unknown"
