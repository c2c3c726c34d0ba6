"""The desk's own mail code against real servers on 127.0.0.1 (issue 25): Debian's dovecot for
IMAP, aiosmtpd for SMTP (tests/mailservers.py). A first read, new mail, a UIDVALIDITY change, a
wrong password, a stopped server, an unverifiable certificate; acknowledgements and chase messages
sent once, to the unit's contact only, passport numbers masked, at most max_per_minute."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import email.policy

import pytest

from delegation import imap, outbox
from delegation.chase import chase_list
from delegation.db import connect
from delegation.filters import Filters
from delegation.mailbox import import_messages
from delegation.privacy import mask_passport
from tests.conftest import run_cli
from tests.mailservers import dovecot, smtp_server, smtps_server  # noqa: F401  (fixtures)
from tests.sample_scans import JPEG
from tests.test_mailbox import form_bytes, with_form


def imap_account(
    server, *, security: str = "ssl", password: str | None = None, ca: bool = True
) -> imap.Account:
    return imap.Account(
        "imap",
        server.host,
        server.imaps_port if security == "ssl" else server.imap_port,
        security,
        server.user,
        password or server.password,
        "INBOX",
        str(server.ca_file) if ca else None,
    )


def smtp_account(server, *, password: str | None = None) -> imap.Account:
    return imap.Account(
        "smtp",
        server.host,
        server.port,
        "ssl" if server.implicit_tls else "starttls",
        server.user,
        password or server.password,
        ca_file=str(server.ca_file),
        sender="desk@example.org",
    )


def unit_message(tmp_path, n: int) -> bytes:
    unit = f"第{n}号机械有限公司"
    built = with_form(
        f"赴美访问-{unit}", form_bytes(tmp_path, unit, [f"员工{n}"], f"f{n}.xlsx"), mid=f"<u{n}@x.cn>"
    )
    return built.as_bytes()


def test_the_mailbox_is_read_once_new_mail_is_found_and_a_new_uidvalidity_changes_nothing(
    dovecot,  # noqa: F811
    con,
    config,
    tmp_path,
):
    account = imap_account(dovecot)
    for n in range(2):
        dovecot.deliver(unit_message(tmp_path, n))
    first = imap.fetch(con, config, account, documents_dir=tmp_path / "d")
    assert first.failure is None
    assert [r.message_key for r in first.reports] == ["<u0@x.cn>", "<u1@x.cn>"]
    assert imap.fetch(con, config, account, documents_dir=tmp_path / "d").reports == []  # nothing new
    dovecot.deliver(unit_message(tmp_path, 2))
    later = imap.fetch(con, config, account, documents_dir=tmp_path / "d")
    assert [r.message_key for r in later.reports] == ["<u2@x.cn>"]
    assert con.execute("select count(*) from participants").fetchone() == (3,)
    before = con.execute("select distinct uidvalidity from mail_seen").fetchall()
    dovecot.reset_uidvalidity()
    renumbered = imap.fetch(con, config, account, documents_dir=tmp_path / "d")
    assert renumbered.failure is None
    assert [r.already for r in renumbered.reports] == [True, True, True]  # read again: nothing changed
    assert con.execute("select count(*) from participants").fetchone() == (3,)
    assert (
        con.execute("select count(distinct uidvalidity) from mail_seen").fetchone() == (2,) != (len(before),)
    )
    assert imap.fetch(con, config, account, documents_dir=tmp_path / "d").reports == []


def test_starttls_reads_and_leaves_the_messages_unread(dovecot, con, config, tmp_path):  # noqa: F811
    import imaplib
    import ssl

    dovecot.deliver(unit_message(tmp_path, 0))
    fetched = imap.fetch(
        con, config, imap_account(dovecot, security="starttls"), documents_dir=tmp_path / "d"
    )
    assert (fetched.failure, len(fetched.reports)) == (None, 1)
    assert dovecot.logins(expect=1) == [(dovecot.user, "TLS")]  # the login went over STARTTLS
    client = imaplib.IMAP4_SSL(
        dovecot.host, dovecot.imaps_port, ssl_context=ssl.create_default_context(cafile=str(dovecot.ca_file))
    )
    client.login(dovecot.user, dovecot.password)
    client.select("INBOX", readonly=True)
    assert client.search(None, "UNSEEN")[1] == [b"1"]  # not marked read, nothing deleted
    dovecot.deliver(unit_message(tmp_path, 1))
    marking = dataclasses.replace(config, mail_mark_seen=True)  # mail.mark_seen = true
    imap.fetch(con, marking, imap_account(dovecot), documents_dir=tmp_path / "d")
    client.select("INBOX", readonly=True)
    assert (client.search(None, "UNSEEN")[1], client.search(None, "ALL")[1]) == ([b"1"], [b"1 2"])
    client.logout()


def test_a_wrong_password_a_stopped_server_and_an_unknown_certificate_are_one_sentence(
    dovecot,  # noqa: F811
    con,
    config,
    tmp_path,
):
    wrong = imap.fetch(con, config, imap_account(dovecot, password="not-it"), documents_dir=tmp_path / "d")
    server = f"{dovecot.host}:{dovecot.imaps_port}"
    assert wrong.failure.en == (
        f"The mailbox could not be read: {server} refused the user name or password "
        "(QQ Mail and 163 need an app password); it is tried again later."
    )
    unverified = imap.fetch(con, config, imap_account(dovecot, ca=False), documents_dir=tmp_path / "d")
    assert unverified.failure.en == (
        f"The mailbox could not be read: the certificate of {server} could not be verified "
        "(for an internal server, set ca_file); it is tried again later."
    )
    dovecot.deliver(unit_message(tmp_path, 0))
    dovecot.stop()
    down = imap.fetch(con, config, imap_account(dovecot), documents_dir=tmp_path / "d")
    assert (
        down.failure.en
        == f"The mailbox could not be read: {server} cannot be reached; it is tried again later."
    )
    assert imap.last_round() is down
    assert con.execute("select count(*) from mail_messages").fetchone() == (0,)
    dovecot.start()  # back: the next round reads what waited
    back = imap.fetch(con, config, imap_account(dovecot), documents_dir=tmp_path / "d")
    assert (back.failure, [r.message_key for r in back.reports]) == (None, ["<u0@x.cn>"])


def test_mail_fetch_once_reads_the_account_from_the_secrets_file(dovecot, config, db_path, tmp_path):  # noqa: F811
    connect(config, db_path).close()
    dovecot.deliver(unit_message(tmp_path, 5))
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        f'[mail.imap]\nhost = "{dovecot.host}"\nport = {dovecot.imaps_port}\nsecurity = "ssl"\n'
        f'user = "{dovecot.user}"\npassword = "{dovecot.password}"\nca_file = "{dovecot.ca_file}"\n',
        encoding="utf-8",
    )
    out = run_cli("mail", "fetch", "--once", "--db", str(db_path), env={"DELEGATION_SECRETS": str(secrets)})
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "Mailbox: 1 new messages.",
        "INBOX UID 1: 第5号机械有限公司 (by the attached form)",
        "  报名表.xlsx — form: 1 row imported",
    ]
    assert dovecot.password not in out.stdout + out.stderr
    wrong = run_cli(
        "mail",
        "fetch",
        "--once",
        "--db",
        str(db_path),
        env={"DELEGATION_SECRETS": str(secrets), "DELEGATION_IMAP_PASSWORD": "not-it"},
    )
    assert wrong.returncode == 1 and "refused the user name or password" in wrong.stdout
    unset = run_cli(
        "mail", "fetch", "--once", "--db", str(db_path), env={"DELEGATION_SECRETS": str(tmp_path / "x")}
    )
    assert (unset.returncode, unset.stderr.strip()) == (
        1,
        "The IMAP account is not set: host, user, password missing in [mail.imap] in "
        ".streamlit/secrets.toml (or DELEGATION_IMAP_*).",
    )


@pytest.fixture
def unit_with_mail(con, config, tmp_path):
    """A unit (contact wm@jia.example.cn) whose message brought its form and one passport scan."""
    built = with_form("赴美访问-甲机械有限公司", form_bytes(tmp_path, "甲机械有限公司", ["张伟", "李娜"]))
    built.add_attachment(JPEG, maintype="image", subtype="jpeg", filename="张伟护照.jpg")
    import_messages(con, config, [("a.eml", built.as_bytes())], actor="t", documents_dir=tmp_path / "d")
    con.execute("update units set contact_email = 'wm@jia.example.cn', contact_name = '王敏'")
    return con.execute("select unit_id from units").fetchone()[0]


def delivered(server) -> list[email.message.EmailMessage]:
    return [email.message_from_bytes(m.content, policy=email.policy.default) for m in server.messages]


def test_an_acknowledgement_is_sent_once_to_the_units_contact_with_passports_masked(
    smtp_server,  # noqa: F811
    con,
    config,
    unit_with_mail,
):
    today = dt.date(2023, 3, 20)
    draft = outbox.acknowledgement(con, config, "<m1@jia.example.cn>", "zh", today)
    passport = con.execute("select passport_number from participants where name = '李娜'").fetchone()[0]
    draft = dataclasses.replace(
        draft, body=draft.body + f"\n（核对：李娜 {passport}）"
    )  # as staff might add: masked as it leaves
    account = smtp_account(smtp_server)
    now = dt.datetime(2023, 3, 20, 10, 0)
    (sent,) = outbox.send(con, config, account, [draft], actor="admin1", now=now)
    assert sent.sent and sent.en == "甲机械有限公司: sent to wm@jia.example.cn."
    (got,) = delivered(smtp_server)
    assert (got["To"], got["From"], got["Subject"]) == (
        "wm@jia.example.cn",
        "desk@example.org",
        "回复：赴美访问-甲机械有限公司",
    )
    assert (got["In-Reply-To"], got["Reply-To"]) == ("<m1@jia.example.cn>", config.secretariat_email)
    body = got.get_content()
    lines = body.splitlines()
    assert "- 张伟护照.jpg：张伟的护照首页扫描件" in lines
    owed = lines[lines.index("经核对，以下材料或信息尚未收齐或需要更正：") + 1 :]
    assert owed[:4] == [  # what the unit still owes (the passport scans are not asked of these two)
        "- 贵单位：缺少报名确认回执（单位负责人签字盖章扫描件）",
        "- 李娜：报名信息采集表缺少性别、职务、手机",
        "- 张伟：报名信息采集表缺少性别、职务、手机",
        "",
    ]
    assert passport not in body and mask_passport(passport) in body
    assert smtp_server.messages[0].rcpt_tos == ("wm@jia.example.cn",)
    again = outbox.send(
        con, config, account, [draft, draft], actor="admin1", now=now + dt.timedelta(seconds=2)
    )
    assert [s.sent for s in again] == [False, False] and len(smtp_server.messages) == 1  # a double click
    assert (
        again[0].en == "甲机械有限公司: this message was sent already today (10:00); nothing was sent again."
    )
    audit = con.execute(
        "select actor, details->>'to', details->>'subject' from audit_log where action = 'mail.sent'"
    ).fetchall()
    assert audit == [("admin1", "wm@jia.example.cn", "回复：赴美访问-甲机械有限公司")]
    assert con.execute("select count(*) from mail_sent where sent_at is not null").fetchone() == (1,)


def test_chase_messages_go_out_at_most_max_per_minute_and_never_without_a_contact(
    smtps_server,  # noqa: F811
    con,
    config,
    unit_with_mail,
    tmp_path,
):
    other = with_form(
        "赴美访问-乙贸易有限公司", form_bytes(tmp_path, "乙贸易有限公司", ["赵一"]), mid="<m2@b.cn>"
    )
    import_messages(con, config, [("b.eml", other.as_bytes())], actor="t", documents_dir=tmp_path / "d")
    today = dt.date(2023, 3, 20)
    entries = chase_list(con, config, Filters(as_of=today), today=today)
    drafts = {e["unit_name"]: outbox.chase_draft(config, e, "en", today) for e in entries}
    assert drafts["乙贸易有限公司"].to is None  # no contact e-mail: never sent anywhere else
    limited = dataclasses.replace(config, mail_max_per_minute=1)
    account = smtp_account(smtps_server)
    now = dt.datetime(2023, 3, 20, 11, 0)
    second = dataclasses.replace(drafts["甲机械有限公司"], body=drafts["甲机械有限公司"].body + "\nP.S.")
    results = outbox.send(
        con,
        limited,
        account,
        [drafts["乙贸易有限公司"], drafts["甲机械有限公司"], second],
        actor="admin1",
        now=now,
    )
    assert [(r.sent, r.en) for r in results] == [
        (False, "乙贸易有限公司: the unit gave no contact e-mail; nothing was sent."),
        (True, "甲机械有限公司: sent to wm@jia.example.cn."),
        (
            False,
            "甲机械有限公司: not sent yet, at most 1 messages go out a minute; send it again in a minute.",
        ),
    ]
    (got,) = delivered(smtps_server)
    assert got["Subject"] == "Visiting the United States-甲机械有限公司"
    assert got.get_content().startswith("Dear Wang Min (王敏),") or "王敏" in got.get_content()
    later = outbox.send(con, limited, account, [second], actor="admin1", now=now + dt.timedelta(minutes=2))
    assert [r.sent for r in later] == [True] and len(smtps_server.messages) == 2
    chased = con.execute("select channel, count(*) from chases group by 1").fetchall()
    assert chased == [("e-mail", 2)]  # a chase sent counts as the unit chased


def test_a_refused_login_is_said_and_the_message_may_be_sent_later(smtp_server, con, config, unit_with_mail):  # noqa: F811
    draft = outbox.acknowledgement(con, config, "<m1@jia.example.cn>", "en", dt.date(2023, 3, 20))
    now = dt.datetime(2023, 3, 20, 12, 0)
    (refused,) = outbox.send(
        con, config, smtp_account(smtp_server, password="not-it"), [draft], actor="a", now=now
    )
    server = f"{smtp_server.host}:{smtp_server.port}"
    assert (refused.sent, refused.en) == (
        False,
        f"甲机械有限公司: not sent, {server} refused the user name or password (QQ Mail and 163 need an app password).",
    )
    assert smtp_server.messages == []
    (retried,) = outbox.send(con, config, smtp_account(smtp_server), [draft], actor="a", now=now)
    assert retried.sent and len(smtp_server.messages) == 1
    assert delivered(smtp_server)[0]["Subject"] == "Re: 赴美访问-甲机械有限公司"
