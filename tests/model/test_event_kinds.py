"""The event-kind table agrees with the figures that are derived from it."""

from __future__ import annotations

from khronika.model.events import DERIVED_KINDS, EVENT_KINDS
from khronika.stats.spans import FLOW_KINDS, SPAN_KINDS


def test_derived_kinds_are_exactly_the_span_and_flow_kinds() -> None:
    # The figures cache reads only DERIVED_KINDS from the event table; a kind the spans or
    # flows use but the flag misses would silently drop out of every figure.
    assert set(DERIVED_KINDS) == set(SPAN_KINDS) | set(FLOW_KINDS)


def test_every_derived_kind_is_a_declared_kind() -> None:
    assert all(EVENT_KINDS[name].derives_figures for name in DERIVED_KINDS)
    assert len(DERIVED_KINDS) == len(set(DERIVED_KINDS))
