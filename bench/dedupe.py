"""Benchmark `names dedupe` against the demo's planted duplicates; prints a table.

    .venv/bin/python bench/dedupe.py [--people 100000] [--seed 7]

1. Builds the `--people` demo once with its planted duplicates (`DemoConfig.duplicates`,
   1.5 % of the people recorded a second time as a peer's archive has them), cached as
   DATA_DIR/dedupe-demo-<people>.db (apart from the load bench's file).
2. Copies it to a scratch file (dedupe skips pairs proposed before, so every run starts
   from a queue without them) and runs `propose_duplicates` there, timed whole: load,
   block, score, write the review queue.
3. Compares the proposals with `planted_pairs(cfg)` (known from the configuration alone;
   dedupe never sees it): precision, recall, proposals, seconds, against the budgets of
   issue 13 (≥ 0.9, ≥ 0.9, ≤ 60 s).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from bench.common import DATA_DIR, Result, print_table
from khronika.demo import DemoConfig, build_demo, planted_pairs
from khronika.registry.dedupe import DedupeReport, propose_duplicates
from khronika.storage import Database
from khronika.storage import review as review_store

BUDGET_PRECISION = 0.9
BUDGET_RECALL = 0.9
BUDGET_SECONDS = 60.0


def demo_file(cfg: DemoConfig) -> Path:
    """The cached demo of `cfg` (built on first use; a `.done` file marks it complete)."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / f"dedupe-demo-{cfg.people}.db"
    done = Path(f"{path}.done")
    stamp = f"people={cfg.people} seed={cfg.seed} duplicates={cfg.duplicates}\n"
    if done.exists() and done.read_text() == stamp:
        return path
    for suffix in ("", "-wal", "-shm", ".done"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    print(f"building the {cfg.people:,}-person demo in {path} (once)…", file=sys.stderr)
    t = time.perf_counter()
    db = Database(f"sqlite:///{path}")
    db.migrate()
    build_demo(db, cfg)
    db.dispose()
    print(f"built in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    done.write_text(stamp)
    return path


def measure(path: Path, cfg: DemoConfig) -> tuple[DedupeReport, float, set[tuple[str, str]]]:
    """Run dedupe on a scratch copy of `path`; return its report, seconds, pairs proposed."""
    scratch = path.with_name(f"{path.stem}-run.db")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{scratch}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(path, scratch)
    db = Database(f"sqlite:///{scratch}")
    try:
        t = time.perf_counter()
        report = propose_duplicates(db)
        seconds = time.perf_counter() - t
        with db.connect() as conn:
            proposed = set(review_store.candidate_pairs(conn, "person-person"))
    finally:
        db.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{scratch}{suffix}").unlink(missing_ok=True)
    return report, seconds, proposed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--build-only", action="store_true", help="Build the demo and stop.")
    args = parser.parse_args()
    cfg = DemoConfig(people=args.people, seed=args.seed)
    path = demo_file(cfg)
    if args.build_only:
        return 0
    report, seconds, proposed = measure(path, cfg)
    planted = {tuple(sorted(p)) for p in planted_pairs(cfg)}
    hits = len(proposed & planted)
    precision = hits / len(proposed) if proposed else 1.0
    recall = hits / len(planted) if planted else 1.0
    engine = "sqlite"
    results = [
        Result(
            "precision (planted pairs among proposals)",
            engine,
            precision,
            "",
            "≥ 0.9",
            precision >= BUDGET_PRECISION,
        ),
        Result(
            "recall (planted pairs proposed)", engine, recall, "", "≥ 0.9", recall >= BUDGET_RECALL
        ),
        Result("proposals", engine, len(proposed), "", f"{len(planted)} planted"),
        Result(
            "names dedupe, whole run", engine, seconds, "s", "≤ 60 s", seconds <= BUDGET_SECONDS
        ),
    ]
    print_table(f"names dedupe on the {cfg.people:,}-person demo (seed {cfg.seed})", results)
    print(f"\nreport: {report.to_json() | {'candidates': len(report.candidates)}}")
    return 0 if all(r.ok is not False for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
