"""The registry by hand: look people up, add and retract events, add sources.

Writes go through the importer (one record is a one-line import), so the rules for
validation, references and versions are the same everywhere.
"""

from khronika.registry.archive import archive_file, archived_path
from khronika.registry.edits import add_record, retract_event
from khronika.registry.lookup import PersonView, get_person, search_people

__all__ = [
    "PersonView",
    "add_record",
    "archive_file",
    "archived_path",
    "get_person",
    "retract_event",
    "search_people",
]
