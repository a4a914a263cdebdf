"""The audit log: a row per write in a hash chain; `verify` names the first broken row."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from khronika.audit import audit_head, audit_log, verify
from khronika.cli import cli
from khronika.registry import RawRecord, retract, write_versions
from khronika.storage import Database
from tests.conftest import ENGINES, drop_database, make_database


def T(day: int) -> datetime:  # noqa: N802 - a short name for a time
    return datetime(2025, 4, day, 9, tzinfo=UTC)


PEOPLE = [
    {"type": "person", "id": "a1", "names": [{"name": "Ганна Тэставая", "lang": "be"}],
     "visibility": "public"},
    {"type": "person", "id": "a2", "names": [{"name": "Пятро Узорны", "lang": "be"}],
     "visibility": "withheld"},
]  # fmt: skip


def _write(db: Database) -> None:
    write_versions(
        db,
        [RawRecord(f"<t>:{i}", r) for i, r in enumerate(PEOPLE, 1)],
        recorded_by="anna",
        now=T(1),
    )
    changed = {**PEOPLE[0], "region": "BY-MI"}
    write_versions(db, [RawRecord("<t>:3", changed)], recorded_by="boris", now=T(2))
    retract(db, "person", "a2", reason="duplicate entry", by="anna", now=T(3))


def _sql(db: Database, statement: str) -> None:
    """A change made behind khronika's back."""
    with db.begin() as conn:
        conn.execute(text(statement))


def test_every_write_is_a_row_and_the_chain_verifies(db: Database) -> None:
    _write(db)
    rows = audit_log(db)
    assert [(r["actor"], r["action"]) for r in rows] == [
        ("anna", "write"),
        ("boris", "write"),
        ("anna", "retract"),
    ]
    assert rows[0]["ids"] == ["person:a1", "person:a2"]
    # The edit wrote a1's new version and retracted its old one.
    assert sorted(c[0] for c in rows[1]["changes"]) == ["r", "w"]
    assert [r["prev"] for r in rows[1:]] == [r["hash"] for r in rows[:-1]]
    assert verify(db) == []
    assert [r["action"] for r in audit_log(db, actor="anna")] == ["write", "retract"]
    assert len(audit_log(db, since="2025-04-02T00:00:00.000000Z")) == 2
    # The same content again (even of a retracted record) writes nothing: nothing is logged.
    write_versions(db, [RawRecord("<t>:1", PEOPLE[1])], recorded_by="anna", now=T(4))
    assert len(audit_log(db)) == 3


def test_a_changed_audit_row_is_named(db: Database) -> None:
    _write(db)
    _sql(db, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2")
    problems = verify(db)
    assert problems and problems[0].seq == 2
    assert "changed after it was written" in str(problems[0])


def test_a_removed_audit_row_breaks_the_chain(db: Database) -> None:
    _write(db)
    _sql(db, "DELETE FROM audit_log WHERE seq = 2")
    problems = verify(db)
    assert problems[0].seq == 3 and "chain is broken" in str(problems[0])


def test_a_record_changed_with_plain_sql_names_the_row_that_wrote_it(db: Database) -> None:
    _write(db)
    _sql(db, "UPDATE person SET visibility = 'public' WHERE id = 'a2'")
    [problem] = verify(db)
    assert problem.seq == 1 and "a2" in str(problem) and "content" in str(problem)


def test_a_retraction_undone_with_plain_sql_is_found(db: Database) -> None:
    _write(db)
    _sql(db, "UPDATE person SET retracted = NULL WHERE id = 'a2'")
    [problem] = verify(db)
    assert problem.seq == 3 and "retraction" in str(problem)


def test_a_version_added_behind_khronikas_back_is_found(db: Database) -> None:
    _write(db)
    _sql(
        db,
        "INSERT INTO person (id, recorded, digest, names, primary_name, search_text, sex, "
        "visibility) VALUES ('x9', '2025-04-05T00:00:00.000000Z', 'f00', '[]', 'X', 'x', "
        "'unknown', 'public')",
    )
    problems = verify(db)
    assert any("'x9'" in str(p) and "behind khronika's back" in str(p) for p in problems)


def test_a_database_from_before_the_log_is_adopted(db: Database) -> None:
    _sql(
        db,
        "INSERT INTO person (id, recorded, digest, names, primary_name, search_text, sex, "
        "visibility) VALUES ('old1', '2020-01-01T00:00:00.000000Z', 'x', '[]', 'Old', 'old', "
        "'unknown', 'public')",
    )
    _write(db)
    rows = audit_log(db)
    assert rows[0]["action"] == "adopt" and rows[0]["changes"][0][2] == "old1"
    assert rows[1]["action"] == "write"
    # Adopted as it stood: its stored digest is what the log vouches for from now on.
    problems = verify(db)
    assert [p.seq for p in problems] == [1]


def test_review_decisions_and_accounts_are_logged(db: Database) -> None:
    from khronika.accounts import create_user
    from khronika.registry.dedupe import propose_duplicates  # noqa: F401  (declares the kind)
    from khronika.review import Proposal, judge, propose, undo

    _write(db)
    write_versions(
        db,
        [RawRecord("<t>:9", {**PEOPLE[1], "id": "a3"})],
        recorded_by="anna",
        now=T(5),
    )
    [cid] = propose(db, [Proposal("person-person", "a1", "a3", 0.9)], proposed_by="t", now=T(5)).ids
    judge(db, cid, "negative", reason="different people", by="boris", now=T(6))
    undo(db, cid, reason="misclick", by="boris", now=T(7))
    create_user(db, "clara", "a long enough password")
    actions = [r["action"] for r in audit_log(db)]
    assert actions[-3:] == ["review.judge", "review.undo", "user.add"]
    assert all("password" not in json.dumps(r) for r in audit_log(db)[-1:])
    assert verify(db) == []


@pytest.mark.parametrize("engine", ENGINES)
def test_cli_log_and_verify(engine: str, tmp_path: Path) -> None:
    db, url = make_database(engine, tmp_path)
    try:
        _write(db)
        runner = CliRunner(env={"PGOPTIONS": f"-csearch_path={db.schema}"} if db.schema else {})
        ok = runner.invoke(cli, ["--db", url, "audit", "verify"])
        assert ok.exit_code == 0 and "intact: 3 row(s)" in ok.output
        log = runner.invoke(cli, ["--db", url, "audit", "log", "--actor", "boris", "--json"])
        assert [r["action"] for r in json.loads(log.output)] == ["write"]
        _sql(db, "UPDATE person SET region = 'BY-BR' WHERE id = 'a1' AND retracted IS NULL")
        bad = runner.invoke(cli, ["--db", url, "audit", "verify"])
        assert bad.exit_code == 1 and "row 2:" in bad.output
    finally:
        drop_database(db)


def test_an_export_can_name_the_audit_head_and_imports_skip_it(tmp_path: Path) -> None:
    db, url = make_database("sqlite", tmp_path / "a")
    _write(db)
    runner = CliRunner()
    out = tmp_path / "evidence.ndjson"
    r = runner.invoke(cli, ["--db", url, "export", "--history", "--audit-head", "-o", str(out)])
    assert r.exit_code == 0, r.output
    header = json.loads(out.read_bytes().splitlines()[0])
    head = audit_head(db)
    assert head is not None and header["audit_head"] == head and header["history"] is True
    assert f"audit head #{head['seq']}" in r.output
    plain = runner.invoke(cli, ["--db", url, "export", "--history"])
    assert plain.exit_code == 0 and b'"type":"export"' not in plain.stdout_bytes
    # The file with its header imports into an empty database like the plain one.
    other, other_url = make_database("sqlite", tmp_path / "b")
    assert runner.invoke(cli, ["--db", other_url, "import", str(out)]).exit_code == 0
    again = runner.invoke(cli, ["--db", other_url, "export", "--history"])
    assert again.stdout_bytes == plain.stdout_bytes
    csv = runner.invoke(
        cli, ["--db", url, "export", "--format", "csv", "--audit-head", "-o", "x.zip"]
    )
    assert csv.exit_code == 2 and "NDJSON" in csv.output
