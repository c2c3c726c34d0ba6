"""Backups: consistent snapshots, restore with a safety copy, automatic snapshots before bulk changes."""

from __future__ import annotations

from pathlib import Path

from delegation.backup_places import backups_folder
from delegation.backups import snapshot
from delegation.config import load_config
from delegation.db import connect
from delegation.ingest import import_file
from delegation.restore import restore
from tests.conftest import opened_backup, run_cli, table_snapshot, write_csv
from tests.fixtures import load_fixture
from tests.test_ingest import ZH_HEADER, zh_row


def test_snapshot_and_restore(config, tmp_path):
    db = tmp_path / "d.duckdb"
    con = connect(config, db)
    load_fixture(con, config, tmp_path)
    path = snapshot(con, tmp_path / "snaps", "manual")
    saved = table_snapshot(con)  # after: the first snapshot records the key it made
    con.execute("update participants set status = 'withdrawn'")
    con.close()
    safety = restore(path, db, tmp_path / "snaps").safety
    con = connect(config, db)
    assert table_snapshot(con) == saved
    new_id = con.execute("select nextval('participant_id_seq')").fetchall()[0][0]
    assert (
        new_id > con.execute("select max(participant_id) from participants").fetchall()[0][0]
    )  # no id reused
    con.close()
    with opened_backup(safety) as check:
        assert check.execute("select distinct status from participants").fetchall() == [("withdrawn",)]


def test_bulk_import_takes_a_snapshot_first_and_keeps_ten(config, tmp_path):
    db = tmp_path / "d.duckdb"
    con = connect(config, db)
    for n in range(12):
        rows = [ZH_HEADER, *[zh_row(i, name=f"人{n}-{i}", passport=f"E9{n:02d}{i:05d}") for i in range(60)]]
        import_file(con, config, write_csv(tmp_path / f"f{n}.csv", rows))
    snaps = sorted(backups_folder(db).glob("*-before-import.duckdb.enc"))
    assert len(snaps) == 10
    con.close()
    with opened_backup(snaps[-1]) as newest:
        assert newest.execute("select count(*) from participants").fetchall() == [
            (11 * 60,)
        ]  # the state before the 12th


def test_cli_backup_and_restore(tmp_path):
    db = tmp_path / "d.duckdb"

    def cli(*args):
        return run_cli(*args, "--db", str(db))

    assert cli("demo", "--participants", "40").returncode == 0
    done = cli("backup", "--to", str(tmp_path / "out"))
    assert done.returncode == 0
    snap = done.stdout.splitlines()[0].removeprefix("Wrote ")
    logged = connect(load_config(), db)
    assert logged.execute(
        "select actor, details->>'file' from audit_log where action = 'backup'"
    ).fetchall() == [("cli", Path(snap).name)]
    logged.close()
    assert cli("demo", "--participants", "10", "--replace").returncode == 0
    refused = cli("restore", snap)
    assert refused.returncode == 1 and "--yes" in refused.stderr
    assert cli("restore", snap, "--yes").returncode == 0
    summary = cli("summary", "--as-of", "2099-01-01", "--json")
    assert '"participants": 40' in summary.stdout
    bad = tmp_path / "bad.duckdb"
    bad.write_bytes(b"not a database")
    wrong = cli("restore", str(bad), "--yes")
    assert wrong.returncode == 1 and "not a Delegation Desk backup" in wrong.stderr
