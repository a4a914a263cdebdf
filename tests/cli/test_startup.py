"""`khronika --help` imports no command module, and every listed command still resolves.

The start-up checks run in a fresh interpreter (a subprocess): in the test process pytest
and other tests have long since imported SQLAlchemy and pydantic. No timing is asserted
here; bench/startup.py measures the wall time against the 0.3 s budget.
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import khronika.cli
from khronika.cli import COMMANDS, cli, main
from khronika.cli.lazy import LazyCommands

# What a `--help` must not import: the heavy third-party packages, and any khronika area
# besides the CLI and the ground floor (errors, settings, lazy).
HEAVY = (
    "sqlalchemy",
    "alembic",
    "pydantic",
    "matplotlib",
    "numpy",
    "natasha",
    "lingua",
    "rapidfuzz",
    "httpx",
    "rich",
    "starlette",
    "uvicorn",
    "jinja2",
    "openpyxl",
    "docx",
    "lxml",
)

# Runs argv through the real entry point, then prints on the last line of stderr every
# module that got imported.
PROBE = """
import json, sys
from khronika.cli import main
sys.argv = ["khronika", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def imported(argv: list[str], cwd: Path) -> tuple[str, set[str]]:
    """Run `khronika ARGV` in a fresh interpreter: (stdout, every module it imported)."""
    env = {**os.environ, "COLUMNS": "100"}
    env.pop("KHRONIKA_DB_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(argv)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
        check=True,
    )
    return done.stdout, set(json.loads(done.stderr.strip().splitlines()[-1]))


def probe(argv: list[str], cwd: Path) -> tuple[str, list[str]]:
    """Run `khronika ARGV` in a fresh interpreter: (stdout, heavy modules it imported).

    The heavy ones are the packages of HEAVY and the khronika areas besides the CLI and
    the ground floor.
    """
    out, modules = imported(argv, cwd)
    tops = {m.partition(".")[0] for m in modules}
    areas = {m.split(".")[1] for m in modules if m.startswith("khronika.")}
    return out, sorted(tops & set(HEAVY)) + sorted(
        f"khronika.{a}" for a in areas - {"cli", "errors", "settings", "lazy"}
    )


def _help_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for name, cmd in sorted(group.commands.items()):
        out.append((*prefix, name))
        if isinstance(cmd, click.Group):
            out.extend(_help_paths(cmd, (*prefix, name)))
    return out


# Every command's --help but one: `event add` lists the event kinds, which live in the
# model (pydantic).
LIGHT_HELPS = [[], *[list(p) for p in _help_paths(cli) if p != ("event", "add")]]


def test_root_help_lists_every_command_and_imports_nothing_heavy(tmp_path: Path) -> None:
    out, loaded = probe(["--help"], tmp_path)
    assert "Commands:" in out
    for name in COMMANDS:
        assert f"\n  {name} " in out, name
    assert loaded == []


@pytest.mark.parametrize("argv", LIGHT_HELPS, ids=[" ".join(a) or "-" for a in LIGHT_HELPS])
def test_a_command_help_imports_nothing_heavy(argv: list[str], tmp_path: Path) -> None:
    out, loaded = probe([*argv, "--help"], tmp_path)
    assert out.startswith("Usage: khronika " + " ".join(argv))
    assert loaded == []


def test_the_probe_sees_what_a_real_command_imports(tmp_path: Path) -> None:
    # The control: the same probe, running a command that opens a database, must report
    # SQLAlchemy and the registry; otherwise the checks above could pass on an empty list.
    url = f"sqlite:///{tmp_path / 'k.db'}"
    _, loaded = probe(["--db", url, "init"], tmp_path)
    assert "sqlalchemy" in loaded and "khronika.storage" in loaded
    _, loaded = probe(["--db", url, "person", "show", "nobody"], tmp_path)
    assert {"sqlalchemy", "pydantic", "khronika.registry"} <= set(loaded)


# What a read must not import: the registry's write path (and the figures cache and audit
# log that only it maintains), and alembic, whose migration files the check of a database
# already at the head no longer loads.
WRITE_PATH = ("khronika.registry.writes", "khronika.registry.edits", "khronika.stats")


@pytest.mark.parametrize("argv", [["person", "show", "nobody"], ["person", "search", "x"]])
def test_a_lookup_imports_neither_the_write_path_nor_alembic(
    argv: list[str], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'k.db'}"
    _, modules = imported(["--db", url, "init"], tmp_path)
    assert "alembic.script" in modules  # the control: a migration does load them
    _, modules = imported(["--db", url, *argv], tmp_path)
    assert "khronika.registry.lookup" in modules  # it did look up
    assert [m for m in modules if m.startswith(WRITE_PATH)] == []
    assert [m for m in modules if m.partition(".")[0] == "alembic"] == []


def test_the_lazy_help_is_the_help_of_the_real_commands(tmp_path: Path) -> None:
    # The same `--help` with every command module imported first: the stand-ins' summaries
    # must render exactly as the real commands do.
    lazy = subprocess.run(
        [sys.executable, "-m", "khronika", "--help"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "COLUMNS": "100"},
        check=True,
    ).stdout
    eager = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from khronika.cli import cli, main; dict(cli.commands.items()); "
            "sys.argv = ['python -m khronika', '--help']; main()",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "COLUMNS": "100"},
    ).stdout
    assert "Commands:" in lazy
    assert lazy == eager


def _registered() -> dict[str, tuple[str, click.Command]]:
    """Every command each `khronika.cli` module registers: name -> (module, command)."""
    found: dict[str, tuple[str, click.Command]] = {}
    for info in pkgutil.iter_modules(khronika.cli.__path__):
        module = importlib.import_module(f"khronika.cli.{info.name}")
        if not hasattr(module, "register"):
            continue
        group = click.Group()
        module.register(group)
        for name, command in group.commands.items():
            assert name not in found, f"{name} registered by {found[name][0]} and {info.name}"
            found[name] = (info.name, command)
    return found


def test_the_table_names_every_registered_command_and_its_module() -> None:
    registered = _registered()
    assert sorted(COMMANDS) == sorted(registered)
    for name, entry in COMMANDS.items():
        assert entry.module == registered[name][0], name


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_summary_is_what_click_derives_from_the_docstring(name: str) -> None:
    real = _registered()[name][1]
    stand_in = LazyCommands({name: COMMANDS[name]}).placeholder(name)
    assert stand_in is not real
    for limit in (10, 30, 45, 60, 80, 200):
        assert stand_in.get_short_help_str(limit) == real.get_short_help_str(limit), limit


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_listed_command_resolves_and_has_help(name: str) -> None:
    ctx = click.Context(cli)
    assert name in cli.list_commands(ctx)
    command = cli.get_command(ctx, name)
    assert command is not None and command.callback is not None
    assert command is _registered_command(name)  # the real command, not a stand-in
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Usage: cli {name} ")


def _registered_command(name: str) -> click.Command:
    """The command object its module defines (a module-level click command)."""
    module = importlib.import_module(f"khronika.cli.{COMMANDS[name].module}")
    group = click.Group()
    module.register(group)
    return group.commands[name]


def test_names_and_membership_import_no_module() -> None:
    commands = LazyCommands({"person": COMMANDS["person"]})
    assert list(commands) == ["person"] and len(commands) == 1 and "person" in commands
    assert "nobody" not in commands
    with pytest.raises(KeyError):
        commands["nobody"]
    assert commands["person"].name == "person"
    # Its module registers event and source too; they come with it.
    assert sorted(commands) == ["event", "person", "source"]
    assert commands.placeholder("person") is commands["person"]


def test_the_console_script_and_python_m_run_the_same_main(tmp_path: Path) -> None:
    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "khronika"]
    assert script.load() is main
    done = subprocess.run(
        [sys.executable, "-m", "khronika", "--version"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    )
    assert done.stdout.startswith("python -m khronika, version ")
