"""`khronika.registry` imports its public names on first use, and still declares its kind."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest

import khronika.registry
from khronika.registry import _HOMES


@pytest.mark.parametrize("name", khronika.registry.__all__)
def test_every_public_name_is_the_object_of_its_module(name: str) -> None:
    home = importlib.import_module(f"khronika.registry.{_HOMES[name]}")
    assert getattr(khronika.registry, name) is getattr(home, name)


def test_the_table_of_homes_is_the_public_list() -> None:
    assert sorted(_HOMES) == sorted(khronika.registry.__all__)


def test_dir_lists_the_public_names_and_an_unknown_one_is_refused() -> None:
    assert set(khronika.registry.__all__) <= set(dir(khronika.registry))
    with pytest.raises(AttributeError, match="no attribute 'write_version'"):
        khronika.registry.write_version  # noqa: B018


def test_importing_the_package_declares_person_person_and_loads_no_write_path() -> None:
    # A fresh interpreter: in this one the tests have imported everything long ago.
    code = (
        "import json, sys, khronika.registry\n"
        "from khronika.review import proposal_kinds\n"
        "print(json.dumps([list(proposal_kinds()), 'khronika.registry.writes' in sys.modules]))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    kinds, writes_loaded = json.loads(done.stdout)
    assert kinds == ["person-person"]
    assert writes_loaded is False
