"""The audit log as a hash chain: each row's hash, `audit verify` naming the first row changed,
removed or inserted, imports, older databases, sessions appending at once, and backups' heads."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
import time
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from delegation import ROOT, access, audit, crypto
from delegation.backups import manual_backup
from delegation.db import (
    GENESIS,
    MIGRATIONS,
    append_audit,
    append_audits,
    audit_row_hash,
    connect,
    transaction,
)
from delegation.keys import keyring
from tests.conftest import opened_backup, run_cli
from tests.fixtures import load_fixture
from tests.test_app import HARNESS


@pytest.fixture
def db(config, tmp_path) -> Path:
    """The hand-counted fixture imported, then ten more rows: twelve or so in all."""
    path = tmp_path / "chain.duckdb"
    con = connect(config, path)
    load_fixture(con, config, tmp_path)
    for n in range(10):
        append_audit(con, f"user{n % 3}", "show_full", "page:registrations", {"n": n, "名": "测试"})
    con.close()
    return path


def rows_of(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db))
    try:
        return con.execute(
            "select audit_id, logged_at, actor, action, target, details::varchar, prev_hash, row_hash "
            "from audit_log order by audit_id"
        ).fetchall()
    finally:
        con.close()


def raw(db: Path, sql: str, params: list | None = None) -> None:
    """Tamper with the file as someone with the file (not the desk) would: plain DuckDB, raw SQL."""
    con = duckdb.connect(str(db))
    try:
        con.execute(sql, params or [])
    finally:
        con.close()


def verify(db: Path, *extra: str):
    return run_cli("audit", "verify", "--db", str(db), *extra)


def test_each_row_hashes_the_row_before_it_and_its_own_stored_content(db):
    rows = rows_of(db)
    assert len(rows) >= 11
    prev = GENESIS
    for audit_id, logged_at, actor, action, target, details, prev_hash, row_hash in rows:
        # The serialisation written out here, independently of the code: what docs/hardening.md says.
        content = json.dumps(
            [audit_id, logged_at.isoformat(sep=" ", timespec="microseconds"), actor, action, target, details],
            ensure_ascii=False,
            separators=(",", ":"),
        )
        assert prev_hash == prev
        assert row_hash == hashlib.sha256((prev + content).encode("utf-8")).hexdigest()
        prev = row_hash


def test_an_untouched_log_verifies_with_its_row_count(db):
    done = verify(db)
    assert (done.returncode, done.stdout, done.stderr) == (
        0,
        f"audit chain intact ({len(rows_of(db))} rows)\n",
        "",
    )
    zh = run_cli("audit", "verify", "--db", str(db), env={"DELEGATION_LANG": "zh"})
    assert zh.returncode == 0 and zh.stdout == f"审计链完整（{len(rows_of(db))} 行）\n"


@pytest.mark.parametrize(
    ("change", "value"),
    [
        ("details", '{"n": 5, "名": "改过"}'),
        ("actor", "someone-else"),
        ("logged_at", dt.datetime(2023, 1, 1, 8, 0)),
        ("target", None),
    ],
)
def test_a_row_changed_with_raw_sql_is_named(db, change, value):
    middle = rows_of(db)[6][0]
    raw(db, f"update audit_log set {change} = ? where audit_id = ?", [value, middle])
    done = verify(db)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == f"The audit chain is broken: row {middle} was changed after it was written.\n"


def test_a_row_changed_and_its_hash_recomputed_is_still_named(db):
    rows = rows_of(db)
    audit_id, logged_at, actor, _, target, details, prev_hash, _ = rows[4]
    forged = audit_row_hash(prev_hash, audit_id, logged_at, actor, "login", target, details)
    raw(db, "update audit_log set action = 'login', row_hash = ? where audit_id = ?", [forged, audit_id])
    done = verify(db)
    assert done.returncode == 1
    assert done.stderr == f"The audit chain is broken: row {audit_id} was changed after it was written.\n"


def test_a_removed_middle_row_is_named(db):
    ids = [r[0] for r in rows_of(db)]
    raw(db, "delete from audit_log where audit_id = ?", [ids[5]])
    done = verify(db)
    assert done.returncode == 1
    assert done.stderr == (
        f"The audit chain is broken: row {ids[5]} was removed (the row before row {ids[6]} is gone).\n"
    )
    raw(db, "delete from audit_log where audit_id in (?, ?)", [ids[6], ids[7]])
    assert verify(db).stderr == (
        f"The audit chain is broken: rows between row {ids[4]} and row {ids[8]} were removed.\n"
    )


def test_a_removed_first_row_and_an_inserted_row_are_named(db):
    ids = [r[0] for r in rows_of(db)]
    raw(
        db,
        "insert into audit_log (audit_id, logged_at, actor, action, target, details) "
        "values (?, current_timestamp, 'intruder', 'login', null, '{}')",
        [ids[-1] + 1],
    )
    done = verify(db)
    assert done.returncode == 1
    assert done.stderr == (
        f"The audit chain is broken: row {ids[-1] + 1} was not written by the desk (it was inserted).\n"
    )
    raw(db, "delete from audit_log where audit_id = ?", [ids[0]])
    assert verify(db).stderr == (
        f"The audit chain is broken: row {ids[0]} was removed (the row before row {ids[1]} is gone).\n"
    )


def test_rows_inserted_with_forged_hashes_between_gapped_ids_are_named(config, tmp_path):
    # Ids with room between them (a rolled-back import leaves a gap): two forged rows fit in it.
    path = tmp_path / "gapped.duckdb"
    con = connect(config, path)
    append_audit(con, "a", "login", None, {})
    with pytest.raises(RuntimeError), transaction(con):
        append_audits(con, "a", [("show_full", None, {})] * 5)
        raise RuntimeError("an import that failed: its five ids stay unused")
    append_audit(con, "a", "logout", None, {})
    con.close()
    (first, at, *_, first_hash), (last, *_) = rows_of(path)
    assert last - first == 6
    con = duckdb.connect(str(path))
    prev = first_hash
    for forged_id in (first + 1, first + 2):
        row_hash = audit_row_hash(prev, forged_id, at, "intruder", "export", None, "{}")
        con.execute(
            "insert into audit_log values (?, ?, 'intruder', 'export', null, '{}', ?, ?)",
            [forged_id, at, prev, row_hash],
        )
        prev = row_hash
    con.close()
    assert verify(path).stderr == (
        f"The audit chain is broken: row {first + 1} was not written by the desk (it was inserted).\n"
    )


def test_an_import_of_many_rows_chains_every_row(config, tmp_path):
    from bench.forms import annex2_workbook

    form, changed = tmp_path / "annex2.xlsx", tmp_path / "annex2_new.xlsx"
    annex2_workbook(str(form), 600)
    annex2_workbook(str(changed), 600, new_mobiles=True)
    path = tmp_path / "imported.duckdb"
    for file in (form, changed):  # the second: 600 people changed, their rows in one append
        assert run_cli("import", str(file), "--db", str(path), "--quiet").returncode == 0
    rows = rows_of(path)
    updates = [r for r in rows if r[3] == "participant.update"]
    con = duckdb.connect(str(path))
    with_mobile = con.execute("select count(*) from participants where mobile is not null").fetchall()[0][0]
    con.close()
    assert len(updates) == with_mobile > 500 and len(rows) == len(updates) + 2  # and the two imports' rows
    assert len({r[1] for r in updates}) == 1  # written at once, with one time
    assert [r[6] for r in rows[1:]] == [r[7] for r in rows[:-1]] and rows[0][6] == GENESIS
    done = verify(path)
    assert (done.returncode, done.stdout) == (0, f"audit chain intact ({len(rows)} rows)\n")
    con = duckdb.connect(str(path))
    assert audit.verify_chain(con) is None
    con.close()


def test_an_older_database_is_chained_by_the_migration(config, tmp_path):
    path = tmp_path / "old.duckdb"
    old = duckdb.connect(str(path))
    old.execute(
        "create table schema_migrations (version integer primary key, name varchar not null, applied_at timestamp not null)"
    )
    for migration in sorted(MIGRATIONS.glob("*.sql")):
        if migration.name < "0008":
            old.execute(migration.read_text(encoding="utf-8"))
            old.execute(
                "insert into schema_migrations values (?, ?, current_timestamp)",
                [int(migration.name[:4]), migration.name],
            )
    old.execute(  # as the desk wrote its log before the chain: no ids given, the sequence's
        "insert into audit_log (logged_at, actor, action, target, details) values "
        "('2023-03-01 09:00:00', 'cli', 'import', 'import:1', '{\"file\": \"甲.xlsx\"}'), "
        "('2023-03-01 09:05:00.25', 'wang', 'login', 'user:wang', '{\"role\": \"admin\"}'), "
        "('2023-03-02 10:00:00', 'wang', 'export', 'list:participants', null)"
    )
    old.close()
    path.chmod(0o600)  # as the desk makes it (else every command says the file is exposed)
    con = connect(config, path)  # migration 0008 and its chaining
    assert audit.verify_chain(con) is None
    chained = con.execute("select audit_id, prev_hash, row_hash from audit_log order by audit_id").fetchall()
    assert [c[0] for c in chained] == [1, 2, 3] and chained[0][1] == GENESIS
    assert chained[1][1] == chained[0][2] and chained[2][1] == chained[1][2] and all(c[2] for c in chained)
    append_audit(con, "wang", "logout", "user:wang", {"role": "admin"})  # the chain goes on from there
    assert con.execute("select prev_hash from audit_log where audit_id = 4").fetchall() == [(chained[2][2],)]
    assert audit.verify_chain(con) is None and audit.chain_rows(con) == 4
    con.close()
    raw(path, 'update audit_log set details = \'{"file": "乙.xlsx"}\' where audit_id = 1')
    assert verify(path).stderr == "The audit chain is broken: row 1 was changed after it was written.\n"


def test_sessions_appending_at_once_never_fork_the_chain(config, tmp_path):
    """A transaction holds the chain from its first append until it commits: another session's
    row waits, then follows it; one whose snapshot is older still follows the newest row."""
    con = connect(config, tmp_path / "threads.duckdb")
    importing, stale = con.cursor(), con.cursor()
    appended, committed, stale_began = threading.Event(), threading.Event(), threading.Event()
    order: list[str] = []

    def an_import() -> None:
        with transaction(importing):
            append_audits(
                importing, "inbox", [("participant.update", f"participant:{i}", {}) for i in range(50)]
            )
            appended.set()
            stale_began.wait(5)
            order.append("import commits")
        committed.set()

    def a_login() -> None:
        appended.wait(5)
        cursor = con.cursor()
        append_audit(cursor, "li", "login", "user:li", {"role": "staff"})  # waits for the import
        order.append("login appended")
        cursor.close()

    def an_older_snapshot() -> None:
        with transaction(stale):
            stale.execute("select count(*) from audit_log").fetchall()  # its snapshot: before the import
            stale_began.set()
            committed.wait(5)
            while "login appended" not in order:
                time.sleep(0.01)
            append_audit(stale, "wang", "batch.change", "batch:1", {})
            order.append("older snapshot appended")

    threads = [threading.Thread(target=f) for f in (an_import, a_login, an_older_snapshot)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert order == ["import commits", "login appended", "older snapshot appended"]
    rows = con.execute("select actor, prev_hash, row_hash from audit_log order by audit_id").fetchall()
    assert [r[0] for r in rows] == ["inbox"] * 50 + ["li", "wang"]
    assert [r[1] for r in rows[1:]] == [r[2] for r in rows[:-1]]  # one chain, no fork
    assert audit.verify_chain(con) is None
    con.close()


def test_appending_on_another_cursor_beside_a_transaction_holding_the_chain_is_refused(con):
    other = con.cursor()
    with transaction(con):
        append_audit(con, "cli", "import", None, {})
        with pytest.raises(RuntimeError, match="fork"):
            append_audit(other, "cli", "login", None, {})
    append_audit(other, "cli", "login", None, {})  # once it committed, any cursor may
    assert audit.verify_chain(con) is None and audit.chain_rows(con) == 2


def test_a_backup_records_the_chain_head_and_verify_checks_it(config, db, tmp_path):
    con = connect(config, db)
    head = audit.chain_head(con)
    head_id = con.execute("select max(audit_id) from audit_log").fetchall()[0][0]
    backup = manual_backup(con, tmp_path / "backups", "cli")
    metadata = crypto.authenticate(backup, keyring(con).key).metadata
    assert (metadata["audit_head_id"], metadata["audit_head"]) == (head_id, head) and head != GENESIS
    assert audit.chain_head(con) != head  # the backup's own row came after the copy
    with opened_backup(backup) as copy:
        assert audit.chain_head(copy) == head and audit.verify_chain(copy) is None
    con.close()
    done = verify(db, "--backup", str(backup))
    assert (done.returncode, done.stdout) == (0, f"audit chain intact ({len(rows_of(db))} rows)\n")
    # The newest rows removed: the shorter chain is intact by itself, but the backup's head is gone.
    raw(db, "delete from audit_log where audit_id >= ?", [head_id - 1])
    assert verify(db).returncode == 0
    done = verify(db, "--backup", str(backup))
    assert done.returncode == 1 and done.stderr == (
        f"The audit chain is broken: row {head_id}, the newest when the backup was made, is gone or different "
        "(rows were removed from the end, or the log rewritten, since).\n"
    )


def test_verify_with_a_file_that_is_not_a_backup_is_one_sentence(db, tmp_path):
    missing = verify(db, "--backup", str(tmp_path / "nope.enc"))
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1 and "does not exist" in missing.stderr
    assert "Traceback" not in missing.stderr


@pytest.mark.parametrize(
    ("lang", "intact", "broken"),
    [
        (
            "en",
            "audit chain intact ({rows} rows)",
            "The audit chain is broken: row {row} was changed after it was written.",
        ),
        ("zh", "审计链完整（{rows} 行）", "审计链已断开：第 {row} 条记录在写入后被修改过。"),
    ],
)
def test_the_audit_page_says_whether_the_chain_is_intact(monkeypatch, config, tmp_path, lang, intact, broken):
    from delegation import ui

    access.add_user("admin1", "admin", "correct horse battery")

    def audit_page(path: Path) -> AppTest:
        monkeypatch.setenv("DELEGATION_DB", str(path))
        at = AppTest.from_string(HARNESS.format(page=str(ROOT / "pages/audit.py")), default_timeout=60)
        at.session_state["auth.user"], at.session_state["auth.role"] = "admin1", "admin"
        at.session_state["ui.lang"] = lang
        return at.run()

    untouched, tampered = tmp_path / "untouched.duckdb", tmp_path / "tampered.duckdb"
    for path in (untouched, tampered):
        con = connect(config, path)
        load_fixture(con, config, tmp_path)
        append_audit(con, "admin1", "show_full", "page:registrations", {})
        con.close()
    changed = rows_of(tampered)[-1][0]
    raw(tampered, "update audit_log set actor = 'someone' where audit_id = ?", [changed])

    at = audit_page(untouched)
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == [ui.plain(intact.format(rows=len(rows_of(untouched))))]
    at = audit_page(tampered)
    assert not at.exception and not at.success
    assert [e.value for e in at.error] == [ui.plain(broken.format(row=changed))]
