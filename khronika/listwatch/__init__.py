"""listwatch: official lists, their snapshots, stable entries, diffs, history and feeds.

    file bytes ──parse (formats/)──▶ entries ──assign keys (identity.py)──▶ keyed snapshot
         │                                                                 │
         └─ archived by SHA-256 (snapshots.py)          diff.py: added / removed / changed

Parsing, key assignment and diffing are pure; storage goes through khronika.storage.lists.
"""

from khronika.listwatch.entries import Entry, ParseError, ParseResult

__all__ = ["Entry", "ParseError", "ParseResult"]
