"""khronika: documents political persecution and watches the state campaign against exiles.

The public API is small; everything else is reached through the subpackages
(`khronika.model`, `khronika.storage`, `khronika.interchange`, `khronika.stats`,
`khronika.names`, `khronika.listwatch`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from khronika.errors import (
    ConfigurationError,
    Conflict,
    ImportRejected,
    InvalidValue,
    KhronikaError,
    NotFound,
)

if TYPE_CHECKING:
    from khronika.model import PartialDate
    from khronika.storage import Database, open_database

__all__ = [
    "ConfigurationError",
    "Conflict",
    "Database",
    "ImportRejected",
    "InvalidValue",
    "KhronikaError",
    "NotFound",
    "PartialDate",
    "__version__",
    "open_database",
]

__version__ = "0.1.0"

# Exported names whose modules are imported on first use: every `khronika` command imports
# this package first, and SQLAlchemy and pydantic would cost `khronika --help` most of its
# start-up (tests/cli/test_startup.py checks they stay out).
_LAZY = {
    "Database": "khronika.storage",
    "PartialDate": "khronika.model",
    "open_database": "khronika.storage",
}


def __getattr__(name: str) -> Any:
    """Import a lazily exported name (`khronika.Database`) from its module on first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'khronika' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The module's names, the lazy exports included."""
    return sorted({*globals(), *_LAZY})
