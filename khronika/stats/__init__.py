"""Figures as of any date: stock, flows and time series per recognising organisation.

Every function is pure in (database, dates, known_on, recogniser): none reads the clock.
The definitions are in docs/figures.md.
"""

from khronika.stats.asof import figures
from khronika.stats.flows import flows
from khronika.stats.maintain import ensure_spans, invalidate_spans, rebuild_spans, refresh_spans
from khronika.stats.periods import STEPS, Period, periods
from khronika.stats.recognisers import recognisers, resolve_recogniser
from khronika.stats.series import series

__all__ = [
    "STEPS",
    "Period",
    "ensure_spans",
    "figures",
    "flows",
    "invalidate_spans",
    "periods",
    "rebuild_spans",
    "recognisers",
    "refresh_spans",
    "resolve_recogniser",
    "series",
]
