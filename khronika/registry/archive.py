"""The archive: source files kept by content, under the data directory.

A file is stored once at `DATA_DIR/archive/sha256/ab/abcdef…` (its SHA-256), never changed
or deleted; the source record keeps the digest. Identical bytes are stored once.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from khronika import settings

__all__ = ["archive_file", "archived_path"]


def _root(data_dir: str | Path | None) -> Path:
    return Path(data_dir or settings.get("KHRONIKA_DATA_DIR")) / "archive" / "sha256"


def archived_path(sha256: str, *, data_dir: str | Path | None = None) -> Path:
    """Return where the file with this SHA-256 is (or would be) archived."""
    return _root(data_dir) / sha256[:2] / sha256


def archive_file(path: str | Path, *, data_dir: str | Path | None = None) -> tuple[str, Path]:
    """Copy a file into the archive; return its SHA-256 and archived path.

    The copy is written to a temporary name and renamed into place, so a crash never
    leaves a partial file under a digest's name.
    """
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    sha = digest.hexdigest()
    target = archived_path(sha, data_dir=data_dir)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".part-")
        os.close(fd)
        shutil.copyfile(path, tmp)
        os.replace(tmp, target)
    return sha, target
