"""The live inbox: files dropped in are imported by whoever holds the database, then filed away."""

from __future__ import annotations

import os
import time

from delegation import ROOT
from delegation.inbox import process
from tests.conftest import run_cli, write_xlsx
from tests.fixtures import fixture_form


def _age(path, seconds=5):
    past = time.time() - seconds
    os.utime(path, (past, past))  # settled: not being written any more
    return path


def test_good_and_bad_files_are_filed_with_reasons(con, config, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _age(fixture_form(inbox))
    _age(write_xlsx(inbox / "no_header.xlsx", {"S": [["季度", "销售额"], ["Q1", 1]]}))
    (inbox / "fresh.csv").write_text("单位,姓名\n某公司,张伟\n", encoding="utf-8")  # still being written
    outcomes = process(con, config, inbox)
    assert [(o.file, o.imported) for o in outcomes] == [("fixture.xlsx", True), ("no_header.xlsx", False)]
    assert con.execute("select count(*) from participants").fetchall() == [(12,)]
    done = [p.name for p in (inbox / "done").iterdir()]
    failed = sorted(p.name for p in (inbox / "failed").iterdir())
    assert len(done) == 1 and done[0].endswith("-fixture.xlsx")
    assert len(failed) == 2 and failed[0].endswith("-no_header.xlsx") and failed[1].endswith(".reason.txt")
    reason = (inbox / "failed" / failed[1]).read_text(encoding="utf-8").splitlines()
    assert reason[0].startswith("no_header.xlsx: no sheet has a recognisable header") and reason[
        1
    ].startswith("no_header.xlsx：")
    assert [p.name for p in inbox.iterdir() if p.is_file()] == ["fresh.csv"]  # waits for the next round
    _age(inbox / "fresh.csv")
    assert [o.imported for o in process(con, config, inbox)] == [True]


def test_watch_once_from_the_cli(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _age(fixture_form(inbox))
    done = run_cli("watch", "--once", "--inbox", str(inbox), "--db", str(tmp_path / "d.duckdb"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("fixture.xlsx: 12 rows read, 12 added")


def test_watch_once_waits_for_a_file_copied_in_just_before(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    fixture_form(inbox)  # written now: it took nothing, said nothing and exited 0
    done = run_cli("watch", "--once", "--inbox", str(inbox), "--db", str(tmp_path / "d.duckdb"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("fixture.xlsx: 12 rows read, 12 added")


def test_the_app_imports_what_is_dropped_into_its_inbox(monkeypatch, config, tmp_path):
    from streamlit.testing.v1 import AppTest

    db = tmp_path / "app.duckdb"
    inbox = tmp_path / "inbox"
    monkeypatch.setenv("DELEGATION_DB", str(db))
    monkeypatch.setenv("DELEGATION_INBOX", str(inbox))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["ui.lang"] = "en"
    at.session_state["filters.as_of"] = __import__("datetime").date(2023, 3, 20)
    at.run()
    assert {m.label: m.value for m in at.metric}["Participants"] == "0"
    inbox.mkdir(exist_ok=True)
    _age(fixture_form(inbox))
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not (inbox / "done").exists():
        time.sleep(0.5)
    assert len(list((inbox / "done").iterdir())) == 1
    at.run()  # the next refresh
    assert {m.label: m.value for m in at.metric}["Participants"] == "11"


def _watcher(inbox, db, config_file):
    """`python -m delegation watch` as the secretariat runs it, on a config whose caps are lifted
    so that a far cell reaches the reader and crashes it."""
    import subprocess
    import sys

    env = {
        "PATH": "/usr/bin:/bin",
        "DELEGATION_LANG": "en",
        "DELEGATION_CONFIG": str(config_file),
        "DELEGATION_USERS": os.environ.get("DELEGATION_USERS", ""),
        "DELEGATION_KEY_FILE": os.environ["DELEGATION_KEY_FILE"],
    }
    return subprocess.Popen(
        [sys.executable, "-m", "delegation", "watch", "--inbox", str(inbox), "--db", str(db)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _until(condition, seconds=40):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def _count(db, sql="select count(*) from participants"):
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def test_files_that_crash_their_reader_are_filed_and_the_watcher_imports_the_next(tmp_path):
    from tests import hostile

    inbox, db = tmp_path / "inbox", tmp_path / "desk.duckdb"
    inbox.mkdir()
    opened = hostile.open_config(tmp_path)
    watcher = _watcher(inbox, db, opened)
    try:
        corpus = tmp_path / "corpus"
        corpus.mkdir()
        for make in (hostile.far_cell, hostile.only_far_cell):  # an abort (512 GB), a panic
            bad = make(corpus)
            _age(bad.replace(inbox / bad.name))
        assert _until(lambda: len(list((inbox / "failed").glob("*.reason.txt"))) == 2)
        _age(hostile.valid_xlsx(inbox))
        assert _until(lambda: (inbox / "done").is_dir() and len(list((inbox / "done").iterdir())) == 1)
        assert watcher.poll() is None  # still watching
    finally:
        watcher.terminate()
        watcher.wait(timeout=20)
    reasons = {
        p.name.split("-", 2)[-1]: p.read_text(encoding="utf-8").splitlines()[0]
        for p in (inbox / "failed").glob("*.reason.txt")
    }
    assert reasons == {
        "far-cell.xlsx.reason.txt": "far-cell.xlsx: the file could not be read safely: "
        "it needed more memory than the 1024 MB allowed.",
        "only-far-cell.xlsx.reason.txt": "only-far-cell.xlsx: the file could not be read safely: "
        "the reader failed (PanicException).",
    }
    assert _count(db) > 0
    failed_before = {p.name: p.stat().st_mtime_ns for p in (inbox / "failed").iterdir()}
    again = run_cli(
        "watch", "--once", "--inbox", str(inbox), "--db", str(db), env={"DELEGATION_CONFIG": str(opened)}
    )
    assert again.returncode == 0 and again.stdout == again.stderr == ""  # nothing retried
    assert {p.name: p.stat().st_mtime_ns for p in (inbox / "failed").iterdir()} == failed_before


def test_a_file_being_read_when_the_watcher_was_killed_is_filed_not_read_again(tmp_path):
    import signal

    from tests import hostile

    inbox, db = tmp_path / "inbox", tmp_path / "desk.duckdb"
    inbox.mkdir()
    opened = hostile.open_config(tmp_path)
    watcher = _watcher(inbox, db, opened)
    slow = hostile.million_strings(tmp_path)  # seconds to read: time to stop the desk mid-file
    _age(slow.replace(inbox / slow.name))
    reading = inbox / ".reading"
    try:
        assert _until(lambda: reading.is_dir() and any(reading.iterdir()))
        watcher.send_signal(signal.SIGKILL)  # a crash, a power cut, a restart in the middle
        watcher.wait(timeout=20)
    finally:
        if watcher.poll() is None:
            watcher.kill()
    assert [p.name.split("-", 2)[-1] for p in reading.iterdir()] == ["million-strings.xlsx"]
    restarted = run_cli(
        "watch", "--once", "--inbox", str(inbox), "--db", str(db), env={"DELEGATION_CONFIG": str(opened)}
    )
    assert restarted.returncode == 1
    assert restarted.stderr == (
        "million-strings.xlsx: the desk stopped while reading this file, so it was not read again; "
        "check it, then put it back into the inbox to retry.\n"
    )
    assert list(reading.iterdir()) == [] and not (inbox / "done").exists()
    filed = sorted(p.name for p in (inbox / "failed").iterdir())
    assert len(filed) == 2 and filed[0].endswith("-million-strings.xlsx")
    assert filed[1] == filed[0] + ".reason.txt"
