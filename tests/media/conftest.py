"""Media fixtures: the evaluation registry in a database (every name is invented)."""

from __future__ import annotations

import json
from pathlib import Path

from khronika.interchange import import_records
from khronika.registry import RawRecord
from khronika.storage import Database

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "media"


def load_registry(db: Database) -> None:
    """Import the evaluation set's people (and its one source)."""
    lines = (FIXTURES / "eval_registry.ndjson").read_text("utf-8").splitlines()
    import_records(db, [RawRecord(f"eval:{i}", json.loads(x)) for i, x in enumerate(lines, 1)])
