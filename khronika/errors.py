"""Exceptions raised by khronika.

KhronikaError                 base of everything khronika raises on purpose
├── InvalidValue              a value is malformed (a partial date, a timestamp …)
├── ImportRejected            an import found invalid records; nothing was written
├── BackupRejected            a backup file is damaged, truncated, not a backup, or the
│                             passphrase is wrong; nothing was restored
├── NotFound                  a record id does not exist (as known on the date asked)
├── Conflict                  a write collides with another version (same id and time)
│   └── EditConflict          the record changed since the writer read it (`if_version`)
├── StorageFull               the disk (or the database's size limit) is full; the
│                             transaction was rolled back, nothing of it written
└── ConfigurationError        settings or database state prevent the operation
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "BackupRejected",
    "Conflict",
    "ConfigurationError",
    "EditConflict",
    "ImportRejected",
    "InvalidValue",
    "KhronikaError",
    "NotFound",
    "StorageFull",
]


class KhronikaError(Exception):
    """Base class of the errors khronika raises on purpose (never a bug)."""


class InvalidValue(KhronikaError, ValueError):
    """A single value is malformed; the message says which rule it breaks."""


class NotFound(KhronikaError, LookupError):
    """A record id does not exist, or not as known on the date asked."""


class Conflict(KhronikaError):
    """A write would collide with an existing version of the same record."""


class EditConflict(Conflict):
    """Someone else changed the record since the writer read it; nothing was written.

    Attributes:
        current: the current version (content and transaction time), or None if it is gone.
    """

    def __init__(self, message: str, current: dict[str, Any] | None) -> None:
        super().__init__(message)
        self.current = current


class ConfigurationError(KhronikaError):
    """Settings or the database state prevent the operation."""


class ImportRejected(KhronikaError):
    """An import found invalid records; `problems` lists them as `FILE:LINE: field: reason`."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = "\n".join(problems[:50])
        more = f"\n… and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} invalid record(s); nothing imported:\n{shown}{more}")


class BackupRejected(KhronikaError):
    """A backup cannot be restored as it is; the message says what is wrong with the file.

    Raised before anything is written: a damaged, truncated or foreign file, an encrypted
    one without its passphrase, or a wrong passphrase.
    """


class StorageFull(KhronikaError):
    """The disk, or the database's size limit, is full: the transaction was rolled back,
    so nothing of the change was written and everything before it is intact."""
