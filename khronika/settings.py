"""Every KHRONIKA_* setting: its name, default and one sentence of help.

Settings are read from the environment when asked for, never cached at import time, so
tests and the CLI's `--db` option can change them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

__all__ = ["SETTINGS", "Setting", "get"]


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting: environment variable, default and help."""

    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "KHRONIKA_DB_URL",
        "sqlite:///khronika.db",
        "Database URL (SQLAlchemy form): sqlite:///path.db or postgresql+psycopg://user@host/db.",
    ),
    Setting(
        "KHRONIKA_DATA_DIR",
        "khronika-data",
        "Directory for archived source files, content-addressed by SHA-256.",
    ),
    Setting(
        "KHRONIKA_USER",
        "",
        "Who is recording (stored with each version); defaults to the login name.",
    ),
    Setting(
        "KHRONIKA_DEFAULT_RECOGNISER",
        "",
        "Organisation id whose recognitions the figures use when --by is not given.",
    ),
    Setting(
        "KHRONIKA_MIN_CELL",
        "5",
        "Public breakdowns show counts below this as 'fewer than N' (nobody identifiable).",
    ),
    Setting(
        "KHRONIKA_MEDIA_NARRATIVES",
        "",
        "Media: a YAML taxonomy of narratives to use instead of the shipped one.",
    ),
    Setting(
        "KHRONIKA_WEB_REFRESH",
        "5",
        "Web app: seconds between checks whether the database changed (gallery, feeds).",
    ),
    Setting(
        "KHRONIKA_WEB_SECURE_COOKIES",
        "",
        "Web app: set to 1 behind HTTPS so the console's session cookie is sent only there.",
    ),
    Setting(
        "KHRONIKA_WEB_RATE",
        "600",
        "Web app: requests a minute one address may make to public pages and the API (0: off).",
    ),
    Setting(
        "KHRONIKA_WEB_RATE_BURST",
        "120",
        "Web app: requests one address may make at once before the rate limit applies.",
    ),
    Setting(
        "KHRONIKA_SESSION_HOURS",
        "12",
        "Web app: how long a console login lasts at most, in hours.",
    ),
    Setting(
        "KHRONIKA_SESSION_IDLE_MINUTES",
        "60",
        "Web app: a console login unused for this many minutes ends.",
    ),
    Setting(
        "KHRONIKA_TEST_PG_URL",
        "",
        "Tests only: a PostgreSQL URL; when set the suite runs on PostgreSQL too.",
    ),
)
_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str:
    """Return the value of setting `name` from the environment, or its default."""
    return os.environ.get(name) or _BY_NAME[name].default
