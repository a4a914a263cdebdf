"""Benchmark the figures: warm library calls on demo data, SQLite and PostgreSQL side by side.

Usage:
    python -m bench.stats [--people 1000000] [--seed 1] [--repeat 5]

The demo database of each size is built once and cached outside the repository
(KHRONIKA_BENCH_DIR, default /work/bench-data): a SQLite file and, when
KHRONIKA_BENCH_PG_URL (or KHRONIKA_TEST_PG_URL) is set, a PostgreSQL schema. Each figure is
called once to warm up, then `--repeat` times; the table shows the median.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import text

from khronika.demo import RECOGNISER, DemoConfig, build_demo
from khronika.stats import ensure_spans, figures, flows, series
from khronika.storage import Database

BUDGETS: list[tuple[str, float, Callable[[Database], Any]]] = [
    ("figures 2025-05-01", 0.5, lambda db: figures(db, "2025-05-01", by=RECOGNISER)),
    (
        "figures 2023-06-01 known on 2024-01-01",
        0.5,
        lambda db: figures(db, "2023-06-01", known_on="2024-01-01", by=RECOGNISER),
    ),
    (
        "flows 2024-05-01..2025-04-30",
        0.5,
        lambda db: flows(db, "2024-05-01", "2025-04-30", by=RECOGNISER),
    ),
    (
        "series monthly 2020-01..2025-12",
        2.0,
        lambda db: series(db, "2020-01-01", "2025-12-31", step="month", by=RECOGNISER),
    ),
    (
        "series monthly, known on asof",
        2.0,
        lambda db: series(
            db, "2020-01-01", "2025-12-31", step="month", by=RECOGNISER, known_on="asof"
        ),
    ),
]


def _bench_dir() -> Path:
    path = Path(os.environ.get("KHRONIKA_BENCH_DIR", "/work/bench-data"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _build(db: Database, people: int, seed: int, marker: Path) -> None:
    db.migrate()  # a cached database from an older revision is brought up to date
    if marker.exists():
        return
    started = time.monotonic()
    build_demo(db, DemoConfig(people=people, seed=seed))
    marker.write_text(f"built in {time.monotonic() - started:.0f} s\n")


def sqlite_db(people: int, seed: int) -> Database:
    """The cached SQLite demo database of `people` people."""
    d = _bench_dir()
    db = Database(f"sqlite:///{d / f'stats-{people}-{seed}.db'}")
    _build(db, people, seed, d / f"stats-{people}-{seed}.sqlite.done")
    return db


def postgres_db(url: str, people: int, seed: int) -> Database:
    """The cached PostgreSQL demo database (a schema of its own) of `people` people."""
    schema = f"bench_stats_{people}_{seed}"
    admin = Database(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    admin.dispose()
    db = Database(url, schema=schema)
    _build(db, people, seed, _bench_dir() / f"stats-{people}-{seed}.{schema}.done")
    return db


def _settle(db: Database) -> None:
    """Let PostgreSQL plan with statistics and scan indexes alone (visibility map)."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))


def measure(db: Database, fn: Callable[[Database], Any], repeat: int) -> float:
    """Median seconds of `repeat` warm calls."""
    fn(db)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn(db)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    """Build (or reuse) the datasets and print the table."""
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--people", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--engines", default="sqlite,postgres")
    ap.add_argument(
        "--build-only", action="store_true", help="build the data and the cache, measure nothing"
    )
    args = ap.parse_args()
    pg_url = os.environ.get("KHRONIKA_BENCH_PG_URL") or os.environ.get("KHRONIKA_TEST_PG_URL")
    dbs: dict[str, Database] = {}
    if "sqlite" in args.engines:
        dbs["SQLite"] = sqlite_db(args.people, args.seed)
    if "postgres" in args.engines and pg_url:
        dbs["PostgreSQL"] = postgres_db(pg_url, args.people, args.seed)
    for name, db in dbs.items():
        started = time.perf_counter()
        ensure_spans(db)
        print(f"{name}: figures cache ready in {time.perf_counter() - started:.1f} s")
        _settle(db)
    if args.build_only:
        return
    with next(iter(dbs.values())).connect() as conn:
        events = conn.execute(text("SELECT count(*) FROM event")).scalar_one()
    print(f"demo data: {args.people:,} people, {events:,} event versions (seed {args.seed})")
    header = f"| {'figure':<40} | {'budget':>7} | " + " | ".join(f"{n:>10}" for n in dbs) + " |"
    print(header)
    print("|" + "-" * 42 + "|" + "-" * 9 + "|" + "|".join("-" * 12 for _ in dbs) + "|")
    for name, budget, fn in BUDGETS:
        cells = []
        for db in dbs.values():
            t = measure(db, fn, args.repeat)
            cells.append(f"{t:>8.3f} s" + ("" if t <= budget else "!"))
        print(f"| {name:<40} | {budget:>5.1f} s | " + " | ".join(f"{c:>10}" for c in cells) + " |")
    print("(median of warm calls; ! marks a missed budget)")


if __name__ == "__main__":
    main()
