"""Corrections add versions; nothing is overwritten or lost; prefixes namespace ids."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import orjson
import pytest

from khronika.errors import InvalidValue
from khronika.interchange import export_records, import_records, read_ndjson
from khronika.storage import Database

ORG = {"type": "organisation", "id": "org", "name": "Org", "kind": "recogniser"}
P1 = {"type": "person", "id": "p1", "names": [{"name": "Ян Прыклад", "lang": "be"}], "sex": "m"}


def _import(db: Database, *records: dict, when: str, **kw: object):  # type: ignore[no-untyped-def]
    data = b"\n".join(orjson.dumps(r) for r in records)
    now = datetime.fromisoformat(when).replace(tzinfo=UTC)
    return import_records(db, read_ndjson(io.BytesIO(data), "f"), now=now, **kw)


def _versions(db: Database, rtype: str, rid: str) -> list[dict]:
    return [r for r in export_records(db, history=True) if r["type"] == rtype and r["id"] == rid]


def test_changed_content_becomes_a_new_version(db: Database) -> None:
    _import(db, P1, when="2024-01-01T00:00:00")
    report = _import(db, {**P1, "sex": "f"}, when="2024-02-01T00:00:00")
    assert report.added["person"] == 1 and report.retracted == 1
    old, new = _versions(db, "person", "p1")
    assert (old["sex"], old["recorded"], old["retracted"]) == (
        "m",
        "2024-01-01T00:00:00Z",
        "2024-02-01T00:00:00Z",
    )
    assert (new["sex"], new["recorded"], "retracted" in new) == ("f", "2024-02-01T00:00:00Z", False)


def test_known_on_sees_the_past(db: Database) -> None:
    _import(db, P1, when="2024-01-01T00:00:00")
    _import(db, {**P1, "sex": "f"}, when="2024-02-01T00:00:00")
    then = [r for r in export_records(db, known_on="2024-01-15") if r["type"] == "person"]
    now = [r for r in export_records(db) if r["type"] == "person"]
    assert [r["sex"] for r in then] == ["m"]
    assert [r["sex"] for r in now] == ["f"]
    assert list(export_records(db, known_on="2023-12-31")) == []


def test_reimport_does_not_resurrect_a_retracted_record(db: Database) -> None:
    event = {"type": "event", "id": "e1", "person": "p1", "kind": "detained", "date": "2021"}
    _import(db, P1, event, when="2024-01-01T00:00:00")
    from khronika.registry import retract_event

    retract_event(db, "e1", reason="duplicate", by="tester", now=datetime(2024, 3, 1, tzinfo=UTC))
    report = _import(db, P1, event, when="2024-04-01T00:00:00")
    assert sum(report.added.values()) == 0
    (only,) = _versions(db, "event", "e1")
    assert only["retracted"] == "2024-03-01T00:00:00Z"
    assert only["retraction_reason"] == "duplicate"


def test_an_older_version_arriving_late_is_closed_by_the_newer(db: Database) -> None:
    _import(db, {**P1, "recorded": "2024-05-01T00:00:00Z", "sex": "f"}, when="2024-06-01T00:00:00")
    _import(db, {**P1, "recorded": "2024-01-01T00:00:00Z"}, when="2024-06-02T00:00:00")
    old, new = _versions(db, "person", "p1")
    assert (old["sex"], old["retracted"]) == ("m", "2024-05-01T00:00:00Z")
    assert "retracted" not in new


def test_prefix_namespaces_ids_and_references(db: Database) -> None:
    event = {
        "type": "event",
        "id": "e1",
        "person": "p1",
        "kind": "recognised",
        "date": "2021",
        "by": "org",
    }
    _import(db, ORG, P1, event, when="2024-01-01T00:00:00")
    _import(db, ORG, {**P1, "sex": "f"}, event, when="2024-01-02T00:00:00", prefix="other")
    ids = sorted((r["type"], r["id"]) for r in export_records(db))
    assert ids == [
        ("event", "e1"),
        ("event", "other:e1"),
        ("organisation", "org"),
        ("organisation", "other:org"),
        ("person", "other:p1"),
        ("person", "p1"),
    ]
    ours = _versions(db, "person", "p1")
    assert [v["sex"] for v in ours] == ["m"]  # the other group's p1 did not touch ours
    theirs = next(r for r in export_records(db) if r["id"] == "other:e1")
    assert (theirs["person"], theirs["by"]) == ("other:p1", "other:org")


def test_bad_prefix_is_refused(db: Database) -> None:
    with pytest.raises(InvalidValue):
        _import(db, P1, when="2024-01-01T00:00:00", prefix="a b")
