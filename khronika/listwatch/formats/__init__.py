"""The list formats, each a small parser module registered here by its NAME.

A format module defines `NAME`, `VERSION` (bumped whenever its output changes, and stored
with each snapshot), `IDENTITY` (`source_id` when the list numbers its entries stably,
else `name`), `FIELDS` (the compared fields, each with a sentence of help) and
`parse(data: bytes, *, options=None) -> ParseResult`.

A format that reads options declares them in `OPTIONS` (name → a sentence of help); `add_list`
refuses any other.

A format may also declare `LINK_EVENTS`, what a confirmed entry–person pair adds to the
registry person (`khronika.listwatch.designations`; by default `designated` when listed,
`delisted` when removed): `{"kinds": {history event: event kind}, "date": the entry field
dating the first listing, "details": entry fields copied into the event's details, "cite":
the entry field holding the addresses of the documents naming it}`.

A format that reads a folder of files as one snapshot declares `FOLDERS = True` and reads
the packed folder (`khronika.listwatch.folders`) its `parse` is given.
"""

from __future__ import annotations

from types import ModuleType

from khronika.listwatch.formats import (
    by_kgb_terrorists,
    by_mininform_materials,
    by_mvd_formations,
    by_mvd_persons,
    by_special_proceedings,
    fedsfm,
    foreign_agents,
    minjust_materials,
    ofac,
    table,
    undesirable,
)

__all__ = ["FORMATS", "get_format"]

FORMATS: dict[str, ModuleType] = {
    m.NAME: m
    for m in (
        fedsfm,
        minjust_materials,
        foreign_agents,
        undesirable,
        ofac,
        table,
        by_mvd_formations,
        by_kgb_terrorists,
        by_mininform_materials,
        by_mvd_persons,
        by_special_proceedings,
    )
}


def get_format(name: str) -> ModuleType:
    """Return the parser module for format `name`.

    Raises:
        KeyError: with the list of known formats when `name` is unknown.
    """
    try:
        return FORMATS[name]
    except KeyError:
        raise KeyError(
            f"unknown list format {name!r}; known: {', '.join(sorted(FORMATS))}"
        ) from None
