"""listwatch: official lists, their snapshots, stable entries, diffs, history and feeds.

    file bytes ──parse (formats/)──▶ entries ──assign keys (identity.py)──▶ keyed snapshot
         │                                                                 │
         └─ archived by SHA-256 (snapshots.py)          diff.py: added / removed / changed

Parsing, key assignment, diffing and screening are pure; storage goes through
khronika.storage.lists. The name matcher is pluggable (`set_name_matcher`). Importing this
package declares the `entry-person` review kind (`designations.py`).
"""

from khronika.listwatch.designations import ENTRY_PERSON, sync_designations
from khronika.listwatch.diff import Diff, diff_entries
from khronika.listwatch.entries import Entry, ParseError, ParseResult
from khronika.listwatch.identity import set_name_matcher
from khronika.listwatch.reports import diff_snapshots, entry_history, list_stats
from khronika.listwatch.snapshots import SnapshotRejected, add_list, import_snapshot

__all__ = [
    "Diff",
    "ENTRY_PERSON",
    "Entry",
    "ParseError",
    "ParseResult",
    "SnapshotRejected",
    "add_list",
    "diff_entries",
    "diff_snapshots",
    "entry_history",
    "import_snapshot",
    "list_stats",
    "set_name_matcher",
    "sync_designations",
]
