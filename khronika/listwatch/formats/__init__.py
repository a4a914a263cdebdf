"""The list formats, each a small parser module registered here by its declaration's name.

A format module defines `parse(data: bytes, *, options=None) -> ParseResult` and, after it,
`FORMAT = Format(...)` (`khronika.listwatch.formats.declaration`): its name, its version
(bumped whenever its output changes, and stored with each snapshot), its identity
(`source_id` when the list numbers its entries stably, else `name`), its compared fields
with a sentence of help each, and where it needs them the options `lists add` may give it
(any other is refused), whether it reads a folder of files as one snapshot
(`khronika.listwatch.folders`), and the events a confirmed entry–person pair adds to the
registry person (`khronika.listwatch.designations`; by default `designated` when listed,
`delisted` when removed). Add the module to the tuple below to register it.
"""

from __future__ import annotations

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
from khronika.listwatch.formats.declaration import Format, LinkEvents

__all__ = ["FORMATS", "Format", "LinkEvents", "get_format"]

FORMATS: dict[str, Format] = {
    m.FORMAT.name: m.FORMAT
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


def get_format(name: str) -> Format:
    """Return the declaration of format `name` (its `parse` parses it).

    Raises:
        KeyError: with the list of known formats when `name` is unknown.
    """
    try:
        return FORMATS[name]
    except KeyError:
        raise KeyError(
            f"unknown list format {name!r}; known: {', '.join(sorted(FORMATS))}"
        ) from None
