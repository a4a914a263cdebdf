"""Benchmark the lists watch against its budgets; prints a table (medians of N runs).

    .venv/bin/python bench/lists.py [--runs 5]

Reads the real Rosfinmonitoring page from ../shared/data/lists (never copied into the
repository). Budgets (DESIGN.md): parse the full page (16k people) ≤ 3 s; diff two
16k-entry snapshots ≤ 1 s. The diff is measured both as the pure diff with key assignment
(a shuffled copy with 30 removals, 30 additions and 30 changed flags) and through the
database (`lists diff` between two imported snapshots, SQLite).
Screening (budget 10 s) runs the page's persons against a synthetic 10k-person registry
of invented names, with 100 people made in memory from list entries (mixed case, some
without patronymic or birth date) so that there is something to find.
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
from khronika.listwatch.screening import RegistryPerson, screen_entries
from khronika.listwatch.snapshots import add_list, import_snapshot
from khronika.storage import Database

PAGE = (
    Path(__file__).resolve().parents[1]
    / ".."
    / "shared"
    / "data"
    / "lists"
    / "ru-fedsfm"
    / "fedsfm_full_2024-12-05.html"
).resolve()


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
    edited = [
        replace(e, fields={**e.fields, "terrorist_flag": not e.fields["terrorist_flag"]})
        if i < 30
        else e
        for i, e in enumerate(edited)
    ]
    edited += [replace(e, name=f"ВЫМЫШЛЕННЫЙ {i} {e.name}") for i, e in enumerate(entries[:30])]

    rows: list[tuple[str, float, float]] = []
    rows.append(
        (
            "parse fedsfm full page (16,675 entries)",
            median_time(lambda: fedsfm.parse(data), args.runs),
            3.0,
        )
    )
    rows.append(
        (
            "diff 16k snapshots, pure (keys + fields)",
            median_time(lambda: diff_entries(entries, edited, by_source_id=False), args.runs),
            1.0,
        )
    )
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
        rows.append(
            (
                "diff 16k snapshots from the database (SQLite)",
                median_time(lambda: diff_snapshots(db, "f"), args.runs),
                1.0,
            )
        )
        db.dispose()

    registry = synthetic_registry(entries, rng)
    persons = {f"e{i}": e for i, e in enumerate(entries) if e.kind == "person"}
    found: list[object] = []
    rows.append(
        (
            "screen 16k entries against a 10k registry",
            median_time(
                lambda: found.append(len(screen_entries(persons, registry))), max(1, args.runs // 2)
            ),
            10.0,
        )
    )

    failed = False
    print(f"{'work':<48} {'median s':>9} {'budget s':>9}  ok")
    for name, seconds, budget in rows:
        ok = budget == 0.0 or seconds <= budget
        failed |= not ok
        shown = f"{budget:.1f}" if budget else "-"
        print(f"{name:<48} {seconds:>9.3f} {shown:>9}  {'yes' if ok else 'NO'}")
    print(f"screening candidates: {found[-1]} (100 planted)")
    return 1 if failed else 0


SYLLABLES = (
    "ба",
    "ве",
    "ги",
    "до",
    "жу",
    "зы",
    "ка",
    "ле",
    "ми",
    "но",
    "пу",
    "ры",
    "со",
    "ту",
    "фе",
    "ха",
    "це",
    "чи",
    "ша",
    "ян",
)
GIVEN = (
    "Алесь",
    "Янка",
    "Тарас",
    "Ганна",
    "Марыся",
    "Алена",
    "Змитер",
    "Кастусь",
    "Ирина",
    "Павел",
    "Ольга",
    "Андрей",
    "Сергей",
    "Наталья",
    "Виктор",
    "Елена",
    "Иван",
    "Мария",
)


def synthetic_registry(entries: list, rng: random.Random) -> list[RegistryPerson]:
    """10k invented people plus 100 made from list persons (in memory only)."""
    people = []
    for i in range(9_900):
        surname = "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize() + "ич"
        given = rng.choice(GIVEN)
        father = rng.choice(GIVEN) + "ович"
        born = f"{rng.randint(1940, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        people.append(RegistryPerson(f"syn{i}", (f"{given} {father} {surname}",), born))
    listed = [e for e in entries if e.kind == "person" and e.birth_date]
    for i, e in enumerate(rng.sample(listed, 100)):
        parts = e.name.title().split()
        name = " ".join(parts[:2]) if i % 3 == 0 else " ".join(parts)
        people.append(RegistryPerson(f"planted{i}", (name,), None if i % 4 == 0 else e.birth_date))
    return people


if __name__ == "__main__":
    sys.exit(main())
