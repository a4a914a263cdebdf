"""The public API is explicit: `__all__` lists what each package exports, sorted, and it exists."""

from __future__ import annotations

import importlib

import pytest

PACKAGES = [
    "khronika",
    "khronika.model",
    "khronika.storage",
    "khronika.interchange",
    "khronika.registry",
    "khronika.review",
    "khronika.listwatch",
    "khronika.demo",
]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_is_complete_and_sorted(name: str) -> None:
    module = importlib.import_module(name)
    exported = module.__all__
    assert list(exported) == sorted(exported)
    for attr in exported:
        assert hasattr(module, attr), f"{name}.{attr}"
