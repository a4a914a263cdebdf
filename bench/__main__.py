"""`python -m bench`: run every benchmark module and print their tables."""

from __future__ import annotations

import importlib
import sys

MODULES = [
    "bench.registry",
    "bench.stats",
    "bench.charts",
    "bench.names",
    "bench.lists",
    "bench.media",
    "bench.startup",
]

if __name__ == "__main__":
    for name in MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError as e:  # a module whose optional dependencies are missing
            print(f"{name}: skipped ({e})", file=sys.stderr)
            continue
        sys.argv = [name]
        module.main()
