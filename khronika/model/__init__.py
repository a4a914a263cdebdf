"""The data model: partial dates, record types and event kinds."""

from khronika.model.dates import PartialDate, format_timestamp, parse_timestamp
from khronika.model.events import EVENT_KINDS, RELEASE_BASES, EventKind
from khronika.model.records import (
    RECORD_TYPES,
    TYPE_ORDER,
    Event,
    Facility,
    Meta,
    Organisation,
    Person,
    PersonName,
    Record,
    Source,
)

__all__ = [
    "EVENT_KINDS",
    "Event",
    "EventKind",
    "Facility",
    "Meta",
    "Organisation",
    "PartialDate",
    "Person",
    "PersonName",
    "RECORD_TYPES",
    "RELEASE_BASES",
    "Record",
    "Source",
    "TYPE_ORDER",
    "format_timestamp",
    "parse_timestamp",
]
