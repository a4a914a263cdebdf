"""Benchmark of the name matcher: quality against baselines, speed, screening at scale.

Run: `python -m bench.names` (or `python bench/names.py`); `--quick` for a 100k index;
`--no-baselines` to skip nomenklatura (its first call loads for ~30 s).

Prints one table per section:

1. Quality on `../shared/data/names/` (dev_pairs.csv: precision, recall, F1, errors per
   category; recall on the Russian prisoners' variants and on the Putin spellings) for
   khronika and the baselines (nomenklatura `logic-v2` at yente's 0.70, if installed:
   `pip install -e '.[bench]'`; anyascii + rapidfuzz Jaro-Winkler on sorted tokens at 0.90),
   with full pairs/s (parse + compare each pair, one thread).
2. Scored comparisons/s between prepared names, no explanations (budget ≥ 100k/s).
3. Screening: a 1M-name synthetic index drawn from the demo's name stock
   (`khronika.demo.stock.NameStock`: 25,000 invented surnames with Zipf frequencies, each in
   Belarusian, Russian and passport Latin; nothing from the real data), queried with other
   spellings of indexed people and with new people: build time, memory (≤ 1.5 GB), query
   latency median/p95 (≤ 5 ms); 16k names against a 10k index (≤ 10 s). Measured figures
   are in docs/names.md.
"""

from __future__ import annotations

import argparse
import collections
import csv
import gc
import itertools
import json
import random
import re
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

warnings.filterwarnings("ignore", category=DeprecationWarning)

import khronika.names.scoring as _score  # noqa: E402
from khronika.demo.stock import NameStock, SyntheticName  # noqa: E402
from khronika.names import Index, compare, prepare, score, transliterate  # noqa: E402
from khronika.names.parse import parse_name  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "names"
PUTIN = "Владимир Владимирович Путин"
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f\u0400-\u04ff\u0300-\u036f.,'’-]+")

# ---------------------------------------------------------------- quality


def _dev_pairs() -> list[dict[str, str]]:
    with (DATA / "dev_pairs.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _real_sets() -> tuple[list[tuple[str, str]], list[tuple[str, str, str | None]]]:
    data = json.loads((DATA / "ru_political_prisoners_name_variants.json").read_text("utf-8"))
    ru = [(x, y) for p in data["pairs"] for x, y in itertools.combinations(p.values(), 2)]
    lines = (DATA / "opensanctions" / "putin_names.txt").read_text("utf-8").splitlines()
    # A line with a title ("Президент Путин") is how running text names him: with the
    # lone-surname rule it matches only as a mention, so it carries mention "a".
    putin = [
        (ln.strip(), PUTIN, "a" if parse_name(ln).titles else None)
        for ln in lines
        if len(ln.split()) >= 2 and all(_WORD.fullmatch(w) for w in ln.split())
    ]
    return ru, putin


Matcher = Callable[[str, str, str | None], bool]


def _khronika(a: str, b: str, mention: str | None) -> bool:
    return compare(a, b, mention=mention).match


def _anyascii_jw() -> Matcher:
    from anyascii import anyascii
    from rapidfuzz.distance import JaroWinkler

    def norm(s: str) -> str:
        return " ".join(sorted(re.findall(r"\w+", anyascii(s).lower())))

    return lambda a, b, m: JaroWinkler.similarity(norm(a), norm(b)) >= 0.90


def _logic_v2() -> Matcher | None:
    try:
        from followthemoney import EntityProxy
        from nomenklatura.matching import LogicV2
    except ImportError:
        return None
    cfg = LogicV2.default_config()

    def ent(name: str) -> object:
        return EntityProxy.from_dict(
            {"id": f"e{abs(hash(name))}", "schema": "Person", "properties": {"name": [name]}}
        )

    return lambda a, b, m: LogicV2.compare(ent(a), ent(b), cfg).score >= 0.70


def quality(matchers: dict[str, Matcher]) -> list[list[str]]:
    rows = _dev_pairs()
    ru, putin = _real_sets()
    table = []
    for name, fn in matchers.items():
        # warm up: load the tables and the Russian dictionary (not the pairs' own words)
        fn("Анны Гарбузовой", "Ганна Гарбузава", "a")
        tp = fp = fn_ = 0
        errors: collections.Counter[str] = collections.Counter()
        t0, c0 = time.perf_counter(), time.process_time()
        for r in rows:
            got = fn(r["a"], r["b"], r["mention"] or None)
            same = r["same_person"] == "1"
            tp += got and same
            if got != same:
                fp += got
                fn_ += not got
                errors[r["note"].split(":", 1)[0]] += 1
        rate = len(rows) / (time.perf_counter() - t0)
        rate_cpu = len(rows) / (time.process_time() - c0)
        p = tp / (tp + fp) if tp + fp else 0.0
        rc = tp / (tp + fn_)
        f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
        ru_r = sum(fn(a, b, None) for a, b in ru) / len(ru)
        pu_r = sum(fn(a, b, None) for a, b, _ in putin) / len(putin)
        pu_m = sum(fn(a, b, m) for a, b, m in putin) / len(putin)
        worst = ", ".join(f"{k} {v}" for k, v in errors.most_common(3)) or "-"
        table.append(
            [
                name,
                f"{p:.2f}",
                f"{rc:.2f}",
                f"{f1:.2f}",
                worst,
                f"{ru_r:.2f}",
                f"{pu_r:.2f} / {pu_m:.2f}",
                f"{rate:,.0f} / {rate_cpu:,.0f}",
            ]
        )
    return table


# ---------------------------------------------------------------- synthetic names

#: Invented surnames in the screening index, drawn with Zipf's law by the demo's stock.
SURNAMES = 25_000
#: The other spellings a query may use of a name indexed in Cyrillic.
_LATIN_SYSTEMS = ["passport", "lacinka", "bgn"]


def _person(stock: NameStock) -> tuple[SyntheticName, str, str | None]:
    """An invented person as a registry holds them: the demo stock's name, the one form that
    is indexed (55 % Belarusian, 35 % Russian, 10 % passport Latin) and a birth date that is
    a year, a month or missing."""
    rng = stock.rng
    person = stock.draw(rng.choice("mf"))
    style = rng.random()
    form = person.ru if style < 0.35 else person.latin if style < 0.45 else person.be
    year = rng.randint(1950, 2005)
    date = str(year) if rng.random() < 0.5 else f"{year}-{rng.randint(1, 12):02d}"
    return person, form, (date if rng.random() < 0.7 else None)


def _variant(person: SyntheticName, form: str, rng: random.Random) -> str:
    """Another way the same person's name is written than the indexed `form`."""
    choice = rng.random()
    if form == person.latin:
        return form.upper() if choice < 0.5 else " ".join(reversed(form.split()))
    if choice < 0.3:
        return transliterate(person.be, lang="be", system=rng.choice(_LATIN_SYSTEMS))
    if choice < 0.6:
        return person.be if form == person.ru else person.ru
    if choice < 0.8:
        given, surname = form.rsplit(" ", 1)
        return f"{surname.upper()} {given}"
    return form


# ---------------------------------------------------------------- speed


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def prepared_rate(pairs: list[tuple[object, object]], repeat: int = 5) -> tuple[float, float]:
    """(wall, CPU) comparisons/s; the scorer's token-pair memo is emptied before each pass so
    that repeating the pairs does not flatter the figure."""
    wall = cpu = 0.0
    for _ in range(repeat):
        _score._MEMO.clear()
        t0, c0 = time.perf_counter(), time.process_time()
        for a, b in pairs:
            score(a, b)  # type: ignore[arg-type]
        wall += time.perf_counter() - t0
        cpu += time.process_time() - c0
    n = repeat * len(pairs)
    return n / wall, n / cpu


def screening(size: int, queries: int) -> tuple[list[list[str]], list[tuple[object, object]]]:
    stock = NameStock(random.Random(4), surnames=SURNAMES)
    rng = stock.rng
    rows = []
    source: list[tuple[str, str | None]] = []
    people = []  # every 97th indexed person, whose variants are queried
    for i in range(size):
        person, form, date = _person(stock)
        source.append((form, date))
        if i % 97 == 0:
            people.append((person, form, date))
    gc.collect()
    before = _rss_mb()
    idx = Index()
    t0, c0 = time.perf_counter(), time.process_time()
    for i, (name, date) in enumerate(source):
        idx.add(i, name, date)
    build, build_cpu = time.perf_counter() - t0, time.process_time() - c0
    gc.collect()
    mem = _rss_mb() - before
    distinct = len({n.split()[-1] for n, _ in source})
    rows.append(
        [
            f"build index of {size:,} names",
            f"{build:.1f} s wall, {build_cpu:.1f} s CPU",
            f"{size / build_cpu:,.0f} names/s (CPU)",
        ]
    )
    rows.append(["index memory (RSS growth)", f"{mem:,.0f} MB", "budget ≤ 1,500 MB (1M)"])
    lat, lat_cpu, lat_ex, hits = [], [], [], 0
    cand_pairs: list[tuple[object, object]] = []
    for q in range(queries):
        if q % 4 == 3:
            _, name, date = _person(stock)  # probably nobody in the index
        else:
            person, form, date = rng.choice(people)
            name = _variant(person, form, rng)
        t, c = time.perf_counter(), time.process_time()
        res = idx.search(name, birth_date=date, explain=False)
        lat.append(time.perf_counter() - t)
        lat_cpu.append(time.process_time() - c)
        t = time.perf_counter()
        idx.search(name, birth_date=date, explain=True)
        lat_ex.append(time.perf_counter() - t)
        hits += bool(res)
        if q < 300:
            qp = prepare(name)
            cand_pairs.extend((qp, idx._parsed[p]) for p in idx.candidates(qp))
    med, p95 = statistics.median(lat) * 1e3, sorted(lat)[int(0.95 * len(lat))] * 1e3
    rows.append(
        [
            f"screen 1 name vs {size:,} (median / p95, wall)",
            f"{med:.2f} / {p95:.2f} ms",
            f"budget ≤ 5 ms median; {queries} queries, {hits} with hits",
        ]
    )
    rows.append(
        [
            "  same, CPU time",
            f"{statistics.median(lat_cpu) * 1e3:.2f} / "
            f"{sorted(lat_cpu)[int(0.95 * len(lat_cpu))] * 1e3:.2f} ms",
            "",
        ]
    )
    rows.append(
        [
            "  same, explaining the hits",
            f"{statistics.median(lat_ex) * 1e3:.2f} / "
            f"{sorted(lat_ex)[int(0.95 * len(lat_ex))] * 1e3:.2f} ms",
            "",
        ]
    )
    rows.append(
        [
            "  surnames",
            f"{len(stock.surnames):,} invented (demo stock), Zipf s=1",
            f"{distinct:,} distinct last-word spellings indexed (scripts, sexes)",
        ]
    )
    del idx
    gc.collect()
    # 16k list entries against a 10k registry
    reg = Index()
    registry = [_person(stock) for _ in range(10_000)]
    t0 = time.perf_counter()
    reg.extend((i, form, date) for i, (_, form, date) in enumerate(registry))
    build10k = time.perf_counter() - t0
    entries = [
        (_variant(person, form, rng), date) if rng.random() < 0.3 else _person(stock)[1:]
        for person, form, date in (rng.choice(registry) for _ in range(16_000))
    ]
    t0, c0 = time.perf_counter(), time.process_time()
    found = sum(bool(reg.search(n, birth_date=d)) for n, d in entries)
    total, total_cpu = time.perf_counter() - t0, time.process_time() - c0
    rows.append(
        [
            "screen 16k names vs 10k registry (explained hits)",
            f"{total:.1f} s wall, {total_cpu:.1f} s CPU (+{build10k:.1f} s build)",
            f"budget ≤ 10 s; {found:,} with hits",
        ]
    )
    return rows, cand_pairs


def _print(title: str, header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
    print(f"\n## {title}\n")
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print("| " + " | ".join(str(x).ljust(w) for x, w in zip(r, widths, strict=True)) + " |")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="100k-name index instead of 1M")
    ap.add_argument("--size", type=int, help="index size (default 1,000,000)")
    ap.add_argument("--queries", type=int, default=2000, help="screening queries")
    ap.add_argument("--no-baselines", action="store_true", help="skip nomenklatura")
    args = ap.parse_args(argv)
    size = args.size or (100_000 if args.quick else 1_000_000)
    if DATA.is_dir():
        matchers: dict[str, Matcher] = {"khronika": _khronika}
        matchers["anyascii + JW tokensort (0.90)"] = _anyascii_jw()
        nk = None if args.no_baselines else _logic_v2()
        if nk is not None:
            matchers["nomenklatura logic-v2 (0.70)"] = nk
        elif not args.no_baselines:
            print("nomenklatura not installed: pip install -e '.[bench]'", file=sys.stderr)
        _print(
            "Quality (dev_pairs.csv; recall on the two real sets)",
            [
                "approach",
                "P",
                "R",
                "F1",
                "errors by category",
                "RU variants R",
                "Putin R (titled lines: record / mention)",
                "full pairs/s (wall / CPU)",
            ],
            quality(matchers),
        )
        rows = _dev_pairs()
        dev_prepared = [
            (
                prepare(r["a"], mention=r["mention"] == "a"),
                prepare(r["b"], mention=r["mention"] == "b"),
            )
            for r in rows
        ]
    else:
        print(f"{DATA} absent: quality section skipped", file=sys.stderr)
        dev_prepared = []
    scr_rows, cand_pairs = screening(size, args.queries)
    speed = []
    if dev_prepared:
        w, c = prepared_rate(dev_prepared, 50)
        speed.append(["dev pairs (hard, incl. mentions)", f"{w:,.0f}", f"{c:,.0f}"])
    w, c = prepared_rate(cand_pairs)
    speed.append([f"screening candidates ({len(cand_pairs):,} pairs)", f"{w:,.0f}", f"{c:,.0f}"])
    _print(
        "Scored comparisons/s between prepared names (one thread, no explanations; "
        "budget ≥ 100k/s)",
        ["pairs", "wall", "CPU"],
        speed,
    )
    _print("Screening", ["work", "result", "notes"], scr_rows)


if __name__ == "__main__":
    main()
