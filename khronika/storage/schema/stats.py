"""Tables of the figures cache: per-person state spans and flow rows, derived, bitemporal.

These tables are *derived*, not records: every row can be recomputed from the versions of
the event table (`khronika.stats.spans` says how), so rows are deleted and rewritten when a
person's events change. The versioned record tables stay the single source of truth.

A span says: for transaction times K in [`tf`, `tt`) (what was known on K), the person was in
a state on every day D in [`vf`, `vt`) (valid time, ISO days). States: `custody`;
`recognition` by `org`; `prisoner` of `org` (both at once); `case` (the latest conviction,
else charge; `org` holds its articles joined by `|`); `person` (`org` is `sex|region` of a
person version, valid on every day). Open ends are the sentinels `END_DAY` and `END_TS` of
`khronika.model.dates`, never NULL, so that every bound can sit in an index.

A flow row (`stats_flow`) is one event counted by a flow, for transaction times [`tf`,
`tt`), with what decided it (see `khronika.stats.spans`).

    !!! `af`/`at` ("as of") must always equal [max(vf, day(tf)), min(vt, day(tt))): the days
    !!! D for which the span holds when K is the end of D itself. The daily totals of
    !!! `series(known_on="asof")` count on them alone.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, PrimaryKeyConstraint, String, Table

from khronika.model.dates import END_DAY, END_TS
from khronika.storage.schema.base import Key, metadata, serial

__all__ = ["END_DAY", "END_TS", "stats_daily", "stats_flow", "stats_span", "stats_state"]


def _interval(lo: str, hi: str) -> tuple[Column[str], Column[str]]:
    """Return new columns `lo` and `hi` of a half-open interval [lo, hi).

    Never NULL: an open end is a sentinel (`END_DAY`, `END_TS`), so every bound can sit in
    an index.
    """
    return Column(lo, Key, nullable=False), Column(hi, Key, nullable=False)


stats_span = Table(
    "stats_span",
    metadata,
    serial("pk", Integer),
    Column("person", Key, nullable=False),
    # `custody`, `recognition`, `prisoner`, `case` or `person`.
    Column("state", String(16), nullable=False),
    # The recogniser (`recognition`, `prisoner`), articles (`case`), `sex|region` (`person`).
    Column("org", Key, nullable=False),
    *_interval("vf", "vt"),
    # `prisoner` spans: what the stock is broken down by, JSON [sex, region, articles]
    # (articles joined by `|`); the span is split where the case changes. Else "".
    Column("detail", Key, nullable=False, server_default=""),
    *_interval("tf", "tt"),
    *_interval("af", "at"),
    # A person's spans (refresh, the joins of the retroactive stock): covering.
    Index("ix_stats_span_person", "person", "state", "org", "vf", "vt", "tf", "tt"),
    # Stock on a day with its breakdown (vt > D first: few spans are still open at a recent
    # D) and the ends of spans grouped by day for series; covering, so no table lookups.
    Index("ix_stats_span_end", "state", "org", "vt", "vf", "tf", "tt", "detail", "person"),
    # Starts of spans grouped by day for series, and the stock on an early day; covering.
    Index("ix_stats_span_start", "state", "org", "vf", "tf", "tt", "vt", "person"),
)

stats_flow = Table(
    "stats_flow",
    metadata,
    serial("pk", Integer),
    # The person the event counts for (the smallest id of people merged then).
    Column("person", Key, nullable=False),
    Column("event", Key, nullable=False),
    # `recognised`, `released`, `died` (org: the recogniser), `absentia`, `prosecuted` (org "").
    Column("flow", String(16), nullable=False),
    Column("org", Key, nullable=False),
    # The effective day of the event.
    Column("day", Key, nullable=False),
    # The release basis (`released`), `in_custody` / `after_release` (`died`), else "".
    Column("attr", Key, nullable=False),
    # The day of the person's previous row of this flow and org, "" for the first.
    Column("prev", Key, nullable=False),
    *_interval("tf", "tt"),
    Index("ix_stats_flow_person", "person"),
    # Counts per day of a flow: covering, in the order the counts group by.
    Index("ix_stats_flow_day", "flow", "org", "day", "attr", "prev", "tf", "tt"),
)

stats_daily = Table(
    "stats_daily",
    metadata,
    # Totals per day of the spans and flow rows (khronika.stats.daily says which).
    Column("what", String(24), nullable=False),  # `span:<state>` or `flow:<flow>`
    Column("org", Key, nullable=False),
    Column("measure", String(24), nullable=False),
    Column("day", Key, nullable=False),
    Column("attr", Key, nullable=False),
    Column("n", Integer, nullable=False),
    PrimaryKeyConstraint("what", "org", "measure", "day", "attr", name="pk_stats_daily"),
)

stats_state = Table(
    "stats_state",
    metadata,
    # One row per derived table; `value` "built" when it is complete for every person.
    Column("name", String(32), primary_key=True),
    Column("value", String(64), nullable=False),
)
