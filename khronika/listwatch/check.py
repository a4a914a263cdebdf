"""The check: is this channel, account, site or name on an official list, and since when?

    latest snapshot of every list ──▶ CheckIndex ──check(query)──▶ hits
      (entries, first snapshot       identifiers (`identifiers.extract`): one dict lookup
       that had each key)            quoted titles, folded: one dict lookup
                                     words of materials' text (folded): a posting list
                                     people's names: `khronika.names.Index` (scripts, forms)

A query is classified once: written as an identifier (a URL, a domain, an `@handle`) it is
looked up by its key (an `@handle` under every network's handle, since a reader may not
say which network); otherwise it is a title or a text (every word of it in an entry's
text, in any script mix) and, when it looks like a person's name, a name matched across
scripts and inflection. Nothing here stores or logs a query: the index is read-only.

    !!! The check answers from the official lists only, never from the registry: a
    !!! public check of a person's name must not say whether khronika documents them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from khronika.listwatch.identifiers import extract, fold, is_identifier, key_of
from khronika.names import Index
from khronika.storage import Database
from khronika.storage import lists as store

__all__ = ["CheckIndex", "build_index", "check", "index_version", "watch"]

#: Networks whose accounts are `@handles`: a bare `@name` is looked up in each.
_HANDLE_NETWORKS = ("tg", "ig", "tt", "x", "threads", "yt:@")
#: Fields that name the entry (its text and identifiers); a decision's court is not one:
#: "Минск" must not find every material a Minsk court banned.
_NAMING_FIELDS = ("aliases", "short_names", "links", "titles")
#: At most this many hits per query (a common word would otherwise list thousands).
MAX_HITS = 20
#: A text query needs at least this many letters (shorter ones match everything).
_MIN_TEXT = 4
_NAME_WORDS = re.compile(r"^[^\W\d_]+(?:[-'’][^\W\d_]+)*(?:\s+[^\W\d_]+(?:[-'’][^\W\d_]+)*){1,3}$")


@dataclass(frozen=True, slots=True)
class _Entry:
    list: str
    key: str
    name: str
    kind: str
    first_seen: str
    included_on: str | None
    text: str  # folded name and fields, for text queries


@dataclass
class CheckIndex:
    """Every current entry of every list, indexed for the check (build with `build_index`).

    Attributes:
        version: the latest snapshot of each list it was built from (`index_version`).
        lists: list id -> title.
    """

    version: tuple[tuple[str, str], ...] = ()
    lists: dict[str, str] = field(default_factory=dict)
    _entries: list[_Entry] = field(default_factory=list)
    _by_key: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    _by_word: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    _names: Index = field(default_factory=Index)

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, list_id: str, key: str, data: Mapping[str, Any], first_seen: str) -> None:
        """Index one entry of a list's latest snapshot (`Entry.to_json` data)."""
        texts = [str(data.get("name") or "")]
        for name in _NAMING_FIELDS:
            value = data.get(name)
            if isinstance(value, str):
                texts.append(value)
            elif isinstance(value, list):
                texts.extend(str(v) for v in value)
        joined = "\n".join(texts)
        included = data.get("included_on") or data.get("decided_on")
        pos = len(self._entries)
        kind = str(data.get("kind") or "other")
        self._entries.append(
            _Entry(
                list_id,
                key,
                str(data.get("name") or ""),
                kind,
                first_seen[:10],
                str(included) if included else None,
                fold(joined),
            )
        )
        for k in extract(joined):
            self._by_key[k].append(pos)
        for word in set(self._entries[pos].text.split()):
            self._by_word[word].add(pos)
        if kind == "person":
            names = [data.get("name"), *(data.get("aliases") or ())]
            for name in names:
                if isinstance(name, str) and name.strip():
                    self._names.add(pos, name, data.get("birth_date"))

    def check(self, query: str) -> list[dict[str, Any]]:
        """Return the hits of one query, best first (each entry once, at most MAX_HITS)."""
        query = query.strip()
        found: list[tuple[int, str]] = []
        if is_identifier(query) or key_of(query):
            found += [(p, "identifier") for p in self._identifier(query)]
        else:
            title = fold(query)
            if _NAME_WORDS.match(query):
                found += [(p, "name") for p in self._people(query)]
            found += [(p, "title") for p in self._by_key.get(f"title:{title}", ())]
            found += [(p, "text") for p in self._text(title)]
        out: list[dict[str, Any]] = []
        seen: set[int] = set()
        for pos, how in found:
            if pos in seen:
                continue
            seen.add(pos)
            e = self._entries[pos]
            out.append(
                {
                    "list": e.list,
                    "key": e.key,
                    "name": e.name,
                    "first_seen": e.first_seen,
                    "included_on": e.included_on,
                    "kind": e.kind,
                    "match": how,
                }
            )
            if len(out) == MAX_HITS:
                break
        return out

    def _identifier(self, query: str) -> list[int]:
        key = key_of(query)
        keys = [key] if key else []
        if query.startswith("@") and key and key.startswith("tg:"):
            handle = key[3:]
            keys += [
                f"{n}{handle}" if n.endswith("@") else f"{n}:{handle}" for n in _HANDLE_NETWORKS
            ]
        return list(dict.fromkeys(p for k in keys for p in self._by_key.get(k, ())))

    def _text(self, folded: str) -> list[int]:
        words = folded.split()
        if sum(len(w) for w in words) < _MIN_TEXT:
            return []
        postings = [self._by_word.get(w, set()) for w in words]
        if not all(postings):
            return []
        common = set.intersection(*sorted(postings, key=len))
        # The words in this order, as a phrase, first; the rest after.
        phrase = [p for p in common if folded in self._entries[p].text]
        rest = [p for p in common if p not in set(phrase)]
        return sorted(phrase) + sorted(rest)

    def _people(self, query: str) -> list[int]:
        found = self._names.search(query, limit=MAX_HITS, explain=False)
        return [h.key for h in found if isinstance(h.key, int)]


def index_version(db: Database) -> tuple[tuple[str, str], ...]:
    """The latest snapshot id of every list: an index built from them is current."""
    with db.connect() as conn:
        return tuple(sorted(store.latest_snapshots(conn).items()))


def build_index(db: Database, *, previous: bool = False) -> CheckIndex:
    """Index the latest snapshot of every watched list (`previous`: the one before it)."""
    with db.connect() as conn:
        latest = store.latest_snapshots(conn)
        if previous:
            before = {lid: [s["id"] for s in store.snapshots(conn, lid)][-2:-1] for lid in latest}
            latest = {lid: ids[0] for lid, ids in before.items() if ids}
        titles = {row["id"]: row["title"] for row in store.list_lists(conn)}
        index = CheckIndex(version=tuple(sorted(latest.items())), lists=titles)
        for list_id, snapshot_id in sorted(latest.items()):
            for key, data, first in store.current_entries(conn, list_id, snapshot_id):
                index.add(list_id, key, data, first)
    return index


def check(
    db_or_index: Database | CheckIndex, queries: Sequence[str] | Iterable[str]
) -> list[dict[str, Any]]:
    """Answer each query in order: `{"query": as given, "hits": [...]}` (the CLI contract).

    Each hit: `list`, `key`, `name` (the entry's text), `first_seen` (the date of the first
    snapshot that had the entry), `included_on` (the list's own date of inclusion or of the
    decision, or None), `kind` and `match` (`identifier`, `title`, `text` or `name`).
    """
    index = db_or_index if isinstance(db_or_index, CheckIndex) else build_index(db_or_index)
    return [{"query": q, "hits": index.check(q)} for q in queries]


def watch(db: Database, queries: Sequence[str]) -> list[dict[str, Any]]:
    """What the latest snapshot of each list changed for each query of a watchlist.

    Returns one `{"query", "hits", "added", "removed"}` per query: `hits` as `check`
    answers now; `added` the hits the latest snapshots brought (not in the snapshot
    before them), `removed` the entries they dropped. A list with one snapshot has
    nothing before it: its hits are all `added`.
    """
    now, before = build_index(db), build_index(db, previous=True)
    out = []
    for q in queries:
        hits, old = now.check(q), before.check(q)
        new_keys = {(h["list"], h["key"]) for h in hits}
        old_keys = {(h["list"], h["key"]) for h in old}
        out.append(
            {
                "query": q,
                "hits": hits,
                "added": [h for h in hits if (h["list"], h["key"]) not in old_keys],
                "removed": [h for h in old if (h["list"], h["key"]) not in new_keys],
            }
        )
    return out
