"""Benchmark the CLI's start-up: wall time of whole `khronika` processes; prints a table.

    python -m bench.startup [--runs 10]

Each figure is the median wall time of `--runs` runs (after one warm-up) of a fresh
`khronika` process, the console script next to this Python: `khronika --help`,
`khronika person show --help`, and `khronika --db sqlite:///<tmp> person show p1` on a
fresh database holding the small registry fixture (a real lookup: open, check migrations,
read, print). Budget (issue 13): `khronika --help` ≤ 0.3 s wall; the other two are held to
the same line for comparison. `python -c pass` is the floor no command can go below.
Exit status 1 when `khronika --help` misses its budget.
"""

from __future__ import annotations

import argparse
import functools
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import Result, median_time, print_table

BUDGET = 0.3  # seconds, `khronika --help` (issue 13)
FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "registry_small.ndjson"


def khronika_command() -> list[str]:
    """The console script beside this interpreter, else `python -m khronika`."""
    script = Path(sys.executable).with_name("khronika")
    return [str(script)] if script.exists() else [sys.executable, "-m", "khronika"]


def run(argv: list[str], *, expect: int = 0) -> None:
    """Run one process to the end; fail loudly on an unexpected exit code."""
    done = subprocess.run(argv, capture_output=True, check=False)
    if done.returncode != expect:
        raise SystemExit(f"{' '.join(argv)}: exit {done.returncode}\n{done.stderr.decode()}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    khronika = khronika_command()
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'startup.db'}"
        os.environ["KHRONIKA_DATA_DIR"] = str(Path(tmp) / "data")
        run([*khronika, "--db", url, "init"])
        run([*khronika, "--db", url, "import", str(FIXTURE)])
        works = [
            ("python -c pass (the floor)", [sys.executable, "-c", "pass"], False),
            ("khronika --help", [*khronika, "--help"], True),
            ("khronika person show --help", [*khronika, "person", "show", "--help"], True),
            (
                "khronika --db sqlite:///<tmp> person show p1",
                [*khronika, "--db", url, "person", "show", "p1"],
                True,
            ),
        ]
        for label, argv, budgeted in works:
            t = median_time(functools.partial(run, argv), repeat=args.runs)
            results.append(
                Result(
                    label,
                    "wall",
                    t,
                    "s",
                    budget=f"{BUDGET} s" if budgeted else "",
                    ok=t <= BUDGET if budgeted else None,
                )
            )
    print_table(f"CLI start-up, median of {args.runs} runs, {os.cpu_count()} CPUs", results)
    return 0 if results[1].ok else 1


if __name__ == "__main__":
    sys.exit(main())
