"""Benchmark the lists check on 20,000 entries; prints a table, exits 1 over budget.

    .venv/bin/python -m bench.check [--entries 20000] [--queries 400]

Builds a Mininform-style list of invented materials (Telegram, VK, Instagram, TikTok,
YouTube channels and sites, each with a title and its identifier as the lists write it)
and an MVD-style list of invented people, about a quarter of the entries; imports both
through the table format (SQLite, and PostgreSQL when `KHRONIKA_BENCH_PG_URL` or
`KHRONIKA_TEST_PG_URL` is set). Then answers a mix of queries: identifiers written
differently from the list (`@name`, `t.me/s/name/12`, `www.`), titles, person names in
Latin letters, and misses. Budget (issue 12): the check answers in ≤ 50 ms median per
query. Building the index (once per process; the web app keeps it) is timed separately.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.common import Result, engines, fresh_database, print_table
from khronika.listwatch import add_list, import_snapshot
from khronika.listwatch.check import build_index
from khronika.names import transliterate

BUDGET_MS = 50.0
_SYLLABLES = ["ва", "ры", "ми", "ла", "до", "ко", "се", "ну", "ти", "бо", "ле", "жа", "пи", "ху"]
_LATIN = ["vy", "mo", "ra", "li", "ko", "se", "nu", "ta", "bo", "le", "za", "pi", "du", "ge"]
_GIVEN = ["Алесь", "Ганна", "Пётр", "Вольга", "Сяргей", "Марына", "Андрэй", "Таццяна"]


def _word(rng: random.Random, parts: list[str], n: int) -> str:
    return "".join(rng.choice(parts) for _ in range(n))


def material(rng: random.Random, i: int) -> tuple[list[str], str, str]:
    """One invented material row, a query that should find it, and the title."""
    handle = f"{_word(rng, _LATIN, 3)}_{i}"
    title = f"{_word(rng, _SYLLABLES, 3).capitalize()} {_word(rng, _SYLLABLES, 2)} {i}"
    kind = rng.choice(["tg", "vk", "ig", "tt", "yt", "site"])
    text, query = {
        "tg": (f'Telegram-канал с названием "{title}", имеющий идентификатор https://t.me/{handle}', f"t.me/s/{handle}/12"),
        "vk": (f'Сообщество "ВКонтакте" с названием "{title}", имеющее идентификатор vk.com/{handle}', f"https://m.vk.com/{handle}/"),
        "ig": (f'Instagram-аккаунт с названием "{title}", имеющий идентификатор https://www.instagram.com/{handle}', f"instagram.com/{handle}?igsh=x"),
        "tt": (f'Аккаунт "TikTok" с названием "{title}", имеющий идентификатор https://www.tiktok.com/@{handle}', f"@{handle}"),
        "yt": (f'YouTube-канал с названием "{title}", имеющий идентификатор https://www.youtube.com/@{handle}', f"https://m.youtube.com/@{handle}"),
        "site": (f'Интернет-сайт "{title}", имеющий идентификатор https://{handle.replace("_", "-")}.example', f"www.{handle.replace('_', '-')}.example/"),
    }[kind]  # fmt: skip
    row = [
        f"{i}.",
        text + ".",
        f"Решение суда Центрального района г. Минска от {1 + i % 28} мая 2024 года",
    ]
    return row, query, title


def person(rng: random.Random, i: int) -> tuple[list[str], str]:
    """One invented person row and a query (the name in Latin letters, no patronymic)."""
    surname = _word(rng, _SYLLABLES, 3).capitalize() + "ка"
    given = rng.choice(_GIVEN)
    row = [
        str(i),
        f"{surname.upper()} {given} Янкавіч",
        f"{1 + i % 28:02d}.0{1 + i % 9}.19{50 + i % 50}",
    ]
    return row, transliterate(f"{given} {surname}", lang="be")


def build(db: object, n: int, tmp: Path) -> list[str]:
    """Import the two lists; return the queries (hits and misses, shuffled)."""
    from tests.listwatch.synthetic import make_xlsx

    rng = random.Random(12)
    people = n // 4
    materials, queries = [], []
    for i in range(1, n - people + 1):
        row, query, title = material(rng, i)
        materials.append(row)
        if i % 40 == 0:
            queries += [query, title]
    persons = []
    for i in range(1, people + 1):
        row, query = person(rng, i)
        persons.append(row)
        if i % 40 == 0:
            queries.append(query)
    queries += [f"@nobody_{k}" for k in range(40)] + [f"Никакой канал {k}" for k in range(40)]
    rng.shuffle(queries)
    header = [
        "№ п/п",
        "Наименование (реквизиты) информационной продукции",
        "Основание для включения",
    ]
    for list_id, mapping, rows, head in (
        ("by-mininform", "by-mininform-materials", materials, header),
        ("by-mvd", "by-mvd-extremists", persons, ["№ п/п", "Фамилия, собственное имя, отчество", "Дата рождения"]),
    ):  # fmt: skip
        add_list(db, list_id, title=list_id, issuer=list_id, country="BY", fmt="table",  # type: ignore[arg-type]
                 options={"mapping": mapping})  # fmt: skip
        import_snapshot(db, list_id, make_xlsx([head, *rows], []), taken="2026-01-01",  # type: ignore[arg-type]
                        data_dir=tmp, force=True)  # fmt: skip
    return queries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20_000)
    args = parser.parse_args()
    results: list[Result] = []
    for engine in engines():
        with fresh_database(engine, "check") as db, tempfile.TemporaryDirectory() as tmp:
            queries = build(db, args.entries, Path(tmp))
            t = time.perf_counter()
            index = build_index(db)
            built = time.perf_counter() - t
            times, found = [], 0
            for q in queries:
                t = time.perf_counter()
                hits = index.check(q)
                times.append((time.perf_counter() - t) * 1000)
                found += bool(hits)
            median = statistics.median(times)
            p95 = statistics.quantiles(times, n=20)[-1]
            results += [
                Result(f"index of {len(index):,} entries", engine, built, "s"),
                Result(
                    f"check, median of {len(queries)} queries",
                    engine,
                    median,
                    "ms",
                    f"≤ {BUDGET_MS:.0f} ms",
                    median <= BUDGET_MS,
                ),  # fmt: skip
                Result("check, p95", engine, p95, "ms"),
                Result("queries with a hit (misses: 80)", engine, found, "n"),
            ]
    print_table(f"lists check ({args.entries:,} entries)", results)
    return 0 if all(r.ok is not False for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
