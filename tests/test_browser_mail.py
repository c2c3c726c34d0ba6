"""The Mail page in Debian's Chromium against `python -m delegation serve`, with the app's own background thread
reading a real dovecot and sending through a real aiosmtpd on 127.0.0.1 (issue 25). Screenshots go
to tests/artifacts/."""

from __future__ import annotations

import email
import email.policy
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.mailservers import Dovecot, Smtp
from tests.sample_scans import JPEG
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, _serve, idle, shot
from tests.test_mailbox import form_bytes, message, with_form


@pytest.fixture
def servers(tmp_path):
    with Dovecot(tmp_path / "dovecot") as imap_server, Smtp(tmp_path / "smtp") as smtp_server:
        yield imap_server, smtp_server


def _fill(con, config, folder: Path) -> None:
    from delegation.mailbox import import_messages

    known = with_form("赴美访问-甲机械有限公司", form_bytes(folder, "甲机械有限公司", ["张伟", "李娜"]))
    import_messages(con, config, [("a.eml", known.as_bytes())], actor="t", documents_dir=folder / "documents")
    con.execute("update units set contact_email = 'wm@jia.example.cn', contact_name = '王敏'")


def test_the_app_reads_the_mailbox_and_an_admin_assigns_and_acknowledges(servers, tmp_path):
    imap_server, smtp_server = servers
    later = message("补充材料", sender="helper@other.example", mid="<late@other.example>")
    later.add_attachment(JPEG, maintype="image", subtype="jpeg", filename="李娜护照.jpg")
    imap_server.deliver(later.as_bytes())
    env = {
        "DELEGATION_IMAP_HOST": imap_server.host,
        "DELEGATION_IMAP_PORT": str(imap_server.imaps_port),
        "DELEGATION_IMAP_USER": imap_server.user,
        "DELEGATION_IMAP_PASSWORD": imap_server.password,
        "DELEGATION_IMAP_CA_FILE": str(imap_server.ca_file),
        "DELEGATION_SMTP_HOST": smtp_server.host,
        "DELEGATION_SMTP_PORT": str(smtp_server.port),
        "DELEGATION_SMTP_SECURITY": "starttls",
        "DELEGATION_SMTP_USER": smtp_server.user,
        "DELEGATION_SMTP_PASSWORD": smtp_server.password,
        "DELEGATION_SMTP_CA_FILE": str(smtp_server.ca_file),
        "DELEGATION_SMTP_SENDER": "desk@example.org",
    }
    (tmp_path / "app").mkdir()
    serving = _serve(tmp_path / "app", _fill, env)
    url = next(serving)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.goto(f"{url}/mail?lang=en")
            expect(page.get_by_role("heading", name="Mail")).to_be_visible(timeout=30_000)
            # The app's thread reads the mailbox every 2 s: the message waiting there shows up
            # (the page is opened again, each time drawn whole, until it says so).
            deadline = time.monotonic() + 30
            idle(page)
            while "The mailbox was last read" not in page.locator("body").inner_text():
                assert time.monotonic() < deadline, page.locator("body").inner_text()
                page.reload()
                page.wait_for_selector('[data-testid="stMetric"]', timeout=30_000)
                idle(page)
            body = page.locator("body").inner_text()
            assert re.search(r"Messages\s+2\s+Unmatched\s+1", body), body
            assert "helper@other.example" not in body  # the sender masked
            shot(page, "mail-page")
            # The newest (the mailbox's, unmatched) is chosen: assign it to the unit.
            assign = page.locator('[data-testid="stSelectbox"]').filter(has_text="Assign to a unit")
            assign.scroll_into_view_if_needed()
            assign.locator('input[role="combobox"]').click()
            page.get_by_role("option", name="甲机械有限公司", exact=True).click()
            page.get_by_role("button", name="Assign", exact=True).click()
            expect(page.get_by_text("Assigned to 甲机械有限公司; 1 attachments filed again.")).to_be_visible(
                timeout=15_000
            )
            # The table (a canvas grid) holds its cells for screen readers: the scan's new line is there.
            expect(page.get_by_text("Passport cover page (scan) of 李娜").first).to_be_attached()
            page.get_by_role("button", name="Send the acknowledgement").click()
            expect(
                page.get_by_text(re.compile(r"^甲机械有限公司: sent to wm\W?@jia\.example\.cn\.$"))
            ).to_be_visible(timeout=15_000)
            shot(page, "mail-page-sent")
            page.get_by_role("button", name="Send the acknowledgement").click()  # again: nothing sent twice
            expect(page.get_by_text(re.compile("this message was sent already today"))).to_be_visible(
                timeout=15_000
            )
            browser.close()
    finally:
        next(serving, None)
    (sent,) = smtp_server.messages
    got = email.message_from_bytes(sent.content, policy=email.policy.default)
    assert (sent.rcpt_tos, got["Subject"]) == (("wm@jia.example.cn",), "回复：补充材料")
    assert "- 李娜护照.jpg：李娜的护照首页扫描件" in got.get_content()
