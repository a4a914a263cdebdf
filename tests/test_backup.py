"""Backups: a round trip gives back the same export and files; anything wrong is refused.

Each test builds a small demo (25 people) plus a few archived files and a list snapshot,
so that every kind of table and file is in the backup. Encryption runs with a cheap
scrypt cost (the cost is read from each file's header, so restore follows it).
"""

from __future__ import annotations

import importlib
import os
import tarfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from khronika.accounts import create_user, find_session, list_users, login
from khronika.audit import audit_head, audit_log, verify
from khronika.backup import backup, crypto, restore
from khronika.cli import cli
from khronika.demo import DemoConfig, build_demo
from khronika.errors import BackupRejected, ConfigurationError
from khronika.listwatch.snapshots import add_list, import_snapshot
from khronika.registry import archive_file
from khronika.storage import Database
from tests.conftest import PG_URL, drop_database, make_database, restore_target

LISTS = Path(__file__).parent / "fixtures" / "lists"
PASSPHRASE = b"correct horse battery staple"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crypto, "SCRYPT_LOG2_N", 12)


def _fill(db: Database, data_dir: Path, tmp_path: Path) -> None:
    """A demo, archived source files (one binary), a list snapshot, a derived cache file."""
    build_demo(db, DemoConfig(people=25, seed=5))
    for i, content in enumerate([b"%PDF-1.4 a court ruling\n", bytes(range(256)) * 40]):
        src = tmp_path / f"source-{i}.bin"
        src.write_bytes(content)
        archive_file(src, data_dir=data_dir)
    add_list(db, "t", title="T", issuer="Invented", country="XX", fmt="ru-fedsfm-html")
    data = (LISTS / "fedsfm_before.html").read_bytes()
    import_snapshot(db, "t", data, taken="2024-01-01", data_dir=data_dir)
    (data_dir / "cache").mkdir()
    (data_dir / "cache" / "names-index.pickle").write_bytes(b"derived, never restored")


def _files(data_dir: Path) -> dict[str, bytes]:
    if not data_dir.exists():
        return {}
    return {
        p.relative_to(data_dir).as_posix(): p.read_bytes()
        for p in sorted(data_dir.rglob("*"))
        if p.is_file() and p.relative_to(data_dir).parts[0] != "cache"
    }


def _env(db: Database) -> dict[str, str]:
    return {"PGOPTIONS": f"-csearch_path={db.schema}"} if db.schema else {}


def _cli(db: Database, *args: str, url: str | None = None, stdin: bytes | None = None) -> bytes:
    url = url or (PG_URL if db.schema else db.url)
    result = CliRunner(env=_env(db)).invoke(cli, ["--db", url, *args], input=stdin)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def _export(db: Database) -> bytes:
    return _cli(db, "export", "--history")


def test_round_trip_gives_back_the_export_the_files_and_the_audit_chain(
    db: Database, tmp_path: Path
) -> None:
    data, restored = tmp_path / "data", tmp_path / "restored-data"
    _fill(db, data, tmp_path)
    create_user(db, "anna", "a long enough password")
    cookie, _ = login(db, "anna", "a long enough password")
    assert find_session(db, cookie) is not None
    before, head = _export(db), audit_head(db)
    report = backup(db, tmp_path / "k.backup", data_dir=data)
    assert report.database_format == ("pg_dump" if db.is_postgres else "sqlite")
    assert report.files == 3 and report.audit_head == head
    assert (tmp_path / "k.backup").stat().st_mode & 0o777 == 0o600
    with restore_target(db, tmp_path) as (target, _):
        result = restore(tmp_path / "k.backup", target, data_dir=restored, actor="anna")
        assert _export(target) == before
        assert _files(restored) == _files(data) and len(_files(data)) == 3
        assert not (restored / "cache").exists()
        assert result.digest == report.digest and result.audit_head == head
        assert verify(target) == []
        last = audit_log(target)[-1]
        assert (last["seq"], last["action"], last["actor"]) == (result.audit_seq, "restore", "anna")
        assert last["ids"] == [f"backup:{report.digest}"]
        assert head is not None and last["prev"] == head["hash"]
        # The account came back; the session copied with it did not.
        assert [u.username for u in list_users(target)] == ["anna"]
        assert find_session(target, cookie) is None


def test_a_write_in_progress_neither_blocks_the_backup_nor_gets_into_it(
    db: Database, tmp_path: Path
) -> None:
    _fill(db, tmp_path / "data", tmp_path)
    before = _export(db)
    with db.engine.connect() as writer:
        writer.execute(text("UPDATE person SET region = 'BY-BR'"))  # not committed
        started = time.monotonic()
        backup(db, tmp_path / "k.backup", data_dir=tmp_path / "data")
        assert time.monotonic() - started < 10  # SQLite would wait 30 s for a lock
        writer.rollback()
    with restore_target(db, tmp_path) as (target, _):
        restore(tmp_path / "k.backup", target, data_dir=tmp_path / "restored")
        assert _export(target) == before


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="KHRONIKA_TEST_PG_URL is not set")
@pytest.mark.parametrize(
    ("source_engine", "target_engine", "logical"),
    [("postgres", "postgres", True), ("sqlite", "postgres", False), ("postgres", "sqlite", True)],
    ids=["pg-logical-into-another-schema", "sqlite-file-into-pg", "pg-logical-into-sqlite"],
)
def test_rows_restore_into_any_engine_and_schema(
    source_engine: str, target_engine: str, logical: bool, tmp_path: Path
) -> None:
    source, _ = make_database(source_engine, tmp_path / "source")
    target, _ = make_database(target_engine, tmp_path / "target")  # migrated, empty
    try:
        _fill(source, tmp_path / "data", tmp_path)
        report = backup(source, tmp_path / "k.backup", data_dir=tmp_path / "data", logical=logical)
        assert report.database_format == ("logical" if logical else "sqlite")
        restore(tmp_path / "k.backup", target, data_dir=tmp_path / "restored")
        assert _export(target) == _export(source)
        assert verify(target) == []
        # Keys go on after the restored ones (PostgreSQL's sequences were moved).
        assert audit_log(target)[-1]["seq"] == audit_head(source)["seq"] + 1  # type: ignore[index]
    finally:
        from tests.conftest import drop_database

        drop_database(source)
        drop_database(target)


#: A revision before the head whose tables today's code still writes (only indexes follow).
OLDER = "0014_audit_covers"


def _older_source(engine: str, tmp_path: Path) -> Database:
    """An empty database migrated to `OLDER` only."""
    return make_database(engine, tmp_path, to=OLDER, name="older.db")[0]


@pytest.mark.parametrize("logical", [False, True], ids=["native", "logical"])
@pytest.mark.parametrize("crash", [False, True], ids=["restored", "failed-at-its-row"])
def test_an_older_backup_is_upgraded_in_the_transaction_of_its_restore_row(
    engine_name: str, logical: bool, crash: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A backup at an older revision comes back at the head with its `restore` row, the
    upgrade and the row committed with the data: failing right after the row is appended
    (as a kill would) leaves no data, no upgrade and no row; run again, it completes."""
    # The package's `restore` is the function: the module is reached by its name.
    restoring = importlib.import_module("khronika.backup.restore")
    from khronika.storage.backup import first_filled_table
    from khronika.storage.db import head_revision

    source = _older_source(engine_name, tmp_path / "source")
    try:
        _fill(source, tmp_path / "data", tmp_path)
        create_user(source, "anna", "a long enough password")
        login(source, "anna", "a long enough password")
        head = audit_head(source)
        report = backup(source, tmp_path / "k.backup", data_dir=tmp_path / "data", logical=logical)
        source.migrate()  # after the backup: only to export what it holds
        before = _export(source)
        native = "sqlite" if engine_name == "sqlite" else "pg_dump"
        assert report.database_format == ("logical" if logical else native)
    except BaseException:
        drop_database(source)
        raise
    with restore_target(source, tmp_path) as (target, _url):
        if crash:
            close = restoring._close

            def close_then_die(*args: object, **kwargs: object) -> int:
                close(*args, **kwargs)  # type: ignore[arg-type]
                raise RuntimeError("killed after the restore row")

            monkeypatch.setattr(restoring, "_close", close_then_die)
            with pytest.raises(RuntimeError, match="killed"):
                restore(tmp_path / "k.backup", target, data_dir=tmp_path / "restored")
            assert first_filled_table(target) is None
            assert target.current_revision() in (None, OLDER)  # the upgrade rolled back
            monkeypatch.setattr(restoring, "_close", close)
        result = restore(tmp_path / "k.backup", target, data_dir=tmp_path / "restored")
        assert result.migrated == ["0015_retracted_index"]
        assert target.current_revision() == head_revision()
        assert _export(target) == before
        assert verify(target) == []
        last = audit_log(target)[-1]
        assert head is not None and (last["action"], last["prev"]) == ("restore", head["hash"])
        assert last["seq"] == result.audit_seq
        with target.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM web_session")).scalar() == 0


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="KHRONIKA_TEST_PG_URL is not set")
@pytest.mark.parametrize("source_left", [True, False], ids=["source-schema-there", "gone"])
def test_a_pg_dump_restores_into_another_schema(source_left: bool, tmp_path: Path) -> None:
    """Into a schema of another name, with the source's schema still in the database (it is
    renamed aside for the load, and back) or gone: the same records, the same chain, the
    restore row on it, the defaults on the target's own sequences, the source untouched."""
    source, _ = make_database("postgres", tmp_path / "source")
    target, _ = make_database("postgres", tmp_path / "target")  # migrated, empty
    try:
        _fill(source, tmp_path / "data", tmp_path)
        before, head = _export(source), audit_head(source)
        report = backup(source, tmp_path / "k.backup", data_dir=tmp_path / "data")
        assert report.database_format == "pg_dump" and source.schema != target.schema
        if not source_left:
            drop_database(source)
        result = restore(tmp_path / "k.backup", target, data_dir=tmp_path / "restored")
        assert _export(target) == before
        assert verify(target) == []
        last = audit_log(target)[-1]
        assert head is not None and (last["action"], last["prev"]) == ("restore", head["hash"])
        assert last["seq"] == result.audit_seq == head["seq"] + 1
        with target.connect() as conn:
            found = conn.execute(
                text(
                    "SELECT DISTINCT n.nspname FROM pg_attrdef d "
                    "JOIN pg_depend p ON p.classid = 'pg_attrdef'::regclass AND p.objid = d.oid "
                    "AND p.refclassid = 'pg_class'::regclass "
                    "JOIN pg_class s ON s.oid = p.refobjid AND s.relkind = 'S' "
                    "JOIN pg_class t ON t.oid = d.adrelid "
                    "JOIN pg_namespace n ON n.oid = s.relnamespace "
                    "WHERE t.relnamespace = current_schema()::regnamespace"
                )
            ).scalars()
            assert list(found) == [target.schema]
        if source_left:
            assert _export(source) == before and verify(source) == []
    finally:
        if source_left:
            drop_database(source)
        drop_database(target)


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="KHRONIKA_TEST_PG_URL is not set")
def test_a_pg_dump_with_objects_khronika_never_makes_is_refused(tmp_path: Path) -> None:
    """A function (made behind khronika's back) is SQL text that may name its schema: the
    backup is refused before anything is written, and says what to do instead."""
    source, _ = make_database("postgres", tmp_path / "source")
    target, _ = make_database("postgres", tmp_path / "target")
    try:
        _fill(source, tmp_path / "data", tmp_path)
        with source.begin() as conn:
            conn.execute(text("CREATE FUNCTION planted() RETURNS int LANGUAGE sql AS 'SELECT 1'"))
        backup(source, tmp_path / "k.backup", data_dir=tmp_path / "data")
        with pytest.raises(ConfigurationError, match="never has .*FUNCTION.*--logical"):
            restore(tmp_path / "k.backup", target, data_dir=tmp_path / "restored")
        assert _export(target) == _export(make_database("sqlite", tmp_path / "empty")[0])
        assert not (tmp_path / "restored").exists()
    finally:
        from tests.conftest import drop_database

        drop_database(source)
        drop_database(target)


def test_cli_encrypted_round_trip(db: Database, tmp_path: Path) -> None:
    data, restored = tmp_path / "data", tmp_path / "restored-data"
    _fill(db, data, tmp_path)
    before = _export(db)
    out = _cli(db, "backup", str(tmp_path / "k.backup"), "--data-dir", str(data),
               "--passphrase-stdin", stdin=PASSPHRASE + b"\n")  # fmt: skip
    assert b"encrypted" in out and PASSPHRASE not in out
    raw = (tmp_path / "k.backup").read_bytes()
    assert raw.startswith(crypto.MAGIC) and b"court ruling" not in raw
    with restore_target(db, tmp_path) as (target, _):
        target.migrate()  # `khronika init` first: empty still, so it takes the backup
        url = PG_URL if target.schema else target.url
        pw = tmp_path / "pw"
        pw.write_bytes(PASSPHRASE + b"\n")
        args = ["restore", str(tmp_path / "k.backup"), "--db", url, "--data-dir", str(restored)]
        _cli(target, *args, "--passphrase-file", str(pw))
        assert _export(target) == before and _files(restored) == _files(data)
        assert b"intact" in _cli(target, "audit", "verify")
        assert [r["action"] for r in audit_log(target)][-1] == "restore"


@pytest.fixture
def made(tmp_path: Path) -> Path:
    """A SQLite database with data, and its plain backup at tmp_path/k.backup."""
    db, _ = make_database("sqlite", tmp_path / "source")
    _fill(db, tmp_path / "data", tmp_path)
    backup(db, tmp_path / "k.backup", data_dir=tmp_path / "data")
    db.dispose()
    return tmp_path / "k.backup"


def _refused(path: Path, tmp_path: Path, match: str, **kwargs: object) -> None:
    """Restoring `path` fails with `match`, and nothing is written anywhere."""
    target = Database(f"sqlite:///{tmp_path / 'restored.db'}")
    with pytest.raises(BackupRejected, match=match):
        restore(path, target, data_dir=tmp_path / "restored-data", **kwargs)  # type: ignore[arg-type]
    assert not (tmp_path / "restored.db").exists()
    assert not (tmp_path / "restored-data").exists()


def _member_offset(path: Path, name: str) -> tuple[int, int]:
    with tarfile.open(path) as tar:
        m = tar.getmember(name)
        return m.offset_data, m.size


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("member", "match"),
    [
        ("database/khronika.sqlite", "'database/khronika.sqlite' does not match its checksum"),
        ("files/archive/sha256", "does not match its checksum"),
        ("manifest.json", "manifest does not match its digest"),
        ("manifest.sha256", "manifest does not match its digest"),
    ],
)
def test_a_flipped_byte_is_refused_and_nothing_is_written(
    made: Path, tmp_path: Path, member: str, match: str
) -> None:
    with tarfile.open(made) as tar:
        name = next(n for n in tar.getnames() if n.startswith(member))
    offset, size = _member_offset(made, name)
    _flip(made, offset + size // 2)
    _refused(made, tmp_path, match)


def test_a_damaged_header_reads_as_truncated(made: Path, tmp_path: Path) -> None:
    with tarfile.open(made) as tar:
        header = tar.getmember("manifest.json").offset
    _flip(made, header + 10)  # inside the member's name: its header checksum fails
    _refused(made, tmp_path, "damaged or truncated: it ends before its manifest")


@pytest.mark.parametrize("where", ["in the database", "before the manifest", "in the end"])
def test_a_truncated_backup_is_refused(made: Path, tmp_path: Path, where: str) -> None:
    offset, size = _member_offset(made, "database/khronika.sqlite")
    with tarfile.open(made) as tar:
        manifest = tar.getmember("manifest.json").offset
    cut = {"in the database": offset + size // 2, "before the manifest": manifest}.get(
        where, made.stat().st_size - 20_000
    )
    made.write_bytes(made.read_bytes()[:cut])
    _refused(made, tmp_path, "damaged or truncated")


def _encrypted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An encrypted backup in 4 KiB chunks (so that it has many)."""
    monkeypatch.setattr(crypto, "CHUNK", 4096)
    db, _ = make_database("sqlite", tmp_path / "source")
    _fill(db, tmp_path / "data", tmp_path)
    path = tmp_path / "e.backup"
    backup(db, path, data_dir=tmp_path / "data", passphrase=PASSPHRASE)
    db.dispose()
    return path


def test_encrypted_backup_refuses_wrong_missing_passphrase_damage_and_truncation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _encrypted(tmp_path, monkeypatch)
    good = path.read_bytes()
    _refused(path, tmp_path, "encrypted: give its passphrase")
    _refused(path, tmp_path, "wrong passphrase", passphrase=b"not the passphrase")
    header = len(crypto.MAGIC) + crypto._HEADER.size + 16
    cases = {
        "chunk 3 fails its check": lambda b: _flipped(b, header + 3 * 4112 + 100),
        "ends after 5 chunk\\(s\\), before its last": lambda b: b[: header + 5 * 4112],
        "chunk 5 fails its check": lambda b: b[: header + 5 * 4112 + 99],
        "damaged or truncated: chunk \\d+ fails": lambda b: b + b"\0",  # appended
        "wrong passphrase \\(or the backup's header is damaged\\)": lambda b: _flipped(b, 40),
    }
    for match, damage in cases.items():
        path.write_bytes(damage(good))
        _refused(path, tmp_path, match, passphrase=PASSPHRASE)
    path.write_bytes(good)
    report = restore(path, Database(f"sqlite:///{tmp_path / 'ok.db'}"), data_dir=tmp_path / "ok",
                     passphrase=PASSPHRASE)  # fmt: skip
    assert report.encrypted and _files(tmp_path / "ok") == _files(tmp_path / "data")


def _flipped(data: bytes, offset: int) -> bytes:
    out = bytearray(data)
    out[offset] ^= 0x80
    return bytes(out)


def test_what_is_not_a_khronika_backup_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk"
    junk.write_bytes(os.urandom(5000))
    _refused(junk, tmp_path, "not a khronika backup")
    foreign = tmp_path / "foreign.tar"
    (tmp_path / "x.txt").write_text("x")
    with tarfile.open(foreign, "w") as tar:
        tar.add(tmp_path / "x.txt", arcname="x.txt")
    _refused(foreign, tmp_path, "not a khronika backup")


@pytest.mark.parametrize("name", ["files/../../escaped", "/etc/passwd", "files/.restore-x/y"])
def test_a_member_outside_the_shapes_is_refused(made: Path, tmp_path: Path, name: str) -> None:
    """A crafted backup cannot write outside the data directory."""
    evil = tmp_path / "evil.backup"
    with tarfile.open(made) as src, tarfile.open(evil, "w", format=tarfile.PAX_FORMAT) as out:
        for m in src.getmembers():
            if m.name.startswith("files/"):
                m.name = name
            out.addfile(m, src.extractfile(m))
    _refused(evil, tmp_path, "member")
    assert not (tmp_path / "escaped").exists()


def test_restore_into_a_database_with_records_is_refused(made: Path, tmp_path: Path) -> None:
    target = Database(f"sqlite:///{tmp_path / 'source' / 'test.db'}")
    before = _export(target)
    with pytest.raises(ConfigurationError, match="is not empty"):
        restore(made, target, data_dir=tmp_path / "data")
    assert _export(target) == before
    result = CliRunner().invoke(cli, ["restore", str(made), "--db", target.url])
    assert result.exit_code == 1 and "is not empty" in result.output
    assert "Traceback" not in result.output


def test_a_live_database_under_the_data_directory_is_not_copied_as_a_file(tmp_path: Path) -> None:
    db, _ = make_database("sqlite", tmp_path)  # tmp_path/test.db, beside the data
    _fill(db, tmp_path, tmp_path)
    report = backup(db, tmp_path / "k.backup", data_dir=tmp_path)
    with tarfile.open(tmp_path / "k.backup") as tar:
        names = tar.getnames()
    assert "database/khronika.sqlite" in names
    assert not [n for n in names if n.startswith("files/") and ("test.db" in n or "k.backup" in n)]
    assert report.files == len([n for n in names if n.startswith("files/")])
