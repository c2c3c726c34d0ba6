"""Exports: round trips through calamine and openpyxl, the formula-injection corpus, names, CLI."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile

import duckdb
import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from delegation import ROOT, exports, lists
from delegation.filters import Filters
from tests.conftest import run_cli as cli
from tests.fixtures import fixture_form, load_fixture
from tests.sample_scans import PDF

AS_OF = dt.date(2023, 3, 20)
CORPUS = [
    '=HYPERLINK("http://evil.example","click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "\tTab-led",
    "\rCR-led",
    "\nLF-led",
]


@pytest.fixture
def loaded(con, config, tmp_path):
    load_fixture(con, config, tmp_path)
    con.execute(
        "update participants set mobile = '+86 199 0000 0001', date_of_birth = '1980-04-05' where name = '甲一'"
    )
    return con


def xlsx_rows(data: bytes, sheet: int = 0) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(sheet).to_python()


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel shows Chinese
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_participants_round_trip(loaded, config):
    f = Filters(AS_OF, provinces=("Jiangsu",))
    data = lists.export_bytes("participants", "xlsx", loaded, config, f, "zh", user="tester", show_full=True)
    rows = xlsx_rows(data)
    assert rows[0][:3] == ["单位", "姓名", "拼音"]
    # The registrations page's order: pinyin (jia er, san, si, yi).
    assert [r[1] for r in rows[1:]] == ["甲二", "甲三", "甲四", "甲一"]
    first = dict(zip([h for h in rows[0]], rows[4], strict=True))
    assert first["手机"] == "+86 199 0000 0001" and first["护照号码"] == "E90000101"
    assert first["出生日期"] == dt.date(1980, 4, 5) and first["护照有效期"] == dt.date(2030, 1, 1)
    assert first["论坛主题"] == "绿色发展、电子商务"
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:P5"
    assert (
        sheet["A1"].font.bold and sheet["I2"].data_type == "s" and sheet["J2"].number_format == "yyyy-mm-dd"
    )
    about = dict(xlsx_rows(data, 1))
    # In words, in the header language: the list's name and the filters (not `participants`, `province=Jiangsu`).
    assert about["名单"] == "参团人员名单" and about["筛选条件"] == "省份：江苏"
    assert about["统计截至"] == "2023-03-20" and about["导出人"] == "tester" and about["行数"] == "4"
    as_csv = csv_rows(
        lists.export_bytes("participants", "csv", loaded, config, f, "en", user="t", show_full=True)
    )
    assert as_csv[0][:2] == ["Unit", "Name"] and [r[1] for r in as_csv[1:]] == [
        "甲二",
        "甲三",
        "甲四",
        "甲一",
    ]
    assert as_csv[4][5] == "'+86 199 0000 0001"  # 甲一's: readable, and never a formula


def test_masked_unless_show_full(loaded, config):
    data = lists.export_bytes("participants", "csv", loaded, config, Filters(AS_OF), "en", user="t")
    text = data.decode("utf-8-sig")
    assert "E90000101" not in text and "E*****101" in text and "1980-04-05" not in text


def test_search_and_both_languages(loaded, config):
    rows = csv_rows(
        lists.export_bytes(
            "units", "csv", loaded, config, Filters(AS_OF), "both", user="t", search="xianbing"
        )
    )
    assert rows[0][:2] == ["单位 / Unit", "省份 / Province"]
    assert [r[0] for r in rows[1:]] == ["西安丙新能源有限公司"]
    assert rows[1][3] == "3"


def test_rows_in_the_pages_order(loaded, config):
    f = Filters(AS_OF, provinces=("Jiangsu",))
    data = lists.export_bytes(
        "participants", "csv", loaded, config, f, "en", user="t", sort="passport_expiry", descending=True
    )
    assert [r[1] for r in csv_rows(data)[1:]] == ["甲四", "甲一", "甲二", "甲三"]  # 2031, 2030, 2023, unknown


def test_numbers_stay_numbers(loaded, config):
    rows = xlsx_rows(lists.export_bytes("units", "xlsx", loaded, config, Filters(AS_OF), "en", user="t"))
    assert {r[0]: r[3] for r in rows[1:]}["苏州甲机械有限公司"] == 4.0  # a number cell, not text


@pytest.mark.parametrize("kind", lists.REGISTRY)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_list_exports(loaded, config, kind, fmt):
    data = lists.export_bytes(kind, fmt, loaded, config, Filters(AS_OF), "zh", user="t")
    rows = csv_rows(data) if fmt == "csv" else xlsx_rows(data)
    assert rows[0] and all(isinstance(h, str) and h for h in rows[0])
    # the count written (the audit log's "rows") is the rows in the file: the CSV's one sheet, or
    # every data sheet of the workbook (the about sheet last), and the fixture gives each list some
    written = lists.export(io.BytesIO(), kind, fmt, loaded, config, Filters(AS_OF), "zh", user="t")
    if fmt == "csv":
        assert written == len(rows) - 1
    else:
        count = len(lists.REGISTRY[kind].tables(loaded, config, Filters(AS_OF), "zh"))
        assert written == sum(len(xlsx_rows(data, n)) - 1 for n in range(count)) and written > 0


def test_injection_corpus_yields_no_formula_and_no_hyperlink(loaded, config):
    for i, evil in enumerate(CORPUS):
        loaded.execute(
            "update participants set name = ?, position = ? where participant_id = ?", [evil, evil, i + 1]
        )
    loaded.execute("update units set name = ? where unit_id = 1", [CORPUS[0]])
    loaded.execute("update units set contact_name = ? where unit_id = 2", [CORPUS[1]])
    for kind in lists.REGISTRY:
        data = lists.export_bytes(
            kind, "xlsx", loaded, config, Filters(AS_OF), "en", user="t", show_full=True
        )
        archive = zipfile.ZipFile(io.BytesIO(data))
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name).decode()
                assert "<f>" not in xml and "<f " not in xml, (kind, name)  # no formula anywhere
                assert "<hyperlink" not in xml, (kind, name)  # (the corpus text itself says HYPERLINK)
        assert not any(n.startswith("xl/worksheets/_rels") for n in archive.namelist())
        wb = openpyxl.load_workbook(io.BytesIO(data))
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f"
                    if isinstance(cell.value, str) and cell.value.startswith(tuple("=+-@\t\r\n")):
                        assert cell.quotePrefix, (kind, cell.coordinate, cell.value)
    people = csv_rows(
        lists.export_bytes("participants", "csv", loaded, config, Filters(AS_OF), "en", user="t")
    )
    names = [r[1] for r in people[1:]]
    for evil in CORPUS:
        assert "'" + evil in names
    assert all(not n.startswith(tuple("=+-@\t\r\n")) for r in people[1:] for n in r)


def test_file_names_say_what_is_inside():
    f = Filters(AS_OF, provinces=("Jiangsu",), themes=("green_development",))
    assert (
        exports.file_name("participants", f, "xlsx")
        == "participants_Jiangsu_green-development_2023-03-20.xlsx"
    )


def test_streamlit_table_download_is_off():
    import tomllib

    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert settings["client"]["disableDataExport"] is True


def test_cli_export_and_template(tmp_path):
    db = str(tmp_path / "d.duckdb")
    assert cli("import", str(fixture_form(tmp_path)), "--db", db).returncode == 0
    out = tmp_path / "p.csv"
    done = cli(
        "export",
        "participants",
        "--format",
        "csv",
        "--out",
        str(out),
        "--db",
        db,
        "--as-of",
        "2023-03-20",
        "--province",
        "Shanxi",
        "--lang",
        "en",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Wrote {out} (3 rows)"
    exported = csv_rows(out.read_bytes())
    assert [r[1] for r in exported[1:]] == ["乙二", "乙三", "乙一"]  # pinyin order
    # The pinyin column is filled: the form gave none, so it is made from the Chinese name.
    assert exported[0][2] == "Pinyin" and [r[2] for r in exported[1:]] == ["YI Er", "YI San", "YI Yi"]
    logged = duckdb.connect(db, read_only=True)
    assert logged.execute("select actor, target from audit_log where action = 'export'").fetchall() == [
        ("cli", "list:participants")
    ]  # the command line's exports are logged as the app's are
    logged.close()
    summary = tmp_path / "s.xlsx"
    assert (
        cli("export", "summary", "--out", str(summary), "--db", db, "--as-of", "2023-03-20").returncode == 0
    )
    assert any(n.startswith("xl/charts/") for n in zipfile.ZipFile(summary).namelist())
    for asked in (("--format", "csv"), ("--format", "xlsx"), ()):  # each said what the next one did
        bad = cli("export", "summary", *asked, "--out", str(tmp_path / "s.csv"), "--db", db)
        assert bad.returncode == 1 and not (tmp_path / "s.csv").exists()
        assert (
            bad.stderr.strip()
            == "The leadership summary is a workbook: name --out ….xlsx, without --format csv."
        )
    mixed = cli("export", "units", "--format", "csv", "--out", str(tmp_path / "u.xlsx"), "--db", db)
    assert mixed.returncode == 1 and not (tmp_path / "u.xlsx").exists()
    assert mixed.stderr.strip() == (
        f"--format csv does not match the file name {tmp_path / 'u.xlsx'}; name it .csv or leave --format out."
    )
    named = tmp_path / "u.CSV"  # no --format: the file's ending says which
    assert cli("export", "units", "--out", str(named), "--db", db, "--lang", "en").returncode == 0
    assert csv_rows(named.read_bytes())[0][:2] == ["Unit", "Province"]
    nowhere = cli("export", "units", "--out", str(tmp_path / "no" / "u.xlsx"), "--db", db)
    assert nowhere.returncode == 1 and "does not exist" in nowhere.stderr
    template = tmp_path / "t.xlsx"
    assert cli("template", "--out", str(template)).returncode == 0
    assert openpyxl.load_workbook(template).sheetnames[:2] == [
        "填表说明 Instructions",
        "报名信息采集表 Annex 2",
    ]
    figures = json.loads(cli("summary", "--as-of", "2023-03-20", "--json", "--db", db).stdout)
    assert figures["participants"] == 11  # exports changed nothing


def test_workbooks_made_cell_by_cell_are_safe_too(loaded, config, tmp_path):
    from delegation import batches
    from delegation.documents import attach
    from delegation.workbooks import leadership_workbook

    loaded.execute("update units set name = ? where name = '苏州甲机械有限公司'", [CORPUS[0]])
    loaded.execute("update participants set name = ? where name = '甲四'", [CORPUS[2]])
    unit, jia4 = loaded.execute(
        "select unit_id, participant_id from participants where name = ?", [CORPUS[2]]
    ).fetchall()[0]
    pdf = PDF
    for pid, kind in ((None, "registration_confirmation"), (jia4, "passport_scan")):
        attach(
            loaded,
            config,
            unit_id=unit,
            participant_id=pid,
            kind=kind,
            data=pdf,
            original_name="x.pdf",
            actor="t",
            source="t",
            folder=tmp_path / "docs",
        )
    batches.freeze(loaded, config, "t")
    for data in (
        leadership_workbook(loaded, config, Filters(AS_OF), "en"),
        batches.roster_xlsx(loaded, 1, "en"),
    ):
        wb = openpyxl.load_workbook(io.BytesIO(data))
        cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"]
        evil = [c for c in cells if isinstance(c.value, str) and c.value in CORPUS]
        assert evil and all(c.quotePrefix for c in evil)
