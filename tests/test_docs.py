"""The docs stay honest: every setting and command is documented, and has help with an example."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from khronika.cli import cli
from khronika.settings import SETTINGS

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.mark.parametrize("name", [s.name for s in SETTINGS])
def test_every_setting_is_documented(name: str) -> None:
    assert f"`{name}`" in (DOCS / "settings.md").read_text()


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    out = []
    for name, cmd in sorted(group.commands.items()):
        out.append((f"{prefix}{name}", cmd))
        if isinstance(cmd, click.Group):
            out.extend(_commands(cmd, f"{prefix}{name} "))
    return out


@pytest.mark.parametrize(("path", "command"), _commands(cli), ids=[p for p, _ in _commands(cli)])
def test_every_command_has_help_with_an_example(path: str, command: click.Command) -> None:
    assert command.help, path
    assert "Example" in command.help, path
