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


# Review judgements and lists: their rows against the rows that wrote them.


def _judged(db: Database) -> tuple[int, int]:
    """People a1, a2, a3; a1–a3 judged negative, undone, judged negative again. Returns
    (candidate id, id of the standing judgement)."""
    from khronika.registry.dedupe import propose_duplicates  # noqa: F401  (declares the kind)
    from khronika.review import Proposal, judge, propose, undo

    _write(db)
    write_versions(
        db, [RawRecord("<t>:9", {**PEOPLE[1], "id": "a3"})], recorded_by="anna", now=T(5)
    )
    [cid] = propose(db, [Proposal("person-person", "a1", "a3", 0.9)], proposed_by="t", now=T(5)).ids
    judge(db, cid, "negative", reason="different people", by="boris", now=T(6))
    undo(db, cid, reason="misclick", by="boris", now=T(7))
    shown = judge(db, cid, "negative", reason="different birth dates", by="boris", now=T(8))
    return cid, int(shown["judgement"]["id"])


def _seq_of(db: Database, action: str, nth: int = 0) -> int:
    return int([r["seq"] for r in audit_log(db) if r["action"] == action][nth])


def test_judgements_are_logged_one_change_each_and_verify(db: Database) -> None:
    _, jid = _judged(db)
    judge_rows = [r for r in audit_log(db) if r["action"] == "review.judge"]
    assert [c[:3] for c in judge_rows[1]["changes"]] == [["w", "review_judgement", str(jid)]]
    [undone] = [r for r in audit_log(db) if r["action"] == "review.undo"]
    assert [c[0] for c in undone["changes"]] == ["r"]
    assert all(r["covers"] == ["accounts", "lists", "review"] for r in audit_log(db))
    assert verify(db) == []


def test_a_judgement_changed_with_plain_sql_names_the_row_that_wrote_it(db: Database) -> None:
    _, jid = _judged(db)
    _sql(db, f"UPDATE review_judgement SET decision = 'positive' WHERE id = {jid}")
    [problem] = verify(db)
    assert problem.seq == _seq_of(db, "review.judge", 1)
    assert f"review judgement {jid} no longer has the content" in str(problem)


def test_an_undo_reverted_with_plain_sql_names_the_undo(db: Database) -> None:
    _judged(db)
    _sql(
        db, "UPDATE review_judgement SET retraction_reason = 'nothing' WHERE retracted IS NOT NULL"
    )
    [problem] = verify(db)
    assert problem.seq == _seq_of(db, "review.undo") and "retraction" in str(problem)
    _sql(db, "UPDATE review_judgement SET retracted = NULL, retracted_by = NULL")
    [problem] = verify(db)
    assert problem.seq == _seq_of(db, "review.undo") and "retraction" in str(problem)


def test_a_judgement_inserted_or_deleted_with_plain_sql_is_found(db: Database) -> None:
    cid, jid = _judged(db)
    _sql(
        db,
        "INSERT INTO review_judgement (candidate, kind, a, b, decision, reason, score, "
        f"explanation, recorded) VALUES ({cid}, 'person-person', 'a1', 'a3', 'positive', "
        "'same', 0.9, '{}', '2025-04-09T00:00:00.000000Z')",
    )
    with db.connect() as conn:
        forged = conn.execute(text("SELECT max(id) FROM review_judgement")).scalar_one()
    [problem] = verify(db)
    assert problem.seq is None
    assert str(problem) == f"review judgement {forged} is in no row: written behind khronika's back"
    _sql(db, f"DELETE FROM review_judgement WHERE id IN ({forged}, {jid})")
    [problem] = verify(db)
    assert problem.seq == _seq_of(db, "review.judge", 1)
    assert f"review judgement {jid} was deleted" in str(problem)


def _listed(db: Database, tmp_path: Path) -> tuple[str, str]:
    """List `t` with two snapshots (5 people, then 6); returns the snapshot ids."""
    from khronika.listwatch.snapshots import add_list, import_snapshot
    from tests.listwatch.test_snapshots import page, people

    add_list(
        db, "t", title="Synthetic", issuer="Invented Agency", country="xx", fmt="ru-fedsfm-html"
    )
    first = import_snapshot(db, "t", page(people(5)), taken="2024-01-01", data_dir=tmp_path)
    second = import_snapshot(db, "t", page(people(6)), taken="2024-02-01", data_dir=tmp_path)
    return first.snapshot, second.snapshot


def _entry_key(db: Database, snapshot: str) -> str:
    with db.connect() as conn:
        return str(
            conn.execute(
                text("SELECT min(key) FROM list_entry_version WHERE snapshot_id = :s"),
                {"s": snapshot},
            ).scalar_one()
        )


def test_list_imports_log_every_row_they_write_and_verify(db: Database, tmp_path: Path) -> None:
    first, second = _listed(db, tmp_path)
    imports = [r for r in audit_log(db) if r["action"] == "lists.import"]
    tables = [sorted({c[1] for c in r["changes"]}) for r in imports]
    assert tables == [["list_entry", "list_entry_version", "list_snapshot"]] * 2
    assert sum(c[1] == "list_entry_version" for c in imports[1]["changes"]) == 6
    assert sum(c[1] == "list_entry" for c in imports[1]["changes"]) == 1  # one new key
    assert "list_entry_version:t/" not in json.dumps(imports[1]["ids"])  # ids stay short
    assert [c[1] for c in audit_log(db, since="0")[1]["changes"]] == ["watched_list"]
    assert verify(db) == []


def test_a_list_entry_deleted_with_plain_sql_names_the_import(db: Database, tmp_path: Path) -> None:
    first, _ = _listed(db, tmp_path)
    key = _entry_key(db, first)
    _sql(db, f"DELETE FROM list_entry_version WHERE snapshot_id = '{first}' AND key = '{key}'")
    [problem] = verify(db)
    assert problem.seq == _seq_of(db, "lists.import", 0)
    assert str(problem).endswith(f"list entry t/{key} in snapshot {first} was deleted")


def test_a_list_entry_changed_or_added_with_plain_sql_is_found(
    db: Database, tmp_path: Path
) -> None:
    first, second = _listed(db, tmp_path)
    key = _entry_key(db, second)
    _sql(
        db,
        f"UPDATE list_entry_version SET name = 'X' WHERE snapshot_id = '{second}' AND key = '{key}'",
    )
    [problem] = verify(db)
    assert problem.seq == _seq_of(db, "lists.import", 1)
    assert f"list entry t/{key} in snapshot {second} no longer has the content" in str(problem)
    _sql(
        db,
        "INSERT INTO list_entry_version (list_id, snapshot_id, key, kind, name, data, digest) "
        f"VALUES ('t', '{first}', 'forged', 'person', 'Y', '{{}}', 'f00')",
    )
    problems = [str(p) for p in verify(db)]
    assert problems[-1] == (
        f"list entry t/forged in snapshot {first} is in no row: written behind khronika's back"
    )


def test_a_snapshot_or_list_changed_with_plain_sql_is_found(db: Database, tmp_path: Path) -> None:
    first, _ = _listed(db, tmp_path)
    _sql(db, f"UPDATE list_snapshot SET entry_count = 4 WHERE id = '{first}'")
    _sql(db, "UPDATE watched_list SET format = 'table'")
    problems = verify(db)
    assert [p.seq for p in problems] == [_seq_of(db, "lists.add"), _seq_of(db, "lists.import")]
    assert "list 't' no longer has the content" in str(problems[0])
    assert f"list snapshot t/{first} no longer has the content" in str(problems[1])


def _as_before_0014(db: Database) -> None:
    """Rewrite the log as khronika before revision 0014 wrote it: no `covers`, and changes
    for registry versions only (judgements and lists logged without per-row digests)."""
    from khronika.audit import GENESIS, _row_hash
    from khronika.storage.schema import VERSIONED

    rows = audit_log(db)
    prev = GENESIS
    with db.begin() as conn:
        conn.execute(text("DELETE FROM audit_log"))
        for r in rows:
            old = {k: r[k] for k in ("seq", "at", "actor", "action", "before", "after")}
            old["ids"] = json.dumps(r["ids"], separators=(",", ":"), ensure_ascii=False)
            kept = [c for c in r["changes"] if c[1] in VERSIONED]
            old["changes"] = json.dumps(kept, separators=(",", ":"), ensure_ascii=False)
            old["covers"], old["prev"] = None, prev
            old["hash"] = prev = _row_hash(prev, old)
            conn.execute(
                text(
                    "INSERT INTO audit_log (seq, at, actor, action, ids, changes, before, after, "
                    "prev, hash, covers) VALUES (:seq, :at, :actor, :action, :ids, :changes, "
                    ":before, :after, :prev, :hash, :covers)"
                ),
                old,
            )


def test_an_old_database_verifies_and_is_covered_from_its_next_write(
    db: Database, tmp_path: Path
) -> None:
    _, jid = _judged(db)
    _listed(db, tmp_path)
    _as_before_0014(db)
    head = audit_head(db)
    # Untouched: its judgements and lists are in no row, and that is no problem yet.
    assert verify(db) == []
    write_versions(db, [RawRecord("<t>:10", {**PEOPLE[0], "id": "a4"})], recorded_by="c", now=T(9))
    adopted, wrote = audit_log(db)[-2:]
    assert head is not None and adopted["seq"] == head["seq"] + 1
    assert (adopted["action"], wrote["action"]) == ("adopt", "write")
    assert {c[1] for c in adopted["changes"]} == {
        "review_judgement", "watched_list", "list_snapshot", "list_entry", "list_entry_version"
    }  # fmt: skip
    assert verify(db) == []
    _sql(db, f"UPDATE review_judgement SET reason = 'edited' WHERE id = {jid}")
    [problem] = verify(db)
    assert problem.seq == adopted["seq"] and f"review judgement {jid}" in str(problem)


def test_adopt_covers_an_old_database_at_once(db: Database, tmp_path: Path) -> None:
    from khronika.audit import adopt

    _judged(db)
    _as_before_0014(db)
    seq = adopt(db, at="2025-04-10T00:00:00.000000Z")
    assert seq is not None and audit_log(db)[-1]["action"] == "adopt"
    assert adopt(db, at="2025-04-10T00:00:00.000000Z") is None
    assert verify(db) == []
    _sql(db, "DELETE FROM review_judgement WHERE retracted IS NULL")
    [problem] = verify(db)
    assert problem.seq == seq and "was deleted" in str(problem)


def test_adopt_marks_coverage_even_when_the_areas_are_empty(db: Database) -> None:
    from khronika.audit import adopt

    assert adopt(db, at="2025-04-10T00:00:00.000000Z") is None  # empty log: nothing to do
    _write(db)
    _as_before_0014(db)
    seq = adopt(db, at="2025-04-10T00:00:00.000000Z")
    assert seq == 4 and audit_log(db)[-1]["changes"] == []
    # From then on, a judgement in no row is one written behind khronika's back.
    with db.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO review_candidate (kind, a, b, score, explanation, context, "
                "proposed_by, proposed) VALUES ('person-person', 'a1', 'a2', 1, '{}', '{}', "
                "'x', '2025-04-11T00:00:00.000000Z')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO review_judgement (candidate, kind, a, b, decision, reason, score, "
                "explanation, recorded) SELECT id, kind, a, b, 'positive', 'same', 1, '{}', "
                "'2025-04-11T00:00:00.000000Z' FROM review_candidate"
            )
        )
    [problem] = verify(db)
    assert "is in no row" in str(problem) and "review judgement" in str(problem)


def test_a_log_started_on_an_edit_adopts_the_version_it_retracts(db: Database) -> None:
    """A database with versions and no log, whose first logged write retracts one."""
    _write(db)
    _sql(db, "DELETE FROM audit_log")
    retract(db, "person", "a1", reason="test", by="anna", now=T(9))
    assert [r["action"] for r in audit_log(db)] == ["adopt", "retract"]
    assert verify(db) == []


@pytest.mark.parametrize("engine", ENGINES)
def test_cli_verify_names_a_changed_judgement_and_migrate_adopts(
    engine: str, tmp_path: Path
) -> None:
    db, url = make_database(engine, tmp_path)
    try:
        _, jid = _judged(db)
        _as_before_0014(db)
        runner = CliRunner(env={"PGOPTIONS": f"-csearch_path={db.schema}"} if db.schema else {})
        migrated = runner.invoke(cli, ["--db", url, "db", "migrate"])
        assert migrated.exit_code == 0, migrated.output
        assert "review judgements, lists and accounts covered from row" in migrated.output
        again = runner.invoke(cli, ["--db", url, "db", "migrate"])
        assert "covered from" not in again.output
        assert runner.invoke(cli, ["--db", url, "audit", "verify"]).exit_code == 0
        _sql(db, f"UPDATE review_judgement SET decision = 'positive' WHERE id = {jid}")
        bad = runner.invoke(cli, ["--db", url, "audit", "verify", "--json"])
        assert bad.exit_code == 1
        [problem] = json.loads(bad.output)["problems"]
        assert f"review judgement {jid} no longer has the content" in problem
    finally:
        drop_database(db)


def test_an_undo_as_the_first_write_after_the_upgrade_adopts_the_judgement(
    db: Database,
) -> None:
    from khronika.review import undo

    cid, jid = _judged(db)
    _as_before_0014(db)
    undo(db, cid, reason="second thoughts", by="boris", now=T(9))
    adopted, undone = audit_log(db)[-2:]
    assert (adopted["action"], undone["action"]) == ("adopt", "review.undo")
    assert ["w", "review_judgement", str(jid)] in [c[:3] for c in adopted["changes"]]
    assert [c[:3] for c in undone["changes"]] == [["r", "review_judgement", str(jid)]]
    assert verify(db) == []


def test_the_covered_tables_are_those_storage_reads() -> None:
    from khronika.audit import _TABLES
    from khronika.storage.audit import COVERED

    assert set(_TABLES) == set(COVERED)
    assert all(set(t.ident) | {t.recorded} <= set(COVERED[n].c.keys()) for n, t in _TABLES.items())


def _accounts(db: Database) -> str:
    """Two accounts, one with a second factor; a token made and one revoked. Returns the
    second factor's secret."""
    from khronika.accounts import create_token, create_user, revoke_token, set_role, set_totp

    create_user(db, "clara", "a long enough password", role="viewer")
    create_user(db, "dora", "another long password", role="admin")
    set_role(db, "clara", "editor", by="dora")
    secret = set_totp(db, "dora", by="dora")
    assert secret is not None
    create_token(db, "clara", scope="write", days=30, by="clara")
    _, gone = create_token(db, "clara", days=1, by="clara")
    revoke_token(db, gone.id, by="dora")
    return secret


def test_accounts_are_checked_against_their_table(db: Database) -> None:
    import pyotp

    from khronika.accounts import check_token, create_token, login

    secret = _accounts(db)
    # Logging in moves the second factor's last step and a token's last use: not vouched for.
    login(db, "dora", "another long password", code=pyotp.TOTP(secret).now())
    token, _ = create_token(db, "dora", days=1, by="dora")
    assert check_token(db, token) is not None
    assert verify(db) == []
    logged = {c[1] for r in audit_log(db) for c in r["changes"]}
    assert {"web_user", "api_token"} <= logged
    assert all(
        "$argon2" not in json.dumps(r) and secret not in json.dumps(r) for r in audit_log(db)
    )


@pytest.mark.parametrize(
    ("statement", "found"),
    [
        (
            "UPDATE web_user SET role = 'admin' WHERE username = 'clara'",
            "no longer has the content",
        ),
        ("UPDATE web_user SET password_hash = 'x' WHERE username = 'clara'", "no longer has"),
        ("UPDATE web_user SET totp_secret = NULL WHERE username = 'dora'", "no longer has"),
        ("UPDATE api_token SET revoked = NULL", "no longer has the content"),
        ("UPDATE api_token SET scope = 'write'", "no longer has the content"),
        (
            "INSERT INTO web_user (username, password_hash, created, disabled, role) "
            "VALUES ('mallory', 'x', '2025-01-01T00:00:00.000000Z', false, 'admin')",
            "account 'mallory' is in no row: written behind khronika's back",
        ),
        ("DELETE FROM web_user WHERE username = 'clara'", "account 'clara'"),
    ],
)
def test_an_account_changed_with_plain_sql_is_found(
    db: Database, statement: str, found: str
) -> None:
    _accounts(db)
    assert verify(db) == []
    _sql(db, statement)
    problems = verify(db)
    assert problems and found in str(problems[0])


def test_a_rehash_at_login_is_logged(db: Database) -> None:
    from khronika.accounts import create_user, login

    create_user(db, "clara", "a long enough password")
    # The hash an older khronika wrote (`scrypt$…`) can only be planted by SQL here.
    import hashlib

    salt = b"s" * 16
    digest = hashlib.scrypt(b"a long enough password", salt=salt, n=2**14, r=8, p=1, dklen=32)
    _sql(
        db,
        f"UPDATE web_user SET password_hash = 'scrypt${2**14}$8$1${salt.hex()}${digest.hex()}' "
        "WHERE username = 'clara'",
    )
    [problem] = verify(db)  # the planted hash is found …
    assert "account 'clara'" in str(problem)
    login(db, "clara", "a long enough password")
    rehash, signed_in = audit_log(db)[-2:]
    assert (rehash["action"], signed_in["action"]) == ("user.rehash", "login")
    # … and stays found after the rehash is logged: what the row held before it is not
    # what the log last said it held.
    [problem] = verify(db)
    assert problem.seq == rehash["seq"]
    assert "account 'clara' was changed behind khronika's back" in str(problem)


@pytest.mark.parametrize(
    ("statement", "then"),
    [
        ("UPDATE web_user SET role = 'admin' WHERE username = 'clara'", "passwd"),
        ("UPDATE web_user SET totp_secret = 'AAAA' WHERE username = 'dora'", "role"),
        ("UPDATE api_token SET scope = 'write' WHERE username = 'dora'", "revoke"),
    ],
)
def test_a_tampering_stays_found_after_the_next_logged_change(
    db: Database, statement: str, then: str
) -> None:
    from khronika.accounts import list_tokens, revoke_token, set_password, set_role

    _accounts(db)
    if then == "revoke":
        from khronika.accounts import create_token

        create_token(db, "dora", days=1, by="dora")
    assert verify(db) == []
    _sql(db, statement)
    if then == "passwd":
        set_password(db, "clara", "yet another long password", by="admin")
    elif then == "role":
        set_role(db, "dora", "viewer", by="admin")
    else:
        [mine] = [t for t in list_tokens(db) if t.username == "dora"]
        revoke_token(db, mine.id, by="admin")
    problems = verify(db)
    last = audit_log(db)[-1]["seq"]
    assert [p.seq for p in problems] == [last]
    assert "was changed behind khronika's back after row" in str(problems[0])
