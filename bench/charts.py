"""Benchmark the public charts' first render: each chart and size drawn cold, in-process.

Usage:
    python -m bench.charts [--people 300] [--seed 1]

Each of the four charts (prisoners and flows of `khronika.stats.charts`, the narrative
timeline of `khronika.media.charts`, a list's additions of `khronika.listwatch.figures`),
desktop and phone, is drawn to SVG in its own fresh Python process, so its time is a first
render: the chart's own queries (prisoners, flows, narratives), matplotlib's first figure
and fonts, the drawing and the SVG; then once more (warm). Importing matplotlib is timed
apart (the web app pays it once, at its first chart), and khronika's modules are imported
before the clock starts (a running app has them). The prisoners and flows charts read the demo of `--people` (as
the web app draws them: from 2020-01-01 to 2025-05-01, flows with the public k); the
narrative chart reads the demo's state-media items; the list chart draws 36 synthetic
months of additions (the demo has no official list). Budget (issue 13): 300 ms a chart.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import DATA_DIR, Result, fresh_database, print_table
from khronika.storage import Database

CHARTS = ("prisoners", "flows", "narratives", "list")
SIZES = ("desktop", "phone")
BUDGET = 0.3  # seconds to a chart's first render


def _demo(people: int, seed: int) -> Path:
    """The demo of `people` with its state-media items, built once (a SQLite file)."""
    path = DATA_DIR / f"charts-{people}-{seed}.db"
    if not path.exists():
        from khronika.demo import DemoConfig, build_demo
        from khronika.demo.media import build_demo_media

        with fresh_database("sqlite", f"charts-{people}-{seed}-build") as db:
            build_demo(db, DemoConfig(people=people, seed=seed))
            build_demo_media(db)
        (DATA_DIR / f"charts-{people}-{seed}-build.db").rename(path)
    return path


def _list_figures(months: int = 36) -> dict[str, Any]:
    media = ("telegram", "vk", "site", "print_other")
    added = [
        {
            "month": f"{2023 + i // 12}-{i % 12 + 1:02d}",
            "by_medium": {m: (i * 7 + j * 5) % 40 for j, m in enumerate(media)},
        }
        for i in range(months)
    ]
    return {"added_by_month": added}


def draw_once(db_path: str, chart: str, size: str, out: str) -> dict[str, float]:
    """Draw `chart` in `size` to `out` twice; the seconds of matplotlib's import, of the first
    drawing (the chart's first render) and of the second (warm)."""
    t = time.perf_counter()
    import matplotlib.pyplot  # noqa: F401  (timed apart: the app pays it once)

    imported = time.perf_counter() - t
    # Imported before the clock starts, as in a running app (the lists watch alone takes
    # half a second to import, the names matcher with it).
    from khronika.demo import RECOGNISER
    from khronika.listwatch.figures import list_chart
    from khronika.media import list_item_reports
    from khronika.media.charts import narrative_chart
    from khronika.media.figures import narrative_series
    from khronika.stats.charts import draw_chart

    db = Database(f"sqlite:///{db_path}")

    def draw() -> None:
        if chart in ("prisoners", "flows"):
            options: dict[str, Any] = {"by": RECOGNISER, "lang": "be", "size": size}
            if chart == "flows":
                options["minimum"] = 5
            draw_chart(chart, db, "2020-01-01", "2025-05-01", out, **options)
        elif chart == "narratives":
            reports = list_item_reports(db)
            dated = sorted(str(r["published"])[:10] for r in reports if r["published"])
            data = narrative_series(reports, date_from=dated[0], date_to=dated[-1], step="month")
            narrative_chart(data, out, label=str, title="narratives", minimum=5, size=size)
        else:
            list_chart(_list_figures(), out, title="entries added per month", size=size)

    took = {"import": imported}
    for run in ("render", "warm"):
        t = time.perf_counter()
        draw()
        took[run] = time.perf_counter() - t
    db.dispose()
    return took


def main() -> None:
    """Time each chart's first render in a fresh process and print the table."""
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--people", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--one", nargs=3, metavar=("DB", "CHART", "SIZE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:  # the child: one cold render
        db_path, chart, size = args.one
        out = str(Path(db_path).with_suffix(f".{chart}-{size}.svg"))
        print(json.dumps(draw_once(db_path, chart, size, out)))
        return
    db_path = _demo(args.people, args.seed)
    results: list[Result] = []
    imports: list[float] = []
    for chart in CHARTS:
        for size in SIZES:
            child = [sys.executable, "-m", "bench.charts", "--one", str(db_path), chart, size]
            done = subprocess.run(child, check=True, capture_output=True, text=True)
            took = json.loads(done.stdout.strip().splitlines()[-1])
            imports.append(took["import"])
            first, warm = took["render"], took["warm"]
            budget = f"{BUDGET * 1000:.0f} ms"
            work = f"{chart} ({size}), first render"
            results.append(Result(work, "sqlite", first * 1000, "ms", budget, first <= BUDGET))
            results.append(Result(f"{chart} ({size}), warm", "sqlite", warm * 1000, "ms"))
    imported = sorted(imports)[len(imports) // 2]
    results.append(Result("import matplotlib.pyplot (median)", "sqlite", imported * 1000, "ms"))
    print_table(f"Charts' first render, demo of {args.people} people", results)


if __name__ == "__main__":
    main()
