"""Bad input gets a clear error (`FILE:LINE: field: reason`), and nothing is written."""

from __future__ import annotations

import io

import orjson
import pytest

from khronika.errors import ImportRejected
from khronika.interchange import export_records, import_records, read_ndjson, write_ndjson
from khronika.storage import Database

BASE = [
    {"type": "organisation", "id": "org", "name": "Org", "kind": "recogniser"},
    {"type": "source", "id": "s1", "url": "https://example.org/1"},
    {
        "type": "person",
        "id": "p1",
        "names": [{"name": "Ян Прыклад", "lang": "be"}],
        "sex": "m",
        "recorded": "2024-01-01T00:00:00Z",
    },
]
EVENT = {"type": "event", "id": "e1", "person": "p1", "kind": "detained", "date": "2021-05"}
LONG = "x" * 300_000


def _lines(*records: object) -> bytes:
    return b"\n".join(r if isinstance(r, bytes) else orjson.dumps(r) for r in records) + b"\n"


def _snapshot(db: Database) -> bytes:
    out = io.BytesIO()
    write_ndjson(export_records(db, history=True), out)
    return out.getvalue()


# (case, bad line, field named in the message, words in the reason)
CASES = [
    ("broken JSON", b'{"type": "event", "id": ', "-", "broken JSON"),
    ("not an object", b"[1, 2]", "-", "JSON object"),
    ("unknown type", {"type": "prisoner", "id": "x"}, "type", "unknown record type"),
    ("missing type", {"id": "x"}, "type", "unknown record type"),
    ("unknown event kind", {**EVENT, "kind": "arrested"}, "kind", "unknown event kind"),
    ("invalid month", {**EVENT, "date": "2021-13"}, "date", "month 13"),
    ("invalid day", {**EVENT, "date": "2021-02-30"}, "date", "day 30"),
    ("date as number", {**EVENT, "date": 2021}, "date", "string"),
    ("unknown person", {**EVENT, "person": "nobody"}, "person", "unknown person"),
    ("unknown source", {**EVENT, "sources": ["s1", "s404"]}, "sources", "unknown source 's404'"),
    (
        "unknown organisation",
        {**EVENT, "kind": "recognised", "by": "ghost"},
        "by",
        "unknown organisation",
    ),
    ("recognition without by", {**EVENT, "kind": "recognised"}, "by", "needs `by`"),
    (
        "invalid release basis",
        {**EVENT, "kind": "released", "details": {"basis": "amnesty-ish"}},
        "details.basis",
        "'pardon'",
    ),
    ("release without basis", {**EVENT, "kind": "released"}, "details.basis", "required"),
    (
        "article as number",
        {**EVENT, "kind": "convicted", "details": {"articles": [342]}},
        "details.articles.0",
        "string",
    ),
    (
        "sentence as text",
        {**EVENT, "kind": "convicted", "details": {"sentence_months": "36"}},
        "details.sentence_months",
        "integer",
    ),
    ("seq as text", {**EVENT, "seq": "1"}, "seq", "integer"),
    # A field khronika does not know is refused, never kept or dropped: a misspelt tier
    # would otherwise publish what its writer meant to hide.
    ("unknown event field", {**EVENT, "visibilty": "restricted"}, "visibilty", "unknown field"),
    ("unknown person field", {**BASE[2], "id": "p9", "address": "x"}, "address", "unknown field"),
    ("event tier", {**EVENT, "visibility": "secret"}, "visibility", "'restricted'"),
    ("sources not a list", {**EVENT, "sources": "s1"}, "sources", "list"),
    ("details not an object", {**EVENT, "details": ["x"]}, "details", "valid dictionary"),
    ("sex unknown value", {**BASE[2], "id": "p9", "sex": "x"}, "sex", "'f'"),
    ("names empty", {**BASE[2], "id": "p9", "names": []}, "names", "at least 1"),
    (
        "two primary names",
        {
            **BASE[2],
            "id": "p9",
            "names": [
                {"name": "A", "lang": "be", "primary": True},
                {"name": "B", "lang": "ru", "primary": True},
            ],
        },
        "names",
        "more than one",
    ),
    (
        "bad language tag",
        {**BASE[2], "id": "p9", "names": [{"name": "A", "lang": "Belarusian"}]},
        "names.0.lang",
        "BCP-47",
    ),
    ("id with a space", {**EVENT, "id": "e 1"}, "id", "pattern"),
    (
        "absurdly long name",
        {**BASE[2], "id": "p9", "names": [{"name": LONG, "lang": "be"}]},
        "names.0.name",
        "too long",
    ),
    ("absurdly long story", {**BASE[2], "id": "p9", "story": {"en": LONG * 4}}, "-", "longer than"),
    ("timestamp without zone", {**EVENT, "recorded": "2024-01-01T00:00:00"}, "recorded", "zone"),
    (
        "retracted before recorded",
        {**EVENT, "recorded": "2024-01-02T00:00:00Z", "retracted": "2024-01-01T00:00:00Z"},
        "retracted",
        "later than",
    ),
    (
        "stored version, other content",
        {**BASE[2], "sex": "f"},
        "recorded",
        "same id and time, different content",
    ),
]


@pytest.mark.parametrize(("case", "bad", "field", "reason"), CASES, ids=[c[0] for c in CASES])
def test_bad_record_is_rejected_with_line_and_field(
    db: Database, case: str, bad: object, field: str, reason: str
) -> None:
    import_records(db, read_ndjson(io.BytesIO(_lines(*BASE)), "base.ndjson"))
    before = _snapshot(db)
    data = _lines(EVENT | {"id": "ok1"}, bad, EVENT | {"id": "ok2"})
    with pytest.raises(ImportRejected) as info:
        import_records(db, read_ndjson(io.BytesIO(data), "bad.ndjson"))
    problems = info.value.problems
    assert problems, case
    assert any(p.startswith(f"bad.ndjson:2: {field}: ") and reason in p for p in problems), problems
    assert all(p.startswith("bad.ndjson:2:") for p in problems), problems
    assert _snapshot(db) == before


def test_same_version_twice_in_one_file(db: Database) -> None:
    v = {**BASE[2], "id": "p7"}
    data = _lines(*BASE, v, {**v, "sex": "f"})
    with pytest.raises(ImportRejected) as info:
        import_records(db, read_ndjson(io.BytesIO(data), "twice.ndjson"))
    assert info.value.problems == [
        "twice.ndjson:5: recorded: version (p7, 2024-01-01T00:00:00Z) given twice with "
        "different content (first at twice.ndjson:4)"
    ]
    assert _snapshot(db) == b""


def test_every_problem_is_reported_at_once(db: Database) -> None:
    data = _lines(
        *BASE, {**EVENT, "date": "2021-13"}, b"{oops", {**EVENT, "id": "e2", "person": "x"}
    )
    with pytest.raises(ImportRejected) as info:
        import_records(db, read_ndjson(io.BytesIO(data), "f"))
    assert [p.split(": ")[0] for p in info.value.problems] == ["f:4", "f:5", "f:6"]


def test_skip_invalid_imports_the_rest_and_reports(db: Database) -> None:
    data = _lines(*BASE, EVENT, {**EVENT, "id": "e2", "kind": "nope"})
    report = import_records(db, read_ndjson(io.BytesIO(data), "f"), skip_invalid=True)
    assert report.added["event"] == 1 and report.added["person"] == 1
    assert len(report.problems) == 1 and report.problems[0].startswith("f:5: kind: ")


def test_events_of_a_skipped_person_are_skipped_too(db: Database) -> None:
    bad_person = {**BASE[2], "sex": 7}
    data = _lines(BASE[0], BASE[1], bad_person, EVENT)
    report = import_records(db, read_ndjson(io.BytesIO(data), "f"), skip_invalid=True)
    assert report.added["event"] == 0
    assert [p.split(": ")[:2] for p in report.problems] == [["f:3", "sex"], ["f:4", "person"]]
