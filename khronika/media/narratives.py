"""Narrative tags: the campaign's recurring frames, found by lexicon with their evidence.

The taxonomy is a YAML file (`data/narratives.yaml` ships; a team may replace it through
KHRONIKA_MEDIA_NARRATIVES): per tag, a label per language and regular expressions per
language. Every pattern of every language is tried on every text — state media mix Russian
and Belarusian, and a stem list is cheap — and each hit keeps its evidence span.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from khronika import settings
from khronika.errors import ConfigurationError

__all__ = ["NarrativeHit", "Taxonomy", "load_taxonomy", "tag_text"]

_LANGS = ("ru", "be", "en")


@dataclass(frozen=True, slots=True)
class NarrativeHit:
    """One narrative found in a text: the tag and the words that are its evidence."""

    tag: str
    evidence: str
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        """Return the hit as the contract's `{"tag", "evidence"}` plus offsets."""
        return {"tag": self.tag, "evidence": self.evidence, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Taxonomy:
    """Tags, their labels, and one compiled pattern per tag."""

    labels: dict[str, dict[str, str]]
    patterns: dict[str, re.Pattern[str]]

    @property
    def tags(self) -> tuple[str, ...]:
        """Every tag, in the file's order."""
        return tuple(self.patterns)


def parse_taxonomy(data: Any, where: str) -> Taxonomy:
    """Build a taxonomy from the YAML's data.

    Raises:
        ConfigurationError: not a mapping of tags, or a pattern that does not compile.
    """
    if not isinstance(data, dict) or not data:
        raise ConfigurationError(f"{where}: a taxonomy is a mapping of tags")
    labels: dict[str, dict[str, str]] = {}
    patterns: dict[str, re.Pattern[str]] = {}
    for tag, spec in data.items():
        if not isinstance(spec, dict):
            raise ConfigurationError(f"{where}: {tag}: expected a mapping with ru/be/en lists")
        alternatives = []
        for lang in _LANGS:
            for pattern in spec.get(lang) or ():
                try:
                    re.compile(pattern)
                except re.error as e:
                    raise ConfigurationError(f"{where}: {tag}.{lang}: {pattern!r}: {e}") from None
                alternatives.append(f"(?:{pattern})")
        if not alternatives:
            raise ConfigurationError(f"{where}: {tag}: no patterns")
        patterns[str(tag)] = re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + ")", re.IGNORECASE)
        labels[str(tag)] = dict(spec.get("label") or {"en": str(tag)})
    return Taxonomy(labels, patterns)


@functools.cache
def _load(path: str | None) -> Taxonomy:
    if path:
        file = Path(path)
        if not file.is_file():
            raise ConfigurationError(f"KHRONIKA_MEDIA_NARRATIVES: no file {path}")
        return parse_taxonomy(yaml.safe_load(file.read_text("utf-8")), path)
    text = resources.files("khronika.media").joinpath("data/narratives.yaml").read_text("utf-8")
    return parse_taxonomy(yaml.safe_load(text), "narratives.yaml")


def load_taxonomy() -> Taxonomy:
    """Return the taxonomy in use (KHRONIKA_MEDIA_NARRATIVES, else the shipped file)."""
    return _load(settings.get("KHRONIKA_MEDIA_NARRATIVES") or None)


def tag_text(text: str, taxonomy: Taxonomy | None = None) -> list[NarrativeHit]:
    """Return every narrative hit in `text`, by position (each tag may occur several times)."""
    tax = taxonomy or load_taxonomy()
    hits = [
        NarrativeHit(tag, m.group(0), m.start(), m.end())
        for tag, pattern in tax.patterns.items()
        for m in pattern.finditer(text)
    ]
    hits.sort(key=lambda h: (h.start, h.tag))
    return hits
