"""The backup file: a tar of the database and the archived files, with a manifest at the end.

Members, in order:

    khronika-backup.txt        what this file is (restore refuses a tar without it first)
    database/…                 the database: khronika.sqlite, khronika.pgdump, or one
                               TABLE.jsonl per table (the logical format)
    files/…                    the archived files, by their path under the data directory
    manifest.json              what was backed up, and the size and SHA-256 of every member
    manifest.sha256            the SHA-256 of manifest.json: the backup's digest

The manifest comes last because its checksums are taken while the members are written (one
pass over gigabytes of files); it also makes a file cut short detectable: tar stops quietly
at a damaged or missing header, and then no manifest has come. A plain backup is an ordinary
tar, readable without khronika (`tar tf`); the encrypted form wraps the same bytes
(`crypto.py`).

    !!! Restore trusts nothing in the file before it is checked: member names are matched
    !!! against the shapes above (no absolute path, no `..`), only regular files are taken,
    !!! and every member is staged and checked against the manifest before anything is
    !!! written where it belongs.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tarfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO

import orjson

from khronika.errors import BackupRejected

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "ContainerWriter",
    "Member",
    "Verified",
    "read_container",
]

FORMAT = "khronika-backup"
FORMAT_VERSION = 1
MARKER = "khronika-backup.txt"
MANIFEST = "manifest.json"
DIGEST = "manifest.sha256"
_MARKER_TEXT = (
    b"A khronika backup (format 1): a tar of the database (database/) and the archived files\n"
    b"(files/). manifest.json lists every member with its size and SHA-256; manifest.sha256\n"
    b"is the SHA-256 of manifest.json. Restore it with `khronika restore FILE --db URL`.\n"
)
_DATABASE_NAME = re.compile(r"database/[A-Za-z0-9_][A-Za-z0-9_.-]*")
_MAX_MANIFEST = 256 << 20
_COPY = 1 << 20


@dataclass(frozen=True, slots=True)
class Member:
    """One member as written or found: its name, size and SHA-256."""

    name: str
    size: int
    sha256: str

    def to_json(self) -> dict[str, Any]:
        """The member as the manifest lists it."""
        return {"name": self.name, "size": self.size, "sha256": self.sha256}


class _Hashing:
    """A reader that hashes what passes through it (tarfile copies from it)."""

    def __init__(self, f: IO[bytes]) -> None:
        self._f, self.digest = f, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._f.read(size)
        self.digest.update(data)
        return data


class ContainerWriter:
    """Write a backup tar into `stream`: members one by one, then `close(manifest)`."""

    def __init__(self, stream: BinaryIO | Any) -> None:
        # Closed by close(), which writes the manifest first.
        self._tar = tarfile.open(fileobj=stream, mode="w|", format=tarfile.PAX_FORMAT)  # noqa: SIM115
        self.members: list[Member] = []
        self._add_bytes(MARKER, _MARKER_TEXT, listed=True)

    def add_file(self, name: str, path: Path) -> Member:
        """Add the file at `path` as member `name`; return its size and SHA-256.

        The bytes are hashed as they are copied: the checksum is of what is in the backup.
        """
        with open(path, "rb") as f:
            info = tarfile.TarInfo(name)
            st = os.fstat(f.fileno())
            info.size, info.mtime, info.mode = st.st_size, int(st.st_mtime), 0o600
            hashing = _Hashing(f)
            self._tar.addfile(info, hashing)
        member = Member(name, info.size, hashing.digest.hexdigest())
        self.members.append(member)
        return member

    def close(self, manifest: dict[str, Any]) -> str:
        """Write the manifest (with the member list) and its digest; return the digest."""
        body = {**manifest, "members": [m.to_json() for m in self.members]}
        data = orjson.dumps(body, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"
        digest = hashlib.sha256(data).hexdigest()
        self._add_bytes(MANIFEST, data, listed=False)
        self._add_bytes(DIGEST, f"{digest}\n".encode(), listed=False)
        self._tar.close()
        return digest

    def _add_bytes(self, name: str, data: bytes, *, listed: bool) -> None:
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
        self._tar.addfile(info, io.BytesIO(data))
        if listed:
            self.members.append(Member(name, len(data), hashlib.sha256(data).hexdigest()))


@dataclass(frozen=True, slots=True)
class Verified:
    """A backup staged and checked: its manifest, digest, and where its members are."""

    manifest: dict[str, Any]
    digest: str
    root: Path

    def path(self, name: str) -> Path:
        """Where the staged member `name` is."""
        return self.root / name

    def names(self, prefix: str) -> list[str]:
        """The members whose names start with `prefix`, in the order written."""
        return [m["name"] for m in self.manifest["members"] if m["name"].startswith(prefix)]


def read_container(stream: BinaryIO | Any, staging: Path) -> Verified:
    """Copy every member of the backup in `stream` under `staging`, and check them all.

    Raises:
        BackupRejected: the stream is not a khronika backup, is damaged or truncated, or a
            member does not match the manifest.
    """
    found: list[Member] = []
    ending: dict[str, bytes] = {}  # manifest.json and manifest.sha256
    try:
        with tarfile.open(fileobj=stream, mode="r|") as tar:
            for info in tar:
                if not found and info.name != MARKER:
                    raise BackupRejected("not a khronika backup (a tar, but not khronika's)")
                if DIGEST in ending:
                    raise BackupRejected(f"the backup is damaged: {info.name!r} after its end")
                _check_name(info)
                data = tar.extractfile(info)
                assert data is not None  # a regular file, checked above
                if info.name in (MANIFEST, DIGEST):
                    ending[info.name] = data.read(_MAX_MANIFEST)
                else:
                    found.append(_stage(info.name, data, staging / info.name))
    except tarfile.TarError as e:
        if not found:
            raise BackupRejected(f"not a khronika backup ({e})") from None
        raise BackupRejected(f"the backup is damaged or truncated ({e})") from None
    if MANIFEST not in ending or DIGEST not in ending:
        raise BackupRejected(
            "the backup is damaged or truncated: it ends before its manifest"
            + (f" (after {found[-1].name!r})" if found else "")
        )
    digest = ending[DIGEST].decode(errors="replace").strip()
    return Verified(_check_manifest(ending[MANIFEST], digest, found), digest, staging)


def _check_name(info: tarfile.TarInfo) -> None:
    name = info.name
    parts = name.split("/")
    shaped = (
        name in (MARKER, MANIFEST, DIGEST)
        or _DATABASE_NAME.fullmatch(name) is not None
        or (
            len(parts) > 1
            and parts[0] == "files"
            # Hidden names are a write in progress: a backup never holds one.
            and all(p and not p.startswith(".") and "\\" not in p and "\0" not in p for p in parts)
        )
    )
    if not shaped or not info.isreg():
        raise BackupRejected(f"the backup is damaged or not khronika's: member {name!r}")


def _stage(name: str, data: IO[bytes], target: Path) -> Member:
    h = hashlib.sha256()
    size = 0
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: a name given twice is refused. Owner only, as the archive keeps its files.
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except (FileExistsError, NotADirectoryError):
        raise BackupRejected(f"the backup is damaged: member {name!r} comes twice") from None
    with os.fdopen(fd, "wb") as out:
        for chunk in iter(lambda: data.read(_COPY), b""):
            h.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return Member(name, size, h.hexdigest())


def _check_manifest(raw: bytes, digest: str, found: list[Member]) -> dict[str, Any]:
    if hashlib.sha256(raw).hexdigest() != digest:
        raise BackupRejected("the backup is damaged: its manifest does not match its digest")
    try:
        manifest = orjson.loads(raw)
        listed = [
            Member(str(m["name"]), int(m["size"]), str(m["sha256"])) for m in manifest["members"]
        ]
        fmt, version = manifest["format"], int(manifest["format_version"])
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        raise BackupRejected("the backup is damaged: its manifest cannot be read") from None
    if fmt != FORMAT:
        raise BackupRejected("not a khronika backup (its manifest says otherwise)")
    if version > FORMAT_VERSION:
        raise BackupRejected(
            f"the backup has format {version}, newer than this khronika reads "
            f"({FORMAT_VERSION}): restore it with a newer khronika"
        )
    for problem in _differences(listed, found):
        raise BackupRejected(f"the backup is damaged: {problem}")
    return dict(manifest)


def _differences(listed: list[Member], found: list[Member]) -> Iterator[str]:
    """Say how the members found differ from those the manifest lists (nothing: they match)."""
    names = {m.name for m in found}
    for m in listed:
        if m.name not in names:
            yield f"member {m.name!r} is missing"
    wanted = {m.name: m for m in listed}
    for m in found:
        want = wanted.get(m.name)
        if want is None:
            yield f"member {m.name!r} is not in the manifest"
        elif want.size != m.size:
            yield f"member {m.name!r} has {m.size} bytes, the manifest says {want.size}"
        elif want.sha256 != m.sha256:
            yield f"member {m.name!r} does not match its checksum"
