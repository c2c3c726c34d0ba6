"""Registration e-mails read into plain data (issue 25, first part): headers decoded whatever the
client did, the body as text, attachments and ZIPs opened safely, the unit from the subject. Every
message is built here, with the standard library, as the clients write them; all values synthetic."""

from __future__ import annotations

import base64
import datetime as dt
import io
import zipfile
from email.message import EmailMessage

import pytest

from delegation.mail import decode_header, html_text, parse_message, split_mbox, unit_from_subject, unpacked

PATTERNS = ["赴美访问-{unit}", "Visiting the United States-{unit}"]


def _b64_word(text: str, charset: str) -> str:
    return f"=?{charset}?B?{base64.b64encode(text.encode(charset)).decode()}?="


@pytest.mark.parametrize(
    ("subject", "unit"),
    [
        ("赴美访问-甲机械有限公司", "甲机械有限公司"),
        ("Re: 回复：转发: 赴美访问—甲机械有限公司", "甲机械有限公司"),
        ("RE: FW: Fwd: 赴美访问 － 乙贸易有限公司 ", "乙贸易有限公司"),
        ("答复：赴美访问–丙公司", "丙公司"),
        ("Visiting the United States - Hengda Machinery Co., Ltd.", "Hengda Machinery Co., Ltd."),
        ("visiting the united states-Hengda", "Hengda"),
        ("报名材料", None),
        ("赴美访问-", None),
    ],
)
def test_the_unit_is_read_from_the_subject(subject, unit):
    assert unit_from_subject(subject, PATTERNS) == unit


@pytest.mark.parametrize("charset", ["GBK", "GB2312", "GB18030", "BIG5", "UTF-8"])
def test_encoded_words_in_every_charset_the_clients_use(charset):
    text = "赴美訪問-甲機械有限公司" if charset == "BIG5" else "赴美访问-甲机械有限公司"
    assert decode_header(_b64_word(text, charset)) == text


def _message(subject: str = "赴美访问-甲机械有限公司", **headers: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = headers.get("From", "王敏 <WM@Jia.example.cn>")
    message["To"] = "desk@example.org"
    message["Subject"] = subject
    message["Date"] = "Wed, 15 Mar 2023 10:20:31 +0800"
    message["Message-ID"] = "<m1@jia.example.cn>"
    message.set_content("附件为报名表和护照扫描件。\n王敏")
    return message


def test_a_message_with_forms_and_scans(tmp_path):
    message = _message()
    message.add_attachment(
        b"PK\x03\x04form", maintype="application", subtype="vnd.ms-excel", filename="报名表.xlsx"
    )
    message.add_attachment(b"\x89PNG scan", maintype="image", subtype="png", filename="张伟护照.png")
    parsed = parse_message(message.as_bytes())
    assert (parsed.message_id, parsed.sender, parsed.sender_name) == (
        "<m1@jia.example.cn>",
        "wm@jia.example.cn",
        "王敏",
    )
    assert parsed.subject == "赴美访问-甲机械有限公司"
    assert parsed.date == dt.datetime(2023, 3, 15, 10, 20, 31, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert parsed.body == "附件为报名表和护照扫描件。\n王敏"
    assert [(a.name, a.data, a.inline, a.problem) for a in parsed.attachments] == [
        ("报名表.xlsx", b"PK\x03\x04form", False, None),
        ("张伟护照.png", b"\x89PNG scan", False, None),
    ]


def test_attachment_names_as_foxmail_qq_and_163_write_them_and_as_rfc_2231():
    raw = (
        b"From: a@b.cn\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n'
        b"--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nhi\r\n"
        b'--B\r\nContent-Type: application/octet-stream; name="'
        + _b64_word("报名表.xlsx", "GBK").encode()
        + b'"\r\n'
        b'Content-Disposition: attachment; filename="' + _b64_word("报名表.xlsx", "GBK").encode() + b'"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\nAAEC\r\n"
        b"--B\r\nContent-Type: application/octet-stream\r\n"
        b"Content-Disposition: attachment; filename*=UTF-8''%E6%8A%A4%E7%85%A7.pdf\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\nAAEC\r\n"
        b"--B\r\nContent-Type: application/octet-stream\r\n"
        b'Content-Disposition: attachment; filename="' + "确认函.pdf".encode("gbk") + b'"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\nAAEC\r\n--B--\r\n"
    )
    assert [a.name for a in parse_message(raw).attachments] == ["报名表.xlsx", "护照.pdf", "确认函.pdf"]


def test_a_raw_8_bit_gbk_subject_and_an_html_body_read_as_text():
    raw = (
        b"From: a@b.cn\r\nSubject: " + "赴美访问-丁科技有限公司".encode("gbk") + b"\r\n"
        b"Content-Type: text/html; charset=gbk\r\n\r\n"
        + "<html><style>p{}</style><script>alert(1)</script><p>附件请查收</p><p>联系人：<b>周五</b></p></html>".encode(
            "gbk"
        )
    )
    parsed = parse_message(raw)
    assert parsed.subject == "赴美访问-丁科技有限公司"
    assert parsed.body == "附件请查收\n联系人：周五"  # no markup, no script text
    assert html_text("<a href='x'>链接</a>&amp;") == "链接&"


def _zip(members: dict[str, bytes], *, utf8: bool = True) -> bytes:
    """A ZIP of `members`; not `utf8`: names in GBK bytes without the UTF-8 flag, as Windows'
    own compressor writes them (written under ASCII stand-ins of the same length, then swapped)."""
    buffer = io.BytesIO()
    swaps = {}
    with zipfile.ZipFile(buffer, "w") as archive:
        for n, (name, data) in enumerate(members.items()):
            if not utf8:
                raw = name.encode("gbk")
                stand_in = f"{n:02d}".encode() + b"_" * (len(raw) - 2)
                swaps[stand_in] = raw
                name = stand_in.decode()
            archive.writestr(zipfile.ZipInfo(name, (2023, 3, 1, 0, 0, 0)), data)
    out = buffer.getvalue()
    for stand_in, raw in swaps.items():
        out = out.replace(stand_in, raw)
    return out


def test_zips_are_opened_safely():
    from delegation.mail import Attachment

    gbk = _zip({"报名表.xlsx": b"form", "护照/张伟.jpg": b"jpg"}, utf8=False)
    inner = _zip({"确认函.pdf": b"pdf"})
    outer = _zip({"材料.zip": inner, "../../etc/passwd": b"x"})
    got = unpacked(Attachment("材料.zip", gbk, "application/zip")) + unpacked(
        Attachment("外层.zip", outer, "application/zip")
    )
    assert [(a.name, a.data, a.problem and a.problem[0]) for a in got] == [
        ("报名表.xlsx", b"form", None),
        ("张伟.jpg", b"jpg", None),  # its folder in the ZIP left out, as for any name from outside
        ("确认函.pdf", b"pdf", None),
        ("passwd", b"", "its name reaches outside the ZIP; it was not opened"),
    ]
    rar = unpacked(Attachment("材料.rar", b"Rar!\x1a\x07\x00rest", "application/x-rar"))
    assert rar[0].problem == (
        "a RAR or 7z archive cannot be opened; ask the unit for a ZIP",
        "RAR 或 7z 压缩包无法打开；请该单位改发 ZIP",
    )


def test_an_mbox_holds_many_messages():
    one, two = _message().as_bytes(), _message("赴美访问-乙公司").as_bytes()
    mbox = (
        b"From a@b.cn Wed Mar 15 10:20:31 2023\n"
        + one
        + b"\n>From the desk\n"
        + b"From c@d.cn Thu Mar 16 09:00:00 2023\n"
        + two
    )
    messages = split_mbox(mbox)
    assert [parse_message(m).subject for m in messages] == ["赴美访问-甲机械有限公司", "赴美访问-乙公司"]
    assert b"\nFrom the desk\n" in messages[0]  # its quoted From line, unquoted


def test_a_message_is_parsed_in_a_reader_worker(config):
    from delegation import sandbox
    from delegation.mail import read_message

    message = _message("Re: 赴美访问-甲机械有限公司")
    message.add_attachment(
        b"%PDF-1.4 confirmation", maintype="application", subtype="pdf", filename="确认函.pdf"
    )
    try:
        parsed = read_message(message.as_bytes(), config, "m1.eml")
    finally:
        sandbox.stop_all()
    assert parsed.date.utcoffset() == dt.timedelta(hours=8)  # through the allow-list: plain data
    assert unit_from_subject(parsed.subject, PATTERNS) == "甲机械有限公司"
    assert [(a.name, a.data) for a in parsed.attachments] == [("确认函.pdf", b"%PDF-1.4 confirmation")]


def test_a_units_message_files_its_form_and_scans_once(con, config, tmp_path):
    from delegation.mailbox import import_messages
    from tests.conftest import write_xlsx
    from tests.sample_scans import JPEG, png

    form = write_xlsx(
        tmp_path / "报名表.xlsx",
        {"S": [["单位名称", "姓名", "护照号码"], ["甲机械有限公司", "张伟", "E12345678"]]},
    )
    message = _message("回复：赴美访问—甲机械有限公司")
    message.add_attachment(
        form.read_bytes(), maintype="application", subtype="octet-stream", filename="报名表.xlsx"
    )
    message.add_attachment(JPEG, maintype="image", subtype="jpeg", filename="张伟护照.jpg")
    message.add_attachment(png(), maintype="image", subtype="png", filename="logo.png", disposition="inline")
    message.add_attachment(b"Rar!\x1a\x07\x00x", maintype="application", subtype="x-rar", filename="签证.rar")
    raw = message.as_bytes()
    (report,) = import_messages(
        con, config, [("m1.eml", raw)], actor="staff", documents_dir=tmp_path / "docs"
    )
    assert (report.matched_by, report.already) == ("form", False)  # a new unit: its form names it
    assert [(name, en) for name, en, _ in report.outcomes] == [
        ("报名表.xlsx", "form: 1 row imported"),
        ("张伟护照.jpg", "Passport cover page (scan) of 张伟"),
        ("签证.rar", "a RAR or 7z archive cannot be opened; ask the unit for a ZIP"),
    ]  # the inline logo is no document and not listed
    assert con.execute("select name, registered_on from participants").fetchall() == [
        ("张伟", dt.date(2023, 3, 15))
    ]
    assert con.execute("select kind from documents").fetchall() == [("passport_scan",)]
    stored = con.execute(
        "select message_key, sender, unit_id is not null, body from mail_messages"
    ).fetchall()
    assert stored == [("<m1@jia.example.cn>", "wm@jia.example.cn", True, "附件为报名表和护照扫描件。\n王敏")]
    (again,) = import_messages(
        con, config, [("m1-copy.eml", raw)], actor="staff", documents_dir=tmp_path / "docs"
    )
    assert again.already and con.execute("select count(*) from mail_messages").fetchone() == (1,)


def test_a_known_unit_is_found_by_the_subject_else_by_the_sender(con, config, tmp_path):
    from delegation.mailbox import import_messages
    from tests.conftest import write_xlsx

    form = write_xlsx(tmp_path / "名单.xlsx", {"S": [["单位名称", "姓名"], ["乙贸易有限公司", "赵一"]]})
    from delegation.ingest import import_file

    import_file(con, config, form, today=dt.date(2023, 3, 1))
    con.execute("update units set contact_email = 'wm@jia.example.cn'")
    by_subject = _message("Fwd: 赴美访问 - 乙贸易有限公司")
    by_sender = _message("材料补充")
    by_sender.replace_header("Message-ID", "<m2@jia.example.cn>")
    stranger = _message("材料补充", From="someone@else.example")
    stranger.replace_header("Message-ID", "<m3@else.example>")
    reports = import_messages(
        con,
        config,
        [("a.eml", by_subject.as_bytes()), ("b.eml", by_sender.as_bytes()), ("c.eml", stranger.as_bytes())],
        actor="staff",
        documents_dir=tmp_path / "docs",
    )
    unit_id = con.execute("select unit_id from units").fetchone()[0]
    assert [(r.matched_by, r.unit_id) for r in reports] == [
        ("subject", unit_id),
        ("sender", unit_id),
        (None, None),
    ]
    assert con.execute("select count(*) from mail_messages where unit_id is null").fetchone() == (
        1,
    )  # unmatched


def test_bombs_passwords_deep_nesting_and_7z_are_listed_not_opened():
    from delegation.mail import Attachment

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("报名表.xlsx", b"\0" * (20 * 1024 * 1024))  # 20 MB of zeros in ≈ 20 KB
    bomb = buffer.getvalue()
    locked = bytearray(_zip({"passport.pdf": b"ciphertext"}))
    for header, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # the encrypted flag, as an
        at = locked.index(header) + flags_at  # encrypting compressor sets it (zipfile cannot)
        locked[at] |= 0x1
    deepest = _zip({"第三层.zip": _zip({"确认函.pdf": b"pdf"})})
    got = [
        unpacked(Attachment(name, data, "application/zip"))
        for name, data in [
            ("bomb.zip", bomb),
            ("locked.zip", bytes(locked)),
            ("outer.zip", _zip({"inner.zip": deepest})),
            ("材料.7z", b"7z\xbc\xaf\x27\x1c rest"),
        ]
    ]
    assert [[(a.name, a.problem and a.problem[0]) for a in found] for found in got] == [
        [("bomb.zip", "the ZIP unpacks to far more than a unit's materials (a zip bomb?)")],
        [("locked.zip", "the ZIP is password-protected; ask the unit for one without a password")],
        [("第三层.zip", "a ZIP inside a ZIP inside a ZIP is not opened")],  # one level deep only
        [("材料.7z", "a RAR or 7z archive cannot be opened; ask the unit for a ZIP")],
    ]
