"""The mail desk's and the scan filing's sentences come from `i18n` keys, each said in both languages."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from delegation.documents import ScanReport, Skipped
from delegation.i18n import TEXT, mail
from delegation.imap import Fetched
from delegation.mail import Attachment, unpacked
from delegation.mailbox import MailReport
from delegation.outbox import Draft, send

ROOT = Path(__file__).resolve().parents[1]
MODULES = [
    "mail.py",
    "mailbox.py",
    "documents/filing.py",
    "documents/folder_scan.py",
    "inbox.py",
    "outbox.py",
    "imap.py",
]


def test_an_attachment_that_cannot_be_opened_says_why_in_both_languages():
    (rar,) = unpacked(Attachment("材料.rar", b"Rar!\x1a\x07\x00rest", "application/x-rar"))
    assert rar.problem == (
        "a RAR or 7z archive cannot be opened; ask the unit for a ZIP",
        "RAR 或 7z 压缩包无法打开；请该单位改发 ZIP",
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("护照.pdf", b"ciphertext")
    locked = bytearray(buffer.getvalue())
    for header, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # the encrypted flag, as an
        locked[locked.index(header) + flags_at] |= 0x1  # encrypting compressor sets it (zipfile cannot)
    assert unpacked(Attachment("材料.zip", bytes(locked), "application/zip"))[0].problem == (
        "the ZIP is password-protected; ask the unit for one without a password",
        "ZIP 设有密码；请该单位改发无密码的压缩包",
    )
    assert unpacked(Attachment("坏.zip", b"PK\x03\x04broken", "application/zip"))[0].problem == (
        "the ZIP is damaged",
        "ZIP 文件已损坏",
    )


def test_a_mail_report_says_what_the_message_became_in_either_language():
    report = MailReport(
        "one.eml", "<k>", "赴美访问-甲公司", unit_id=1, matched_by="subject", unit_name="甲公司"
    )
    report.outcomes.append(("报名表.xlsx", "form: 1 row imported", "报名表：导入 1 行"))
    assert report.lines("en") == ["one.eml: 甲公司 (by the subject)", "  报名表.xlsx — form: 1 row imported"]
    assert report.lines("zh") == ["one.eml：甲公司（按邮件主题）", "  报名表.xlsx — 报名表：导入 1 行"]
    unmatched = MailReport("two.eml", "<j>", "hello")
    assert unmatched.lines("en") == ["two.eml: unmatched, for staff to assign"]
    assert unmatched.lines("zh") == ["two.eml：未匹配单位，待工作人员指定"]
    again = MailReport("one.eml", "<k>", "", already=True)
    assert again.lines("zh") == ["one.eml：已导入过，未做更改。"]
    fetched = Fetched(at=None, reports=[report, again])
    assert fetched.lines("en")[0] == "Mailbox: 1 new messages."
    assert fetched.lines("zh")[0] == "邮箱：1 封新邮件。"


def test_a_scan_report_and_its_reasons_are_said_in_both_languages():
    report = ScanReport(recorded=[("a.pdf", "x")], already=["b.pdf", "c.pdf"], unmatched=[])
    assert report.summary("en") == "1 documents recorded, 2 already known, 0 files not matched."
    assert report.summary("zh") == "新记录 1 份材料，已有 2 份，无法匹配 0 个文件。"
    skipped = Skipped("scan.too_large", size="12.5", max_mb=10)
    assert (skipped.en, skipped.zh) == (
        "the file is 12.5 MB, more than the limit of 10 MB",
        "文件大小 12.5 MB，超过 10 MB 的上限",
    )
    assert str(skipped) == skipped.en


def test_a_draft_without_an_address_is_not_sent_and_says_so(con, config):
    draft = Draft("chase", 1, "甲公司", None, "subject", "body")
    (sent,) = send(con, config, None, [draft], actor="test")
    assert not sent.sent
    assert sent.message("en") == "甲公司: the unit gave no contact e-mail; nothing was sent."
    assert sent.message("zh") == "甲公司：该单位未提供联系人邮箱，未发送。"


def test_every_mail_key_is_used_and_every_key_used_exists():
    sources = "\n".join((ROOT / "delegation" / m).read_text(encoding="utf-8") for m in MODULES)
    used = set(
        re.findall(r"""\b(?:said|text|Skipped|Words|_problem)\([^"'()]*?["']([a-z_]+\.[\w.]+)["']""", sources)
    )
    quoted = set(re.findall(r"""["']((?:mail|scan|inbox|outbox)\.[a-z_.]+)["']""", sources))
    prefixes = set(re.findall(r"""f["']((?:mail|scan|inbox|outbox)\.[a-z_.]+\.)\{""", sources))
    assert len(used) >= 30, "too few keys found: the pattern is wrong"
    assert sorted(k for k in used if k not in TEXT) == []
    unused = [k for k in mail.TEXT if k not in used | quoted and not any(k.startswith(p) for p in prefixes)]
    assert unused == []
