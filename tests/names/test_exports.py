"""`khronika.names.__all__` is complete and sorted."""

from __future__ import annotations

import khronika.names as names


def test_all_is_sorted_and_importable() -> None:
    assert names.__all__ == sorted(names.__all__)
    for name in names.__all__:
        assert hasattr(names, name), name


def test_public_callables_have_docstrings() -> None:
    for name in names.__all__:
        obj = getattr(names, name)
        if callable(obj):
            assert obj.__doc__ and obj.__doc__.strip(), name
