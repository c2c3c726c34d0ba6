"""Annex 2 filled in Word: tables read as sheets, merged cells, continued tables, labelled lines,
tick boxes, and the files that cannot be read as a form (each refused in one sentence)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import docx
import pytest

from delegation.errors import DelegationError
from delegation.ingest import import_file
from tests.conftest import table_snapshot

TODAY = dt.date(2023, 3, 20)
HEADER = ["序号", "姓名", "性别", "职务", "护照号码", "是否持有美国签证", "论坛主题"]


def word_form(path, tables, *, above=(), below=(), between=("",), nested=False, text_box=False):
    """A .docx written by python-docx: paragraphs `above`, then each table (lists of rows; a cell
    given as ("text", "down") is merged down over the rows below it that give None, ("text",
    "right") across the next cell), `between` paragraphs between tables, `below` after the last."""
    document = docx.Document()
    document.add_paragraph("附件2 报名信息采集表")
    for line in above:
        document.add_paragraph(line)
    for t, rows in enumerate(tables):
        if t:
            for line in between:
                document.add_paragraph(line)
        width = max(len(r) for r in rows)
        table = document.add_table(rows=len(rows), cols=width)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                text, merge = value if isinstance(value, tuple) else (value, None)
                table.cell(r, c).text = text
                if merge == "down":
                    last = r
                    while last + 1 < len(rows) and rows[last + 1][c] is None:
                        last += 1
                    table.cell(r, c).merge(table.cell(last, c))
                    table.cell(r, c).text = text
                elif merge == "right":
                    table.cell(r, c).merge(table.cell(r, c + 1))
                    table.cell(r, c).text = text
        if nested:
            table.cell(1, 1).add_table(1, 1)
    for line in below:
        document.add_paragraph(line)
    if text_box:  # a text box as Word writes one: w:txbxContent inside a run's drawing
        from docx.oxml import parse_xml

        box = parse_xml(
            '<w:txbxContent xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:p><w:r><w:t>赵六 经理</w:t></w:r></w:p></w:txbxContent>"
        )
        document.paragraphs[0].runs[0]._r.append(box)
    document.save(path)
    return path


def participants(con):
    return con.execute(
        "select p.name, p.gender, p.position, p.passport_number, p.holds_us_visa, p.themes, "
        "p.source_row, u.name from participants p join units u using (unit_id) order by p.source_row"
    ).fetchall()


def test_a_word_form_imports_its_table_and_the_units_lines(con, config, tmp_path):
    path = word_form(
        tmp_path / "甲公司报名表.docx",
        [
            [
                HEADER,
                ["1", "张伟", "☑男 □女", "总经理", "E12345678", "□是 ☑否", "☑绿色发展 □电子商务 ☑农产品贸易"],
                ["2", "李娜", "男□ 女☑", "经理", "E23456789", "是☑ 否□", "□绿色发展 □电子商务"],
                ["3", "", "", "", "", "", ""],  # an empty line of the form: only its number
            ]
        ],
        above=["单位名称（盖章）：甲机械有限公司  所在省份：江苏  所属行业：机械设备"],
        below=["联系人：王敏  电话：13800000001  邮箱：wm@jia.cn", "填表日期：2023-03-15"],
    )
    report = import_file(con, config, path, today=TODAY)
    assert participants(con) == [
        (
            "张伟",
            "M",
            "总经理",
            "E12345678",
            False,
            ["green_development", "agricultural_trade"],
            2,
            "甲机械有限公司",
        ),
        ("李娜", "F", "经理", "E23456789", True, [], 3, "甲机械有限公司"),
    ]
    unit = con.execute(
        "select province, sector, contact_name, contact_mobile, contact_email, registered_on from units"
    ).fetchall()
    assert unit == [
        ("Jiangsu", "machinery_equipment", "王敏", "13800000001", "wm@jia.cn", dt.date(2023, 3, 15))
    ]
    assert [i.code for i in report.issues] == []


def test_merged_cells_a_two_row_header_and_a_table_continued_on_the_next_page(con, config, tmp_path):
    header = ["序号", "单位名称", "姓名", ("论坛主题", "right"), None]
    themes = ["", "", "", "绿色发展", "电子商务"]
    first = [
        [("序号", "down"), ("单位名称", "down"), ("姓名", "down"), ("论坛主题", "right"), None],
        [None, None, None, "绿色发展", "电子商务"],
        ["1", ("乙贸易有限公司", "down"), "赵一", "√", ""],
        ["2", None, "钱二", "", "√"],
    ]
    assert header and themes  # the layout as a reader sees it is asserted below
    again = [  # the next page repeats the header's first row
        [("序号", "down"), ("单位名称", "down"), ("姓名", "down"), ("论坛主题", "right"), None],
        [None, None, None, "绿色发展", "电子商务"],
        ["3", "丙投资有限公司", "孙三", "√", "√"],
    ]
    bare = [["4", "丙投资有限公司", "李四", "", ""]]  # and the page after goes on without a header
    path = word_form(tmp_path / "两页.docx", [first, again, bare])
    import_file(con, config, path, today=TODAY)
    rows = con.execute(
        "select u.name, p.name, p.themes from participants p join units u using (unit_id) order by p.source_row"
    ).fetchall()
    assert rows == [
        ("乙贸易有限公司", "赵一", ["green_development"]),
        ("乙贸易有限公司", "钱二", ["e_commerce"]),
        ("丙投资有限公司", "孙三", ["green_development", "e_commerce"]),
        ("丙投资有限公司", "李四", []),
    ]


def test_a_table_after_a_new_units_lines_is_a_form_of_its_own(tmp_path):
    from delegation.word import read_docx

    path = word_form(
        tmp_path / "two.docx",
        [[HEADER, ["1", "张伟"]], [HEADER, ["1", "李娜"]]],
        above=["单位名称：甲公司"],
        between=["单位名称：乙公司"],
    )
    sheets = read_docx(path.read_bytes())
    assert [(s.name, s.lines_above, s.rows[0]) for s in sheets] == [
        ("表格1", 1, ["单位名称：甲公司"]),
        ("表格2", 1, ["单位名称：乙公司"]),
    ]


def test_nested_tables_and_text_boxes_are_reported_not_read(con, config, tmp_path):
    path = word_form(
        tmp_path / "嵌套.docx",
        [[["序号", "单位名称", "姓名"], ["1", "丁公司", "周五"]]],
        nested=True,
        text_box=True,
    )
    report = import_file(con, config, path, today=TODAY)
    assert [(i.code, i.en) for i in report.issues] == [
        (
            "not_read",
            "sheet '表格1' holds a table inside a cell, which was not read; type its entries into the form's own table.",
        ),
        (
            "not_read",
            "sheet '表格1' is in a document with text boxes, which were not read; type their entries into the table.",
        ),
    ]
    assert participants(con)[0][0] == "周五"


def test_a_yes_no_cell_ticked_twice_is_a_warning(con, config, tmp_path):
    path = word_form(
        tmp_path / "twice.docx",
        [[["序号", "单位名称", "姓名", "是否持有美国签证"], ["1", "戊公司", "吴六", "☑是 ☑否"]]],
    )
    report = import_file(con, config, path, today=TODAY)
    assert [i.zh for i in report.issues] == [
        "工作表“表格1”第 2 行：是否持有美国签证“☑是 ☑否”无法识别，按“否”处理。"
    ]


def _ole(streams: list[str]) -> bytes:
    """Bytes that open like a legacy Office file (OLE magic) naming these streams, as its
    directory does (UTF-16)."""
    return (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + b"".join(s.encode("utf-16-le") for s in streams)
    )


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document/>" + b" " * (300 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "en"),
    [
        (
            "报名表.doc",
            _ole(["WordDocument"]),
            "this is an old Word (.doc) or WPS file; save it as .docx or .xlsx and send it again.",
        ),
        (
            "报名表.docx",
            _ole(["WordDocument"]),
            "this is an old Word (.doc) or WPS file; save it as .docx or .xlsx and send it again.",
        ),
        (
            "报名表.wps",
            _ole(["Contents"]),
            "this is an old Word (.doc) or WPS file; save it as .docx or .xlsx and send it again.",
        ),
        (
            "报名表.et",
            _ole(["Workbook"]),
            "this is a WPS spreadsheet (.et); save it as .docx or .xlsx and send it again.",
        ),
        (
            "报名表.docx",
            _ole(["EncryptionInfo", "EncryptedPackage"]),
            "the Word document is password-protected; save it again without a password.",
        ),
        (
            "报名表.pdf",
            b"%PDF-1.7\n",
            "a PDF or a picture cannot be read as a form (a printed or scanned form has to be typed in); save it as .docx or .xlsx and send it again.",
        ),
        (
            "报名表.xlsx",
            b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
            "a PDF or a picture cannot be read as a form (a printed or scanned form has to be typed in); save it as .docx or .xlsx and send it again.",
        ),
        (
            "报名表.docx",
            bytes(range(256)) * 4,
            "the file is damaged and cannot be opened as a Word document.",
        ),
        (
            "报名表.docx",
            _bomb(),
            "the Word document unpacks to far more data than a form holds (a zip bomb?); it was not opened.",
        ),
    ],
)
def test_what_cannot_be_read_as_a_form_is_refused_in_one_sentence(con, config, tmp_path, name, content, en):
    before = table_snapshot(con)
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DelegationError) as caught:
        import_file(con, config, path, today=TODAY)
    assert caught.value.en == f"{name}: {en}"
    assert caught.value.zh.startswith(f"{name}：") and "\n" not in caught.value.zh
    assert table_snapshot(con) == before


def test_a_filled_word_template_imports_exactly(con, config, tmp_path):
    from delegation.word_template import annex2_docx

    unit = {
        "unit_name": "杭州模板测试有限公司",
        "unit_name_en": "Hangzhou Template Test Co., Ltd.",
        "province": "浙江",
        "sector": "新能源",
        "contact_name": "周联系",
        "contact_mobile": "+86 199 0000 0001",
        "contact_email": "c@example.com",
    }
    people = [
        {
            "name": "吴一",
            "pinyin_name": "WU Yi",
            "gender": "女",
            "date_of_birth": dt.date(1985, 6, 1),
            "position": "总经理",
            "position_en": "General Manager",
            "mobile": "19900000011",
            "email": "w1@example.com",
            "passport_number": "E90000711",
            "passport_expiry": dt.date(2031, 2, 3),
            "applies_via_chamber": "是",
            "holds_us_visa": "是",
            "us_visa_expiry": dt.date(2027, 1, 1),
            "themes": ["绿色发展", "双向投资"],
            "cities": ["洛杉矶", "纽约"],
            "wants_arrangements": "否",
        },
        {
            "name": "吴二",
            "gender": "男",
            "position": "工程师",
            "mobile": "01088886666",
            "passport_number": "E90000712",
            "passport_expiry": dt.date(2029, 12, 31),
            "applies_via_chamber": "否",
            "holds_us_visa": "否",
            "themes": ["电子商务"],
            "cities": ["洛杉矶"],
            "wants_arrangements": "是",
        },
    ]
    path = tmp_path / "filled.docx"
    path.write_bytes(annex2_docx(config, unit, people))
    report = import_file(con, config, path, today=dt.date(2023, 3, 1))
    assert (report.rows_read, report.added, report.skipped) == (2, 2, 0)  # the eight empty rows are blank
    assert [i.code for i in report.issues] == []
    got = con.execute(
        "select u.name, u.name_en, p.position_en, u.province, u.sector, u.contact_name, u.contact_mobile, "
        "u.contact_email, p.name, p.pinyin_name, p.gender, p.date_of_birth, p.position, p.mobile, p.email, "
        "p.passport_number, p.passport_expiry, p.applies_via_chamber, p.holds_us_visa, p.us_visa_expiry, "
        "p.themes, p.cities, p.wants_arrangements from participants p join units u using (unit_id) order by p.name"
    ).fetchall()
    company = ("杭州模板测试有限公司", "Hangzhou Template Test Co., Ltd.")
    contact = ("周联系", "+86 199 0000 0001", "c@example.com")
    assert got == [
        (
            *company, "General Manager", "Zhejiang", "new_energy", *contact, "吴一", "WU Yi", "F",
            dt.date(1985, 6, 1), "总经理", "19900000011", "w1@example.com", "E90000711", dt.date(2031, 2, 3),
            True, True, dt.date(2027, 1, 1), ["green_development", "two_way_investment"],
            ["los_angeles", "new_york"], False,
        ),
        (
            *company, None, "Zhejiang", "new_energy", *contact, "吴二", None, "M", None, "工程师",
            "01088886666", None, "E90000712", dt.date(2029, 12, 31), False, False, None, ["e_commerce"],
            ["los_angeles"], True,
        ),
    ]  # fmt: skip


def test_the_cli_writes_the_word_template(tmp_path):
    from tests.conftest import run_cli

    out = tmp_path / "annex2.docx"
    done = run_cli("template", "--format", "docx", "--out", str(out))
    assert done.returncode == 0 and done.stdout == f"Wrote {out}\n"
    document = docx.Document(str(out))
    header = [c.text for c in document.tables[0].rows[0].cells]
    assert header[:3] == ["序号\nNo.", "姓名\nName", "护照姓名拼音\nName in passport"]
    assert document.tables[0].rows[1].cells[3].text == "□男 □女"  # tick boxes for a choice


def test_a_word_form_in_english(con, config, tmp_path):
    path = word_form(
        tmp_path / "hengda.docx",
        [[["No.", "Name", "Position", "Passport No."], ["1", "CHEN Gang", "General Manager", "E11112222"]]],
        above=[
            "Company: Hengda Machinery Co., Ltd.  Province: Jiangsu  Contact: Chen Xiao  Tel: 0512-66668888"
        ],
    )
    import_file(con, config, path, today=TODAY)
    assert con.execute(
        "select u.name, u.province, u.contact_name, u.contact_mobile, p.name, p.position "
        "from participants p join units u using (unit_id)"
    ).fetchall() == [
        (
            "Hengda Machinery Co., Ltd.",
            "Jiangsu",
            "Chen Xiao",
            "0512-66668888",
            "CHEN Gang",
            "General Manager",
        )
    ]
