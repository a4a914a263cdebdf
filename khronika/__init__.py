"""khronika: documents political persecution and watches the state campaign against exiles.

The public API is small; everything else is reached through the subpackages
(`khronika.model`, `khronika.storage`, `khronika.interchange`, `khronika.stats`,
`khronika.names`, `khronika.listwatch`).
"""

from khronika.errors import (
    ConfigurationError,
    Conflict,
    ImportRejected,
    InvalidValue,
    KhronikaError,
    NotFound,
)
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
