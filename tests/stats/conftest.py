"""Fixtures of the figures tests: the scenario database (tests/fixtures/stats_scenario.ndjson)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from khronika.interchange import import_records, read_ndjson
from khronika.storage import Database
from tests.conftest import ENGINES, drop_database, make_database

SCENARIO = Path(__file__).resolve().parents[1] / "fixtures" / "stats_scenario.ndjson"


def load_scenario(db: Database) -> None:
    """Import the scenario file into `db`."""
    with open(SCENARIO, "rb") as f:
        import_records(db, read_ndjson(f, SCENARIO.name))


@pytest.fixture(scope="module", params=ENGINES)
def scenario_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """The scenario, imported once per module and engine (tests only read it)."""
    engine = request.param
    db, _ = make_database(engine, tmp_path_factory.mktemp(f"scenario-{engine}"))
    load_scenario(db)
    yield db
    drop_database(db)
