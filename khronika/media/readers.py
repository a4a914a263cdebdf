"""Read items from files: JSON Lines (the contract), Telegram Desktop exports, transcripts.

Each reader returns (items, problems); a problem names its `FILE:LINE` and the reason, and
the other items are still read.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import sys
from pathlib import Path
from typing import Any

import orjson

from khronika.media.ingest import ItemIn

__all__ = ["read_items", "read_jsonl", "read_news_csv", "read_telegram", "read_transcript"]

_FIELDS = {"id", "url", "outlet", "published", "title", "text"}


def read_jsonl(path: Path) -> tuple[list[ItemIn], list[str]]:
    """Read one item per line: `{"id", "url", "outlet", "published", "title", "text"}`."""
    items: list[ItemIn] = []
    problems: list[str] = []
    with path.open("rb") as f:
        for n, raw in enumerate(f, 1):
            where = f"{path}:{n}"
            if not raw.strip():
                continue
            try:
                data = orjson.loads(raw)
            except orjson.JSONDecodeError as e:
                problems.append(f"{where}: not JSON ({e})")
                continue
            if not isinstance(data, dict):
                problems.append(f"{where}: expected an object")
                continue
            if unknown := sorted(set(data) - _FIELDS):
                problems.append(
                    f"{where}: {unknown[0]}: unknown field (an item has: "
                    f"{', '.join(sorted(_FIELDS))})"
                )
                continue
            bad = [k for k in _FIELDS if data.get(k) is not None and not isinstance(data[k], str)]
            if bad:
                problems.append(f"{where}: {sorted(bad)[0]}: expected text")
                continue
            if not (data.get("text") or "").strip():
                problems.append(f"{where}: text: an item needs text")
                continue
            items.append(
                ItemIn(
                    where=where,
                    text=data["text"],
                    external_id=data.get("id"),
                    url=data.get("url"),
                    outlet=data.get("outlet"),
                    published=data.get("published"),
                    title=data.get("title"),
                )
            )
    return items, problems


def _telegram_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(v if isinstance(v, str) else str(v.get("text", "")) for v in value)
    return ""


def read_telegram(path: Path) -> tuple[list[ItemIn], list[str]]:
    """Read a Telegram Desktop channel export (`result.json`): one item per text message."""
    try:
        data = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as e:
        return [], [f"{path}: not JSON ({e})"]
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        return [], [f"{path}: not a Telegram export (no `messages` list)"]
    channel = data.get("name") or path.stem
    username = data.get("username")
    items = []
    for msg in data["messages"]:
        if not isinstance(msg, dict) or msg.get("type") != "message":
            continue
        text = _telegram_text(msg.get("text"))
        if not text.strip():
            continue
        mid = msg.get("id")
        url = f"https://t.me/{username}/{mid}" if username and mid is not None else None
        items.append(
            ItemIn(
                where=f"{path}#{mid}",
                text=text,
                external_id=f"tg:{channel}:{mid}",
                url=url,
                outlet=username or channel,
                published=str(msg.get("date") or "")[:10] or None,
            )
        )
    return items, []


_CUE = re.compile(r"^\d+\s*$|^\s*\d{1,2}:\d{2}(?::\d{2})?[.,]\d{3}\s*-->.*$|^WEBVTT.*$", re.M)


def read_transcript(path: Path) -> tuple[list[ItemIn], list[str]]:
    """Read a TV segment's transcript (.txt, .srt, .vtt) as one item; cue numbers and
    timings are dropped."""
    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError as e:
        return [], [f"{path}: not UTF-8 text ({e})"]
    if path.suffix.lower() in (".srt", ".vtt"):
        text = _CUE.sub("", text)
        text = "\n".join(line for line in text.splitlines() if line.strip())
    if not text.strip():
        return [], [f"{path}: empty transcript"]
    return [ItemIn(where=str(path), text=text, external_id=f"file:{path.name}")], []


# Some exports write a body's line breaks as a lone `n` glued between sentences.
_GLUED_N = re.compile(r"(?<=[.!?»\"])n(?=[А-ЯЁA-Z«\"])")


def read_news_csv(path: Path) -> tuple[list[ItemIn], list[str]]:
    """Read a news CSV (`date,url,edition,…,title,text`; gzip allowed), one item a row."""
    csv.field_size_limit(sys.maxsize)
    opener = gzip.open if path.suffix == ".gz" else open
    items: list[ItemIn] = []
    problems: list[str] = []
    with opener(path, "rb") as raw:
        reader = csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
        missing = {"url", "text"} - set(reader.fieldnames or ())
        if missing:
            return [], [f"{path}: not a news CSV (no {', '.join(sorted(missing))} column)"]
        for n, row in enumerate(reader, 2):
            text = _GLUED_N.sub("\n", row.get("text") or "")
            if not text.strip():
                problems.append(f"{path}:{n}: text: an item needs text")
                continue
            date = (row.get("date") or "").strip()
            items.append(
                ItemIn(
                    where=f"{path}:{n}",
                    text=text,
                    external_id=row.get("url") or None,
                    url=row.get("url") or None,
                    outlet=row.get("edition") or None,
                    published=date[:10] or None,
                    title=row.get("title") or None,
                )
            )
    return items, problems


def read_items(path: Path) -> tuple[list[ItemIn], list[str]]:
    """Read a file by its kind, or every such file under a directory (recursively)."""
    if path.is_dir():
        items: list[ItemIn] = []
        problems: list[str] = []
        for f in sorted(p for p in path.rglob("*") if p.is_file()):
            if f.suffix.lower() in (".jsonl", ".json", ".txt", ".srt", ".vtt", ".csv") or (
                f.name.endswith(".csv.gz")
            ):
                i, p = read_items(f)
                items += i
                problems += p
        return items, problems
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return read_jsonl(path)
    if suffix == ".json":
        return read_telegram(path)
    if suffix in (".txt", ".srt", ".vtt"):
        return read_transcript(path)
    if suffix == ".csv" or path.name.endswith(".csv.gz"):
        return read_news_csv(path)
    return [], [
        f"{path}: unknown kind of file (.jsonl, .json Telegram export, .txt/.srt/.vtt, "
        ".csv news table)"
    ]
