"""A folder of documents as one snapshot: packed into a zip whose bytes depend only on the files.

Some lists are not one file but a collection someone keeps as separate files — one saved
page or text per announcement of special proceedings. A snapshot keeps raw bytes and their
SHA-256, so the folder is packed into one archive that is the same bytes whenever the
files are: members in the order of their relative paths, a fixed timestamp and mode, no
directory entries, hidden files (`.…`) left out. The same folder imported twice is the
same snapshot; one file added or changed is a new one, and the archive kept is every file
as it was read.

A format that reads such archives says so (`Format(folders=True)`) and reads them back with
`unpack`, which refuses what is not one of them (or too large when unpacked).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from khronika.listwatch.entries import ParseError

__all__ = ["MAX_UNPACKED", "is_packed", "pack_folder", "unpack"]

#: The most an archive may hold unpacked (a zip bomb is refused before it is read).
MAX_UNPACKED = 256 * 1024 * 1024
_STAMP = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: a time that never changes
_MAGIC = b"PK\x03\x04"


def pack_folder(folder: Path) -> bytes:
    """Pack every file below `folder` (hidden ones left out) into deterministic zip bytes.

    Raises:
        ParseError: the folder holds no file.
    """
    files = sorted(
        (p for p in folder.rglob("*") if p.is_file() and not _hidden(p.relative_to(folder))),
        key=lambda p: p.relative_to(folder).as_posix(),
    )
    if not files:
        raise ParseError(f"{folder} holds no file")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for path in files:
            info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), date_time=_STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, path.read_bytes())
    return out.getvalue()


def is_packed(data: bytes) -> bool:
    """True when `data` is a zip archive (a packed folder, if the format takes folders)."""
    return data[:4] == _MAGIC


def unpack(data: bytes) -> list[tuple[str, bytes]]:
    """Return the (name, bytes) of each file of a packed folder, in name order.

    Raises:
        ParseError: not a readable zip, or larger than MAX_UNPACKED when unpacked.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            members = [m for m in z.infolist() if not m.is_dir()]
            if sum(m.file_size for m in members) > MAX_UNPACKED:
                raise ParseError(f"the archive unpacks to more than {MAX_UNPACKED >> 20} MiB")
            return sorted((m.filename, z.read(m)) for m in members)
    except (zipfile.BadZipFile, EOFError, OSError) as e:
        raise ParseError(f"not a readable archive of a folder: {e}") from None


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)
