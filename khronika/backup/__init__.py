"""Backups: the database and the archived files in one checked, optionally encrypted file.

`backup` writes it (`make.py`), `restore` loads it into an empty database after checking
every byte (`restore.py`); `container.py` is the file's layout, `crypto.py` its encryption.
docs/backups.md says how to use them.
"""

from khronika.backup.make import BackupReport, archived_files, backup
from khronika.backup.restore import RestoreReport, backup_is_encrypted, restore

__all__ = [
    "BackupReport",
    "RestoreReport",
    "archived_files",
    "backup",
    "backup_is_encrypted",
    "restore",
]
