"""Faults: a full disk gives a clear error and loses nothing; the web app keeps answering
while a large import holds the write lock; SIGKILL mid-list-import, mid-backup and
mid-restore, each stopped at named moments so that the kill lands there every time.
(SIGKILL mid-import: tests/interchange/test_crash.py; two editors saving one record:
tests/web/test_console.py, the edit conflict.)"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, text

from khronika.accounts import create_user, login
from khronika.backup import backup, restore
from khronika.backup.restore import STAGING_PREFIX
from khronika.errors import ConfigurationError, StorageFull
from khronika.interchange import import_records, read_ndjson
from khronika.storage import Database
from khronika.storage.backup import first_filled_table
from khronika.storage.schema import metadata
from khronika.web.app import create_app
from tests.conftest import PG_URL, make_database, restore_target
from tests.interchange.test_crash import _big_file, _snapshot, _writing, kill_while_writing
from tests.test_backup import _files, _fill

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


#: The khronika CLI, stopped for good at one moment of a backup or a restore: it prints the
#: moment's name there and sleeps, so that SIGKILL lands at that moment every time.
#: argv: MOMENT URL CLI-ARGS… (URL: the database the moment is about).
_STOPPED = r"""
import importlib, sqlite3, subprocess, sys, threading, time
from sqlalchemy import create_engine, text
from khronika.backup import container
from khronika.cli import main

restore = importlib.import_module("khronika.backup.restore")  # the module, not the function
store = importlib.import_module("khronika.storage.backup")

moment, url, *args = sys.argv[1:]


def stop(*_):
    print(moment, flush=True)
    time.sleep(600)


def after(owner, name, when):
    real = getattr(owner, name)

    def wrapped(*a, **k):
        out = real(*a, **k)
        if when(*a):
            stop()
        return out

    setattr(owner, name, wrapped)


if moment == "staging":  # restore: a file staged, the rest of the backup not yet read
    after(container, "_stage", lambda name, *_: name.startswith("files/"))
elif moment == "placed":  # restore: the files moved into place, the database not loaded
    restore._load = stop
elif moment == "loaded":  # restore: the database load committed, nothing after it yet
    after(restore, "_load", lambda *_: True)
elif moment == "files":  # backup: the database in, the archived files not yet
    after(container.ContainerWriter, "add_file", lambda _, name, *__: name.startswith("database/"))
elif moment == "loading" and not url.startswith("sqlite"):
    # Inside the load's transaction: pg_restore's script run up to its first table's rows.
    after(store, "_copy_in", lambda *_: True)
elif url.startswith("sqlite"):  # "loading"/"snapshot": inside the backup API's copy
    connect = sqlite3.connect

    class Stepped(sqlite3.Connection):
        def backup(self, target, *, pages=-1, progress=None, name="main", sleep=0.25):
            # One page, then stop: the target's write transaction is open.
            super().backup(target, pages=1, progress=stop, name=name, sleep=sleep)

    # sqlite3.connect for khronika's own, sqlite3.dbapi2.connect for SQLAlchemy's.
    sqlite3.connect = sqlite3.dbapi2.connect = lambda *a, **k: connect(*a, factory=Stepped, **k)
else:  # "snapshot": pg_dump inside its transaction, waiting on a lock
    tool, mode = "pg_dump", "EXCLUSIVE"
    run = subprocess.run

    def held(cmd, *a, **k):
        if not cmd[0].endswith(tool) or "--dbname" not in cmd:
            return run(cmd, *a, **k)
        engine = create_engine(url)
        holder = engine.connect()  # referenced until the process dies: the lock stays held
        holder.execute(text(f"LOCK TABLE person IN ACCESS {mode} MODE"))
        threading.Thread(target=run, args=(cmd, *a), kwargs=k, daemon=True).start()
        # Its own connection, out of any transaction: pg_stat_activity is read once in one.
        watch = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        waiting = text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND application_name = :tool AND wait_event_type = 'Lock'"
        )
        deadline = time.monotonic() + 30
        while not watch.execute(waiting, {"tool": tool}).scalar():
            assert time.monotonic() < deadline, f"{tool} never waited on the lock"
            time.sleep(0.02)
        stop()

    subprocess.run = held
sys.argv = ["khronika", *args]
main()
"""
ROOT = Path(__file__).resolve().parents[1]


def _kill_at(moment: str, db: Database, url: str, *args: str) -> None:
    """Run `khronika ARGS` (on `db`, reached by `url`), and SIGKILL it at `moment`."""
    env = {**os.environ, **({"PGOPTIONS": f"-csearch_path={db.schema}"} if db.schema else {})}
    proc = subprocess.Popen(
        [sys.executable, "-c", _STOPPED, moment, url, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=env,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if line != f"{moment}\n".encode():
            proc.kill()
            _, err = proc.communicate(timeout=30)
            pytest.fail(f"never stopped at {moment!r}: {line!r} {err.decode()[-2000:]}")
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def _settle(db: Database, tool: str) -> None:
    """PostgreSQL: wait until no `tool` (pg_dump) is connected to the database.

    A child that outlived the killed khronika would still be working here; after this the
    state the test checks cannot change any more.
    """
    if not db.is_postgres:
        return
    deadline = time.monotonic() + 30
    query = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND application_name = :tool"
    )
    while True:
        with db.connect() as conn:
            if not conn.execute(query, {"tool": tool}).scalar():
                return
        assert time.monotonic() < deadline, f"{tool} is still connected"
        time.sleep(0.05)


def _intact(db: Database) -> None:
    """The database passes its engine's own check, and nothing holds a lock on it."""
    if db.is_sqlite:
        with db.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
        raw = sqlite3.connect(db.url.removeprefix("sqlite:///"), timeout=5)
        try:
            raw.execute("BEGIN IMMEDIATE")  # the write lock: no dead writer holds it
            raw.rollback()
        finally:
            raw.close()
        return
    with db.begin() as conn:
        conn.execute(text("SET LOCAL lock_timeout = '5s'"))
        # Every table's strongest lock: no dead transaction holds any lock on them.
        names = ", ".join(t.name for t in metadata.sorted_tables)
        conn.execute(text(f"LOCK TABLE {names} IN ACCESS EXCLUSIVE MODE"))


def _leftovers(data_dir: Path) -> list[str]:
    return sorted(p.name for p in data_dir.glob(f"{STAGING_PREFIX}*"))


def _data(data_dir: Path) -> dict[str, bytes]:
    """The files that count as data: those not hidden (backups leave hidden ones out)."""
    return {k: v for k, v in _files(data_dir).items() if not k.startswith(".")}


@pytest.mark.parametrize("moment", ["staging", "placed", "loading", "loaded"])
def test_a_killed_restore_leaves_an_empty_or_a_whole_database_and_can_be_run_again(
    db: Database, tmp_path: Path, moment: str
) -> None:
    """Killed while it stages the backup, after it placed the files, inside the database
    load, or just after the load committed: the target is empty (or, the last, whole), and
    the second run completes (or says it is done) leaving nothing of the first behind."""
    from khronika.audit import verify

    data, restored, made = tmp_path / "data", tmp_path / "restored", tmp_path / "k.backup"
    _fill(db, data, tmp_path)
    create_user(db, "anna", "a long enough password")
    login(db, "anna", "a long enough password")  # a session the backup holds
    expected, files = _snapshot(db), _files(data)
    head = backup(db, made, data_dir=data).audit_head
    with restore_target(db, tmp_path, migrated=True) as (target, url):
        _kill_at(
            moment, target, url, "restore", str(made), "--db", url, "--data-dir", str(restored)
        )
        # (PostgreSQL: the load ran in the killed khronika's own connection, so the server
        # rolls it back as the connection ends; the checks below wait for its locks.)
        target.dispose()
        _intact(target)
        assert _leftovers(restored), "the kill came after the restore ended"
        if moment == "loaded":
            assert first_filled_table(target) is not None
            assert _snapshot(target) == expected
            _closed_by_restore(target, head)
            with pytest.raises(ConfigurationError, match="is not empty"):
                restore(made, target, data_dir=restored)
        else:
            assert first_filled_table(target) is None
            restore(made, target, data_dir=restored)
            assert _snapshot(target) == expected
        assert verify(target) == []
        assert _files(restored) == files
        assert _leftovers(restored) == []


def _closed_by_restore(target: Database, head: dict[str, object] | None) -> None:
    """The restore's own writes committed with its load: its audit row, chained onto the
    backup's head, and the copy's sessions ended."""
    with target.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM web_session")).scalar() == 0
        last = conn.execute(text("SELECT action, prev FROM audit_log ORDER BY seq DESC")).first()
    assert head is not None and last is not None
    assert tuple(last) == ("restore", head["hash"])


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="KHRONIKA_TEST_PG_URL is not set")
@pytest.mark.parametrize("moment", ["loading", "loaded"])
def test_a_pg_dump_restore_into_another_schema_killed_renames_nothing(
    tmp_path: Path, moment: str
) -> None:
    """A pg_dump backup loads into a schema of another name by renaming both schemas inside
    the load's transaction: killed inside it, every schema keeps its name and content (the
    source's too) and the target is empty; killed after it, the target is whole and closed."""
    from khronika.audit import verify

    source, _ = make_database("postgres", tmp_path / "source")
    target, url = make_database("postgres", tmp_path / "target")
    try:
        data, restored, made = tmp_path / "data", tmp_path / "restored", tmp_path / "k.backup"
        _fill(source, data, tmp_path)
        create_user(source, "anna", "a long enough password")
        login(source, "anna", "a long enough password")
        report = backup(source, made, data_dir=data)
        assert report.database_format == "pg_dump"
        expected = _snapshot(source)
        args = ("restore", str(made), "--db", url, "--data-dir", str(restored))
        _kill_at(moment, target, url, *args)
        target.dispose()
        _intact(target)
        _intact(source)
        assert _snapshot(source) == expected
        if moment == "loaded":
            assert _snapshot(target) == expected
            _closed_by_restore(target, report.audit_head)
        else:
            assert first_filled_table(target) is None
            restore(made, target, data_dir=restored)
            assert _snapshot(target) == expected
        assert verify(target) == [] and verify(source) == []
        with target.connect() as conn:
            aside = conn.execute(
                text("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'khronika_aside_%'")
            ).scalar()
        assert aside == 0
    finally:
        from tests.conftest import drop_database

        drop_database(source)
        drop_database(target)


def test_files_a_killed_restore_placed_do_not_stay_as_data(tmp_path: Path) -> None:
    """The next restore takes back the files of a killed one whose load never committed,
    whatever it restores itself; a restore still running keeps its staging directory."""
    source, _ = make_database("sqlite", tmp_path / "source")
    _fill(source, tmp_path / "data", tmp_path)
    with_files, without = tmp_path / "files.backup", tmp_path / "none.backup"
    backup(source, with_files, data_dir=tmp_path / "data")
    backup(source, without, data_dir=tmp_path / "nothing")
    target, url = make_database("sqlite", tmp_path / "target")
    restored = tmp_path / "restored"
    args = ("restore", str(with_files), "--db", url, "--data-dir", str(restored))
    _kill_at("placed", target, url, *args)
    assert _data(restored) == _files(tmp_path / "data")  # the kill came after the move
    assert len(_leftovers(restored)) == 1
    restore(without, target, data_dir=restored)
    assert _files(restored) == {}
    assert [p for p in restored.rglob("*") if p.is_dir()] == []
    assert _leftovers(restored) == []


def test_a_running_restore_keeps_its_staging_directory(tmp_path: Path) -> None:
    source, _ = make_database("sqlite", tmp_path / "source")
    _fill(source, tmp_path / "data", tmp_path)
    made = tmp_path / "k.backup"
    backup(source, made, data_dir=tmp_path / "data")
    first, url = make_database("sqlite", tmp_path / "first")
    restored = tmp_path / "restored"
    proc = subprocess.Popen(
        [sys.executable, "-c", _STOPPED, "staging", url, "restore", str(made), "--db", url,
         "--data-dir", str(restored)],
        stdout=subprocess.PIPE, cwd=ROOT,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == b"staging\n"
        (running,) = _leftovers(restored)
        second, _ = make_database("sqlite", tmp_path / "second")
        restore(made, second, data_dir=restored)
        assert _leftovers(restored) == [running]
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert _data(restored) == _files(tmp_path / "data")


@pytest.mark.parametrize("moment", ["snapshot", "files"])
def test_a_killed_backup_leaves_no_file_and_the_database_intact(
    db: Database, tmp_path: Path, moment: str
) -> None:
    """Killed while it copies the database, or while the archived files go in: no FILE,
    the database as it was (and writable), and the next backup is not disturbed."""
    from khronika.audit import verify

    data, out = tmp_path / "data", tmp_path / "k.backup"
    _fill(db, data, tmp_path)
    before = _snapshot(db)
    url = PG_URL if db.schema else db.url
    db.dispose()
    _kill_at(moment, db, url, "--db", url, "backup", str(out), "--data-dir", str(data))
    _settle(db, "pg_dump")
    assert not out.exists()
    left = [p.name for p in tmp_path.iterdir() if p.name.startswith(".k.backup.")]
    assert len(left) == 1 and left[0].endswith(".part")
    _intact(db)
    assert _snapshot(db) == before
    assert verify(db) == []
    report = backup(db, out, data_dir=data)
    assert report.files == len(_files(data))
    # What the killed one left (a copy of the database, maybe) is gone with the next backup.
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".k.backup.")] == []


def test_the_directory_of_a_backup_still_running_is_not_removed(tmp_path: Path) -> None:
    from khronika.backup.make import _remove_dead_staging, _staging

    out = tmp_path / "k.backup"
    running, lock = _staging(out)
    dead = tmp_path / ".k.backup.dead.part"
    dead.mkdir()
    (dead / "database").write_bytes(b"a copy")
    other = tmp_path / ".other.backup.x.part"  # another file's: not this backup's business
    other.mkdir()
    try:
        _remove_dead_staging(out)
        assert running.is_dir() and not dead.exists() and other.is_dir()
    finally:
        os.close(lock)
    _remove_dead_staging(out)  # its process gone (here: its lock closed), it goes too
    assert not running.exists()
