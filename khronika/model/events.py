"""Event kinds, what each one means for a person's state, and its validated details.

Each kind is declared as data (`EventKind`): whether it begins or ends a state (which
decides the bound of a partial date it takes, see docs/figures.md), whether it needs `by`,
the pydantic model of its details and which detail keys may be published. Unknown detail
keys are kept for the team (a documenter's `informant_note`).

    !!! A detail key is private unless its kind lists it in `public_details`. Adding a key
    !!! to a details model does not publish it; adding it to `public_details` does.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, StrictInt, StrictStr, TypeAdapter, ValidationError
from typing_extensions import TypedDict

__all__ = [
    "DERIVED_KINDS",
    "EVENT_KINDS",
    "RELEASE_BASES",
    "RETURN_STAGES",
    "EventKind",
    "validate_details",
]

RELEASE_BASES = (
    "pardon",
    "amnesty",
    "end_of_term",
    "parole",
    "exchange",
    "deportation",
    "acquittal",
    "other",
)
SENTENCE_TYPES = ("colony", "prison", "restricted_freedom", "house_arrest", "fine", "other")

_Str = Annotated[StrictStr, Field(max_length=2_000)]
_Article = Annotated[StrictStr, Field(min_length=1, max_length=40, pattern=r"^[^|\s][^|]*$")]


# Details are TypedDicts validated by pydantic: a plain dict in, a plain dict out, several
# times cheaper than a model per event (imports validate a million events).
_EXTRA = ConfigDict(extra="allow")


class _Details(TypedDict, total=False):
    __pydantic_config__ = _EXTRA  # type: ignore[misc]


class DetentionDetails(_Details, total=False):
    """`detained` and `transferred`: where to."""

    facility: _Str | None


class ProceedingDetails(_Details, total=False):
    """`charged`, `convicted`, `convicted_in_absentia`: the case (`proceeding` defaults to
    `criminal`)."""

    proceeding: Literal["criminal", "administrative"]
    articles: Annotated[list[_Article], Field(max_length=50)] | None
    case_number: _Str | None
    court: _Str | None
    judge: _Str | None
    sentence_months: Annotated[StrictInt, Field(ge=0, le=12 * 100)] | None
    sentence_type: Literal[SENTENCE_TYPES] | None  # type: ignore[valid-type]


class InAbsentiaDetails(ProceedingDetails, total=False):
    """`in_absentia_proceedings`: special proceedings opened against someone abroad, and the
    body that opened them (the Investigative Committee, the Prosecutor General's Office, the KGB)."""

    body: _Str | None


#: What a `return_commission` event records: an application to the commission, a return
#: through it, or a repentance shown on state TV.
RETURN_STAGES = ("applied", "returned", "shown_on_tv")


class ReturnDetails(_Details, total=False):
    """`return_commission`: the stage (`RETURN_STAGES`), when it is known."""

    stage: Literal[RETURN_STAGES] | None  # type: ignore[valid-type]


class PropertyDetails(_Details, total=False):
    """`property_seized`: what was seized or arrested (a flat, a car, a share), as reported."""

    what: _Str | None


class ReleaseDetails(_Details, total=True):
    """`released`: on what basis (clemency is `pardon`, not `amnesty`)."""

    basis: Literal[RELEASE_BASES]  # type: ignore[valid-type]


class ListDetails(_Details, total=False):
    """`designated` and `delisted`: which official list and which entry."""

    list: _Str | None
    entry: _Str | None


class FreeDetails(_Details, total=False):
    """Kinds whose details are free-form (still a JSON object)."""


#: Defaults filled in when a detail is not given.
_DEFAULTS: dict[type, dict[str, Any]] = {
    ProceedingDetails: {"proceeding": "criminal"},
    InAbsentiaDetails: {"proceeding": "criminal"},
}


@dataclass(frozen=True, slots=True)
class EventKind:
    """What an event kind is.

    Attributes:
        name: the kind, as written in files.
        ends_state: True for kinds that end a state (their partial date takes its last day).
        needs_by: True when `by` (the organisation) is required.
        details: the pydantic model of `details`.
        public_details: the detail keys the public may see (`khronika.privacy`); every
            other key, declared or free-form, stays with the team.
        derives_figures: True for kinds the spans and flows are derived from
            (`khronika.stats.spans`); a write of any other kind leaves the figures as they are.
    """

    name: str
    ends_state: bool
    needs_by: bool
    details: type
    public_details: frozenset[str] = frozenset()
    derives_figures: bool = False


def _kinds(*kinds: EventKind) -> dict[str, EventKind]:
    return {k.name: k for k in kinds}


# What the public may see of each kind's details. The case number, the judge and the court
# are public record in Belarus (courts announce them); free-form keys never are.
_PLACE = frozenset({"facility"})
_CASE = frozenset(
    {"proceeding", "articles", "case_number", "court", "judge", "sentence_months", "sentence_type"}
)
_LIST = frozenset({"list", "entry"})
_NONE: frozenset[str] = frozenset()

EVENT_KINDS: dict[str, EventKind] = _kinds(
    EventKind("detained", False, False, DetentionDetails, _PLACE, derives_figures=True),
    EventKind("charged", False, False, ProceedingDetails, _CASE, derives_figures=True),
    EventKind("convicted", False, False, ProceedingDetails, _CASE, derives_figures=True),
    EventKind(
        "convicted_in_absentia", False, False, ProceedingDetails, _CASE, derives_figures=True
    ),
    EventKind("transferred", False, False, DetentionDetails, _PLACE),
    EventKind("released", True, False, ReleaseDetails, frozenset({"basis"}), derives_figures=True),
    EventKind("died", True, False, FreeDetails, _NONE, derives_figures=True),
    EventKind("recognised", False, True, FreeDetails, _NONE, derives_figures=True),
    EventKind("recognition_withdrawn", True, True, FreeDetails, _NONE, derives_figures=True),
    EventKind("designated", False, False, ListDetails, _LIST),
    EventKind("delisted", True, False, ListDetails, _LIST),
    EventKind("emigrated", False, False, FreeDetails, _NONE),
    EventKind("media_appearance", False, False, FreeDetails, _NONE),
    EventKind("return_commission", False, False, ReturnDetails, frozenset({"stage"})),
    # The campaign's own facts (khronika.media proposes them from state reports).
    EventKind("in_absentia_proceedings", False, False, InAbsentiaDetails, _CASE | {"body"}),
    EventKind("property_seized", False, False, PropertyDetails, frozenset({"what"})),
)

#: The kinds the figures are derived from, in declaration order.
DERIVED_KINDS: tuple[str, ...] = tuple(k.name for k in EVENT_KINDS.values() if k.derives_figures)


@functools.cache
def _adapter(model: type) -> TypeAdapter[Any]:
    return TypeAdapter(model)


def _validated(model: type, details: dict[str, Any]) -> dict[str, Any]:
    try:
        parsed = _adapter(model).validate_python(details)
    except ValidationError as e:
        err = e.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise ValueError(f"details.{where}: {err['msg']}") from None
    # Canonical details: defaults filled in, nulls and empty values left out.
    out = {**_DEFAULTS.get(model, {}), **parsed}
    return {k: v for k, v in out.items() if v is not None and v != "" and v != []}


def validate_details(kind: str, details: Any) -> dict[str, Any]:
    """Validate `details` for an event kind; return them with defaults filled in.

    Raises:
        ValueError: naming the first offending detail field, as `details.<field>: reason`.
    """
    if not isinstance(details, dict):
        raise ValueError("details: must be a JSON object")
    model = EVENT_KINDS[kind].details
    if model is FreeDetails:
        return {k: v for k, v in details.items() if v is not None and v != ""}
    # The two shapes most events have, checked without pydantic (a million times per
    # import); anything else, or anything wrong, goes through the TypedDict.
    if model is DetentionDetails and details.keys() == {"facility"}:
        facility = details["facility"]
        if type(facility) is str and 0 < len(facility) <= 2_000:
            return {"facility": facility}
    elif (
        model is ReleaseDetails
        and details.keys() == {"basis"}
        and details["basis"] in RELEASE_BASES
    ):
        return {"basis": details["basis"]}
    return _validated(model, details)
