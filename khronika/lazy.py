"""Public names a package imports on first use (PEP 562), for packages whose import must
stay cheap: `khronika` itself (every command imports it) and `khronika.registry` (a read
must not load the write path).

Ground floor, like `errors` and `settings`: it imports nothing of khronika, and nothing
heavy, so any package may use it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_names"]


def lazy_names(
    namespace: dict[str, Any], homes: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Return a package's module `__getattr__` and `__dir__` for its lazily exported names.

    Args:
        namespace: the package's `globals()`; a name imported once is kept there, so the
            next use is a plain lookup.
        homes: each lazy name -> the full name of the module that defines it.

    Example:
        `__getattr__, __dir__ = lazy_names(globals(), {"Database": "khronika.storage"})`
    """
    package = namespace["__name__"]

    def __getattr__(name: str) -> Any:
        """Import a lazily exported name from its module on first use."""
        module = homes.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        """The module's names, the lazy ones not yet imported included."""
        return sorted({*namespace, *homes})

    return __getattr__, __dir__
