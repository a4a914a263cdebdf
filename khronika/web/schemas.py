"""The shapes of the API's answers, for `/openapi.json` (documentation, not validation).

The views build their JSON themselves (fast, and always through `khronika.privacy`); these
pydantic models say what that JSON is. `tests/web/test_api.py` validates every documented
route's real answer against its model, so the document cannot drift from the code.
Records keep `extra="allow"`: a record may carry more fields than are named here.
"""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["RESPONSES", "ApiError", "MediaItemAnswer"]

_OPEN = ConfigDict(extra="allow")
_CLOSED = ConfigDict(extra="forbid")
T = TypeVar("T")


class ApiError(BaseModel):
    """Every error: its status, one message, and every problem found."""

    model_config = _CLOSED
    ok: Literal[False]
    status: int
    error: str
    errors: list[str]


class Name(BaseModel):
    """One name of a person in one script or language."""

    model_config = _OPEN
    name: str
    lang: str
    primary: bool | None = None
    system: str | None = None


class Card(BaseModel):
    """A public person as the gallery shows them."""

    model_config = _CLOSED
    id: str
    name: str
    names: list[Name]
    sex: str | None
    region: str | None
    status: str
    days_in_custody: int | None
    articles: list[str]
    detention_year: int | None
    photo: str | None
    url: str


class Event(BaseModel):
    """A public event (only the detail keys its kind declares public)."""

    model_config = _OPEN
    type: Literal["event"]
    id: str
    person: str
    kind: str
    date: str
    details: dict[str, Any] = Field(default_factory=dict)
    sources: list[str] = Field(default_factory=list)


class Source(BaseModel):
    """A public source."""

    model_config = _OPEN
    type: Literal["source"]
    id: str
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    published: str | None = None


class Page(BaseModel, Generic[T]):
    """A page of a list: `next` is the path of the following page, when there is one."""

    model_config = _CLOSED
    ok: Literal[True]
    total: int
    page: int
    size: int
    pages: int
    items: list[T]
    next: str | None = None


class PersonAnswer(BaseModel):
    """One public person with their public events."""

    model_config = _OPEN
    ok: Literal[True]
    person: dict[str, Any]
    name: str
    status: str
    days_in_custody: int | None
    articles: list[str]
    events: list[dict[str, Any]]


class SearchAnswer(BaseModel):
    """People found by name."""

    model_config = _CLOSED
    ok: Literal[True]
    query: str
    total: int
    items: list[Card]


class EventAnswer(BaseModel):
    model_config = _CLOSED
    ok: Literal[True]
    event: Event


class SourceAnswer(BaseModel):
    model_config = _CLOSED
    ok: Literal[True]
    source: Source


class People(BaseModel):
    model_config = _CLOSED
    total: int
    named: int


class MetaAnswer(BaseModel):
    """What the dataset is; how many people it counts, and how many are named."""

    model_config = _CLOSED
    ok: Literal[True]
    meta: dict[str, Any] | None
    synthetic: bool
    people: People


class FiguresAnswer(BaseModel):
    """Headline figures on a day; breakdown cells under the threshold are null."""

    model_config = _OPEN
    ok: Literal[True]
    as_of: str
    known_on: str | None
    by: str
    political_prisoners: int | None
    in_custody_total: int | None


class FlowsAnswer(BaseModel):
    """Flows in a period; small counts are null."""

    model_config = _OPEN
    ok: Literal[True]
    known_on: str | None
    by: str


class SeriesAnswer(BaseModel):
    """One point per step."""

    model_config = _OPEN
    ok: Literal[True]
    step: str
    by: str
    points: list[dict[str, Any]]


class Outlet(BaseModel):
    model_config = _OPEN
    id: str
    name: str
    country: str | None
    state_owned: bool


class OutletsAnswer(BaseModel):
    model_config = _CLOSED
    ok: Literal[True]
    outlets: list[Outlet]


class Mention(BaseModel):
    """A person named in an item; `person` only when linked (and public)."""

    model_config = _CLOSED
    text: str
    normal: str
    start: int
    end: int
    person: str | None
    targeted: bool
    role: str | None


class Narrative(BaseModel):
    model_config = _CLOSED
    tag: str
    evidence: str
    start: int
    end: int


class MediaItem(BaseModel):
    model_config = _OPEN
    item: str
    outlet: str | None
    published: str | None
    text: str
    narratives: list[Narrative]
    mentions: list[Mention]


class MediaItemAnswer(BaseModel):
    model_config = _CLOSED
    ok: Literal[True]
    item: MediaItem
    outlet: Outlet | None


class ImportAnswer(BaseModel):
    """What an import wrote."""

    model_config = _CLOSED
    ok: Literal[True]
    added: dict[str, int]
    unchanged: dict[str, int]
    superseded: int


def _json(model: type[BaseModel], what: str) -> dict[int | str, dict[str, Any]]:
    return {
        200: {"model": model, "description": what},
        404: {"model": ApiError, "description": "Not found (a hidden record answers the same)."},
    }


def _file(media_type: str, what: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"content": {media_type: {}}, "description": what}}


#: What each documented route answers, by route name.
RESPONSES: dict[str, dict[int | str, dict[str, Any]]] = {
    "feed": _file("application/atom+xml", "An Atom feed of new public events."),
    "export_ndjson": _file("application/x-ndjson", "The public export, one record a line."),
    "export_csv": _file("application/zip", "The public export as CSV files in a zip."),
    "api_meta": _json(MetaAnswer, "The dataset."),
    "api_people": _json(Page[Card], "A page of public people."),
    "api_person": _json(PersonAnswer, "One public person."),
    "api_search": _json(SearchAnswer, "People found by name."),
    "api_events": _json(Page[Event], "A page of public events."),
    "api_event": _json(EventAnswer, "One public event."),
    "api_sources": _json(Page[Source], "A page of public sources."),
    "api_source": _json(SourceAnswer, "One public source."),
    "api_figures": _json(FiguresAnswer, "Headline figures."),
    "api_flows": _json(FlowsAnswer, "Flows in a period."),
    "api_series": _json(SeriesAnswer, "A series of points."),
    "api_media_outlets": _json(OutletsAnswer, "State outlets."),
    "api_media_item": _json(MediaItemAnswer, "One public state-media item."),
    "api_import": {
        200: {"model": ImportAnswer, "description": "What the import wrote."},
        400: {"model": ApiError, "description": "Nothing imported: every rejected line."},
        401: {"model": ApiError, "description": "No write token or console session."},
        403: {"model": ApiError, "description": "The account or token may not write."},
    },
}
