"""Storage: tables, migrations and every SQL statement khronika runs."""

from khronika.storage import stats_schema as _stats_schema  # noqa: F401 - registers tables
from khronika.storage import web as _web  # noqa: F401  (registers the web tables on metadata)
from khronika.storage.db import Database, open_database

__all__ = ["Database", "open_database"]
