"""Sessions: staff and admin sessions end after `[security] idle_minutes` without a click (viewers'
do not), the sidebar's sign-out button, both audited; the failed-login lock survives a restart."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from delegation import ROOT, access, audit, ui
from delegation.db import connect
from delegation.errors import DelegationError

PASSWORD = "correct horse battery"


@pytest.fixture
def db(config, tmp_path) -> Path:
    path = tmp_path / "sessions.duckdb"
    connect(config, path).close()
    return path


def signed_in(monkeypatch, db: Path, role: str, **state) -> AppTest:
    """app.py itself, run once by a signed-in local account `<role>1` (so nobody is the local admin)."""
    if f"{role}1" not in access.load_accounts():
        access.add_user(f"{role}1", role, PASSWORD)
    monkeypatch.setenv("DELEGATION_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["auth.user"], at.session_state["auth.role"] = f"{role}1", role
    at.session_state["ui.lang"] = "en"
    for key, value in state.items():
        at.session_state[key.replace("__", ".")] = value
    return at.run()


def session_rows(config, db: Path) -> list[tuple]:
    con = connect(config, db)
    try:
        return [
            (actor, action, target, json.loads(details))
            for actor, action, target, details in con.execute(
                "select actor, action, target, details from audit_log "
                "where action like 'logout%' order by audit_id"
            ).fetchall()
        ]
    finally:
        con.close()


def minutes_ago(minutes: float) -> float:
    return time.time() - minutes * 60


@pytest.mark.parametrize("role", ["staff", "admin"])
def test_a_staff_or_admin_session_ends_after_the_idle_time(monkeypatch, config, db, role):
    assert config.idle_minutes == 30  # data/event.toml's [security] idle_minutes
    at = signed_in(monkeypatch, db, role)
    assert not at.exception and at.session_state["auth.role"] == role
    at.session_state["auth.last_active"] = minutes_ago(31)
    at.run()
    assert not at.exception
    assert "auth.role" not in at.session_state and "auth.user" not in at.session_state
    assert [t.value for t in at.title] == ["Sign in · Delegation Desk"] and not at.metric
    assert [i.value for i in at.info] == [
        "You were signed out after 30 minutes without a click; sign in again."
    ]
    assert session_rows(config, db) == [
        (f"{role}1", "logout.idle", f"user:{role}1", {"role": role, "idle_minutes": 30})
    ]
    at.run()  # said once
    assert not at.info and [t.value for t in at.title] == ["Sign in · Delegation Desk"]


def test_a_click_before_the_idle_time_renews_the_session(monkeypatch, config, db):
    at = signed_in(monkeypatch, db, "staff")
    before = minutes_ago(29)
    at.session_state["auth.last_active"] = before
    at.run()
    assert at.session_state["auth.role"] == "staff"
    assert at.session_state["auth.last_active"] > before + 28 * 60  # renewed by this run
    assert session_rows(config, db) == []


def test_the_apps_own_reruns_do_not_renew_the_session(monkeypatch, config, db):
    # The overview's data watcher reruns the app when an import lands: not a click.
    at = signed_in(monkeypatch, db, "admin")
    before = minutes_ago(20)
    at.session_state["auth.last_active"] = before
    at.session_state["auth.unattended"] = True
    at.run()
    assert at.session_state["auth.role"] == "admin" and at.session_state["auth.last_active"] == before
    at.session_state["auth.last_active"] = minutes_ago(31)
    at.session_state["auth.unattended"] = True
    at.run()
    assert "auth.role" not in at.session_state
    assert [a for _, a, _, _ in session_rows(config, db)] == ["logout.idle"]


def test_a_viewer_is_never_signed_out_for_being_idle(monkeypatch, config, db):
    # Leadership's figures on a meeting's shared screen stay up however long nobody clicks.
    at = signed_in(monkeypatch, db, "viewer", ui__present=True)
    at.session_state["auth.last_active"] = minutes_ago(10 * 60)
    at.run()
    assert not at.exception and at.session_state["auth.role"] == "viewer" and at.metric
    assert session_rows(config, db) == []


def test_the_local_admin_is_not_signed_out_for_being_idle(monkeypatch, config, db):
    monkeypatch.setenv("DELEGATION_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert at.session_state["auth.user"] == access.LOCAL_ADMIN
    at.session_state["auth.last_active"] = minutes_ago(120)
    at.run()
    assert at.session_state["auth.user"] == access.LOCAL_ADMIN and session_rows(config, db) == []


def test_the_idle_time_comes_from_the_config(monkeypatch, config, db, tmp_path):
    source = (ROOT / "data" / "event.toml").read_text(encoding="utf-8")
    assert source.count("idle_minutes = 30") == 1
    event = tmp_path / "event.toml"
    event.write_text(source.replace("idle_minutes = 30", "idle_minutes = 5"), encoding="utf-8")
    monkeypatch.setenv("DELEGATION_CONFIG", str(event))
    ui.event_config.clear()
    try:
        at = signed_in(monkeypatch, db, "staff")
        at.session_state["auth.last_active"] = minutes_ago(4)
        at.run()
        assert at.session_state["auth.role"] == "staff"
        at.session_state["auth.last_active"] = minutes_ago(6)
        at.run()
        assert "auth.role" not in at.session_state
        assert [i.value for i in at.info] == [
            "You were signed out after 5 minutes without a click; sign in again."
        ]
    finally:
        ui.event_config.clear()  # the next test reads data/event.toml again
    assert session_rows(config, db)[0][3] == {"role": "staff", "idle_minutes": 5}


@pytest.mark.parametrize("role", ["viewer", "staff", "admin"])
def test_the_sidebar_sign_out_button_ends_the_session_and_is_logged(monkeypatch, config, db, role):
    at = signed_in(monkeypatch, db, role, registrations__search="甲一")
    assert at.sidebar.button(key="auth.logout").label == "Sign out"
    at.sidebar.button(key="auth.logout").click().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Sign in · Delegation Desk"] and not at.info
    # Nothing the session kept stays behind for the next person at this browser but the language.
    assert "auth.role" not in at.session_state and "registrations.search" not in at.session_state
    assert at.session_state["ui.lang"] == "en"
    assert session_rows(config, db) == [(f"{role}1", "logout", f"user:{role}1", {"role": role})]


def test_the_local_admin_has_no_sign_out_button(monkeypatch, db):
    monkeypatch.setenv("DELEGATION_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert at.session_state["auth.user"] == access.LOCAL_ADMIN
    assert "auth.logout" not in [b.key for b in at.sidebar.button]


@pytest.mark.parametrize(
    ("lang", "said"),
    [("en", ["Signed out", "Signed out after being idle"]), ("zh", ["退出登录", "闲置超时退出"])],
)
def test_the_audit_log_says_sign_outs_in_words(config, db, lang, said):
    from delegation.db import append_audit

    con = connect(config, db)
    append_audit(con, "li", "logout", "user:li", {"role": "staff"})
    append_audit(con, "li", "logout.idle", "user:li", {"role": "staff", "idle_minutes": 30})
    shown = audit.audit_entries(con, config, (), "", dt.date.min, dt.date.max, lang)
    con.close()
    assert list(shown["action"]) == said[::-1]  # newest first
    details = {
        "en": ["role: Staff; after 30 minutes without a click", "role: Staff"],
        "zh": ["角色：工作人员；30 分钟无操作", "角色：工作人员"],
    }
    assert list(shown["details"]) == details[lang]
    assert list(shown["target"]) == [f"{'账户' if lang == 'zh' else 'account'} li"] * 2


def fail_logins(config, db: Path, name: str) -> None:
    con = connect(config, db)
    try:
        for _ in range(access.MAX_FAILURES):
            with pytest.raises(DelegationError, match="wrong"):
                access.login(con, name, "not the password")
    finally:
        con.close()


def test_the_failed_login_lock_survives_reopening_the_database(config, db):
    access.add_user("li", "staff", PASSWORD)
    fail_logins(config, db, "li")
    con = connect(config, db)  # a new connection: nothing of the first one's is left in memory
    try:
        with pytest.raises(DelegationError, match="Too many failed logins for 'li'"):
            access.login(con, "li", PASSWORD)  # locked even with the right password
        assert access.login(con, "li", PASSWORD, now=dt.datetime.now() + access.LOCKOUT).name == "li"
    finally:
        con.close()


def test_the_failed_login_lock_survives_a_server_restart(config, db):
    """Failures counted in one process lock the account for the next one (a restarted server)."""
    access.add_user("wu", "admin", PASSWORD)
    fail_logins(config, db, "wu")
    attempt = (
        "import sys\n"
        "from delegation import access\n"
        "from delegation.config import load_config\n"
        "from delegation.db import connect\n"
        "from delegation.errors import DelegationError\n"
        "con = connect(load_config(), sys.argv[1])\n"
        "try:\n"
        "    access.login(con, 'wu', sys.argv[2])\n"
        "except DelegationError as exc:\n"
        "    print(exc.en)\n"
        "    sys.exit(1)\n"
        "print('signed in')\n"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DELEGATION_USERS": os.environ["DELEGATION_USERS"],
        "DELEGATION_KEY_FILE": os.environ["DELEGATION_KEY_FILE"],
    }
    done = subprocess.run(
        [sys.executable, "-c", attempt, str(db), PASSWORD],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert (done.returncode, done.stdout) == (
        1,
        "Too many failed logins for 'wu'; try again in 15 minutes.\n",
    )
    con = connect(config, db)
    actions = [
        r[0]
        for r in con.execute("select action from audit_log where actor = 'wu' order by audit_id").fetchall()
    ]
    con.close()
    assert actions == ["login.failed"] * access.MAX_FAILURES + ["login.locked"]
