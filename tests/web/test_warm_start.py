"""A worker keeps its first catalogue on disk; the next one starts from it, brought up to
date, and never from one of other code or of another database (`khronika.web.warm`)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from khronika.registry import add_record
from khronika.storage import Database
from khronika.web import warm
from khronika.web.app import create_app
from khronika.web.catalogue import Catalogue
from tests.web.conftest import load_fixture
from tests.web.test_catalogue_updates import current


def _started(db: Database, data: Path) -> tuple[Any, dict[str, str]]:
    """Start a serving app (background build) over `db`; return it and some of its pages
    once its catalogue is complete."""
    app = create_app(db, data_dir=data, refresh=0, background=True)
    with TestClient(app) as c:
        deadline = time.monotonic() + 60
        while not app.state.catalogue.complete and time.monotonic() < deadline:
            time.sleep(0.02)
        assert app.state.catalogue.complete
        pages = {u: c.get(u).text for u in ("/en/people", "/people?q=Taras", "/ru/people/p2")}
    return app, pages


def _kept(app: Any, *, after: int = 0) -> Path:
    """The app's kept catalogue, once written (by a child process) after `after` (ns)."""
    kept = app.state.catalogue.kept
    deadline = time.monotonic() + 60
    while not (kept.exists() and kept.stat().st_mtime_ns > after):
        assert time.monotonic() < deadline, "the catalogue was never kept"
        time.sleep(0.02)
    return Path(kept)


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the full builds of a catalogue."""
    done: list[int] = []
    real = Catalogue.build

    def counted(database: Database) -> Catalogue:
        done.append(1)
        return real(database)

    monkeypatch.setattr(Catalogue, "build", classmethod(lambda cls, d: counted(d)))
    return done


def test_the_next_worker_starts_from_the_kept_catalogue(
    db: Database, tmp_path: Path, builds: list[int]
) -> None:
    load_fixture(db)
    first, pages = _started(db, tmp_path / "data")
    kept = _kept(first)
    assert kept.stat().st_mode & 0o777 == 0o600
    assert len(builds) == 1
    second, again = _started(db, tmp_path / "data")
    assert len(builds) == 1  # loaded, not built: the same pages, search included
    assert again == pages and "Тарас Мельнік" in pages["/people?q=Taras"]


def test_what_changed_since_is_read_again_and_the_hidden_stay_hidden(
    db: Database, tmp_path: Path, builds: list[int]
) -> None:
    load_fixture(db)
    first, pages = _started(db, tmp_path / "data")
    assert 'href="/en/people/p2"' in pages["/en/people"]
    kept = _kept(first)
    written = kept.stat().st_mtime_ns
    add_record(db, {**current(db, "p2"), "visibility": "withheld"})
    _, now = _started(db, tmp_path / "data")
    assert len(builds) == 1  # patched from the kept one, not built again
    assert "/people/p2" not in now["/en/people"] and "Тарас" not in now["/people?q=Taras"]
    assert "Тарас" not in now["/ru/people/p2"]
    assert _kept(first, after=written)  # kept again, as patched


def test_a_catalogue_of_other_code_or_another_database_is_never_read(
    db: Database, tmp_path: Path, builds: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    load_fixture(db)
    first, _ = _started(db, tmp_path / "data")
    kept = _kept(first)
    monkeypatch.setattr(warm, "code_digest", lambda: "another version of khronika")
    assert warm.load(kept, db) is None
    monkeypatch.undo()
    assert warm.load(kept, db) is not None
    # Another database with another history at the same address: its rows differ.
    other = Database("sqlite://")
    other.migrate()
    load_fixture(other, Path(__file__).parents[1] / "fixtures" / "registry_small.ndjson")
    try:
        assert warm.load(kept, other) is None
    finally:
        other.dispose()
    kept.write_bytes(kept.read_bytes()[:200])  # damaged: as if none were kept
    assert warm.load(kept, db) is None
