"""khronika: documents political persecution and watches the state campaign against exiles.

The public API is small; everything else is reached through the subpackages
(`khronika.model`, `khronika.storage`, `khronika.interchange`, `khronika.stats`,
`khronika.names`, `khronika.listwatch`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from khronika.errors import (
    ConfigurationError,
    Conflict,
    ImportRejected,
    InvalidValue,
    KhronikaError,
    NotFound,
)
from khronika.lazy import lazy_names

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


__getattr__, __dir__ = lazy_names(globals(), _LAZY)
