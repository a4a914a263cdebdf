"""Console writes: forms to records, and saving with optimistic concurrency.

An edit form carries the `recorded` time of the version the editor started from (its
version token). Saving takes a lock on the record, compares that token with the current
version and writes only when they agree; otherwise it raises `EditConflict` and writes
nothing, so the second of two editors is told instead of silently overwriting the first.
Writes go through `khronika.registry` (the importer's rules), never around it.

    !!! The lock covers console edits from every worker; a concurrent CLI import is not
    !!! locked, but its version is visible to the check as soon as it has committed.
"""

from __future__ import annotations

import io
import secrets
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps

from khronika.errors import EditConflict
from khronika.registry import Expected, RawRecord, archive_file, retract_event, write_versions
from khronika.storage import Database
from khronika.storage.locks import record_lock
from khronika.storage.rows import content_from_row, tx_from_row
from khronika.storage.versions import current_version

__all__ = [
    "EditConflict",
    "Expected",
    "current_record",
    "event_from_form",
    "names_from_text",
    "names_to_text",
    "new_id",
    "person_from_form",
    "retract_with_check",
    "save_records",
    "source_from_form",
    "store_photo",
    "store_source_file",
]

#: Detail keys of a case: what the charge and the verdict forms share.
_CASE_FIELDS = ("articles", "case_number", "court", "judge", "proceeding")
#: Detail keys of a verdict: the case's, then the sentence.
_VERDICT_FIELDS = (*_CASE_FIELDS, "sentence_months", "sentence_type")
#: Detail keys each event kind's form fields manage (others are kept as they were).
EVENT_FIELDS: dict[str, tuple[str, ...]] = {
    "detained": ("facility",),
    "transferred": ("facility",),
    "charged": _CASE_FIELDS,
    "convicted": _VERDICT_FIELDS,
    "convicted_in_absentia": _VERDICT_FIELDS,
    "released": ("basis",),
    "designated": ("list", "entry"),
    "delisted": ("list", "entry"),
}
PHOTO_MAX = 1200


def new_id(prefix: str) -> str:
    """Return a fresh record id such as `p-4f9c2a1b7d`."""
    return f"{prefix}-{secrets.token_hex(5)}"


def current_record(db: Database, rtype: str, rid: str) -> dict[str, Any] | None:
    """Return the current version of a record with its version token, for the team."""
    with db.connect() as conn:
        row = current_version(conn, rtype, rid)
    if row is None:
        return None
    return content_from_row(rtype, row) | tx_from_row(row) | {"version": row.recorded}


def save_records(
    db: Database, records: Sequence[dict[str, Any]], expected: Sequence[Expected], *, by: str
) -> None:
    """Write records (one write, all or nothing) if every expected version is current.

    Raises:
        EditConflict: a record changed (or appeared) since its version was read.
        ImportRejected: the records are invalid.
    """
    with record_lock(db, [f"{e.rtype}:{e.id}" for e in expected]):
        write_versions(
            db,
            [RawRecord(f"<console>:{i + 1}", r) for i, r in enumerate(records)],
            if_version=expected,
            recorded_by=by,
        )


def retract_with_check(db: Database, event_id: str, version: str, *, reason: str, by: str) -> None:
    """Retract an event if `version` is still its current version.

    Raises:
        EditConflict: the event changed since the editor saw it.
    """
    with record_lock(db, [f"event:{event_id}"]):
        try:
            retract_event(db, event_id, reason=reason, by=by, if_version=version)
        except EditConflict as e:
            raise EditConflict(
                f"event {event_id} changed since you opened it; nothing was retracted", e.current
            ) from None


def names_from_text(text: str) -> list[dict[str, Any]]:
    """Parse the names field: one `lang[/system]: name` a line; the first line is primary.

    `be: Ян Новы`, `be-Latn/passport: Yan Novy`.
    """
    names: list[dict[str, Any]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        tag, sep, name = line.partition(":")
        if not sep or not name.strip():
            raise ValueError(f"names: {line.strip()!r}: write it as `lang: name`, e.g. be: Ганна")
        lang, _, system = tag.strip().partition("/")
        entry: dict[str, Any] = {"name": name.strip(), "lang": lang.strip()}
        if system.strip():
            entry["system"] = system.strip()
        names.append(entry)
    if not names:
        raise ValueError("names: at least one name is needed")
    names[0]["primary"] = True
    return names


def names_to_text(names: Sequence[Mapping[str, Any]]) -> str:
    """Write names back in the form's `lang[/system]: name` lines."""
    return "\n".join(
        f"{n['lang']}{'/' + n['system'] if n.get('system') else ''}: {n['name']}" for n in names
    )


def _text(form: Mapping[str, Any], key: str) -> str | None:
    value = form.get(key)
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def person_from_form(form: Mapping[str, Any], *, pid: str, photo: str | None) -> dict[str, Any]:
    """Build a person record from the console's person form."""
    story = {lang: text for lang in ("be", "ru", "en") if (text := _text(form, f"story_{lang}"))}
    record: dict[str, Any] = {
        "type": "person",
        "id": pid,
        "names": names_from_text(str(form.get("names") or "")),
        "sex": _text(form, "sex") or "unknown",
        "birth_date": _text(form, "birth_date"),
        "region": _text(form, "region"),
        "visibility": _text(form, "visibility") or "restricted",
        "photo": photo,
        "story": story or None,
        "notes": _text(form, "notes"),
    }
    return {k: v for k, v in record.items() if v is not None}


def event_from_form(
    form: Mapping[str, Any], *, eid: str, before: Mapping[str, Any] | None
) -> dict[str, Any]:
    """Build an event record from the console's event form.

    Detail keys the form does not manage for the chosen kind are kept from `before`.
    """
    kind = _text(form, "kind") or ""
    managed = EVENT_FIELDS.get(kind, ())
    details: dict[str, Any] = {
        k: v
        for k, v in dict((before or {}).get("details") or {}).items()
        if k not in managed and (before or {}).get("kind") == kind
    }
    for key in managed:
        value = _text(form, key)
        if value is None:
            continue
        if key == "articles":
            details[key] = [a.strip() for a in value.replace(";", ",").split(",") if a.strip()]
        elif key == "sentence_months":
            if not value.isdigit():
                raise ValueError("sentence_months: a whole number of months")
            details[key] = int(value)
        else:
            details[key] = value
    sources = [s.strip() for s in (_text(form, "sources") or "").replace(";", ",").split(",")]
    record: dict[str, Any] = {
        "type": "event",
        "id": eid,
        "person": _text(form, "person"),
        "kind": kind,
        "date": _text(form, "date"),
        "by": _text(form, "by"),
        "details": details,
        "sources": [s for s in sources if s],
        # Empty: by rule (public only when the person is and a public source is cited).
        "visibility": _text(form, "visibility"),
    }
    seq = _text(form, "seq")
    if seq is not None:
        if not seq.isdigit():
            raise ValueError("seq: a whole number")
        record["seq"] = int(seq)
    return {k: v for k, v in record.items() if v is not None}


def source_from_form(
    form: Mapping[str, Any], *, sid: str, prefix: str = "", file: tuple[str, str] | None = None
) -> dict[str, Any] | None:
    """Build a source record from form fields (`prefix` for the event form's inline source).

    Returns None when the fields are empty (no source given). `file` is (name, sha256) of an
    archived upload.
    """
    fields = ("url", "title", "publisher", "published")
    values = {k: _text(form, prefix + k) for k in fields}
    if not any(values.values()) and file is None:
        return None
    record: dict[str, Any] = {"type": "source", "id": sid, **values}
    record["visibility"] = _text(form, prefix + "visibility") or "restricted"
    if file is not None:
        record["file"], record["sha256"] = file
    return {k: v for k, v in record.items() if v is not None}


def store_photo(data: bytes, *, data_dir: Path) -> str:
    """Archive an uploaded photo without its metadata; return `sha256:<hex>`.

    The image is decoded and re-encoded as JPEG (at most 1200 px a side), which drops EXIF,
    GPS and every other metadata block; the orientation EXIF asked for is applied first.
    """
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            clean = ImageOps.exif_transpose(img) or img
            clean = clean.convert("RGB")
    except Exception as e:  # Pillow raises many kinds for a broken file
        raise ValueError(f"photo: not an image Pillow can read ({type(e).__name__})") from None
    clean.thumbnail((PHOTO_MAX, PHOTO_MAX))
    with tempfile.NamedTemporaryFile(suffix=".jpg", delete=False) as tmp:
        clean.save(tmp, format="JPEG", quality=85, optimize=True)
    try:
        sha, _ = archive_file(tmp.name, data_dir=data_dir)
    finally:
        Path(tmp.name).unlink(missing_ok=True)
    return f"sha256:{sha}"


def store_source_file(data: bytes, *, data_dir: Path) -> str:
    """Archive an uploaded source file byte for byte (its hash is evidence); return SHA-256."""
    with tempfile.NamedTemporaryFile(delete=False) as tmp:
        tmp.write(data)
    try:
        sha, _ = archive_file(tmp.name, data_dir=data_dir)
    finally:
        Path(tmp.name).unlink(missing_ok=True)
    return sha
