"""Benchmark registry dedupe (blocking + scoring) and the review queue; prints a table.

    .venv/bin/python bench/review.py [--sizes 10000,100000] [--scorer standin|names]

People come from the synthetic demo stock (Zipf surnames, three spellings each); for each
size, 1 % of them get a planted duplicate: one of their spellings only, surname first,
upper case for half of them, birth date kept or cut to the year. Measured: the pure
`find_duplicates` (blocking and scoring), the candidates found, the planted pairs found
(recall), and at 10k the whole `names dedupe` through SQLite (load, score, write the queue).
With the real Rosfinmonitoring page in ../shared/data/lists (never copied into the
repository): `lists screen` of its 16k entries against a 10k-person synthetic registry
through SQLite, candidates written to the review queue (budget 10 s), and a second run
(idempotent: nothing new).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time

from khronika.demo.generate import DemoConfig, generate
from khronika.interchange.importer import import_records
from khronika.names.pairs import (
    STANDIN_THRESHOLD,
    Scorer,
    default_scorer,
    default_threshold,
    standin_score,
)
from khronika.registry.dedupe import DedupeReport, Person, find_duplicates, propose_duplicates
from khronika.registry.validate import RawRecord
from khronika.storage import Database


def demo_people(n: int, seed: int = 1) -> list[dict]:
    """n demo person records (invented)."""
    return [r for r in generate(DemoConfig(people=n, seed=seed)) if r["type"] == "person"][:n]


def plant(records: list[dict], rng: random.Random) -> tuple[list[dict], set[tuple[str, str]]]:
    """Add a duplicate of 1 % of the people; return all records and the planted pairs."""
    out = list(records)
    planted = set()
    for i, r in enumerate(rng.sample(records, max(1, len(records) // 100))):
        spelling = rng.choice(r["names"])["name"].split()
        name = " ".join([spelling[-1], *spelling[:-1]])
        name = name.upper() if i % 2 else name
        born = r.get("birth_date")
        born = born[:4] if born and i % 3 == 0 else born
        dup = {
            "type": "person",
            "id": f"zz{i:05d}",
            "sex": r["sex"],
            "birth_date": born,
            "names": [{"name": name, "lang": "ru", "primary": True}],
        }
        out.append(dup)
        planted.add(tuple(sorted((r["id"], dup["id"]))))
    return out, planted


def as_people(records: list[dict]) -> list[Person]:
    """Records to what dedupe reads."""
    return [
        Person(r["id"], tuple(n["name"] for n in r["names"]), r.get("birth_date")) for r in records
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--scorer", choices=["standin", "names"], default="names")
    args = parser.parse_args()
    scorer: Scorer = standin_score if args.scorer == "standin" else default_scorer()
    label = "stand-in" if scorer is standin_score else "khronika.names"
    threshold = STANDIN_THRESHOLD if scorer is standin_score else default_threshold()
    rng = random.Random(3)
    print(f"scorer: {label}, threshold {threshold}")
    print(
        f"{'people':>8} {'pairs scored':>13} {'candidates':>11} {'planted found':>14} "
        f"{'seconds':>8}"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        records, planted = plant(demo_people(size), rng)
        people = as_people(records)
        report = DedupeReport()
        start = time.perf_counter()
        found = find_duplicates(people, scorer=scorer, threshold=threshold, report=report)
        seconds = time.perf_counter() - start
        pairs = {(p.a, p.b) for p in found}
        print(
            f"{len(people):>8} {report.pairs_scored:>13} {len(found):>11} "
            f"{len(pairs & planted):>6}/{len(planted):<7} {seconds:>8.2f}"
        )
    records, planted = plant(demo_people(10_000), rng)
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/bench.db")
        db.migrate()
        import_records(db, [RawRecord(f"<bench>:{i}", r) for i, r in enumerate(records)])
        start = time.perf_counter()
        result = propose_duplicates(db, scorer=scorer, threshold=threshold)
        total = time.perf_counter() - start
        again = propose_duplicates(db, scorer=scorer, threshold=threshold)
        db.dispose()
    print(
        f"names dedupe, 10k people (SQLite): {total:.2f} s {result.seconds}; "
        f"{result.new} candidates; a second run {again.seconds} proposes {again.new}"
    )
    bench_screening(rng)
    return 0


def bench_screening(rng: random.Random) -> None:
    """`lists screen` with the queue: the real 16k page against a 10k synthetic registry."""
    from pathlib import Path

    from bench.lists import PAGE, synthetic_registry
    from khronika.listwatch.formats import fedsfm
    from khronika.listwatch.reports import screen_snapshot
    from khronika.listwatch.snapshots import add_list, import_snapshot

    if not PAGE.exists():
        print(f"screening skipped: real data not found at {PAGE}")
        return
    data = PAGE.read_bytes()
    registry = synthetic_registry(list(fedsfm.parse(data).entries), rng)
    records = [
        {
            "type": "person",
            "id": p.id,
            "birth_date": p.birth_date,
            "names": [{"name": n, "lang": "ru"} for n in p.names],
        }
        for p in registry
    ]
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/screen.db")
        db.migrate()
        import_records(db, [RawRecord(f"<bench>:{i}", r) for i, r in enumerate(records)])
        add_list(db, "f", title="f", issuer="bench", country="RU", fmt="ru-fedsfm-html")
        import_snapshot(db, "f", data, taken="2024-12-05", data_dir=Path(tmp))
        times = []
        for _ in range(2):
            start = time.perf_counter()
            result = screen_snapshot(db, "f", queue=True)
            times.append(time.perf_counter() - start)
        db.dispose()
    print(
        f"lists screen 16k entries × 10k people into the queue (SQLite): {times[0]:.2f} s "
        f"(budget 10 s), {len(result['candidates'])} "
        f"candidates; again: {times[1]:.2f} s, {result['queued']} new"
    )


if __name__ == "__main__":
    raise SystemExit(main())
