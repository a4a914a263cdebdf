"""The registry: look people up, write records through the one write path, propose merges.

Every write goes through `write_versions`/`retract` (one record by hand is a one-line
write), so the rules for validation, references, versions and the figures cache are the
same everywhere. Importing this package declares the `person-person` review kind.
"""

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
