"""Fixtures strategy for the web app: one small synthetic registry per test database.

`web_db` imports `tests/fixtures/web_public.ndjson` (public people with private notes,
a withheld and a restricted person, a restricted source, a non-public facility, a
retracted event, a restricted event of a public person, an event known only from a
restricted source, a free-form detail key) into a database made once per test module and engine (pages only read
it); `client` serves it with today fixed at 2025-05-01. Tests that write use `db` (fresh
per test) and `make_client`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from khronika.interchange import import_records, read_ndjson
from khronika.storage import Database
from khronika.web import create_app
from tests.conftest import ENGINES, drop_database, make_database

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "web_public.ndjson"
TODAY = date(2025, 5, 1)
#: Strings of the fixture that no public output may contain.
FORBIDDEN = (
    "PRIVATENOTE",
    "RESTRICTEDSOURCE",
    "RESTRICTEDPUBLISHER",
    "secret.example",
    "SECRETFACILITY",
    "SECRETADDRESS",
    "RETRACTIONREASON",
    "Withheldname",
    "Zzyzx",
    "Утоенае",
    "Restrictedname",
    "Qwxy",
    "sizo-x",
    "s-secret",
    '"w1"',
    "/w1",
    '"r1"',
    "/r1",
    "ew1",
    "er1",
    "INFORMANTNOTE",  # a free-form detail key of a public event
    "ehid1",  # an event of a public person, restricted by its own tier
    '"e8"',  # cites only a restricted source: restricted by rule
)


def load_fixture(db: Database, path: Path = FIXTURE) -> None:
    """Import an NDJSON fixture file into `db`."""
    with open(path, "rb") as f:
        import_records(db, read_ndjson(f, path.name))


@pytest.fixture(scope="module", params=ENGINES)
def web_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """A database with the web fixture imported, shared by one module's read-only tests."""
    database, _ = make_database(str(request.param), tmp_path_factory.mktemp("web"))
    load_fixture(database)
    yield database
    drop_database(database)


def make_client(db: Database, data_dir: Path) -> TestClient:
    """A test client of the app over `db` (today = 2025-05-01, data checked every request)."""
    return TestClient(
        create_app(db, data_dir=data_dir, clock=lambda: TODAY, refresh=0, background=False)
    )


@pytest.fixture(scope="module")
def client(web_db: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A client of the app over the shared fixture database."""
    with make_client(web_db, tmp_path_factory.mktemp("data")) as c:
        yield c
