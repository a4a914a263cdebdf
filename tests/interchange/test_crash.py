"""A process killed with SIGKILL in the middle of a large import leaves the database as it was."""

from __future__ import annotations

import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from sqlalchemy import text

from khronika.interchange import export_records, write_ndjson
from khronika.storage import Database

pytestmark = pytest.mark.slow


def _big_file(path: Path, people: int, events_per_person: int) -> None:
    with open(path, "wb") as f:
        f.write(orjson.dumps({"type": "source", "id": "s1", "url": "https://example.org"}) + b"\n")
        for p in range(people):
            person = {
                "type": "person",
                "id": f"p{p}",
                "names": [{"name": f"Name {p}", "lang": "en"}],
            }
            f.write(orjson.dumps(person) + b"\n")
            for e in range(events_per_person):
                event = {
                    "type": "event",
                    "id": f"e{p}-{e}",
                    "person": f"p{p}",
                    "kind": "detained",
                    "date": f"{2020 + e % 5}-0{1 + e % 9}",
                    "sources": ["s1"],
                }
                f.write(orjson.dumps(event) + b"\n")


def _snapshot(db: Database) -> bytes:
    out = io.BytesIO()
    write_ndjson(export_records(db, history=True), out)
    return out.getvalue()


def _writing(db: Database, wal: Path | None) -> bool:
    """True once the import is inside its write transaction."""
    if wal is not None:
        # The import holds SQLite's write lock from its first insert until it commits (its
        # pages stay in a large cache until then, so the WAL's size tells nothing).
        con = sqlite3.connect(wal.with_name(wal.name.removesuffix("-wal")), timeout=0)
        try:
            con.execute("BEGIN IMMEDIATE")
            con.rollback()
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            con.close()
    with db.connect() as conn:
        n = conn.execute(
            text(
                "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relname = 'event' AND n.nspname = :schema "
                "AND l.mode = 'RowExclusiveLock'"
            ),
            {"schema": db.schema},
        ).scalar()
    return bool(n)


def kill_while_writing(proc: subprocess.Popen[bytes], writing: Callable[[], bool]) -> None:
    """SIGKILL `proc` as soon as `writing()` says it is inside its write transaction."""
    deadline = time.monotonic() + 120
    try:
        while not writing():
            assert proc.poll() is None, "the process ended before it could be killed"
            assert time.monotonic() < deadline, "the process never started writing"
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL


def test_sigkill_mid_import_leaves_database_unchanged(
    db: Database, engine_name: str, tmp_path: Path
) -> None:
    small = tmp_path / "small.ndjson"
    _big_file(small, 3, 2)
    big = tmp_path / "big.ndjson"
    _big_file(big, 1_500, 100)  # 152k records
    env = dict(os.environ)
    if engine_name == "sqlite":
        url, wal = db.url, Path(db.url.removeprefix("sqlite:///") + "-wal")
    else:
        url, wal = db.url, None
        env["PGOPTIONS"] = f"-csearch_path={db.schema}"
    cmd = [sys.executable, "-m", "khronika", "--db", url, "import"]
    subprocess.run([*cmd, str(small)], env=env, check=True, capture_output=True)
    before = _snapshot(db)
    assert before.count(b"\n") == 1 + 3 + 6

    proc = subprocess.Popen([*cmd, str(big)], env=env, stderr=subprocess.PIPE)
    kill_while_writing(proc, lambda: _writing(db, wal))
    db.dispose()
    assert _snapshot(db) == before
