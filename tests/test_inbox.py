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
