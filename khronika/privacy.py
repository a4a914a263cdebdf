"""What a viewer may see: the one place that decides.

Two audiences: `team` (the database's own users: everything) and `public` (pages, feeds,
public exports, the public API). For the public:

* people: only `public` ones by name; `restricted` and `withheld` people do not appear
  (withheld people are still counted in figures, which never name anyone);
* private notes, unknown (extra) fields and who-recorded-what never appear;
* sources: only `public` ones; an event's citations are cut to its public sources;
* facilities: only those flagged `public`; an event naming another facility loses that detail;
* events: only those of public people whose own tier is public (`event_tier`: explicit, or
  by rule public only when the event cites at least one public source), and of their
  details only the keys the event kind declares public (`EventKind.public_details`);
* state-media items (`media_item`, an item report of `khronika.media`): only those whose
  source a team has made public *and* every person linked to (or proposed for) one of
  whose mentions is public; then the text, the narratives and the mentions, each mention
  with its person only when linked; never the reviewer's candidates, scores or links.

    !!! Every public output must go through `redact`. Visibility is judged on the current
    !!! versions, never on an older one: a person withheld today stays hidden in history.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from khronika import settings
from khronika.model.events import EVENT_KINDS
from khronika.storage.reads import current_rows

if TYPE_CHECKING:
    from sqlalchemy import Connection

__all__ = [
    "Audience",
    "PublicContext",
    "context_from_rows",
    "event_tier",
    "public_context",
    "redact",
    "suppress_count",
    "suppress_flows",
    "suppress_small",
]

#: Fields of a person that are restricted whatever the person's visibility.
PRIVATE_PERSON_FIELDS = ("notes",)
#: Transaction-time fields that name team members or internal reasons.
PRIVATE_TX_FIELDS = ("recorded_by", "retracted_by", "retraction_reason")


class Audience(StrEnum):
    """Who is looking."""

    TEAM = "team"
    PUBLIC = "public"


@dataclass
class PublicContext:
    """The ids the public may see, judged on current versions."""

    persons: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    facilities: set[str] = field(default_factory=set)
    all_facilities: set[str] = field(default_factory=set)


def redact(
    rtype: str, record: dict[str, Any], audience: Audience, ctx: PublicContext | None
) -> dict[str, Any] | None:
    """Return what `audience` may see of a record (content plus tx fields), or None.

    The team sees the record unchanged. The public sees a reduced copy, or nothing.
    """
    if audience is Audience.TEAM:
        return record
    assert ctx is not None, "public output needs a PublicContext"
    known = _PUBLIC_FIELDS[rtype]
    if rtype == "person" and record["id"] not in ctx.persons:
        return None
    if rtype == "source" and record["id"] not in ctx.sources:
        return None
    if rtype == "facility" and record["id"] not in ctx.facilities:
        return None
    if rtype == "event" and (
        record["person"] not in ctx.persons or event_tier(record, ctx.sources) != "public"
    ):
        return None
    if rtype == "media_item":
        return _public_item(record, ctx)
    out = {k: v for k, v in record.items() if k in known}
    if rtype == "event":
        out["sources"] = [s for s in record.get("sources", ()) if s in ctx.sources]
        declared = EVENT_KINDS[record["kind"]].public_details
        details = {k: v for k, v in (record.get("details") or {}).items() if k in declared}
        facility = details.get("facility")
        if facility is not None and facility not in ctx.facilities:
            # Not a public facility (or free text naming one): leave the place out.
            details.pop("facility")
        out["details"] = details
    return out


_PUBLIC_MENTION = ("text", "normal", "start", "end", "person", "targeted", "role")


def _public_item(item: dict[str, Any], ctx: PublicContext) -> dict[str, Any] | None:
    if item["source"] not in ctx.sources:
        return None
    named = {m.get(k) for m in item.get("mentions", ()) for k in ("person", "candidate")}
    if any(p is not None and p not in ctx.persons for p in named):
        # The item names someone the public must not see (or may not: a pending review):
        # the whole item stays with the team, not only the link.
        return None
    out = {k: v for k, v in item.items() if k in _PUBLIC_FIELDS["media_item"]}
    out["mentions"] = [{k: m.get(k) for k in _PUBLIC_MENTION} for m in item.get("mentions", ())]
    return out


def event_tier(event: Mapping[str, Any], public_sources: set[str] | frozenset[str]) -> str:
    """Return an event's visibility tier: its own, or by rule from what it cites.

    By rule (no `visibility` given) an event is `public` when it cites at least one public
    source and `restricted` otherwise: a fact known only from a restricted source (a letter
    from a relative, a testimony) could point back at that source. The person's own tier
    is judged apart (`redact`): no event of a hidden person is public, whatever its tier.
    """
    tier = event.get("visibility")
    if tier is not None:
        return str(tier)
    return "public" if any(s in public_sources for s in event.get("sources", ())) else "restricted"


_TX = ("recorded", "retracted")
_PUBLIC_FIELDS: dict[str, frozenset[str]] = {
    "meta": frozenset({"type", "id", "dataset", "licence", "synthetic", "description", *_TX}),
    "organisation": frozenset({"type", "id", "name", "kind", "url", *_TX}),
    "facility": frozenset({"type", "id", "name", "kind", "address", "public", *_TX}),
    "source": frozenset(
        {
            "type",
            "id",
            "url",
            "title",
            "publisher",
            "published",
            "retrieved",
            "sha256",
            "visibility",
            *_TX,
        }
    ),
    "person": frozenset(
        {"type", "id", "names", "sex", "birth_date", "region", "visibility", "photo", "story", *_TX}
    ),
    "event": frozenset(
        {"type", "id", "person", "kind", "date", "seq", "by", "details", "sources", *_TX}
    ),
    "media_item": frozenset(
        {
            "item",
            "url",
            "outlet",
            "published",
            "title",
            "lang",
            "langs",
            "sha256",
            "text",
            "narratives",
            "source",
        }
    ),
}


def public_context(
    conn: Connection,
    *,
    persons: Iterable[str] | None = None,
    sources: Iterable[str] | None = None,
    facilities: Iterable[str] | None = None,
) -> PublicContext:
    """Build the public context from current versions: all of them, or only the ids given.

    A page about one person asks only about the ids it is about to show (fast); an export
    asks about everything. An id that is not current (or does not exist) is not public.
    """

    def ids(x: Iterable[str] | None) -> list[str] | None:
        return None if x is None else sorted(set(x))

    def rows(rtype: str, wanted: Iterable[str] | None) -> Iterator[Mapping[str, Any]]:
        # RowMapping is a Mapping keyed by column names; typed loosely by SQLAlchemy.
        return (r._mapping for r in current_rows(conn, rtype, ids(wanted)))  # type: ignore[misc]

    return context_from_rows(
        persons=rows("person", persons),
        sources=rows("source", sources),
        facilities=rows("facility", facilities),
    )


def context_from_rows(
    *,
    persons: Iterable[Mapping[str, Any]] = (),
    sources: Iterable[Mapping[str, Any]] = (),
    facilities: Iterable[Mapping[str, Any]] = (),
) -> PublicContext:
    """Build the public context from current versions a caller has already read.

    Each item is a current version (a row mapping or a record) with `id` and `visibility`
    (people, sources) or `public` (facilities).
    """
    ctx = PublicContext()
    for p in persons:
        if p["visibility"] == "public":
            ctx.persons.add(p["id"])
    for s in sources:
        if s["visibility"] == "public":
            ctx.sources.add(s["id"])
    for f in facilities:
        ctx.all_facilities.add(f["id"])
        if f["public"]:
            ctx.facilities.add(f["id"])
    return ctx


def min_cell() -> int:
    """The threshold k: the smallest count a public figure shows (KHRONIKA_MIN_CELL, 5)."""
    return int(settings.get("KHRONIKA_MIN_CELL"))


def suppress_count(value: int, *, minimum: int | None = None) -> int | None:
    """Return a public count: None ("fewer than k") when it is below k and not zero."""
    low = min_cell() if minimum is None else minimum
    return value if value == 0 or value >= low else None


def suppress_small(
    cells: Mapping[str, int], *, minimum: int | None = None
) -> dict[str, int | None]:
    """Return a public breakdown: every count below `minimum` becomes None ("fewer than N").

    Nobody may be identifiable from a cell of one or two. A single suppressed cell could be
    recovered from the total minus the others, so when exactly one cell is suppressed the
    next smallest is suppressed too. `minimum` defaults to KHRONIKA_MIN_CELL (5).
    """
    out = {k: suppress_count(v, minimum=minimum) for k, v in cells.items()}
    hidden = [k for k, v in out.items() if v is None]
    if len(hidden) == 1:
        shown = sorted((v, k) for k, v in out.items() if v)
        if shown:
            out[shown[0][1]] = None
    return out


def suppress_flows(flows: Mapping[str, Any], *, minimum: int | None = None) -> dict[str, Any]:
    """Return a public copy of a flows result or series point (`khronika.stats.flows`).

    Every count of events in a period is a cell: `recognised`, the releases' total and
    persons, the in-absentia persons and cases, `prosecuted_persons` each on its own; the
    releases by basis and the deaths (in custody, after release) are breakdowns
    (`suppress_small`). The stock of political prisoners is a headline total and stays.
    Fields missing from `flows` stay missing; others are copied as they are.
    """
    out = dict(flows)

    def cell(value: Any) -> Any:
        return suppress_count(value, minimum=minimum) if isinstance(value, int) else value

    for key in ("recognised", "prosecuted_persons"):
        if key in out:
            out[key] = cell(out[key])
    if isinstance(out.get("released"), Mapping):
        released = dict(out["released"])
        for key in ("total", "persons"):
            if key in released:
                released[key] = cell(released[key])
        if isinstance(released.get("by_basis"), Mapping):
            released["by_basis"] = suppress_small(released["by_basis"], minimum=minimum)
        out["released"] = released
    if isinstance(out.get("died"), Mapping):
        out["died"] = suppress_small(out["died"], minimum=minimum)
    if isinstance(out.get("convicted_in_absentia"), Mapping):
        out["convicted_in_absentia"] = {k: cell(v) for k, v in out["convicted_in_absentia"].items()}
    return out
