"""One item's analysis: languages, narratives, people named, links, and who is targeted.

    text ─▶ paragraphs' languages (language.py)
         ─▶ sentences ─▶ narratives (narratives.py) ─┐
                      ─▶ mentions (people.py) ───────┼─▶ targeted: a narrative's evidence
                         └▶ links (registry Index)   │   in the mention's sentence or the
                                                     ┘   one before it (officials never)
Linking: a mention whose best registry match scores at least `auto` (and clearly beats
any other person) is linked; one between `review` and `auto` — and every lone surname not
resolved in the item — is proposed to the review queue; below `review`, none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from khronika.media.language import paragraph_languages
from khronika.media.narratives import NarrativeHit, Taxonomy, load_taxonomy, tag_text
from khronika.media.people import Mention, find_mentions, sentences
from khronika.names import Index

__all__ = ["AUTO_LINK", "REVIEW_LINK", "Analyser", "Analysis"]

#: Scores from which a mention is linked at once, or proposed for review.
AUTO_LINK = 0.95
REVIEW_LINK = 0.85
# Two different people scoring this close: a human decides.
_AMBIGUOUS = 0.03


@dataclass
class Analysis:
    """What the pipeline found in one text."""

    lang: str | None
    langs: list[str | None]
    narratives: list[NarrativeHit]
    mentions: list[Mention]
    sentences: list[tuple[int, int]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The contract's shape: lang, narratives [{tag, evidence}], mentions [...]."""
        return {
            "lang": self.lang,
            "narratives": [{"tag": n.tag, "evidence": n.evidence} for n in self.narratives],
            "mentions": [
                {
                    "text": m.text,
                    "normal": m.normal,
                    "start": m.start,
                    "end": m.end,
                    "person": m.person,
                    "targeted": m.targeted,
                }
                for m in self.mentions
            ],
        }


class Analyser:
    """Analyses texts against one registry index (built once, reused for every item)."""

    def __init__(
        self,
        people: list[tuple[str, list[str], str | None]] | None = None,
        *,
        taxonomy: Taxonomy | None = None,
        auto: float = AUTO_LINK,
        review: float = REVIEW_LINK,
    ) -> None:
        """Args: people as (id, names in every script, birth date); the link thresholds."""
        self.index = Index(threshold=review)
        for pid, names, born in people or ():
            for name in names:
                self.index.add(pid, name, born)
        self.taxonomy = taxonomy or load_taxonomy()
        self.auto, self.review = auto, review

    def analyse(self, text: str) -> Analysis:
        """Return everything found in `text`."""
        lang, langs = paragraph_languages(text)
        sents = sentences(text)
        narratives = tag_text(text, self.taxonomy)
        mentions = find_mentions(text, sents, self.index, min_score=self.review)
        for m in mentions:
            self._link(m)
        _mark_targets(mentions, narratives, sents)
        return Analysis(lang, langs, narratives, mentions, sents)

    def _link(self, m: Mention) -> None:
        if m.resolved_from is not None:
            full = m.resolved_from
            m.person, m.score, m.link = full.person, full.score, full.link
            m.explanation = full.explanation
            return
        hits = self.index.search(m.text, mention=True, limit=5, min_score=self.review)
        if not hits:
            return
        best = hits[0]
        others = [h for h in hits[1:] if h.key != best.key]
        clear = not others or best.score - others[0].score >= _AMBIGUOUS
        lone = len(m.tokens) < 2
        m.person, m.score, m.explanation = str(best.key), best.score, dict(best.explanation)
        m.link = "auto" if best.score >= self.auto and clear and not lone else "review"
        if not lone and _same_language(best.name, m.text):
            # The registry's spelling in the mention's script is the surest nominative.
            m.normal = best.name


def _language(text: str) -> str | None:
    if not re.search(r"[\u0400-\u04ff]", text):
        return "latn"
    if re.search(r"[іўІЎ]", text):
        return "be"
    return "ru" if re.search(r"[иИщЩъЪ]", text) else None


def _same_language(a: str, b: str) -> bool:
    la, lb = _language(a), _language(b)
    return la == lb or (None in (la, lb) and "latn" not in (la, lb))


def _mark_targets(
    mentions: list[Mention], narratives: list[NarrativeHit], sents: list[tuple[int, int]]
) -> None:
    """A mention is targeted when a narrative's evidence is in its sentence or the one before."""
    tagged: set[int] = set()
    for n in narratives:
        for i, (a, b) in enumerate(sents):
            if a <= n.start < b:
                tagged.add(i)
                break
    for m in mentions:
        m.targeted = m.role != "official" and bool({m.sentence, m.sentence - 1} & tagged)
