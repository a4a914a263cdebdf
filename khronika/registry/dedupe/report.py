"""The report of a dedupe run: what it looked at, proposed, and how long each stage took."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from khronika.model.shapes import fields_json

__all__ = ["DedupeReport"]


@dataclass
class DedupeReport:
    """What a dedupe run did, with its timings (seconds)."""

    people: int = 0
    blocks: int = 0
    skipped_blocks: int = 0
    pairs_weighed: int = 0
    pairs_scored: int = 0
    proposed: int = 0
    new: int = 0
    already_known: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    candidates: list[int] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Return the report as JSON-ready data (every field, in order)."""
        return fields_json(self)
