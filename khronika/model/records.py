"""The record types of khronika and their validation: organisation, facility, source, person,
event, meta.

Each record type is a pydantic model. Validation is strict about types (an article is the
text "342", never the number 342) and about fields: a field this khronika does not know is
rejected with its name, never kept or dropped silently (a `visibility` misspelt or put on the
wrong record must not publish what its writer meant to hide). Free-form keys belong in an
event's `details`, which stay with the team unless the kind declares them public.

Transaction-time fields (`recorded`, `retracted`, `recorded_by`, `retraction_reason`) are
common to every record; they say when a version was known, not what it says. The *content*
of a version is everything else; two versions with the same content are the same fact.
"""

from __future__ import annotations

import hashlib
import re
from typing import Annotated, Any, ClassVar, Literal

import orjson
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from khronika.model.dates import PartialDate, canonical_timestamp
from khronika.model.events import EVENT_KINDS, validate_details

__all__ = [
    "RECORD_TYPES",
    "TYPE_ORDER",
    "Event",
    "Facility",
    "Meta",
    "Organisation",
    "Person",
    "PersonName",
    "Record",
    "Source",
    "content_digest",
    "content_of",
]

# Limits that keep a malformed or hostile file from filling the database.
MAX_ID = 200
MAX_SHORT = 300
MAX_TEXT = 4_000
MAX_LONG = 200_000

#: Ids use letters, digits and . : ~ @ + - _ only (no spaces or /): they appear in URLs.
ID_PATTERN = r"^[\w.:~@+-]+$"
_LANG = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


def _check_partial(value: str) -> str:
    return PartialDate.parse(value).text


def _check_timestamp(value: str) -> str:
    # Canonical text (UTC, `Z`), so that equal instants compare equal as content.
    return canonical_timestamp(value)


def _check_lang(value: str) -> str:
    if not _LANG.fullmatch(value):
        raise ValueError("not a BCP-47 language tag such as be, ru, be-Latn")
    # Canonical case: language lower, script title (be-Latn), region upper.
    parts = value.split("-")
    out = [parts[0].lower()]
    for p in parts[1:]:
        out.append(p.title() if len(p) == 4 else p.upper() if len(p) == 2 else p)
    return "-".join(out)


def _no_pipe(value: str) -> str:
    if "|" in value:
        raise ValueError("may not contain | (the CSV list separator)")
    return value


Id = Annotated[StrictStr, Field(min_length=1, max_length=MAX_ID, pattern=ID_PATTERN)]
Short = Annotated[StrictStr, Field(max_length=MAX_SHORT)]
Text = Annotated[StrictStr, Field(max_length=MAX_TEXT)]
Long = Annotated[StrictStr, Field(max_length=MAX_LONG)]
DateText = Annotated[StrictStr, AfterValidator(_check_partial)]
Timestamp = Annotated[StrictStr, AfterValidator(_check_timestamp)]
Lang = Annotated[StrictStr, AfterValidator(_check_lang)]


class Record(BaseModel):
    """Fields every record type shares: identity and transaction time."""

    model_config = ConfigDict(extra="forbid", frozen=False, str_strip_whitespace=False)

    type: ClassVar[str]
    #: Fields that say when a version was known, not what it says.
    TX_FIELDS: ClassVar[tuple[str, ...]] = (
        "recorded",
        "retracted",
        "recorded_by",
        "retracted_by",
        "retraction_reason",
    )

    @model_validator(mode="before")
    @classmethod
    def _without_type(cls, data: Any) -> Any:
        # `type` says which model reads the record; it is not a field of the model.
        if isinstance(data, dict) and "type" in data:
            return {k: v for k, v in data.items() if k != "type"}
        return data

    id: Id
    recorded: Timestamp | None = None
    retracted: Timestamp | None = None
    recorded_by: Short | None = None
    retracted_by: Short | None = None
    retraction_reason: Text | None = None


class Organisation(Record):
    """A recogniser, a list issuer, a court, an outlet …"""

    type: ClassVar[str] = "organisation"
    name: Short = Field(min_length=1)
    #: recogniser, issuer, court, outlet … (open-ended: groups describe themselves)
    kind: Annotated[StrictStr, Field(min_length=1, max_length=60)] = "other"
    url: Text | None = None


class Facility(Record):
    """A place of detention; `public` allows its address to be shown (letters)."""

    type: ClassVar[str] = "facility"
    name: Short = Field(min_length=1)
    kind: Short | None = None
    address: Text | None = None
    public: StrictBool = False


class Source(Record):
    """A document a fact is taken from. Restricted by default: a source can endanger someone."""

    type: ClassVar[str] = "source"
    url: Text | None = None
    file: Text | None = None
    title: Text | None = None
    publisher: Short | None = None
    published: DateText | None = None
    retrieved: Timestamp | None = None
    sha256: Annotated[StrictStr, Field(pattern=r"^[0-9a-f]{64}$")] | None = None
    visibility: Literal["public", "restricted"] = "restricted"


#: Romanisation systems khronika knows by name; others are accepted as lowercase tokens.
SYSTEMS = (
    "national",
    "passport",
    "bgn",
    "iso9",
    "lacinka",
    "conventional",
    "icao",
    "gost",
    "alalc",
    "scientific",
    "other",
)


class PersonName(BaseModel):
    """One spelling of a person's name in one language/script."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[Short, Field(min_length=1), AfterValidator(_no_pipe)]
    lang: Lang
    system: Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_-]{0,39}$")] | None = None
    primary: StrictBool = False


class Person(Record):
    """A person and their names. Restricted by default; `withheld` people are only counted."""

    type: ClassVar[str] = "person"
    names: list[PersonName] = Field(min_length=1, max_length=50)
    sex: Literal["f", "m", "unknown"] = "unknown"
    birth_date: DateText | None = None
    region: Short | None = None
    visibility: Literal["public", "restricted", "withheld"] = "restricted"
    photo: Text | None = None
    story: dict[Lang, Long] | None = None
    #: Private notes: restricted whatever the person's visibility.
    notes: Long | None = None

    @field_validator("names")
    @classmethod
    def _one_primary(cls, names: list[PersonName]) -> list[PersonName]:
        primaries = [n for n in names if n.primary]
        if len(primaries) > 1:
            raise ValueError("more than one name has primary: true")
        primary = primaries[0] if primaries else names[0]
        rest = [n for n in names if n is not primary]
        # Canonical order, so that equal content compares equal: primary first, then by
        # language, system and text.
        rest.sort(key=lambda n: (n.lang, n.system or "", n.name))
        primary = primary.model_copy(update={"primary": True})
        return [primary, *rest]

    @property
    def primary_name(self) -> str:
        """The name shown by default."""
        return self.names[0].name


class Event(Record):
    """Something that happened to a person, on a (partial) date, citing sources.

    `visibility` is the event's own tier. Left out, the event is public only when its person
    is public and it cites at least one public source (`khronika.privacy.event_tier`); an
    explicit `restricted` or `withheld` keeps it from the public whatever its person's tier.
    """

    type: ClassVar[str] = "event"
    person: Id
    kind: StrictStr
    date: DateText
    seq: StrictInt | None = Field(default=None, ge=0, le=1_000_000)
    # validate_default: the check that some kinds need `by` must run when it is missing.
    by: Id | None = Field(default=None, validate_default=True)
    details: dict[str, Any] = Field(default_factory=dict, validate_default=True)
    sources: list[Id] = Field(default_factory=list, max_length=100)
    visibility: Literal["public", "restricted", "withheld"] | None = None

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, kind: str) -> str:
        if kind not in EVENT_KINDS:
            raise ValueError(f"unknown event kind {kind!r} (known: {', '.join(EVENT_KINDS)})")
        return kind

    @field_validator("by")
    @classmethod
    def _by_when_needed(cls, by: str | None, info: ValidationInfo) -> str | None:
        kind = info.data.get("kind")
        if by is None and kind in EVENT_KINDS and EVENT_KINDS[kind].needs_by:
            raise ValueError(f"a {kind} event needs `by` (the organisation)")
        return by

    @field_validator("details")
    @classmethod
    def _details_of_kind(cls, details: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        kind = info.data.get("kind")
        if kind not in EVENT_KINDS:
            return details  # the kind's own error is reported
        try:
            return validate_details(kind, details)
        except ValueError as e:
            field, _, reason = str(e).partition(": ")
            raise PydanticCustomError(
                "details", "{field}: {reason}", {"field": field, "reason": reason}
            ) from None

    @field_validator("sources")
    @classmethod
    def _sorted_sources(cls, sources: list[str]) -> list[str]:
        return sorted(set(sources))


class Meta(Record):
    """What a dataset is: its name, licence and whether it is synthetic."""

    type: ClassVar[str] = "meta"
    id: Id = "meta"
    dataset: Short | None = None
    licence: Short | None = None
    synthetic: StrictBool = False
    description: Text | None = None


RECORD_TYPES: dict[str, type[Record]] = {
    cls.type: cls for cls in (Meta, Organisation, Facility, Source, Person, Event)
}
#: The order record types are exported in: what is referenced comes first.
TYPE_ORDER: tuple[str, ...] = tuple(RECORD_TYPES)


def content_of(record: Record) -> dict[str, Any]:
    """Return the canonical content of a record: what it says, without transaction time.

    Key order is fixed: `type`, `id`, then the declared fields in declaration order. Nulls
    are left out. Two versions with equal content say the same thing.
    """
    out: dict[str, Any] = {"type": record.type, "id": record.id}
    # Field values are plain JSON values already (validated, defaults filled): reading them
    # directly is several times cheaper than model_dump, and imports do it a million times.
    values = record.__dict__
    # Empty text means "not given": a CSV cell cannot tell the two apart.
    for name in _CONTENT_FIELDS[record.type]:
        value = values[name]
        if value is not None and value != "":
            out[name] = value
    if "names" in out:
        # Only the primary name says so; `primary: false` everywhere else is noise.
        out["names"] = [_name_content(n) for n in out["names"]]
    if out.get("details") == {}:
        del out["details"]
    return out


def _name_content(n: PersonName) -> dict[str, Any]:
    out: dict[str, Any] = {"name": n.name, "lang": n.lang}
    if n.system:
        out["system"] = n.system
    if n.primary:
        out["primary"] = True
    return out


_CONTENT_FIELDS: dict[str, tuple[str, ...]] = {
    t: tuple(f for f in cls.model_fields if f != "id" and f not in Record.TX_FIELDS)
    for t, cls in RECORD_TYPES.items()
}


def content_digest(content: dict[str, Any]) -> str:
    """Return the digest of canonical content: 32 hex characters of its SHA-256."""
    return hashlib.sha256(orjson.dumps(content, option=orjson.OPT_SORT_KEYS)).hexdigest()[:32]
