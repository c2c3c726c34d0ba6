"""Access and privacy: roles and pages, login and its rate limit, masking per role, the audit log, purge."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from delegation import ROOT, access, ui
from delegation.db import connect
from delegation.documents import attach
from delegation.errors import DelegationError
from delegation.i18n import TEXT
from delegation.retention import purge
from tests.conftest import opened_backup, run_cli
from tests.fixtures import load_fixture
from tests.sample_scans import PDF
from tests.test_app import HARNESS, PAGES, all_text

AS_OF = dt.date(2023, 3, 20)
PASSWORD = "correct horse battery"


@pytest.fixture
def db(config, tmp_path) -> Path:
    path = tmp_path / "access.duckdb"
    con = connect(config, path)
    load_fixture(con, config, tmp_path)
    con.execute(
        "update participants set mobile = '13812347532', date_of_birth = '1980-04-05' where name = '甲一'"
    )
    con.close()
    return path


def account(role: str) -> None:
    """A local account `<role>1` (so nobody is the local admin), made the first time it is needed."""
    if f"{role}1" not in access.load_accounts():
        access.add_user(f"{role}1", role, PASSWORD)


def as_role(monkeypatch, db: Path, role: str, page: str = "pages/overview.py", **state) -> AppTest:
    """A page run by a signed-in user of `role` (local accounts exist, so nobody is the local admin)."""
    account(role)
    monkeypatch.setenv("DELEGATION_DB", str(db))
    at = AppTest.from_string(HARNESS.format(page=str(ROOT / page)), default_timeout=60)
    at.session_state["auth.user"], at.session_state["auth.role"] = f"{role}1", role
    at.session_state["ui.lang"] = "en"
    at.session_state["filters.as_of"] = AS_OF
    for key, value in state.items():
        at.session_state[key.replace("__", ".")] = value
    return at.run()


def test_pages_per_role():
    offered = {r: [p for p in access.PAGE_ROLES if access.may_open(r, p)] for r in access.ROLES}
    assert offered["viewer"] == ["overview", "documents"]
    assert offered["staff"] == ["overview", "documents", "registrations", "chase", "mail", "data_quality"]
    assert offered["admin"] == list(access.PAGE_ROLES)
    assert not access.may_open("", "overview") and not access.may_open("intruder", "overview")


def offered_pages(monkeypatch, db: Path, role: str, **state) -> list[str]:
    """The pages app.py itself gives st.navigation for a signed-in user of `role`, in its order."""
    account(role)
    monkeypatch.setenv("DELEGATION_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["auth.user"], at.session_state["auth.role"] = f"{role}1", role
    for key, value in state.items():
        at.session_state[key.replace("__", ".")] = value
    at.run()
    assert not at.exception
    offered = []
    for page in PAGES:
        assert (ROOT / page).is_file()  # so a refusal below means "not offered", not "no such file"
        try:
            at.switch_page(page)  # refused for a file st.navigation was not given
        except ValueError:
            continue
        offered.append(Path(page).stem)
    return offered


@pytest.mark.parametrize(
    ("role", "pages"),
    [
        ("viewer", ["overview", "documents"]),
        ("staff", ["overview", "registrations", "documents", "mail", "chase", "data_quality"]),
        ("admin", [Path(p).stem for p in PAGES]),
    ],
)
def test_the_app_offers_each_role_its_pages_only(monkeypatch, db, role, pages):
    assert offered_pages(monkeypatch, db, role) == pages


def test_presenting_offers_the_overview_only(monkeypatch, db):
    # A shared screen shows aggregates only: the overview (which shows no personal data to anyone)
    # is the one page left to open, whatever the role may open otherwise.
    assert offered_pages(monkeypatch, db, "staff", ui__present=True) == ["overview"]


def files_offered(at) -> list[str]:
    """The keys of the buttons that make or save a file (`ui.file_button`) on the page."""
    making = re.compile(
        r"\.export\.|^import\.template|^batch\.(roster|scans)\.|^overview\.workbook|^documents\.download\."
    )
    return [b.key for b in [*at.button, *at.get("download_button")] if making.search(b.key or "")]


def test_a_page_a_role_may_open_offers_its_files(monkeypatch, db):
    at = as_role(monkeypatch, db, "staff", "pages/registrations.py")  # what the refusals below lack
    assert files_offered(at) == [
        "units.export.csv", "units.export.xlsx", "participants.export.csv", "participants.export.xlsx"
    ]  # fmt: skip


@pytest.mark.parametrize(
    "page", ["registrations", "chase", "mail", "data_quality", "batch", "import_forms", "audit"]
)
def test_a_viewer_opening_a_page_directly_gets_only_a_refusal(monkeypatch, db, page):
    at = as_role(monkeypatch, db, "viewer", f"pages/{page}.py")
    assert not at.exception
    assert [e.value for e in at.error] == ["Your role may not open this page."]
    assert not at.dataframe and not at.title and not files_offered(at)


@pytest.mark.parametrize("page", ["batch", "import_forms", "audit"])
def test_staff_cannot_open_admin_pages(monkeypatch, db, page):
    at = as_role(monkeypatch, db, "staff", f"pages/{page}.py")
    assert [e.value for e in at.error] == ["Your role may not open this page."]
    assert not at.dataframe and not files_offered(at)


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/documents.py"])
def test_a_viewer_sees_no_personal_data(monkeypatch, db, page):
    at = as_role(monkeypatch, db, "viewer", page)
    assert not at.exception
    text = all_text(at)
    for secret in ("E90000101", "13812347532", "1980-04-05", "甲一", "乙二"):
        assert secret not in text
    assert "Missing: Passport cover page (scan)" in text or page.endswith("overview.py")


def test_staff_see_masked_data_and_show_full_is_logged(monkeypatch, config, db):
    at = as_role(monkeypatch, db, "staff", "pages/registrations.py")
    text = all_text(at)
    assert (
        "E90000101" not in text
        and "13812347532" not in text
        and "1980-04-05" not in text
        and "E*****101" in text
        and "138****7532" in text
    )
    assert not at.get("form")  # no withdraw form for staff
    at.toggle(key="registrations.show_full").set_value(True).run()
    full = all_text(at)
    assert "E90000101" in full and "13812347532" in full
    con = connect(config, db)
    rows = con.execute("select actor, action, target from audit_log where action = 'show_full'").fetchall()
    con.close()
    assert rows == [("staff1", "show_full", "page:registrations")]


def test_staff_exports_are_masked_unless_show_full_and_logged(monkeypatch, config, db):
    from delegation import ui
    from delegation.filters import Filters

    as_role(monkeypatch, db, "staff", "pages/registrations.py")  # sets up the app's connection for this db
    masked = ui.exported("participants", "csv", Filters(AS_OF), "en", actor="staff1")
    assert b"E90000101" not in masked and b"E*****101" in masked
    assert b"13812347532" not in masked and b"138****7532" in masked and b"1980-04-05" not in masked
    full = ui.exported("participants", "csv", Filters(AS_OF), "en", actor="staff1", show_full=True)
    assert b"E90000101" in full and b"13812347532" in full and b"1980-04-05" in full
    con = connect(config, db)
    logged = [
        json.loads(d)
        for (d,) in con.execute("select details from audit_log where action = 'export'").fetchall()
    ]
    con.close()
    assert [(e["rows"], e["show_full"], e["format"]) for e in logged] == [
        (10, False, "csv"),
        (10, True, "csv"),
    ]


def test_login_right_wrong_and_rate_limit(config, db):
    access.add_user("li", "staff", PASSWORD)
    con = connect(config, db)
    assert access.login(con, "li", PASSWORD).role == "staff"
    now = dt.datetime.now()
    for _ in range(access.MAX_FAILURES):
        with pytest.raises(DelegationError, match="wrong"):
            access.login(con, "li", "nope", now=now)
    with pytest.raises(DelegationError, match="Too many failed logins"):
        access.login(con, "li", PASSWORD, now=now)  # locked even with the right password
    later = now + access.LOCKOUT + dt.timedelta(minutes=1)
    assert access.login(con, "li", PASSWORD, now=later).name == "li"
    actions = [
        r[0]
        for r in con.execute("select action from audit_log where actor = 'li' order by audit_id").fetchall()
    ]
    assert actions == ["login", *["login.failed"] * 5, "login.locked", "login"]
    with pytest.raises(DelegationError, match="wrong"):
        access.login(con, "nobody", "whatever")
    con.close()


def test_login_form(monkeypatch, db):
    access.add_user("wang", "admin", PASSWORD)
    monkeypatch.setenv("DELEGATION_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["ui.lang"] = "en"
    at.run()
    assert [t.value for t in at.title] == ["Sign in · Delegation Desk"] and not at.metric
    at.text_input(key="auth.name").input("wang")
    at.text_input(key="auth.password").input("wrong password")
    at.get("form_submit_button")[0].click().run()
    assert [e.value for e in at.error] == [ui.plain("The user name or password is wrong.")]
    at.text_input(key="auth.password").input(PASSWORD)
    at.get("form_submit_button")[0].click().run()
    assert at.session_state["auth.role"] == "admin"
    assert not at.warning  # no local-admin banner once accounts exist


def test_no_accounts_means_local_admin_with_a_banner(monkeypatch, db):
    monkeypatch.setenv("DELEGATION_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "en"  # the banner follows the link's language
    at.run()
    assert at.session_state["auth.user"] == access.LOCAL_ADMIN
    # On the overview, in words: no command line in the web app.
    assert [w.value for w in at.warning] == [TEXT["access.local_admin"][1]]
    assert "python -m" not in at.warning[0].value and "`" not in at.warning[0].value
    at.switch_page("pages/registrations.py").run()  # not on every page
    assert not at.exception and not at.warning
    presenting = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    presenting.query_params["present"] = "1"
    presenting.run()
    assert presenting.session_state["ui.present"] is True and not presenting.warning  # a shared screen


def test_accounts_file(tmp_path):
    path = tmp_path / "u.toml"
    access.add_user("zhao", "viewer", PASSWORD, path)
    access.set_role("zhao", "staff", path)
    text = path.read_text(encoding="utf-8")
    assert PASSWORD not in text and "$argon2id$" in text
    assert access.load_accounts(path)["zhao"].role == "staff"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    with pytest.raises(DelegationError, match="already"):
        access.add_user("zhao", "admin", PASSWORD, path)
    with pytest.raises(DelegationError, match="10 characters"):
        access.add_user("qian", "admin", "short", path)
    access.remove_user("zhao", path)
    assert access.load_accounts(path) == {}


def test_a_broken_accounts_file_is_one_sentence_for_logins_and_single_sign_on(tmp_path):
    path = tmp_path / "u.toml"
    path.write_text('[users."li"\nrole = "staff"\n', encoding="utf-8")
    for read in (access.load_accounts, access.sso_roles):
        with pytest.raises(DelegationError, match=r"u\.toml is not valid TOML"):
            read(path)


def test_the_admin_backup_button_writes_a_snapshot_and_logs_it(monkeypatch, config, db):
    at = as_role(monkeypatch, db, "admin", "pages/audit.py")
    at.button(key="audit.backup").click().run()
    written = sorted((db.parent / "backups").glob("delegation-*-manual.duckdb.enc"))
    assert len(written) == 1 and written[0].name in at.success[0].value
    assert "desk.key somewhere other than the backups" in at.info[0].value  # the key reminder
    con = connect(config, db)
    logged = con.execute("select actor, details->>'file' from audit_log where action = 'backup'").fetchall()
    people = con.execute("select count(*) from participants").fetchall()
    con.close()
    assert logged == [("admin1", written[0].name)]
    with opened_backup(written[0]) as copy:
        assert copy.execute("select count(*) from participants").fetchall() == people != [(0,)]


def test_users_cli(tmp_path):
    def run(*args, stdin=""):
        return run_cli("users", *args, stdin=stdin)

    assert run("add", "sun", "--role", "staff", "--password-stdin", stdin=PASSWORD + "\n").returncode == 0
    assert run("list").stdout == "sun\tstaff\n"
    assert run("set-role", "sun", "admin").returncode == 0 and run("list").stdout == "sun\tadmin\n"
    bad = run("add", "sun", "--role", "staff", "--password-stdin", stdin=PASSWORD + "\n")
    assert bad.returncode == 1 and bad.stderr.strip() == "There is already a user 'sun'."
    assert run("add", "moon", "--role", "viewer", "--password-stdin", stdin=PASSWORD + "\n").returncode == 0
    last = run("remove", "sun")
    assert (
        last.returncode == 1
        and last.stderr.strip() == "'sun' is the last admin; make another account admin first."
    )
    assert run("list").stdout == "moon\tviewer\nsun\tadmin\n"  # nothing was written
    assert run("remove", "moon").returncode == 0
    assert run("remove", "sun").returncode == 0  # none left: the app is the local admin again
    assert run("list").stdout == ""


def test_user_names_differ_by_more_than_case(tmp_path):
    path = tmp_path / "u.toml"
    access.add_user("Alice", "admin", PASSWORD, path)
    for name in ("alice", "ALICE"):
        with pytest.raises(DelegationError, match="There is already a user 'Alice'"):
            access.add_user(name, "viewer", PASSWORD, path)
    assert list(access.load_accounts(path)) == ["Alice"]


def test_the_last_admin_stays_while_accounts_remain(tmp_path):
    path = tmp_path / "u.toml"
    access.add_user("wu", "admin", PASSWORD, path)
    access.add_user("he", "staff", PASSWORD, path)
    for change in (lambda: access.set_role("wu", "staff", path), lambda: access.remove_user("wu", path)):
        with pytest.raises(DelegationError, match="'wu' is the last admin"):
            change()
    assert {a.name: a.role for a in access.load_accounts(path).values()} == {"wu": "admin", "he": "staff"}
    access.set_role("he", "viewer", path)  # another account's role is no concern of the rule
    access.add_user("zhou", "admin", PASSWORD, path)
    access.set_role("wu", "viewer", path)  # zhou is an admin now
    with pytest.raises(DelegationError, match="'zhou' is the last admin"):
        access.remove_user("zhou", path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text + '[sso]\n"boss@example.org" = "admin"\n', encoding="utf-8")
    with pytest.raises(DelegationError, match="'zhou' is the last admin"):
        access.remove_user("zhou", path)  # single sign-on may not be set up: its admins do not count
    access.set_role("he", "admin", path)
    access.remove_user("zhou", path)
    assert {a.name: a.role for a in access.load_accounts(path).values()} == {"he": "admin", "wu": "viewer"}
    assert access.sso_roles(path) == {"boss@example.org": "admin"}  # kept through every rewrite


def test_the_audit_log_is_never_changed_by_the_code():
    code = [*ROOT.joinpath("delegation").rglob("*.py"), *ROOT.joinpath("pages").glob("*.py"), ROOT / "app.py"]
    code += [*ROOT.joinpath("queries").glob("*.sql"), *ROOT.joinpath("delegation").rglob("*.sql")]
    pattern = re.compile(
        r"(update|delete\s+from|truncate|drop\s+table|alter\s+table|insert\s+or\s+replace\s+into)"
        r"\s+(\w+\.)?\"?audit_log\b",
        re.I,
    )
    assert pattern.search('insert or replace into main."audit_log" values (1)')  # the pattern itself works
    # The one change ever made to rows already written, once: migration 0008 adds the hash chain's
    # two columns and fills them in for the rows written before it (db.chain_unchained).
    once = {
        ROOT / "delegation/migrations/0008_audit_chain.sql": [
            "alter table audit_log add column prev_hash varchar;",
            "alter table audit_log add column row_hash varchar;",
        ],
        ROOT / "delegation/db.py": [
            "update audit_log set prev_hash = chained.prev_hash, row_hash = chained.row_hash"
        ],
    }

    def read(path: Path) -> str:
        said = path.read_text(encoding="utf-8")
        for statement in once.get(path, []):
            assert said.count(statement) == 1, (path, statement)
            said = said.replace(statement, "")
        return said

    offenders = [str(p) for p in code if pattern.search(read(p))]
    assert offenders == []


def test_purge_with_a_fixed_clock(config, db, tmp_path):
    con = connect(config, db)
    unit, jia1 = con.execute(
        "select unit_id, participant_id from participants where name = '甲一'"
    ).fetchall()[0]
    folder = tmp_path / "documents"
    attach(
        con,
        config,
        unit_id=unit,
        participant_id=jia1,
        kind="passport_scan",
        data=PDF,
        original_name="p.pdf",
        actor="t",
        source="t",
        folder=folder,
    )
    due = config.travel_end + dt.timedelta(days=90)
    with pytest.raises(DelegationError, match=due.isoformat()):
        purge(con, config, after_days=90, today=due, apply=True, documents_dir=folder, actor="t")
    dry = purge(
        con,
        config,
        after_days=90,
        today=due + dt.timedelta(days=1),
        apply=False,
        documents_dir=folder,
        actor="t",
    )
    assert (dry.participants, dry.files, dry.applied) == (10, 1, False)
    assert (
        con.execute("select count(*) from participants where passport_number is not null").fetchall()[0][0]
        == 10
    )
    done = purge(
        con,
        config,
        after_days=90,
        today=due + dt.timedelta(days=1),
        apply=True,
        documents_dir=folder,
        actor="t",
    )
    assert done.applied
    # The snapshot taken first is gone with the purge (no undo window), and the report says so.
    assert [outcome for _, outcome in done.backups] == ["snapshot"]
    assert not list((db.parent / "backups").glob("delegation-*-before-purge*"))
    left = con.execute(
        "select count(*) from participants where passport_number is not null or mobile is not null "
        "or date_of_birth is not null or passport_expiry is not null or email is not null"
    ).fetchall()[0][0]
    assert left == 0 and list(folder.iterdir()) == []
    assert (
        con.execute("select count(*) from participants where search_text like '%e9000%'").fetchall()[0][0]
        == 0
    )
    from delegation.summary import summary

    figures = summary(con, config, AS_OF)
    assert (figures["units"], figures["participants"], figures["by_province"]["Jiangsu"]) == (3, 10, 4)
    assert con.execute("select count(*) from audit_log where action = 'purge'").fetchall()[0][0] == 1
    con.close()


def test_hardened_server_settings(config):
    import tomllib

    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert settings["client"]["showErrorDetails"] == "none"
    assert settings["browser"]["gatherUsageStats"] is False
    assert settings["client"]["disableDataExport"] is True
    assert settings["server"]["enableXsrfProtection"] is True
    assert settings["server"]["address"] == "localhost"
    assert settings["server"]["maxUploadSize"] <= config.max_import_file_mb


def test_serve_refuses_a_public_address_without_accounts(tmp_path):
    done = run_cli("serve", "--address", "0.0.0.0", "--db", str(tmp_path / "x.duckdb"), timeout=60)
    assert done.returncode == 1 and done.stderr.startswith(
        "Without accounts the app serves this computer only"
    )


def test_single_sign_on_maps_e_mails_to_roles(monkeypatch, config, db, no_accounts):
    no_accounts.write_text('[sso]\n"li@example.org" = "staff"\n', encoding="utf-8")
    monkeypatch.setenv("DELEGATION_DB", str(db))

    def run(email: str | None) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.secrets["auth"] = {
            "redirect_uri": "http://localhost:8501/oauth2callback",
            "cookie_secret": "x" * 32,
        }
        at.user = {"is_logged_in": False} if email is None else {"is_logged_in": True, "email": email}
        at.session_state["ui.lang"] = "en"
        return at.run()

    signed_out = run(None)
    assert [b.label for b in signed_out.button] == [
        "Sign in with your organisation account"
    ] and not signed_out.metric
    stranger = run("someone@example.org")
    assert [e.value for e in stranger.error] == ["This account has no access; ask an administrator."]
    li = run("LI@example.org")
    assert not li.exception
    assert (li.session_state["auth.user"], li.session_state["auth.role"]) == ("li@example.org", "staff")
    assert li.metric  # the overview
    # The sign-in is logged under the e-mail in lower case (the identity provider gave LI@…), with
    # the role it mapped to; the refused stranger is not logged.
    con = connect(config, db)
    logged = con.execute("select actor, target, details from audit_log where action = 'login'").fetchall()
    assert [(actor, target, json.loads(details)) for actor, target, details in logged] == [
        ("li@example.org", "user:li@example.org", {"role": "staff", "via": "sso"})
    ]


def logged_actions() -> set[str]:
    """Every action the code writes to the audit log, read from its calls (an f-string's table is
    filled in with the tables it is called for)."""
    call = re.compile(r"""(?:append_audit\(\s*(?:[^,]+,\s*){2}|changes\.append\(\()(f?)"([^"]+)\"""")
    found = set()
    for path in [*ROOT.joinpath("delegation").rglob("*.py"), *ROOT.joinpath("pages").glob("*.py")]:
        for is_f, action in call.findall(path.read_text(encoding="utf-8")):
            if is_f:  # registrations.set_withdrawn, documents.log_scan
                assert action in ("{table[:-1]}.update", "document.{how}"), action
                found |= (
                    {"unit.update", "participant.update"}
                    if action.endswith(".update")
                    else {"document.view", "document.download"}
                )
            else:
                found.add(action)
    # A hand edit is logged as its kind of record says (registrations._save: `kind.action`).
    from delegation import registrations

    kinds = [v for v in vars(registrations).values() if isinstance(v, registrations._Editable)]
    assert len(kinds) == 2  # a participant's fields, a unit's contact
    found |= {kind.action for kind in kinds}
    return found


def test_every_action_the_code_logs_has_a_name_in_both_languages():
    from delegation.i18n import TEXT

    actions = logged_actions()
    every = {"login", "login.failed", "login.locked", "import", "demo", "backup", "document.change", "export"}
    assert every | {"show_full", "batch.change", "purge", "unit.update", "participant.edit"} <= actions
    assert {"unit.edit", "unit.chased", "issue.settled", "document.view", "document.download"} <= actions
    assert sorted(a for a in actions if f"audit.action.{a}" not in TEXT) == []


@pytest.mark.parametrize(("lang", "named"), [("zh", "备份数据库"), ("en", "Backed up the database")])
def test_the_audit_page_and_its_export_name_actions_in_the_page_language(
    monkeypatch, config, db, lang, named
):
    from delegation import lists
    from delegation.filters import Filters

    at = as_role(monkeypatch, db, "admin", "pages/audit.py", ui__lang=lang)
    at.button(key="audit.backup").click().run()
    shown = at.dataframe[0].value
    assert shown["action"].iloc[0] == named  # newest first
    assert "backup" not in set(shown["action"]) and "import" not in set(shown["action"])
    assert named in at.multiselect(key="audit.actions").options
    con = connect(config, db)
    (table,) = lists.REGISTRY["audit"].tables(con, config, Filters(as_of=AS_OF), lang)
    assert table.columns[2] == "column.action" and named in [row[2] for row in table.rows]
    con.close()


def test_staff_edit_a_units_contact_with_show_full_on_and_it_is_logged(monkeypatch, config, tmp_path):
    db = tmp_path / "contact.duckdb"
    con = connect(config, db)
    load_fixture(con, config, tmp_path)
    con.execute("update units set contact_name = '王经理', contact_mobile = '19900000001'")
    unit = con.execute("select unit_id from units where name = '苏州甲机械有限公司'").fetchone()[0]
    con.close()
    selected = {"selection": {"rows": [0], "columns": [], "cells": []}}  # 苏州甲, first in pinyin order
    at = as_role(monkeypatch, db, "staff", "pages/registrations.py", registrations__units__table=selected)
    assert not at.exception
    # Masked on screen, so the boxes (which hold the full mobile) wait for "show full".
    assert not [w for w in at.text_input if w.key and w.key.startswith("registrations.contact.")]
    assert TEXT["registrations.contact_needs_full"][1] in [c.value for c in at.caption]
    at.toggle(key="registrations.show_full").set_value(True).run()
    boxes = {
        w.key.rsplit(".", 1)[-1]: w
        for w in at.text_input
        if w.key and w.key.startswith(f"registrations.contact.{unit}.")
    }
    assert {k: w.value for k, w in boxes.items()} == {
        "contact_name": "王经理",
        "contact_mobile": "19900000001",
        "contact_email": "",
    }
    boxes["contact_name"].input("王敏")
    boxes["contact_mobile"].input("025-88881234")
    boxes["contact_email"].input("wang@example.com")
    next(b for b in at.button if b.form_id == "registrations.contact").click().run()
    assert not at.exception and not at.error
    con = connect(config, db)
    assert con.execute(
        "select contact_name, contact_mobile, contact_email from units where unit_id = ?", [unit]
    ).fetchone() == ("王敏", "025-88881234", "wang@example.com")
    actor, details = con.execute("select actor, details from audit_log where action = 'unit.edit'").fetchone()
    con.close()
    assert actor == "staff1"
    assert json.loads(details) == {
        "before": {"contact_name": "王经理", "contact_mobile": "199****0001", "contact_email": None},
        "after": {
            "contact_name": "王敏",
            "contact_mobile": "025*****1234",
            "contact_email": "w***@example.com",
        },
    }
    # A mobile without a digit is refused in one sentence, and nothing changes.
    boxes = {w.key.rsplit(".", 1)[-1]: w for w in at.text_input if w.key and ".contact_" in w.key}
    boxes["contact_mobile"].input("见上")
    next(b for b in at.button if b.form_id == "registrations.contact").click().run()
    assert [e.value for e in at.error] == [ui.plain(TEXT_EN_UNREADABLE.format(en="contact mobile"))]


TEXT_EN_UNREADABLE = "What was typed for {en} cannot be read; type it again, or leave the box empty."


def test_the_audit_log_says_each_entry_in_words(monkeypatch, config, tmp_path):
    from delegation import audit, chase
    from delegation.documents import set_state
    from delegation.filters import Filters

    db = tmp_path / "words.duckdb"
    con = connect(config, db)
    load_fixture(con, config, tmp_path)
    unit, jia1 = con.execute(
        "select unit_id, participant_id from participants where name = '甲一'"
    ).fetchone()
    set_state(
        con, unit_id=unit, participant_id=jia1, kind="passport_scan", status="rejected",
        reason="扫描件模糊", actor="staff1", source="by hand",
    )  # fmt: skip
    chase.mark_chased(con, unit, 5, "staff1")
    con.close()
    monkeypatch.setenv("DELEGATION_DB", str(db))  # where the app's cursor writes
    data = ui.exported("quality", "xlsx", Filters(AS_OF, provinces=("Jiangsu",)), "zh", actor="staff1")
    import io

    import openpyxl

    about = openpyxl.load_workbook(io.BytesIO(data)).worksheets[-1]
    assert dict(about.iter_rows(values_only=True))["导出人"] == "staff1"
    assert ui.logged_download("batch_scans", lambda: b"PK\x05\x06" + b"\0" * 18, fmt="zip")()[:2] == b"PK"
    con = ui.cursor()
    rows = audit.audit_entries(con, config, (), "", dt.date.min, dt.date.max, "zh")
    said = {(r.action, r.target, r.details) for r in rows.itertuples()}
    assert ("导出名单", "名单：数据质量", "Excel；1 行；筛选：省份：江苏；统计截至 2023-03-20") in said
    assert ("记录催交", "单位 苏州甲机械有限公司", "催交邮件已发送，5 项") in said
    assert ("导出名单", "名单：批次扫描件（ZIP）") in {(a, t) for a, t, _ in said}  # logged as a ZIP
    assert any(d.startswith("ZIP") for a, t, d in said if t == "名单：批次扫描件（ZIP）")
    assert ("材料状态变更", "甲一的护照首页扫描件", "缺少 → 退回重交；原因：扫描件模糊") in said
    imported = next(r for r in rows.itertuples() if r.action == "导入报名表")
    assert imported.target == "第 1 次导入（fixture.xlsx）"
    assert imported.details == "fixture.xlsx：读取 12 行，新增 12 人，更新 0 人，无变化 0 人，跳过 0 行"
    exported = con.execute("select actor from audit_log where action = 'export' order by audit_id").fetchall()
    assert exported[0] == ("staff1",)  # the export knows who asked
    en = audit.audit_entries(con, config, (), "", dt.date.min, dt.date.max, "en")
    assert ("Exported a list", "list: Data quality") in {(r.action, r.target) for r in en.itertuples()}
    # The page shows the same words: no JSON, no stored keys.
    at = as_role(monkeypatch, db, "admin", "pages/audit.py", ui__lang="zh")
    shown = at.dataframe[0].value
    assert not any(str(v).startswith("{") or str(v).startswith("list:") for v in shown.to_numpy().ravel())
    assert "名单：数据质量" in set(shown["target"])


def test_the_accounts_file_is_written_by_a_toml_writer_and_private_from_the_start(no_accounts):
    import stat
    import tomllib

    no_accounts.write_text('[sso]\n"odd\\"name@example.org" = "staff"\n', encoding="utf-8")
    access.add_user("lee", "staff", PASSWORD)
    tree = tomllib.loads(no_accounts.read_text(encoding="utf-8"))
    assert tree["sso"] == {'odd"name@example.org': "staff"}  # quoted as TOML needs, kept as it was
    assert tree["users"]["lee"]["role"] == "staff"
    assert stat.S_IMODE(no_accounts.stat().st_mode) == 0o600
    assert not list(no_accounts.parent.glob("*.partial"))
