"""Registration e-mails into the desk (issue 25): `mail import` on saved .eml and mbox files, each
message all or nothing (also under kill -9), assigning an unmatched message, the summary's figures,
and the purge. Messages are built here with the standard library; every value is synthetic."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
from email.message import EmailMessage

from delegation import ROOT
from delegation.db import connect
from delegation.mailbox import assign, import_messages
from tests.conftest import run_cli, write_xlsx
from tests.sample_scans import JPEG, PDF, png


def message(
    subject: str, *, sender: str = "王敏 <wm@jia.example.cn>", mid: str | None = "<m1@jia.example.cn>"
):
    built = EmailMessage()
    built["From"] = sender
    built["To"] = "desk@example.org"
    built["Subject"] = subject
    built["Date"] = "Wed, 15 Mar 2023 10:20:31 +0800"
    if mid:
        built["Message-ID"] = mid
    built.set_content("附件为报名材料。")
    return built


def form_bytes(tmp_path, unit: str, people: list[str], name: str = "报名表.xlsx") -> bytes:
    rows = [["单位名称", "姓名", "护照号码"]]
    base = sum(map(ord, unit)) * 1000  # each unit's own passport numbers
    rows += [[unit, person, f"E{base + n:08d}"] for n, person in enumerate(people)]
    return write_xlsx(tmp_path / name, {"S": rows}).read_bytes()


def with_form(subject: str, form: bytes, **headers) -> EmailMessage:
    built = message(subject, **headers)
    built.add_attachment(form, maintype="application", subtype="octet-stream", filename="报名表.xlsx")
    return built


def test_mail_import_reads_eml_and_mbox_files_once(config, db_path, tmp_path):
    connect(config, db_path).close()
    one = with_form("赴美访问-甲机械有限公司", form_bytes(tmp_path, "甲机械有限公司", ["张伟", "李娜"]))
    one.add_attachment(JPEG, maintype="image", subtype="jpeg", filename="李娜护照.jpg")
    (tmp_path / "one.eml").write_bytes(one.as_bytes())
    two = with_form(
        "Fwd: 赴美访问-乙贸易有限公司", form_bytes(tmp_path, "乙贸易有限公司", ["赵一"]), mid="<m2@b.cn>"
    )
    three = message("会议议程", sender="stranger@else.example", mid="<m3@c.cn>")
    three.add_attachment(b"%PDF-1.4 agenda", maintype="application", subtype="pdf", filename="会议议程.pdf")
    mbox = b"".join(b"From x@y Thu Mar 16 09:00:00 2023\n" + m.as_bytes() + b"\n" for m in (two, three))
    (tmp_path / "saved.mbox").write_bytes(mbox)

    out = run_cli(
        "mail", "import", str(tmp_path / "one.eml"), str(tmp_path / "saved.mbox"), "--db", str(db_path)
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "one.eml: 甲机械有限公司 (by the attached form)",  # a new unit: its form names it
        "  报名表.xlsx — form: 2 rows imported",
        "  李娜护照.jpg — Passport cover page (scan) of 李娜",
        "saved.mbox #1: 乙贸易有限公司 (by the attached form)",
        "  报名表.xlsx — form: 1 row imported",
        "saved.mbox #2: unmatched, for staff to assign",
        "  会议议程.pdf — not matched: the file name names no known document",
    ]
    again = run_cli("mail", "import", str(tmp_path / "one.eml"), "--db", str(db_path))
    assert again.stdout.splitlines() == ["one.eml: imported before; nothing changed."]
    summary = json.loads(run_cli("summary", "--json", "--as-of", "2023-03-20", "--db", str(db_path)).stdout)
    assert (summary["participants"], summary["units"]) == (3, 2)
    assert summary["mail"] == {"messages": 3, "unmatched": 1, "sent": 0}
    con = connect(config, db_path)
    try:
        days = con.execute("select distinct registered_on from participants").fetchall()
        assert days == [(dt.date(2023, 3, 15),)]  # the message's date: the day it was received
        actions = con.execute(
            "select action, count(*) from audit_log where action like 'mail%' group by 1"
        ).fetchall()
        assert actions == [("mail.import", 3)]
    finally:
        con.close()


def test_a_file_that_is_no_message_is_refused_in_one_sentence(config, db_path, tmp_path):
    connect(config, db_path).close()
    form = tmp_path / "报名表.xlsx"
    form.write_bytes(form_bytes(tmp_path, "甲公司", ["张伟"]))
    out = run_cli("mail", "import", str(form), "--db", str(db_path))
    assert out.returncode == 1
    assert out.stderr.strip() == (
        "报名表.xlsx: this is not a saved e-mail (it has no From or Date); save the message as .eml from the mail client."
    )
    missing = run_cli("mail", "import", str(tmp_path / "nothing.eml"), "--db", str(db_path))
    assert (missing.returncode, missing.stderr.strip()) == (1, f"{tmp_path / 'nothing.eml'} is not a file.")


def test_an_inline_image_is_filed_only_when_its_name_names_a_document(con, config, tmp_path):
    built = with_form("赴美访问-甲机械有限公司", form_bytes(tmp_path, "甲机械有限公司", ["张伟"]))
    built.add_attachment(
        png(), maintype="image", subtype="png", filename="张伟护照.png", disposition="inline"
    )
    built.add_attachment(
        png(), maintype="image", subtype="png", filename="image001.png", disposition="inline"
    )
    (report,) = import_messages(
        con, config, [("a.eml", built.as_bytes())], actor="t", documents_dir=tmp_path / "d"
    )
    assert [name for name, _, _ in report.outcomes] == ["报名表.xlsx", "张伟护照.png"]
    assert con.execute("select kind, original_name from documents").fetchall() == [
        ("passport_scan", "张伟护照.png")
    ]


def test_an_unmatched_message_assigned_to_a_unit_has_its_scans_filed_for_it(con, config, tmp_path):
    first = with_form("赴美访问-甲机械有限公司", form_bytes(tmp_path, "甲机械有限公司", ["张伟", "李娜"]))
    import_messages(con, config, [("a.eml", first.as_bytes())], actor="t", documents_dir=tmp_path / "d")
    later = message("补充材料", sender="assistant@other.example", mid="<m9@other.example>")
    later.add_attachment(JPEG, maintype="image", subtype="jpeg", filename="张伟护照.jpg")
    later.add_attachment(PDF, maintype="application", subtype="pdf", filename="附件1回执.pdf")
    (report,) = import_messages(
        con, config, [("b.eml", later.as_bytes())], actor="t", documents_dir=tmp_path / "d"
    )
    assert report.unit_id is None
    assert [en for _, en, _ in report.outcomes] == ["not filed: the message names no unit"] * 2
    unit_id = con.execute("select unit_id from units").fetchone()[0]
    assigned = assign(
        con, config, "<m9@other.example>", unit_id, actor="admin1", documents_dir=tmp_path / "d"
    )
    assert [en for _, en, _ in assigned.outcomes] == [
        "Passport cover page (scan) of 张伟",
        "Registration confirmation, signed and sealed (scan)",
    ]
    assert con.execute(
        "select unit_id, matched_by from mail_messages where message_key = '<m9@other.example>'"
    ).fetchone() == (
        unit_id,
        "staff",
    )
    assert con.execute(
        "select outcome_en from mail_attachments where message_key = '<m9@other.example>' order by position"
    ).fetchall() == [
        ("Passport cover page (scan) of 张伟",),
        ("Registration confirmation, signed and sealed (scan)",),
    ]
    assert sorted(con.execute("select kind from documents").fetchall()) == [
        ("passport_scan",),
        ("registration_confirmation",),
    ]
    assert con.execute("select actor from audit_log where action = 'mail.assign'").fetchall() == [("admin1",)]


def test_a_message_without_a_message_id_is_known_by_its_hash(con, config, tmp_path):
    raw = with_form("赴美访问-甲公司", form_bytes(tmp_path, "甲公司", ["张伟"]), mid=None).as_bytes()
    first, again = (
        import_messages(con, config, [(n, raw)], actor="t", documents_dir=tmp_path / "d")[0]
        for n in ("a", "b")
    )
    assert first.message_key.startswith("sha256:") and again.already
    assert con.execute("select count(*) from participants").fetchone() == (1,)


def test_the_purge_clears_the_kept_messages(con, config, tmp_path):
    from delegation.retention import purge

    built = with_form("赴美访问-甲公司", form_bytes(tmp_path, "甲公司", ["张伟"]))
    import_messages(con, config, [("a.eml", built.as_bytes())], actor="t", documents_dir=tmp_path / "d")
    (stored,) = con.execute("select stored_name from mail_messages").fetchone()
    assert (tmp_path / "d" / stored).is_file()
    after = config.travel_end + dt.timedelta(days=400)
    purge(con, config, after_days=30, today=after, apply=True, documents_dir=tmp_path / "d", actor="admin")
    assert con.execute("select body, sender, stored_name, subject from mail_messages").fetchall() == [
        (None, None, None, "赴美访问-甲公司")
    ]
    assert not (tmp_path / "d" / stored).exists()


KILL_SCRIPT = """
import sys
from pathlib import Path
from delegation.config import load_config
from delegation.db import connect
from delegation.mailbox import import_messages
config = load_config()
con = connect(config, sys.argv[1])
folder = Path(sys.argv[2])
files = [(p.name, p.read_bytes()) for p in sorted(folder.glob("*.eml"))]
for name, raw in files:
    import_messages(con, config, [(name, raw)], actor="t", documents_dir=folder / "docs")
    print(name, flush=True)
"""


def test_kill_9_during_a_mail_import_leaves_each_message_whole_or_absent(config, db_path, tmp_path):
    """Each message brings a unit's form of 60 people (a bulk import) and two scans; the importer
    is killed after the third message is done, in the middle of the next ones."""
    connect(config, db_path).close()
    folder = tmp_path / "mail"
    folder.mkdir()
    for n in range(12):
        unit = f"第{n}号机械有限公司"
        people = [f"员工{n}甲{k}" for k in range(60)]
        built = with_form(
            f"赴美访问-{unit}", form_bytes(tmp_path, unit, people, f"f{n}.xlsx"), mid=f"<k{n}@x.cn>"
        )
        built.add_attachment(JPEG, maintype="image", subtype="jpeg", filename=f"{people[0]}护照.jpg")
        built.add_attachment(PDF, maintype="application", subtype="pdf", filename="回执.pdf")
        (folder / f"{n:02d}.eml").write_bytes(built.as_bytes())
    process = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, str(db_path), str(folder)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    done = [process.stdout.readline() for _ in range(3)]
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert [d.strip() for d in done] == ["00.eml", "01.eml", "02.eml"]
    con = connect(config, db_path)
    try:
        kept = {r[0] for r in con.execute("select message_key from mail_messages").fetchall()}
        assert {"<k0@x.cn>", "<k1@x.cn>", "<k2@x.cn>"} <= kept and len(kept) < 12
        per_unit = dict(
            con.execute(
                "select u.name, count(p.participant_id) from units u left join participants p using (unit_id) group by 1"
            ).fetchall()
        )
        documents = dict(
            con.execute(
                "select u.name, count(*) from documents join units u using (unit_id) group by 1"
            ).fetchall()
        )
        outcomes = con.execute("select count(*) from mail_attachments").fetchone()[0]
        for n in range(12):
            unit = f"第{n}号机械有限公司"
            if f"<k{n}@x.cn>" in kept:  # whole: its 60 people, its two scans, its three outcome lines
                assert (per_unit.get(unit), documents.get(unit)) == (60, 2)
            else:  # absent: nothing of it
                assert (per_unit.get(unit), documents.get(unit)) == (None, None)
        assert outcomes == 3 * len(kept)
    finally:
        con.close()
    rest = run_cli("mail", "import", *[str(p) for p in sorted(folder.glob("*.eml"))], "--db", str(db_path))
    assert rest.returncode == 0, rest.stderr
    assert rest.stdout.count("imported before; nothing changed.") == len(kept)
    con = connect(config, db_path)
    try:
        assert con.execute("select count(*), count(distinct unit_id) from participants").fetchone() == (
            720,
            12,
        )
    finally:
        con.close()
