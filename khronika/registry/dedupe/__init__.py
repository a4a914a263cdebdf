"""Find likely duplicate people in the registry and propose them, ranked by evidence, for review.

A name is not enough: the registry holds many namesakes (a frequent surname with a frequent
given name, born the same year), and a queue of them is a queue nobody can work through. So
a pair is proposed when the *evidence* beyond the name adds up (`EVIDENCE`, points that
are roughly log₂ of how much likelier an agreement is between two records of one person
than between namesakes): a birth date that agrees beyond the year, the region, the same
events of a case on the same dates (with the articles, court and case number), sources
cited by both. Contradictions (born in different months, different regions, sexes) take
points away. A pair whose names the matcher calls the same gets `NAME_POINTS`; a pair whose
names are one letter apart, or one of them inflected (a case title's "Александра
Выдумчука"), gets none and needs the more evidence for it. Names that disagree otherwise
are never proposed, whatever the case says: co-defendants share a trial, not a name.
Pairs reaching `MIN_POINTS` are proposed, scored `1 - 2 ** (-points / 4)`, with every
agreement listed in the explanation.

Candidates come from *blocking*: two people are looked at only when they share a block —
a name block (the matcher's consonant skeleton of a surname with the given name's class,
so Belarusian, Russian and Latin spellings and vowel slips meet) or a case block (an event
of one kind on one day, so a consonant slip or an inflected name still meets its case).
Within a block only people born within a year of each other (or of unknown birth) are
paired, and the cheap evidence is counted before any name is scored: most namesake pairs
stop there. Blocks with more than `max_block` people are skipped and counted.

Pairs already proposed (judged or not) and people already merged are skipped, so dedupe can
run again after each import.
"""

from __future__ import annotations

from khronika.registry.dedupe.blocking import MAX_BLOCK, name_blocks, token_pair_keys
from khronika.registry.dedupe.evidence import EVIDENCE, MIN_POINTS, Person, weigh
from khronika.registry.dedupe.names import NAME_POINTS, matcher, near_name
from khronika.registry.dedupe.report import DedupeReport
from khronika.registry.dedupe.runner import find_duplicates, load_people, propose_duplicates

__all__ = [
    "EVIDENCE",
    "MAX_BLOCK",
    "MIN_POINTS",
    "NAME_POINTS",
    "DedupeReport",
    "Person",
    "find_duplicates",
    "load_people",
    "matcher",
    "name_blocks",
    "near_name",
    "propose_duplicates",
    "token_pair_keys",
    "weigh",
]
