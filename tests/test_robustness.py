"""Bad input gets one clear sentence and changes nothing; crashes lose nothing. Every file is made here."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest

from delegation import ROOT
from delegation.db import connect
from delegation.errors import DelegationError
from delegation.ingest import import_file
from delegation.keys import keyring
from tests.conftest import run_cli, table_snapshot, write_csv, write_xlsx
from tests.test_ingest import ZH_HEADER, zh_row


def _xlsx_bytes(rows) -> bytes:
    out = io.BytesIO()
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(out)
    return out.getvalue()


def _rezip(
    data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None
) -> bytes:
    """A copy of a workbook with some parts replaced or added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, (replace or {}).get(item.filename, source.read(item.filename)))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10 if i > 1 else b"&lol;" * 10)
        for i in range(1, 10)
    )
    + b']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>'
)


def corpus(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """Files that must be refused, with a piece of the sentence that says why."""
    good = _xlsx_bytes([["单位", "姓名"], ["某公司", "张伟"]])
    files = {
        "random.xlsx": (os.urandom(4096), "damaged and cannot be opened as a workbook"),  # by its content
        "random.csv": (b"\x00" + os.urandom(4095), "neither a workbook nor CSV"),
        "zero.xlsx": (b"", "empty"),
        "macro.xlsm": (good, "only .xlsx"),
        "macro_renamed.xlsx": (_rezip(good, add={"xl/vbaProject.bin": b"\x00" * 64}), "macros"),
        "bomb.xlsx": (
            _rezip(
                good,
                replace={"xl/sharedStrings.xml": BOMB},
                add={}
                if "xl/sharedStrings.xml" in zipfile.ZipFile(io.BytesIO(good)).namelist()
                else {"xl/sharedStrings.xml": BOMB},
            ),
            "XML bomb",
        ),
        "header_only.xlsx": (_xlsx_bytes([ZH_HEADER]), "no participant rows"),
        "no_header.xlsx": (
            _xlsx_bytes([["季度", "销售额"], ["Q1", 1]]),
            "no sheet has a recognisable header",
        ),
        "no_unit_column.xlsx": (_xlsx_bytes([["姓名", "性别"], ["张伟", "男"]]), "no column for the unit"),
        "bad_bytes.csv": ("单位,姓名\n".encode() + b"\x81\x20\xff\xfe,x\n", "row 2"),
    }
    # A zip bomb: a tiny file that unpacks to hundreds of megabytes.
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", b"<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\x00" * (300 * 1024 * 1024))
    files["zipbomb.xlsx"] = (bomb.getvalue(), "zip bomb")
    out = {}
    for name, (data, needle) in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        out[name] = (path, needle)
    return out


@pytest.fixture
def existing(con, config, tmp_path):
    import_file(con, config, write_xlsx(tmp_path / "existing.xlsx", {"S": [ZH_HEADER, zh_row(1)]}))
    return con


def test_every_bad_file_is_refused_in_one_sentence_and_changes_nothing(existing, config, tmp_path):
    before = table_snapshot(existing)
    for name, (path, needle) in corpus(tmp_path).items():
        with pytest.raises(DelegationError) as err:
            import_file(existing, config, path)
        assert needle in err.value.en, (name, err.value.en)
        assert err.value.en.startswith(f"{name}:") and err.value.zh.startswith(f"{name}：")
        assert "\n" not in err.value.en and "Traceback" not in err.value.en
        assert table_snapshot(existing) == before, name


def test_the_zip_bomb_is_refused_from_its_directory_and_small(config, tmp_path, con):
    """Refused by the check on the zip directory (sizes and ratio), before anything is unpacked: the
    sentence is that check's, and the desk's own memory stays small. (No time is asserted: speed is
    the bench's, and a loaded machine would make a timing flaky.)"""
    path, _ = corpus(tmp_path)["zipbomb.xlsx"]
    tracemalloc.start()
    with pytest.raises(DelegationError) as refused:
        import_file(con, config, path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "zip bomb" in refused.value.en and peak < 20 * 1024 * 1024


def test_cli_says_one_sentence_for_each_bad_file(tmp_path):
    files = corpus(tmp_path)
    done = run_cli("import", *(str(p) for p, _ in files.values()), "--db", str(tmp_path / "d.duckdb"))
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == len(files) and "Traceback" not in done.stderr
    assert all(any(line.startswith(f"{name}:") for line in lines) for name in files)


def test_a_csv_named_xlsx_is_read_as_csv(con, config, tmp_path):
    path = write_csv(tmp_path / "really_csv.xlsx", [["单位", "姓名"], ["某公司", "张伟"]])
    assert import_file(con, config, path).added == 1


def test_formulas_are_imported_as_saved_values_and_flagged(con, config, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["单位", "姓名", "职务"])
    ws.append(["某公司", "张伟", '=CONCAT("总","经理")'])
    ws.append(["某公司", "李娜", "经理"])
    path = tmp_path / "formula.xlsx"
    wb.save(path)
    # openpyxl stores no saved value; put one in, as Excel would have.
    data = path.read_bytes()
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    saved = "<v>总经理</v>".encode()
    sheet = sheet.replace(b"</f><v></v>", b"</f>" + saved).replace(b'<c r="C2"', b'<c r="C2" t="str"')
    path.write_bytes(_rezip(data, replace={"xl/worksheets/sheet1.xml": sheet}))
    report = import_file(con, config, path)
    assert [(i.row_number, i.code) for i in report.issues] == [(2, "formula")]
    assert con.execute("select name, position from participants order by 1").fetchall() == [
        ("张伟", "总经理"),
        ("李娜", "经理"),
    ]


def test_odd_but_valid_text_is_stored_verbatim(con, config, tmp_path):
    long = "长" * 100_000
    odd = [
        "<script>alert(1)</script>",
        "**粗体** _斜体_",
        "Robert'); DROP TABLE participants;--",
        "a\x07b\x00c",
    ]
    rows = [
        ["单位", "姓名", "职务"],
        ["某公司", long, "经理"],
        *[["某公司", f"人{i}", text] for i, text in enumerate(odd)],
    ]
    import_file(con, config, write_csv(tmp_path / "odd.csv", rows))
    positions = [
        r[0] for r in con.execute("select position from participants order by participant_id").fetchall()
    ]
    assert positions == ["经理", *odd[:3], "abc"]  # control characters dropped, the rest verbatim
    assert con.execute("select length(name) from participants where participant_id = 1").fetchall() == [
        (100_000,)
    ]
    assert con.execute("select count(*) from participants").fetchall() == [(5,)]  # nothing was dropped


def test_ten_thousand_duplicate_rows_make_one_person(con, config, tmp_path):
    rows = [ZH_HEADER, *[zh_row(i) for i in range(10_000)]]
    report = import_file(con, config, write_csv(tmp_path / "dupes.csv", rows))
    assert (report.rows_read, report.added, report.unchanged) == (10_000, 1, 9_999)
    assert con.execute("select count(*) from participants").fetchall() == [(1,)]


def _big_form(tmp_path: Path, n: int) -> Path:
    return write_csv(
        tmp_path / "big.csv",
        [ZH_HEADER, *[zh_row(i, name=f"人{i}", passport=f"E9{i:07d}") for i in range(n)]],
    )


def test_killed_mid_import_leaves_the_database_as_before(config, tmp_path):
    db = tmp_path / "crash.duckdb"
    con = connect(config, db)
    import_file(
        con,
        config,
        write_xlsx(tmp_path / "first.xlsx", {"S": [ZH_HEADER, zh_row(1, name="甲", passport="E91111111")]}),
    )
    keyring(con, create=True)  # as after `init`: the bulk import's snapshot finds the key recorded
    before = table_snapshot(con)
    con.close()
    form = _big_form(tmp_path, 30_000)
    script = (
        "import sys, time\n"
        "from delegation.config import load_config\nfrom delegation.db import connect\n"
        "import delegation.ingest as ingest\nfrom delegation.ingest import storing\n"
        "real = storing.write_import\n"
        "def slow(*a, **k):\n    print('writing', flush=True)\n    time.sleep(30)\n    return real(*a, **k)\n"
        "storing.write_import = slow\n"  # stall inside the transaction, after the rows were written
        f"c = load_config(); con = connect(c, {str(db)!r})\n"
        f"ingest.import_file(con, c, {str(form)!r})\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "writing"  # 30 000 rows inserted, not yet committed
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    con = connect(config, db)
    assert table_snapshot(con) == before
    con.close()


def test_killed_just_after_the_commit_keeps_the_import(config, tmp_path):
    db = tmp_path / "crash2.duckdb"
    form = _big_form(tmp_path, 2_000)
    script = (
        "import time\nfrom delegation.config import load_config\nfrom delegation.db import connect\n"
        "from delegation.ingest import import_file\n"
        f"c = load_config(); con = connect(c, {str(db)!r})\n"
        f"r = import_file(con, c, {str(form)!r})\nprint('committed', r.added, flush=True)\ntime.sleep(30)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().split() == ["committed", "2000"]
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    con = connect(config, db)
    assert con.execute("select count(*) from participants").fetchall() == [(2000,)]
    con.close()
