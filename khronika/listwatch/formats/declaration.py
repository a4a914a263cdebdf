"""What a list format declares about itself: one `Format` per parser module, read by the registry.

Each format module ends its `parse` with a `FORMAT = Format(...)`; `khronika.listwatch.formats`
registers it by `name`, and everything that asks a format something (`lists add` for its
options, `lists import` for its identity, version and whether it reads folders, `lists
formats` for its fields, `listwatch.designations` for the events a confirmed entry adds)
reads this one object, so a format cannot forget a declaration or misspell one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from khronika.listwatch.entries import ParseResult

__all__ = ["Format", "LinkEvents", "Parser"]


class Parser(Protocol):
    """A format's parse function: file bytes (and the list's options) to entries.

    Raises ParseError when the bytes are not this format.
    """

    def __call__(self, data: bytes, *, options: dict[str, Any] | None = None) -> ParseResult:
        """Parse `data`; `options` are the list's own (`lists add`, checked by `Format.options`)."""


@dataclass(frozen=True, slots=True)
class LinkEvents:
    """What a confirmed entry–person pair adds to the registry person (`listwatch.designations`).

    The default is a `designated` event when the entry is listed or listed again and a
    `delisted` one when it is removed, dated by the entry's `included_on`.

    Attributes:
        kinds: the event kind for each history event of the entry (`listed`, `relisted`,
            `removed`); a history event not named adds nothing.
        date: the entry field that dates the first listing (else the snapshot's day).
        details: the entry fields copied into the event's details (beside `list`, `entry`).
        cite: the entry field holding the addresses of the documents that named the entry;
            each becomes a public source the event cites beside the snapshot, so a reader
            follows the event to the announcement itself.
    """

    kinds: Mapping[str, str] = field(
        default_factory=lambda: {
            "listed": "designated",
            "relisted": "designated",
            "removed": "delisted",
        }
    )
    date: str = "included_on"
    details: tuple[str, ...] = ()
    cite: str | None = None


@dataclass(frozen=True, slots=True)
class Format:
    """One list format: its name, what it compares, and the function that parses it.

    Attributes:
        name: the format's name, as `lists add --format` gives it.
        version: bumped whenever the parser's output changes; stored with each snapshot.
        identity: `source_id` when the list numbers its entries stably between editions,
            else `name` (name + birth date; `khronika.listwatch.identity`).
        fields: the compared fields, each with a sentence of help (`lists formats`).
        parse: the parser.
        options: the options `lists add` may give (name → a sentence of help); `add_list`
            refuses any other.
        folders: True when a snapshot is a folder of files, packed into one archive
            (`khronika.listwatch.folders`) that `parse` is given.
        link_events: what a confirmed entry–person pair adds to the registry person.
    """

    name: str
    version: str
    identity: Literal["source_id", "name"]
    fields: Mapping[str, str]
    parse: Parser
    options: Mapping[str, str] = field(default_factory=dict)
    folders: bool = False
    link_events: LinkEvents = field(default_factory=LinkEvents)
