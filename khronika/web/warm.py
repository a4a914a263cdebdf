"""A worker's catalogue kept on disk between starts, so that a new worker is warm in seconds.

Building the catalogue reads and redacts every public record (about 30 s at 100,000
people); loading the last one a worker built takes a few seconds, and bringing it up to
date reads only what changed since (`Catalogue.updated`, the same path a running worker
takes after an editor's save). What is kept is what the catalogue holds: public,
redacted records only, never a restricted or withheld one, so the file says nothing the
public site does not.

A kept catalogue is used only by the same code on the same database:

* its name carries a digest of the database's address (one data directory may serve
  several databases);
* its header carries a digest of khronika's own source: a catalogue built by other code
  (an upgrade that redacts more, say) is never read, only replaced;
* it carries the rows its data stamp ends at (`storage.reads.stamp_anchor`): a database
  whose history does not go on from the one it was built from (another restored at the
  same address) does not have them, and builds afresh;
* then its data stamp tells `updated` what changed since; when that is too much or
  cannot be told, the worker builds afresh as it would have without the file.

The file is written whole and renamed into place (a crash leaves the old one or none),
readable by its owner only, in the data directory's `cache/`, which backups leave out. It
is a pickle: whoever can write the data directory can already change the archive and the
code, so it is trusted like them.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
import threading
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from khronika.storage.reads import stamp_anchor

if TYPE_CHECKING:
    from khronika.storage import Database
    from khronika.web.catalogue import Catalogue

__all__ = ["code_digest", "kept_path", "load", "save_aside"]

_log = logging.getLogger(__name__)
_PACKAGE = Path(__file__).resolve().parents[1]
#: Bumped if the file's layout changes (the code digest covers the catalogue's own).
_LAYOUT = b"khronika-catalogue/1\n"


@cache
def code_digest() -> str:
    """SHA-256 over khronika's Python source (paths and contents): what built a catalogue."""
    h = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        h.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


def kept_path(cache_dir: Path, db: Database) -> Path:
    """Where the catalogue of `db` is kept under `cache_dir`."""
    where = f"{db.display_url}\0{db.schema or ''}".encode()
    return cache_dir / f"catalogue-{hashlib.sha256(where).hexdigest()[:16]}.pickle"


def load(path: Path, db: Database) -> Catalogue | None:
    """The catalogue kept at `path` by this same code from the history of `db`, or None
    (none kept, other code, another database, or unreadable: then it is as if none were
    kept, and the reason is logged)."""
    try:
        with open(path, "rb") as f:
            if f.readline() != _LAYOUT or f.readline().strip() != code_digest().encode():
                return None
            anchor, cat = pickle.load(f)  # noqa: S301 - written by this code, 0600
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - a damaged file costs a full build, nothing else
        _log.warning("the kept catalogue %s could not be read: building afresh", path)
        return None
    with db.connect() as conn:
        if stamp_anchor(conn, cat.stamp) != anchor:
            _log.info("the kept catalogue %s is of another database: building afresh", path)
            return None
    kept: Catalogue = cat
    return kept


def save_aside(path: Path, cat: Catalogue, db: Database) -> None:
    """Keep `cat`, read from `db`, at `path` (written whole, then renamed into place;
    owner-only), by a forked child process, so that the worker goes on answering.

    Pickling a catalogue at Belarus scale holds the interpreter for many seconds (about
    20 s at 100,000 people): in the worker itself every request would wait that long. The
    child is a copy of the worker at this moment, writes the file and exits; the worker
    only reaps it. Where there is no `fork`, it is written here.
    """
    with db.connect() as conn:
        anchor = stamp_anchor(conn, cat.stamp)
    if not hasattr(os, "fork"):
        _write(path, anchor, cat)
        return
    pid = os.fork()
    if pid == 0:  # the child: only this thread lives on; it writes and leaves at once
        code = 1
        try:
            os.nice(19)  # behind every worker for the cores: it is in no hurry
            _write(path, anchor, cat)
            code = 0
        finally:
            os._exit(code)
    threading.Thread(target=os.waitpid, args=(pid, 0), daemon=True).start()


def _write(path: Path, anchor: tuple[object, ...], cat: Catalogue) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(_LAYOUT + code_digest().encode() + b"\n")
            pickle.dump((anchor, cat), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
