"""Benchmark the lists watch against its budgets; prints a table (medians of N runs).

    .venv/bin/python bench/lists.py [--runs 5]

Reads the real Rosfinmonitoring page from ../shared/data/lists (never copied into the
repository). Budgets (DESIGN.md): parse the full page (16k people) ≤ 3 s; diff two
16k-entry snapshots ≤ 1 s. The diff is measured both as the pure diff with key assignment
(a shuffled copy with 30 removals, 30 additions and 30 changed flags) and through the
database (`lists diff` between two imported snapshots, SQLite).
Exit status 1 when a budget is exceeded.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from khronika.listwatch.diff import diff_entries
from khronika.listwatch.formats import fedsfm
from khronika.listwatch.reports import diff_snapshots
from khronika.listwatch.snapshots import add_list, import_snapshot
from khronika.storage import Database

PAGE = (Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "lists" / "ru-fedsfm"
        / "fedsfm_full_2024-12-05.html").resolve()


def median_time(fn: Callable[[], object], runs: int) -> float:
    """Median wall time of `runs` calls of fn, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not PAGE.exists():
        print(f"real data not found: {PAGE}", file=sys.stderr)
        return 2
    data = PAGE.read_bytes()
    entries = list(fedsfm.parse(data).entries)
    rng = random.Random(5)
    edited = entries[30:]
    rng.shuffle(edited)
    edited = [replace(e, fields={**e.fields, "terrorist_flag": not e.fields["terrorist_flag"]})
              if i < 30 else e for i, e in enumerate(edited)]
    edited += [replace(e, name=f"ВЫМЫШЛЕННЫЙ {i} {e.name}") for i, e in enumerate(entries[:30])]

    rows: list[tuple[str, float, float]] = []
    rows.append(("parse fedsfm full page (16,675 entries)",
                 median_time(lambda: fedsfm.parse(data), args.runs), 3.0))
    rows.append(("diff 16k snapshots, pure (keys + fields)",
                 median_time(lambda: diff_entries(entries, edited, by_source_id=False),
                             args.runs), 1.0))
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/bench.db")
        db.migrate()
        add_list(db, "f", title="f", issuer="bench", country="RU", fmt="ru-fedsfm-html")
        start = time.perf_counter()
        import_snapshot(db, "f", data, taken="2024-12-05", data_dir=Path(tmp))
        rows.append(("import first 16k snapshot (SQLite)", time.perf_counter() - start, 0.0))
        extra = "<li>1. ВЫМЫШЛЕННЫЙ ЯН, 01.01.1990 г.р. , Г. Х;</li></ol>".encode()
        second = data.replace(b"</ol>", extra, 1)
        start = time.perf_counter()
        import_snapshot(db, "f", second, taken="2024-12-06", data_dir=Path(tmp))
        rows.append(("import next 16k snapshot (SQLite)", time.perf_counter() - start, 0.0))
        rows.append(("diff 16k snapshots from the database (SQLite)",
                     median_time(lambda: diff_snapshots(db, "f"), args.runs), 1.0))
        db.dispose()

    failed = False
    print(f"{'work':<48} {'median s':>9} {'budget s':>9}  ok")
    for name, seconds, budget in rows:
        ok = budget == 0.0 or seconds <= budget
        failed |= not ok
        shown = f"{budget:.1f}" if budget else "-"
        print(f"{name:<48} {seconds:>9.3f} {shown:>9}  {'yes' if ok else 'NO'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
