"""What the benchmarks share: engines to run on, timing, and the table they print."""

from __future__ import annotations

import os
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from khronika.storage import Database

__all__ = ["DATA_DIR", "Result", "engines", "fresh_database", "median_time", "print_table"]

#: Where generated benchmark data is cached (outside the repository).
DATA_DIR = Path(
    os.environ.get("KHRONIKA_BENCH_DATA", Path(__file__).resolve().parents[2] / "bench-data")
)
PG_URL = os.environ.get("KHRONIKA_BENCH_PG_URL") or os.environ.get("KHRONIKA_TEST_PG_URL", "")


@dataclass
class Result:
    """One measured figure."""

    work: str
    engine: str
    value: float
    unit: str
    budget: str = ""
    ok: bool | None = None


def engines() -> list[str]:
    """The engines to measure: SQLite always, PostgreSQL when a URL is configured."""
    return ["sqlite", "postgres"] if PG_URL else ["sqlite"]


@contextmanager
def fresh_database(engine: str, name: str) -> Iterator[Database]:
    """An empty migrated database on `engine` (a file under DATA_DIR, or a PG schema)."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    if engine == "sqlite":
        path = DATA_DIR / f"{name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        db = Database(f"sqlite:///{path}")
        db.migrate()
        try:
            yield db
        finally:
            db.dispose()
        return
    schema = f"bench_{name}_{uuid.uuid4().hex[:6]}"
    admin = Database(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    db = Database(PG_URL, schema=schema)
    db.migrate()
    try:
        yield db
    finally:
        db.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def median_time(fn: Callable[[], object], *, repeat: int = 5) -> float:
    """Median wall time of `fn` in seconds over `repeat` runs (after one warm-up run)."""
    fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def print_table(title: str, results: list[Result]) -> None:
    """Print results as a table: one row per work, one column per engine."""
    works = list(dict.fromkeys(r.work for r in results))
    cols = list(dict.fromkeys(r.engine for r in results))
    cell = {(r.work, r.engine): r for r in results}
    print(f"\n{title}")
    header = f"| {'work':<46} | " + " | ".join(f"{c:>18}" for c in cols) + " | budget |"
    print(header)
    print("|" + "-" * 48 + "|" + "|".join("-" * 20 for _ in cols) + "|--------|")
    for w in works:
        row = []
        budget = ""
        for c in cols:
            r = cell.get((w, c))
            if r is None:
                row.append(f"{'–':>18}")
                continue
            mark = "" if r.ok is None else (" ok" if r.ok else " MISS")
            row.append(f"{r.value:>11.3f} {r.unit:<3}{mark:>4}")
            budget = r.budget or budget
        print(f"| {w:<46} | " + " | ".join(row) + f" | {budget} |")
