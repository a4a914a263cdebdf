"""Coverage-guided fuzzing (atheris, libFuzzer) of every parser of outside input, time-boxed.

    make fuzz                                  # every target, 60 s each
    .venv/bin/python -m bench.fuzz --seconds 30 --target ndjson

Each target runs in a child process (libFuzzer exits when its time is up). An input that
makes a parser raise anything but khronika's own typed errors (`KhronikaError`) is a
finding: libFuzzer writes it to `bench/fuzz-findings/crash-*` and the table says so. The
property tests in `tests/properties/` run the same contracts, bounded, in the suite.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

__all__ = ["main"]

FINDINGS = Path(__file__).resolve().parent / "fuzz-findings"


def _date(data: bytes) -> None:
    from khronika.model.dates import PartialDate

    PartialDate.parse(data.decode("utf-8", "replace"))


def _ndjson(data: bytes) -> None:
    from khronika.interchange import read_ndjson
    from khronika.registry.validate import check_record

    for raw in read_ndjson(io.BytesIO(data), "f"):
        check_record(raw)


def _csvzip(data: bytes) -> None:
    from khronika.interchange.csvzip import read_csv_zip
    from khronika.registry.validate import check_record

    for raw in read_csv_zip(io.BytesIO(data), "z"):
        check_record(raw)


def _name(data: bytes) -> None:
    from khronika.names.parse import parse_name

    parse_name(data.decode("utf-8", "replace"))


def _list_format(name: str) -> Callable[[bytes], None]:
    def run(data: bytes) -> None:
        from khronika.listwatch.formats import FORMATS

        FORMATS[name].parse(data)

    return run


def _targets() -> dict[str, Callable[[bytes], None]]:
    from khronika.listwatch.formats import FORMATS

    out: dict[str, Callable[[bytes], None]] = {
        "date": _date,
        "ndjson": _ndjson,
        "csvzip": _csvzip,
        "name": _name,
    }
    for fmt in sorted(FORMATS):
        out[f"list:{fmt}"] = _list_format(fmt)
    return out


def _run_one(target: str, extra: list[str]) -> None:
    """In the child: fuzz one target until libFuzzer's time is up."""
    import atheris

    with atheris.instrument_imports():
        import khronika.interchange  # noqa: F401
        import khronika.listwatch.formats  # noqa: F401
        import khronika.model.dates  # noqa: F401
        import khronika.names.parse  # noqa: F401
        import khronika.registry.validate  # noqa: F401
    from khronika.errors import KhronikaError

    fn = _targets()[target]

    def one_input(data: bytes) -> None:
        # A typed, clear refusal is what bad input must get; anything else is a finding.
        with contextlib.suppress(KhronikaError):
            fn(data)

    atheris.Setup([sys.argv[0], *extra], one_input)
    atheris.Fuzz()


def main(argv: list[str] | None = None) -> None:
    """Fuzz each target for `--seconds` and print executions and findings per target."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=int, default=60)
    p.add_argument("--target", action="append", help="Only these targets (repeatable).")
    p.add_argument("--run", help=argparse.SUPPRESS)
    args, extra = p.parse_known_args(argv)
    if args.run:
        _run_one(args.run, extra)
        return
    FINDINGS.mkdir(exist_ok=True)
    targets = args.target or list(_targets())
    print(f"{'target':28} {'executions':>11} {'exec/s':>8} {'findings':>9}")
    total_findings = 0
    for target in targets:
        prefix = FINDINGS / f"{target.replace(':', '_')}-"
        before = set(FINDINGS.glob(f"{prefix.name}*"))
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.fuzz",
                "--run",
                target,
                f"-max_total_time={args.seconds}",
                "-print_final_stats=1",
                f"-artifact_prefix={prefix}",
                "-rss_limit_mb=4096",
            ],
            capture_output=True,
            text=True,
        )
        log = proc.stderr
        runs = re.search(r"stat::number_of_executed_units:\s*(\d+)", log)
        executions = int(runs[1]) if runs else 0
        found = len(set(FINDINGS.glob(f"{prefix.name}*")) - before)
        if proc.returncode != 0 and not found:
            found = 1  # a crash libFuzzer did not save (e.g. out of memory)
            print(log[-2000:], file=sys.stderr)
        total_findings += found
        rate = executions / max(args.seconds, 1)
        print(f"{target:28} {executions:>11,} {rate:>8,.0f} {found:>9}")
    print(f"findings: {total_findings} (inputs in {FINDINGS})")


if __name__ == "__main__":
    main()
