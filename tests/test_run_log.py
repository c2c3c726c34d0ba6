"""The opt-in run log (delegation/ui/run_log.py): one line per script run of app.py, however it ends;
nothing without DELEGATION_RUN_LOG."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from streamlit.testing.v1 import AppTest

from delegation import ROOT, access
from delegation.ui import run_log

KEYS = {"time", "page", "kind", "seconds", "role", "ended"}


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def app(monkeypatch, db: Path) -> AppTest:
    monkeypatch.setenv("DELEGATION_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["as_of"] = "2023-03-20"
    at.query_params["lang"] = "en"
    return at


def test_every_run_of_the_app_writes_one_page_line(monkeypatch, fixture_db, tmp_path):
    log = tmp_path / "runs.jsonl"
    monkeypatch.setenv(run_log.ENV, str(log))
    at = app(monkeypatch, fixture_db).run()
    assert not at.exception and at.metric
    first = lines(log)
    assert len(first) == 1
    assert set(first[0]) == KEYS  # nothing else: no user name, no filter
    assert first[0]["kind"] == "page" and first[0]["page"] == "overview"
    assert first[0]["role"] == "admin" and first[0]["ended"] == "done"  # the local admin, no accounts
    assert first[0]["seconds"] > 0
    at.run()
    at.run()
    assert not at.exception
    runs = lines(log)
    assert [(r["kind"], r["page"]) for r in runs] == [("page", "overview")] * 3  # one line per run
    assert all(r["seconds"] > 0 for r in runs)
    assert runs[0]["time"] <= runs[1]["time"] <= runs[2]["time"]


def test_unset_nothing_is_written(monkeypatch, fixture_db, tmp_path):
    monkeypatch.delenv(run_log.ENV, raising=False)
    at = app(monkeypatch, fixture_db).run()
    assert not at.exception and at.metric
    assert not list(tmp_path.glob("*.jsonl")) and not list(tmp_path.rglob("*run*log*"))


def test_a_run_stopped_by_st_stop_is_logged(monkeypatch, fixture_db, tmp_path):
    access.add_user("staff1", "staff", "correct horse battery")  # accounts: the sign-in form, then st.stop
    log = tmp_path / "runs.jsonl"
    monkeypatch.setenv(run_log.ENV, str(log))
    at = app(monkeypatch, fixture_db).run()
    assert not at.exception and not at.metric  # the sign-in form only
    [run] = lines(log)
    assert run["kind"] == "page" and run["ended"] == "stop"
    assert run["page"] is None and run["role"] == ""  # no page was chosen, nobody signed in
    assert run["seconds"] > 0


def _reruns_once() -> None:
    import streamlit as st

    from delegation.ui.run_log import timed_run

    with timed_run("page", "probe"):
        with timed_run("refresh", "probe"):  # inside a page run: part of it, no line of its own
            pass
        if not st.session_state.get("again"):
            st.session_state["again"] = True
            st.rerun()


def test_a_run_ended_by_st_rerun_is_logged_as_such_and_a_nested_run_is_not(monkeypatch, tmp_path):
    log = tmp_path / "runs.jsonl"
    monkeypatch.setenv(run_log.ENV, str(log))
    at = AppTest.from_function(_reruns_once).run()
    assert not at.exception
    assert [(r["kind"], r["page"], r["ended"]) for r in lines(log)] == [
        ("page", "probe", "rerun"),
        ("page", "probe", "done"),
    ]


def test_lines_from_many_threads_stay_whole(monkeypatch, tmp_path):
    log = tmp_path / "runs.jsonl"
    monkeypatch.setenv(run_log.ENV, str(log))

    def runs() -> None:
        for _ in range(200):
            with run_log.timed_run("refresh", "overview"):
                pass

    threads = [threading.Thread(target=runs) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    written = lines(log)  # every line parses
    assert len(written) == 1600 and all(r["kind"] == "refresh" for r in written)
