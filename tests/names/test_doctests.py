"""The examples in the modules' docstrings run."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["key", "scripts", "translit", "parse", "morph", "index"]


@pytest.mark.parametrize("module", MODULES)
def test_doctests(module: str) -> None:
    mod = importlib.import_module(f"khronika.names.{module}")
    result = doctest.testmod(mod)
    assert result.attempted > 0 and result.failed == 0
