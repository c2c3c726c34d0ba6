"""The Mail page in Streamlit's AppTest (issue 25): staff read the messages and what each became,
admins assign an unmatched one and see the acknowledgement drafts; all values synthetic."""

from __future__ import annotations

import datetime as dt
import email
import email.policy

import pytest

from delegation.db import connect
from delegation.mailbox import import_messages
from tests.mailservers import smtp_server  # noqa: F401  (a fixture)
from tests.sample_scans import JPEG
from tests.test_access import as_role
from tests.test_mailbox import form_bytes, message, with_form


@pytest.fixture
def mail_db(config, tmp_path):
    db = tmp_path / "mail.duckdb"
    con = connect(config, db)
    known = with_form("赴美访问-甲机械有限公司", form_bytes(tmp_path, "甲机械有限公司", ["张伟", "李娜"]))
    known.add_attachment(JPEG, maintype="image", subtype="jpeg", filename="张伟护照.jpg")
    stranger = message("补充材料", sender="helper@other.example", mid="<m2@other.example>")
    stranger.replace_header("Date", "Thu, 16 Mar 2023 09:00:00 +0800")
    stranger.set_content("<b>这是正文</b> **不是粗体**")
    stranger.add_attachment(JPEG, maintype="image", subtype="jpeg", filename="李娜护照.jpg")
    import_messages(
        con,
        config,
        [("a.eml", known.as_bytes()), ("b.eml", stranger.as_bytes())],
        actor="t",
        documents_dir=tmp_path / "documents",
    )
    con.execute("update units set contact_email = 'wm@jia.example.cn', contact_name = '王敏'")
    con.close()
    return db


def sending_through(monkeypatch, server) -> None:
    """The desk's SMTP account set to `server` (as DELEGATION_SMTP_* would on a desk)."""
    for name, value in {
        "HOST": server.host,
        "PORT": str(server.port),
        "SECURITY": "starttls",
        "USER": server.user,
        "PASSWORD": server.password,
        "CA_FILE": str(server.ca_file),
        "SENDER": "desk@example.org",
    }.items():
        monkeypatch.setenv(f"DELEGATION_SMTP_{name}", value)


def texts(at) -> str:
    return "\n".join(
        [e.value for e in at.text]
        + [e.value for e in at.caption]
        + [e.value for e in at.code]
        + [e.value for e in at.info]
    )


def test_staff_read_the_messages_newest_first_and_cannot_act(monkeypatch, mail_db):
    at = as_role(monkeypatch, mail_db, "staff", "pages/mail.py")
    assert not at.exception
    listing = at.dataframe[0].value
    assert list(listing["subject"]) == ["补充材料", "赴美访问-甲机械有限公司"]  # newest first
    assert list(listing["unit_name"]) == ["unmatched", "甲机械有限公司"]
    assert "helper@other.example" not in listing.to_string()  # the sender masked
    assert [m.value for m in at.metric] == ["2", "1", "0"]
    assert "No registration mailbox is set" in texts(at)
    attachments = at.dataframe[1].value
    assert attachments.values.tolist() == [["李娜护照.jpg", "not filed: the message names no unit"]]
    assert "<b>这是正文</b> **不是粗体**" in [
        e.value for e in at.text
    ]  # shown as typed: no HTML, no Markdown
    assert not [s for s in at.selectbox if s.label.startswith("Assign")] and not at.code


def test_the_unmatched_filter_lists_only_the_messages_to_assign(monkeypatch, mail_db):
    at = as_role(monkeypatch, mail_db, "staff", "pages/mail.py")
    at.toggle(key="mail.unmatched_only").set_value(True).run()
    assert list(at.dataframe[0].value["subject"]) == ["补充材料"]


def test_an_admin_assigns_an_unmatched_message_and_sees_the_acknowledgement(monkeypatch, mail_db, config):
    at = as_role(monkeypatch, mail_db, "admin", "pages/mail.py")
    assert not at.exception
    (assign,) = [s for s in at.selectbox if s.label.startswith("Assign")]
    assign.set_value(1).run()  # the one unit's id
    at.button(key="mail.assign.go").click().run()
    assert not at.exception
    assert [s.value.replace("\\", "") for s in at.success] == [
        "Assigned to 甲机械有限公司; 1 attachments filed again."
    ]
    assert list(at.dataframe[0].value["unit_name"]) == ["甲机械有限公司", "甲机械有限公司"]
    zh, en = (c.value for c in at.code)
    assert en.splitlines()[0] == "Re: 补充材料"
    assert "- 李娜护照.jpg: Passport cover page (scan) of 李娜" in en
    assert zh.splitlines()[0] == "回复：补充材料" and "王敏您好：" in zh
    assert "No sending server is set" in texts(at)
    con = connect(config, mail_db)
    try:
        assert con.execute("select count(*) from documents where kind = 'passport_scan'").fetchone() == (2,)
    finally:
        con.close()


def test_a_mailbox_that_cannot_be_read_is_one_sentence_on_the_page(monkeypatch, mail_db, config, tmp_path):
    from delegation import imap
    from tests.mailservers import free_ports

    (port,) = free_ports(1)  # nothing listens there
    monkeypatch.setenv("DELEGATION_IMAP_HOST", "127.0.0.1")
    monkeypatch.setenv("DELEGATION_IMAP_PORT", str(port))
    monkeypatch.setenv("DELEGATION_IMAP_USER", "desk@example.test")
    monkeypatch.setenv("DELEGATION_IMAP_PASSWORD", "synthetic")
    con = connect(config, mail_db)
    try:
        imap.fetch(con, config, imap.account(), documents_dir=tmp_path / "d")
    finally:
        con.close()
    at = as_role(monkeypatch, mail_db, "staff", "pages/mail.py")
    assert [w.value.replace("\\", "") for w in at.warning] == [
        f"The mailbox could not be read: 127.0.0.1:{port} cannot be reached; it is tried again later."
    ]


def test_the_chase_list_sends_through_smtp_only_for_admins_and_only_when_it_is_set(
    monkeypatch,
    mail_db,
    smtp_server,  # noqa: F811
):
    day, opened = dt.date(2023, 3, 20), {"chase__unit__1": True}  # unit 1's box opened
    staff = as_role(monkeypatch, mail_db, "staff", "pages/chase.py", filters__as_of=day, **opened)
    admin_without = as_role(monkeypatch, mail_db, "admin", "pages/chase.py", filters__as_of=day, **opened)
    for at in (staff, admin_without):  # the text to copy, as before
        assert not [b for b in at.button if b.label == "Send by e-mail"] and at.code
    sending_through(monkeypatch, smtp_server)
    staff = as_role(monkeypatch, mail_db, "staff", "pages/chase.py", filters__as_of=day, **opened)
    assert not [b for b in staff.button if b.label == "Send by e-mail"]  # staff copy and mark; admins send
    at = as_role(monkeypatch, mail_db, "admin", "pages/chase.py", filters__as_of=day, **opened)
    at.button(key="chase.mail.en.1").click().run()
    assert not at.exception
    assert [s.value.replace("\\", "") for s in at.success] == [
        "甲机械有限公司: sent to wm\u2060@jia.example.cn."
    ]
    (got,) = smtp_server.messages
    parsed = email.message_from_bytes(got.content, policy=email.policy.default)
    assert (got.rcpt_tos, parsed["Subject"]) == (
        ("wm@jia.example.cn",),
        "Visiting the United States-甲机械有限公司",
    )
    assert parsed.get_content().startswith("Dear 王敏 (WANG Min),")
    at.button(key="chase.mail.en.1").click().run()  # a second click the same day
    assert len(smtp_server.messages) == 1
    assert "sent already today" in at.warning[0].value


def test_a_chosen_set_of_units_is_sent_with_one_confirmation(
    monkeypatch,
    mail_db,
    config,
    smtp_server,  # noqa: F811
    tmp_path,
):
    con = connect(config, mail_db)
    other = with_form("赴美访问-乙公司", form_bytes(tmp_path, "乙公司", ["赵一"]), mid="<m3@yi.example.cn>")
    import_messages(
        con, config, [("c.eml", other.as_bytes())], actor="t", documents_dir=tmp_path / "documents"
    )
    con.execute("update units set contact_email = 'b@yi.example.cn' where name = '乙公司'")
    con.close()
    sending_through(monkeypatch, smtp_server)
    at = as_role(monkeypatch, mail_db, "admin", "pages/chase.py", filters__as_of=dt.date(2023, 3, 20))
    assert len(at.multiselect(key="chase.send_units").options) == 2  # both units owe something
    at.multiselect(key="chase.send_units").set_value([1]).run()
    assert at.button(key="chase.send_set.go").label == "Send to 1 units"
    at.button(key="chase.send_set.go").click().run()
    assert [m.rcpt_tos for m in smtp_server.messages] == [("wm@jia.example.cn",)]  # the chosen unit only


def test_a_saved_email_in_the_import_pages_box_is_imported_as_the_mailboxs_are(
    monkeypatch, mail_db, tmp_path
):
    built = with_form("赴美访问-丙公司", form_bytes(tmp_path, "丙公司", ["钱七"]), mid="<m4@bing.example.cn>")
    at = as_role(monkeypatch, mail_db, "admin", "pages/import_forms.py")
    at.get("file_uploader")[0].set_value(("丙公司.eml", built.as_bytes(), "message/rfc822")).run()
    at.button(key="import.start").click().run()
    assert not at.exception
    assert [s.value.replace("\\", "") for s in at.success] == ["丙公司.eml: 丙公司 (by the attached form)"]
    assert [t.value.strip() for t in at.text] == ["报名表.xlsx — form: 1 row imported"]


# ---- a mailbox of many messages (the demo's): one page at a time, bounded select boxes ----------


def newest_keys(config, db, *, unmatched: bool = False, limit: int = 200) -> list[str]:
    """The message keys newest first, straight from the table (what the page's pages must hold)."""
    con = connect(config, db)
    try:
        return [
            r[0]
            for r in con.execute(
                "select message_key from mail_messages where not ? or unit_id is null "
                "order by coalesce(sent_at, imported_at) desc, message_key limit ?",
                [unmatched, limit],
            ).fetchall()
        ]
    finally:
        con.close()


def mail_figures(config, db) -> tuple[int, int]:
    con = connect(config, db)
    try:
        return con.execute(
            "select count(*), count(*) filter (where unit_id is null) from mail_messages"
        ).fetchone()
    finally:
        con.close()


def test_the_page_lists_one_page_of_100_messages_newest_first_and_page_2_the_next(
    monkeypatch, demo_db, config
):
    total, _ = mail_figures(config, demo_db)
    assert total > 200  # the demo's mailbox fills three pages
    keys = newest_keys(config, demo_db)
    at = as_role(monkeypatch, demo_db, "staff", "pages/mail.py")
    assert not at.exception
    first = at.dataframe[0].value
    assert list(first["message_key"]) == keys[:100]
    assert first["received_at"].is_monotonic_decreasing
    pages = -(-total // 100)
    assert f"Rows 1–100 of {total} · page 1 of {pages}" in texts(at)
    assert at.metric[0].value == str(total)  # the figure counts every message, not the page
    assert at.selectbox(key="mail.chosen").options == [
        f"{when:%Y-%m-%d %H:%M} · {subject}"
        for when, subject in zip(first["received_at"], first["subject"], strict=True)
    ]  # the page's messages only
    at.number_input(key="mail.list.page").set_value(2).run()
    assert not at.exception
    second = at.dataframe[0].value
    assert list(second["message_key"]) == keys[100:200]
    assert f"Rows 101–200 of {total} · page 2 of {pages}" in texts(at)
    assert len(at.selectbox(key="mail.chosen").options) == 100


def test_the_attachments_are_counted_for_each_message_shown(monkeypatch, demo_db, config):
    at = as_role(monkeypatch, demo_db, "staff", "pages/mail.py")
    first = at.dataframe[0].value
    con = connect(config, demo_db)
    try:
        counted = dict(
            con.execute("select message_key, count(*) from mail_attachments group by 1").fetchall()
        )
    finally:
        con.close()
    assert list(first["attachments"]) == [counted[k] for k in first["message_key"]]


def test_the_unmatched_toggle_counts_and_lists_only_the_unmatched(monkeypatch, demo_db, config):
    total, unmatched = mail_figures(config, demo_db)
    assert 0 < unmatched < total
    at = as_role(monkeypatch, demo_db, "staff", "pages/mail.py")
    at.toggle(key="mail.unmatched_only").set_value(True).run()
    assert not at.exception
    listing = at.dataframe[0].value
    assert list(listing["message_key"]) == newest_keys(config, demo_db, unmatched=True)
    assert len(listing) == unmatched and set(listing["unit_name"]) == {"unmatched"}
    assert [m.value for m in at.metric][:2] == [str(total), str(unmatched)]


def test_no_select_box_holds_more_than_100_options_for_an_admin(monkeypatch, demo_db):
    at = as_role(monkeypatch, demo_db, "admin", "pages/mail.py")
    assert not at.exception
    assert at.selectbox and all(len(s.options) <= 100 for s in at.selectbox)
    (assign,) = [s for s in at.selectbox if s.label.startswith("Assign")]
    assert len(assign.options) == 50  # of the demo's 200 units: a search finds the rest


def more_units(config, db, count: int) -> None:
    """`count` units whose names sort before 甲机械有限公司 (阿… in pinyin order)."""
    from delegation.search import search_texts
    from delegation.text import match_key

    names = [f"阿{n:03d}贸易有限公司" for n in range(count)]
    con = connect(config, db)
    try:
        con.executemany(
            "insert into units (name, name_key, search_text) values (?, ?, ?)",
            [
                [name, match_key(name), found]
                for name, found in zip(names, search_texts(names, [None] * count), strict=True)
            ],
        )
    finally:
        con.close()


def test_an_admin_finds_the_unit_by_search_and_assigns_the_message(monkeypatch, mail_db, config):
    more_units(config, mail_db, 120)
    at = as_role(monkeypatch, mail_db, "admin", "pages/mail.py")
    (assign,) = [s for s in at.selectbox if s.label.startswith("Assign")]
    assert len(assign.options) == 50 and "甲机械有限公司" not in assign.options  # after 50 阿… units
    at.text_input(key="mail.assign.search").input("jjx").run()  # its initials
    (assign,) = [s for s in at.selectbox if s.label.startswith("Assign")]
    assert assign.options == ["甲机械有限公司"]
    assign.set_value(1).run()
    at.button(key="mail.assign.go").click().run()
    assert not at.exception
    assert [s.value.replace("\\", "") for s in at.success] == [
        "Assigned to 甲机械有限公司; 1 attachments filed again."
    ]
    assert list(at.dataframe[0].value["unit_name"]) == ["甲机械有限公司", "甲机械有限公司"]
    con = connect(config, mail_db)
    try:
        assert con.execute(
            "select unit_id, matched_by from mail_messages where message_key = '<m2@other.example>'"
        ).fetchone() == (1, "staff")
    finally:
        con.close()
