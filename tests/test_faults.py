"""Faults: a full disk gives a clear error and loses nothing; the web app keeps answering
while a large import holds the write lock. (SIGKILL mid-import: tests/interchange/
test_crash.py; mid-backup: tests/test_backup.py; two editors saving one record:
tests/web/test_console.py, the edit conflict.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, text

from khronika.errors import StorageFull
from khronika.interchange import import_records, read_ndjson
from khronika.storage import Database
from khronika.web.app import create_app
from tests.interchange.test_crash import _big_file, _snapshot, _writing, kill_while_writing

pytestmark = pytest.mark.slow


def test_a_full_disk_is_a_clear_error_and_loses_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'full.db'}"
    db = Database(url)
    db.migrate()
    small, big = tmp_path / "small.ndjson", tmp_path / "big.ndjson"
    _big_file(small, 5, 2)
    _big_file(big, 400, 20)
    with open(small, "rb") as f:
        import_records(db, read_ndjson(f, small.name))
    before = _snapshot(db)
    with db.connect() as conn:
        pages = conn.execute(text("PRAGMA page_count")).scalar_one()
    db.dispose()
    # The same file, with a size limit a few pages above what it holds: a disk about to fill.
    full = Database(url)

    @event.listens_for(full.engine, "connect")
    def _limit(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 4}")

    with open(big, "rb") as f, pytest.raises(StorageFull, match="nothing of this change"):
        import_records(full, read_ndjson(f, big.name))
    full.dispose()
    again = Database(url)
    with again.connect() as conn:
        assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
    assert _snapshot(again) == before


def test_the_site_answers_while_an_import_writes(
    db: Database, engine_name: str, tmp_path: Path
) -> None:
    big = tmp_path / "big.ndjson"
    _big_file(big, 1_500, 100)
    env = dict(os.environ)
    wal = None
    if engine_name == "sqlite":
        wal = Path(db.url.removeprefix("sqlite:///") + "-wal")
    else:
        env["PGOPTIONS"] = f"-csearch_path={db.schema}"
    app = create_app(
        db, data_dir=tmp_path / "data", clock=lambda: date(2025, 5, 1), refresh=0, background=False
    )
    client = TestClient(app)
    assert client.get("/api/v1/meta").status_code == 200
    proc = subprocess.Popen(
        [sys.executable, "-m", "khronika", "--db", db.url, "import", str(big)],
        env=env,
        stderr=subprocess.PIPE,
    )
    answered: list[float] = []
    try:
        deadline = time.monotonic() + 120
        while not _writing(db, wal):
            assert proc.poll() is None, "the import ended before the site was asked"
            assert time.monotonic() < deadline, "the import never started writing"
            time.sleep(0.05)
        for path in ["/api/v1/meta", "/en/", "/api/v1/people", "/en/people", "/feed.atom"] * 4:
            start = time.monotonic()
            r = client.get(path)
            answered.append(time.monotonic() - start)
            assert r.status_code == 200, (path, r.status_code)
        assert _writing(db, wal), "the import finished before every page was asked"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    # Reads never wait for the writer (WAL on SQLite, MVCC on PostgreSQL).
    assert max(answered) < 5, answered


def _sdn(path: Path, rows: int) -> None:
    """A synthetic OFAC sdn.csv of `rows` individuals (invented names)."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        for n in range(1, rows + 1):
            remarks = f"DOB 0{1 + n % 9} Jan 19{50 + n % 40}; POB Minsk, Belarus."
            f.write(
                f'{n},"SYNTHETIC, Person {n}","individual","BELARUS-EO14038",-0-,-0-,-0-,'
                f'-0-,-0-,-0-,-0-,"{remarks}"\n'
            )


def _list_state(db: Database) -> tuple[int, ...]:
    with db.connect() as conn:
        return tuple(
            conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in ("list_snapshot", "list_entry", "list_entry_version", "audit_log")
        )


def _list_import_writing(db: Database, wal: Path | None) -> bool:
    if wal is not None:
        return _writing(db, wal)
    with db.connect() as conn:
        n = conn.execute(
            text(
                "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relname = 'list_entry_version' AND n.nspname = :schema "
                "AND l.mode = 'RowExclusiveLock'"
            ),
            {"schema": db.schema},
        ).scalar()
    return bool(n)


def test_sigkill_mid_list_import_leaves_the_lists_as_they_were(
    db: Database, engine_name: str, tmp_path: Path
) -> None:
    from khronika.audit import verify

    env = {**os.environ, "KHRONIKA_DATA_DIR": str(tmp_path / "data")}
    wal = None
    if engine_name == "sqlite":
        wal = Path(db.url.removeprefix("sqlite:///") + "-wal")
    else:
        env["PGOPTIONS"] = f"-csearch_path={db.schema}"
    cli = [sys.executable, "-m", "khronika", "--db", db.url, "lists"]
    subprocess.run(
        [*cli, "add", "us-sdn", "--title", "SDN", "--issuer", "OFAC", "--country", "US",
         "--format", "us-ofac-sdn-csv"],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    small, big = tmp_path / "small.csv", tmp_path / "big.csv"
    _sdn(small, 3)
    _sdn(big, 60_000)
    first = [*cli, "import", "us-sdn", str(small), "--snapshot-date", "2025-01-01"]
    subprocess.run(first, env=env, check=True, capture_output=True)
    before = _list_state(db)
    proc = subprocess.Popen(
        [*cli, "import", "us-sdn", str(big), "--snapshot-date", "2025-02-01"],
        env=env,
        stderr=subprocess.PIPE,
    )
    kill_while_writing(proc, lambda: _list_import_writing(db, wal))
    db.dispose()
    assert _list_state(db) == before
    if engine_name == "sqlite":
        with db.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
    assert verify(db) == []


@pytest.mark.parametrize("kill_after", [0.3, 0.8, 1.5, 3.0])
def test_a_killed_restore_leaves_an_empty_or_a_whole_database_and_can_be_run_again(
    tmp_path: Path, kill_after: float
) -> None:
    from khronika.backup import backup
    from khronika.storage.backup import first_filled_table

    source = Database(f"sqlite:///{tmp_path / 'source.db'}")
    source.migrate()
    big = tmp_path / "big.ndjson"
    _big_file(big, 600, 50)  # 30k records
    with open(big, "rb") as f:
        import_records(source, read_ndjson(f, big.name))
    expected = _snapshot(source)
    backup(source, tmp_path / "k.backup", data_dir=tmp_path / "data")
    target_url = f"sqlite:///{tmp_path / 'target.db'}"
    restore_cmd = [
        sys.executable, "-m", "khronika", "restore", str(tmp_path / "k.backup"),
        "--db", target_url, "--data-dir", str(tmp_path / "restored"),
    ]  # fmt: skip
    proc = subprocess.Popen(restore_cmd, stderr=subprocess.PIPE)
    time.sleep(kill_after)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    target = Database(target_url)
    if first_filled_table(target) is not None:
        # Killed after the load committed: the database is whole.
        assert _snapshot(target) == expected
    else:
        # Killed before: nothing is in it, so the restore can simply be run again.
        target.dispose()
        done = subprocess.run(restore_cmd, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert _snapshot(Database(target_url)) == expected
    if Path(target_url.removeprefix("sqlite:///")).exists():
        with Database(target_url).connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
