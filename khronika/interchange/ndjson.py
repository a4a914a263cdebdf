"""khronika NDJSON v1: one JSON object per line (see docs/format.md)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO, Any

import orjson

from khronika.registry.validate import BrokenLine, RawRecord

__all__ = ["read_ndjson", "write_ndjson"]


def read_ndjson(stream: IO[bytes], name: str) -> Iterator[RawRecord]:
    """Yield the records of an NDJSON stream with their `NAME:LINE`; blank lines are skipped.

    A line that is not JSON (or not UTF-8) yields a record whose data is a `BrokenLine`.
    """
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            data: Any = orjson.loads(line)
        except orjson.JSONDecodeError as e:
            data = BrokenLine(f"broken JSON: {e}")
        yield RawRecord(where, data, len(line))


def write_ndjson(records: Iterable[dict[str, Any]], stream: IO[bytes]) -> int:
    """Write records one per line, keys in the order given; return how many were written."""
    n = 0
    buf: list[bytes] = []
    for record in records:
        buf.append(orjson.dumps(record))
        n += 1
        if len(buf) >= 10_000:
            stream.write(b"\n".join(buf) + b"\n")
            buf.clear()
    if buf:
        stream.write(b"\n".join(buf) + b"\n")
    return n
