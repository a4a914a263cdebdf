"""Storage: tables, migrations and every SQL statement khronika runs."""

from khronika.storage.db import Database, open_database

__all__ = ["Database", "open_database"]
