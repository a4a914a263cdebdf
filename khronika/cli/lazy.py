"""Commands known by name and summary up front, their modules imported on first use.

`khronika --help` lists every command without importing one command module: each module
pulls in SQLAlchemy, pydantic or the name matcher, most of a second on a small machine.
The root group holds a `LazyCommands` table instead of a dict; looking a command up
(running it, or its `--help`) imports its module and calls that module's `register()`.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

import click

from khronika.cli.common import KhronikaGroup

__all__ = ["LazyCommand", "LazyCommands", "LazyGroup"]


@dataclass(frozen=True, slots=True)
class LazyCommand:
    """Where a command lives and the line `khronika --help` shows for it.

    Attributes:
        module: Module of `khronika.cli` whose `register(group)` adds the command.
        summary: The command's short help, exactly as click derives it from the docstring
            (tests/cli/test_startup.py compares the two, so they cannot drift apart).
    """

    module: str
    summary: str


class LazyCommands(MutableMapping[str, click.Command]):
    """A group's commands: names known up front, each module imported when first looked up.

    Only reading a value (`commands["person"]`, `.get`, `.items()`) imports; names,
    `in` and `len` do not.
    """

    def __init__(self, table: Mapping[str, LazyCommand]) -> None:
        self._table = dict(table)
        self._loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded and name in self._table:
            self._load(self._table[name].module)
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        if name not in self:
            raise KeyError(name)
        self._table.pop(name, None)
        self._loaded.pop(name, None)

    def __contains__(self, name: object) -> bool:
        return name in self._table or name in self._loaded

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*self._table, *self._loaded]))

    def __len__(self) -> int:
        return len(self._table.keys() | self._loaded.keys())

    def placeholder(self, name: str) -> click.Command:
        """The command if its module is imported, else a stand-in carrying its summary."""
        if name in self._loaded or name not in self._table:
            return self[name]
        return click.Command(name, help=self._table[name].summary)

    def _load(self, module: str) -> None:
        # A module registers all its commands at once (`registry` adds person, event and
        # source); keep each, without replacing a command added to the group by hand.
        found = click.Group()
        importlib.import_module(f"khronika.cli.{module}").register(found)
        for name, command in found.commands.items():
            self._loaded.setdefault(name, command)


class LazyGroup(KhronikaGroup):
    """The root group: lists its commands from their summaries and imports one to run it."""

    def __init__(
        self, name: str | None = None, *, lazy_commands: Mapping[str, LazyCommand], **kwargs: Any
    ) -> None:
        self.lazy_commands = LazyCommands(lazy_commands)
        super().__init__(name, commands=self.lazy_commands, **kwargs)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Write the command list as click does, from stand-ins: no command module imported."""
        names = self.list_commands(ctx)
        listing = click.Group(commands={n: self.lazy_commands.placeholder(n) for n in names})
        listing.format_commands(ctx, formatter)
