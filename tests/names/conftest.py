"""Fixtures strategy: the names tests need no database.

Unit tests use small tables of invented names written inside each test module. Tests
marked `realdata` read `/work/shared/data/names/` (real people: never copied here) and skip
with the reason when it is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
NAMES_DATA = SHARED_DATA / "names"


@pytest.fixture(scope="session")
def names_data() -> Path:
    """The shared names data folder, or skip."""
    if not NAMES_DATA.is_dir():
        pytest.skip(f"real data folder {NAMES_DATA} is absent")
    return NAMES_DATA
