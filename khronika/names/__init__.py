"""The name matcher: one place that knows how Belarusian, Russian and Latin spellings meet.

Public API (everything else is internal):

* `transliterate(text, lang="be", system="national")`: Cyrillic → Latin systems.
* `parse_name(text)`: given name, patronymic, surname; order, initials, titles.
* `prepare(text, mention=False)`, `score(a, b)`: the fast path for many comparisons.
* `compare(a, b, mention=None, birth_date_a=None, birth_date_b=None)`: a `Match` with
  score, yes/no at `THRESHOLD` and the explanation.
* `Index`: in-memory screening index (`add`, `search`).
* `variants(name)`: spellings khronika would recognise for a name.
"""

from khronika.names.index import Hit, Index
from khronika.names.parse import ParsedName, parse_name
from khronika.names.scoring import RULES, THRESHOLD, WEIGHTS, Match, compare, prepare, score
from khronika.names.translit import SYSTEMS, transliterate
from khronika.names.variants import variants

__all__ = [
    "Hit",
    "Index",
    "Match",
    "ParsedName",
    "RULES",
    "SYSTEMS",
    "THRESHOLD",
    "WEIGHTS",
    "compare",
    "parse_name",
    "prepare",
    "score",
    "transliterate",
    "variants",
]
