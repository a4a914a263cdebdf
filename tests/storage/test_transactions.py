"""Units of work on SQLite: one that reads, then writes after another writer committed,
waits for the write lock instead of failing with "database is locked" (a save lost while
an import runs, seen in bench/load.py)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from sqlalchemy import text

from tests.conftest import make_database


def test_a_reading_writer_waits_for_the_other_writer_and_succeeds(tmp_path: Path) -> None:
    db, _ = make_database("sqlite", tmp_path)
    insert = text("INSERT INTO login_failure (key, at) VALUES (:k, '2026-01-01T00:00:00.000000Z')")
    a_writing, b_begun = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def importer() -> None:
        with db.begin() as conn:
            conn.execute(insert, {"k": "a"})
            a_writing.set()
            b_begun.wait(5)
            time.sleep(0.3)  # the other unit of work reads meanwhile, if it can

    def editor() -> None:
        try:
            a_writing.wait(5)
            b_begun.set()
            with db.begin() as conn:
                n = conn.execute(text("SELECT count(*) FROM login_failure")).scalar_one()
                time.sleep(0.5)  # the importer commits here
                conn.execute(insert, {"k": f"b{n}"})
        except BaseException as e:  # noqa: BLE001 - the test reports it below
            errors.append(e)

    threads = [threading.Thread(target=importer), threading.Thread(target=editor)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    with db.connect() as conn:
        keys = sorted(conn.execute(text("SELECT key FROM login_failure")).scalars())
    # The editor began after the importer committed: it saw the importer's row.
    assert keys == ["a", "b1"]
