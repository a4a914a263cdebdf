"""Registry benchmarks: import 100k people + 1M events (NDJSON), export them, look one up.

    python -m bench.registry [--people 100000]

The NDJSON file is generated once by `khronika demo --out` and cached under DATA_DIR.
Budget (DESIGN.md): import of 100k people + 1M events on SQLite ≤ 60 s.
"""

from __future__ import annotations

import argparse
import io
import time

from bench.common import DATA_DIR, Result, engines, fresh_database, median_time, print_table
from khronika.demo import DemoConfig, write_demo
from khronika.interchange import export_records, import_records, read_ndjson, write_ndjson
from khronika.registry import get_person, search_people


def _demo_file(people: int, seed: int = 7):  # type: ignore[no-untyped-def]
    path = DATA_DIR / f"demo-{people // 1000}k-seed{seed}.ndjson"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        with open(tmp, "wb") as f:
            write_demo(DemoConfig(people=people, seed=seed), f)
        tmp.replace(path)
    return path


def run(people: int) -> list[Result]:
    """Measure on every configured engine; return the results."""
    path = _demo_file(people)
    with open(path, "rb") as f:
        lines = sum(1 for _ in f)
    results = []
    for engine in engines():
        with fresh_database(engine, f"registry{people}") as db:
            t = time.perf_counter()
            with open(path, "rb") as f:
                report = import_records(db, read_ndjson(f, path.name))
            took = time.perf_counter() - t
            events = report.added["event"]
            label = f"import {people // 1000}k people + {events / 1e6:.2f}M events"
            ok = took <= 60 if engine == "sqlite" and people >= 100_000 else None
            results.append(Result(label, engine, took, "s", "≤ 60 s (SQLite)", ok))
            t = time.perf_counter()
            out = io.BytesIO()
            n = write_ndjson(export_records(db), out)
            results.append(
                Result(
                    f"export {n / 1e6:.2f}M records (NDJSON)", engine, time.perf_counter() - t, "s"
                )
            )
            pid = f"p{people // 2}"
            results.append(
                Result(
                    "person show (one person, events)",
                    engine,
                    median_time(lambda: get_person(db, pid)) * 1000,  # noqa: B023 - called at once
                    "ms",
                )
            )
            results.append(
                Result(
                    "person search (substring, any script)",
                    engine,
                    median_time(lambda: search_people(db, "ганна")) * 1000,
                    "ms",
                )
            )
    print(f"(file: {path}, {lines:,} lines)")
    return results


def main() -> None:
    """Run and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=100_000)
    args = parser.parse_args()
    print_table("registry", run(args.people))


if __name__ == "__main__":
    main()
