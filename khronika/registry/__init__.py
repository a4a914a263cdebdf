"""The registry: look people up, write records through the one write path, propose merges.

Every write goes through `write_versions`/`retract` (one record by hand is a one-line
write), so the rules for validation, references, versions and the figures cache are the
same everywhere. Importing this package declares the `person-person` review kind.

The public names are imported on first use (PEP 562): a read such as `khronika person
show` imports `registry.lookup` and never the write path (`writes`, `edits`: the figures
cache, the audit log), which was a third of its start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from khronika.lazy import lazy_names

# Imported here, not lazily: it declares the `person-person` kind, which the review queue
# must know whichever registry name (if any) is used first. It is kept light: it reaches
# the write path only when a merge is accepted.
from khronika.registry import merges as merges

if TYPE_CHECKING:
    from khronika.registry.archive import archive_file, archived_path
    from khronika.registry.edits import add_record, retract_event
    from khronika.registry.lookup import PersonView, get_person, search_people
    from khronika.registry.merges import PERSON_PERSON, describe_person
    from khronika.registry.validate import RawRecord
    from khronika.registry.writes import (
        Expected,
        ImportReport,
        retract,
        retract_many,
        touch_people,
        version_token,
        write_versions,
    )

__all__ = [
    "Expected",
    "ImportReport",
    "PERSON_PERSON",
    "PersonView",
    "RawRecord",
    "add_record",
    "archive_file",
    "archived_path",
    "describe_person",
    "get_person",
    "retract",
    "retract_event",
    "retract_many",
    "search_people",
    "touch_people",
    "version_token",
    "write_versions",
]

# Each public name -> the module (under khronika.registry) that defines it.
_HOMES = {
    "archive_file": "archive",
    "archived_path": "archive",
    "add_record": "edits",
    "retract_event": "edits",
    "PersonView": "lookup",
    "get_person": "lookup",
    "search_people": "lookup",
    "PERSON_PERSON": "merges",
    "describe_person": "merges",
    "RawRecord": "validate",
    "Expected": "writes",
    "ImportReport": "writes",
    "retract": "writes",
    "retract_many": "writes",
    "touch_people": "writes",
    "version_token": "writes",
    "write_versions": "writes",
}


__getattr__, __dir__ = lazy_names(
    globals(), {name: f"{__name__}.{home}" for name, home in _HOMES.items()}
)
