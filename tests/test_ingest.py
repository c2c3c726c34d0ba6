"""The importer on the forms people really send; every fixture file is written by the test."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import msoffcrypto
import pytest
import xlwt

from delegation.errors import DelegationError
from delegation.ingest import import_file
from delegation.text import match_key
from tests.conftest import table_snapshot, write_csv, write_xlsx

TODAY = dt.date(2023, 3, 25)
ZH_HEADER = [
    "序号",
    "单位名称",
    "省份",
    "行业",
    "姓名",
    "性别",
    "职务",
    "手机",
    "护照号码",
    "护照有效期",
    "是否通过商会办理邀请函",
    "是否持有美国签证",
    "论坛主题",
    "考察城市",
]


def zh_row(n, unit="苏州恒达机械设备有限公司", province="江苏省", name="张伟", passport="E90000001", **kw):
    row = [
        n,
        unit,
        province,
        kw.get("sector", "机械设备"),
        name,
        kw.get("gender", "男"),
        "总经理",
        kw.get("mobile", "19900000001"),
        passport,
        kw.get("expiry", "2030-01-01"),
        kw.get("applies", "是"),
        kw.get("visa", "否"),
        kw.get("themes", "绿色发展"),
        kw.get("cities", "洛杉矶"),
    ]
    return row


def people(con):
    return con.execute(
        "select u.name, u.province, u.sector, p.name, p.gender, p.mobile, p.passport_number, p.passport_expiry, "
        "p.applies_via_chamber, p.holds_us_visa, p.themes, p.cities, p.registered_on "
        "from participants p join units u using (unit_id) order by p.participant_id"
    ).fetchall()


def run(con, config, path, **kw):
    kw.setdefault("today", TODAY)
    return import_file(con, config, path, **kw)


def test_title_rows_merged_cells_blank_rows_and_footer(con, config, xlsx):
    rows = [
        ["附件2：报名信息采集表"],
        ["注：关键信息请反复核对"],
        [],
        ZH_HEADER,
        zh_row(1),
        zh_row(
            2,
            unit=None,
            province=None,
            name="李娜",
            passport="E90000002",
            gender="女",
            themes="电子商务、双向投资",
        ),
        [],
        zh_row(
            3,
            unit="太原晋华环保科技有限公司",
            province="山西",
            name="王强",
            passport="E90000003",
            sector="节能环保",
            expiry="2023/9/30",
        ),
        [],
        ["填表人：赵敏", None, None, "联系电话：19900000099"],
    ]
    report = run(con, config, xlsx(rows, merges=["A1:N1", "B5:B6", "C5:C6", "D5:D6"]))
    assert (report.rows_read, report.added, report.skipped) == (3, 3, 0)
    got = people(con)
    assert [(r[0], r[1], r[2], r[3]) for r in got] == [
        ("苏州恒达机械设备有限公司", "Jiangsu", "machinery_equipment", "张伟"),
        ("苏州恒达机械设备有限公司", "Jiangsu", "machinery_equipment", "李娜"),
        ("太原晋华环保科技有限公司", "Shanxi", "energy_saving_environmental", "王强"),
    ]
    assert got[1][10] == ["e_commerce", "two_way_investment"]
    assert got[2][7] == dt.date(2023, 9, 30)
    assert got[0][12] == TODAY  # no registration date column: the import day
    assert con.execute("select count(*) from units").fetchall()[0][0] == 2


def test_english_headers_and_values(con, config, xlsx):
    header = [
        "Company Name",
        "Province",
        "Industry",
        "Full Name",
        "Sex",
        "Mobile Phone",
        "Passport Number",
        "Passport Expiry Date",
        "Apply for Invitation Letter",
        "Has US Visa",
        "US Visa Expiry",
        "Forum Themes",
        "Cities to Visit",
        "Registration Date",
        "Date of Birth",
        "Pinyin Name",
        "E-mail",
        "Transport and Accommodation",
        "Contact Person",
        "Contact Mobile",
        "Contact Email",
    ]
    row = [
        "Ocean Logistics Co.",
        "Shandong Province",
        "Shipping",
        "孙浩",
        "Male",
        "+86 199 0000 0030",
        "e9 0000030",
        "01 MAY 2032",
        "Yes",
        "Y",
        "2026-01-01",
        "Two-way investment; E-commerce",
        "Los Angeles, San Francisco",
        "2023-03-15",
        "1980.4.5",
        "SUN Hao",
        "p30@example.com",
        "yes",
        "Guo Ting",
        "19900000031",
        "c@example.com",
    ]
    run(con, config, xlsx([header, row]))
    p = con.execute(
        "select name, pinyin_name, gender, mobile, email, date_of_birth, passport_number, passport_expiry, "
        "applies_via_chamber, holds_us_visa, us_visa_expiry, themes, cities, wants_arrangements, registered_on "
        "from participants"
    ).fetchall()
    assert p == [
        (
            "孙浩",
            "SUN Hao",
            "M",
            "+86 199 0000 0030",
            "p30@example.com",
            dt.date(1980, 4, 5),
            "E90000030",
            dt.date(2032, 5, 1),
            True,
            True,
            dt.date(2026, 1, 1),
            ["e_commerce", "two_way_investment"],
            ["los_angeles", "san_francisco"],
            True,
            dt.date(2023, 3, 15),
        )
    ]
    u = con.execute(
        "select name, province, sector, contact_name, contact_mobile, contact_email from units"
    ).fetchall()
    assert u == [("Ocean Logistics Co.", "Shandong", "logistics", "Guo Ting", "19900000031", "c@example.com")]


@pytest.mark.parametrize(
    "header",
    [
        ["护照号", "姓名", "单位"],
        ["Passport No.", "Name", "Unit"],
        ["PASSPORT  NUMBER", "姓名", "企业名称"],
        ["护照编号", "中文姓名", "公司名称"],
        ["ＰａｓｓｐｏｒｔＮｏ．", "Ｎａｍｅ", "Ｃｏｍｐａｎｙ"],
    ],
)
def test_header_variants(con, config, xlsx, header):
    run(con, config, xlsx([header, ["E90000009", "赵敏", "某单位"]]))
    assert con.execute("select passport_number, name from participants").fetchall() == [("E90000009", "赵敏")]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_csv_encodings(con, config, tmp_path, encoding):
    path = write_csv(tmp_path / "f.csv", [ZH_HEADER, zh_row(1, province="陕西省", name="周杰")], encoding)
    run(con, config, path)
    assert [(r[1], r[3]) for r in people(con)] == [("Shaanxi", "周杰")]


def test_big5_text_is_read_as_big5_not_garbled_as_gbk(con, config, tmp_path):
    # Most Big5 bytes are GBK bytes too: 陳大文 was stored as 朝ゅ… without a word.
    rows = [
        ["Unit", "Name", "Position"],
        ["臺灣測試貿易有限公司", "陳大文", "總經理"],
        ["臺灣測試貿易有限公司", "林小華", "經理"],
    ]
    run(con, config, write_csv(tmp_path / "big5.csv", rows, "big5"))
    assert con.execute("select name, position from participants order by name").fetchall() == [
        ("林小華", "經理"),
        ("陳大文", "總經理"),
    ]
    assert con.execute("select name from units").fetchall() == [("臺灣測試貿易有限公司",)]
    hong_kong = [["Unit", "Name"], ["香港測試有限公司", "黃嘅明"]]  # 嘅 is Hong Kong's, not in plain Big5
    run(con, config, write_csv(tmp_path / "hk.csv", hong_kong, "big5hkscs"))
    assert con.execute("select name from participants where name like '黃%'").fetchall() == [("黃嘅明",)]


def test_excel_unicode_text_is_read(con, config, tmp_path):
    # Excel's "Unicode Text (*.txt)": UTF-16 with its byte-order mark, tab-separated. It was refused.
    text = "单位名称\t姓名\t省份\r\n某公司\t孙八\t江苏\r\n"
    path = tmp_path / "f.txt"
    path.write_bytes(b"\xfe\xff" + text.encode("utf-16-be"))
    run(con, config, path)
    assert [(r[0], r[1], r[3]) for r in people(con)] == [("某公司", "Jiangsu", "孙八")]
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"\xff\xfe" + text.encode("utf-16-le")[:-1])  # half a character at the end
    with pytest.raises(DelegationError, match="starts as UTF-16 text but is damaged"):
        run(con, config, broken)


def test_semicolon_csv(con, config, tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("单位;姓名;省份\n某公司;钱七;浙江\n", encoding="utf-8")
    run(con, config, path)
    assert [(r[0], r[1], r[3]) for r in people(con)] == [("某公司", "Zhejiang", "钱七")]


def test_old_xls(con, config, tmp_path):
    book = xlwt.Workbook()
    sheet = book.add_sheet("报名表")
    sheet.write_merge(0, 0, 0, 4, "报名信息采集表")
    for c, h in enumerate(["单位名称", "姓名", "护照号", "护照有效期", "是否需要邀请函"]):
        sheet.write(1, c, h)
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    sheet.write_merge(2, 3, 0, 0, "宁波港通物流有限公司")
    for r, (name, passport) in enumerate([("吴涛", "E90000040"), ("徐静", "E90000041")], start=2):
        sheet.write(r, 1, name)
        sheet.write(r, 2, passport)
        sheet.write(r, 3, dt.date(2029, 1, 31), date_style)
        sheet.write(r, 4, "是")
    path = tmp_path / "form.xls"
    book.save(str(path))
    run(con, config, path)
    got = con.execute(
        "select u.name, p.name, p.passport_expiry, p.applies_via_chamber from participants p join units u using (unit_id) order by 2"
    ).fetchall()
    assert got == [
        ("宁波港通物流有限公司", "吴涛", dt.date(2029, 1, 31), True),
        ("宁波港通物流有限公司", "徐静", dt.date(2029, 1, 31), True),
    ]


def test_every_sheet_with_a_header_is_used(con, config, tmp_path):
    path = write_xlsx(
        tmp_path / "f.xlsx",
        {
            "说明": [["填写说明：请每位参团人员填写一行"]],
            "江苏": [ZH_HEADER, zh_row(1)],
            "山西": [
                ["报名表"],
                ZH_HEADER,
                zh_row(1, unit="太原晋华", province="山西", name="王强", passport="E90000003"),
            ],
        },
    )
    report = run(con, config, path)
    assert report.added == 2
    assert sorted(r[1] for r in people(con)) == ["Jiangsu", "Shanxi"]


# A unit, a name, then one yes/no column per forum theme and visit city.
TICKS_HEADER = [
    "单位",
    "姓名",
    "绿色发展",
    "电子商务",
    "农产品贸易",
    "双向投资",
    "洛杉矶",
    "旧金山",
    "北卡罗来纳",
    "纽约",
]


def test_theme_and_city_yes_no_columns(con, config, xlsx):
    header = TICKS_HEADER
    rows = [
        header,
        ["甲公司", "甲", "√", "", "✓", "否", "是", "", "1", "0"],
        ["甲公司", "乙", "", "", "", "", "Y", "Y", "", ""],
    ]
    run(con, config, xlsx(rows))
    got = con.execute("select name, themes, cities from participants order by participant_id").fetchall()
    assert got == [
        ("甲", ["green_development", "agricultural_trade"], ["los_angeles", "north_carolina"]),
        ("乙", [], ["los_angeles", "san_francisco"]),
    ]


def test_theme_and_city_ticks_that_are_not_yes_or_no_are_reported_on_every_row(con, config, xlsx):
    header = TICKS_HEADER
    same = ["甲公司", "甲", "√", "maybe", "", "", "是", "", "", ""]
    texts = [
        header,
        same,
        [*same[:1], "乙", *same[2:]],  # the same cells as the row above: read once, reported twice
        ["甲公司", None, "", "maybe", "", "", "", "", "", ""],  # skipped for its name, nothing else said
    ]
    numbers = [header, ["甲公司", "丙", "", "", "", "", "", True, 1, 0.0]]  # numbers as ticks
    report = run(con, config, xlsx({"A": texts, "B": numbers}))
    assert [(i.sheet, i.row_number, i.code, i.column, i.en) for i in report.issues] == [
        (
            "A",
            2,
            "bad_yes_no",
            "themes",
            "sheet 'A', row 2: 'maybe' under e_commerce is not yes or no; read as no.",
        ),
        (
            "A",
            3,
            "bad_yes_no",
            "themes",
            "sheet 'A', row 3: 'maybe' under e_commerce is not yes or no; read as no.",
        ),
        ("A", 4, "no_name", "name", "sheet 'A', row 4: no participant name, row skipped."),
    ]
    got = con.execute("select name, themes, cities from participants order by participant_id").fetchall()
    assert got == [
        ("甲", ["green_development"], ["los_angeles"]),
        ("乙", ["green_development"], ["los_angeles"]),
        ("丙", [], ["san_francisco", "north_carolina"]),
    ]


def test_an_unreadable_yes_no_field_is_read_as_no_and_says_so(con, config, xlsx):
    header = ["单位名称", "姓名", "是否通过商会办理邀请函", "是否持有美国签证"]
    run(con, config, xlsx({"A": [header, ["甲公司", "甲", "是", "是"]]}))
    report = run(con, config, xlsx({"A": [header, ["甲公司", "甲", "maybe", "是"]]}))
    assert [(i.code, i.en, i.zh) for i in report.issues] == [
        (
            "bad_yes_no",
            "sheet 'A', row 2: applies for an invitation letter through the chamber 'maybe' cannot be "
            "read; read as no.",
            "工作表“A”第 2 行：是否通过商会办理邀请函“maybe”无法识别，按“否”处理。",
        )
    ]
    # As a blank cell in a yes/no column present in the file does (README, "Identity").
    assert con.execute("select applies_via_chamber, holds_us_visa from participants").fetchall() == [
        (False, True)
    ]


def test_a_known_passport_under_a_new_name_renames_the_person_and_says_so(con, config, xlsx):
    header = ["单位名称", "姓名", "护照号码"]
    run(con, config, xlsx({"A": [[*header, "拼音"], ["甲公司", "甲一", "E90000101", "JIA Yi"]]}))
    report = run(con, config, xlsx({"A": [header, ["甲公司", "甲壹", "E90000101"]]}))
    # It renamed the person with no word (only the audit log showed it), and kept the old match key.
    assert [(i.code, i.column, i.en) for i in report.issues] == [
        (
            "passport_renamed",
            "name",
            "sheet 'A', row 2: this passport number belongs to '甲一', who is now named '甲壹'.",
        )
    ]
    assert con.execute("select name, name_key from participants").fetchall() == [("甲壹", match_key("甲壹"))]
    # The old name's pinyin goes with it (a chase message said "甲壹 (JIA Yi)"); lists make one anew.
    assert con.execute("select pinyin_name from participants").fetchall() == [(None,)]
    again = run(con, config, xlsx({"A": [header, ["甲公司", "甲壹", ""]]}))  # found by the new name
    assert (again.added, again.issues) == (0, [])


def test_two_row_header_with_merged_group(con, config, xlsx):
    rows = [
        ["单位名称", "姓名", "论坛主题", None, None, None, "考察城市", None],
        [None, None, "绿色发展", "电子商务", "农产品贸易", "双向投资", "洛杉矶", "旧金山"],
        ["丙公司", "丙", "√", "√", "", "", "√", ""],
    ]
    run(con, config, xlsx(rows, merges=["A1:A2", "B1:B2", "C1:F1", "G1:H1"]))
    assert con.execute("select name, themes, cities from participants").fetchall() == [
        ("丙", ["green_development", "e_commerce"], ["los_angeles"])
    ]


def test_two_row_header_without_merges(con, config, tmp_path):
    rows = [
        ["单位名称", "姓名", "论坛主题", "", ""],
        ["", "", "绿色发展", "电子商务", "双向投资"],
        ["丁公司", "丁", "", "是", "是"],
    ]
    run(con, config, write_csv(tmp_path / "f.csv", rows))
    assert con.execute("select themes from participants").fetchall() == [
        (["e_commerce", "two_way_investment"],)
    ]


def test_unit_named_in_the_title_area(con, config, xlsx):
    rows = [
        ["单位名称（盖章）：温州瑞丰汽车零部件有限公司", None, None],
        ["省份：", "浙江省"],
        ["姓名", "性别", "护照号码"],
        ["何平", "男", "E90000050"],
    ]
    run(con, config, xlsx(rows))
    assert con.execute(
        "select u.name, u.province, p.name from participants p join units u using (unit_id)"
    ).fetchall() == [("温州瑞丰汽车零部件有限公司", "Zhejiang", "何平")]


def test_blank_columns_and_offset_table(con, config, xlsx):
    rows = [
        [None, None, None],
        [None, None, "单位", None, "姓名", "省份"],
        [None, None, "某单位", None, "林晨", "Fujian"],
    ]
    run(con, config, xlsx(rows))
    assert [(r[0], r[1], r[3]) for r in people(con)] == [("某单位", "Fujian", "林晨")]


def test_rows_without_name_or_unit_are_skipped_and_reported(con, config, xlsx):
    rows = [
        ZH_HEADER,
        zh_row(1),
        zh_row(2, name=None, passport="E90000002"),
        zh_row(3, unit="", name="孤儿", passport="E90000003"),
    ]
    report = run(con, config, xlsx(rows))
    assert (report.rows_read, report.added, report.skipped) == (3, 1, 2)
    issues = con.execute(
        "select file_name, sheet, row_number, severity, code from import_issues where severity = 'error' order by row_number"
    ).fetchall()
    assert issues == [
        ("form.xlsx", "Sheet1", 3, "error", "no_name"),
        ("form.xlsx", "Sheet1", 4, "error", "no_unit"),
    ]
    assert con.execute("select rows_read, rows_added, rows_skipped from imports").fetchall() == [(3, 1, 2)]


def test_warnings_are_reported_without_personal_values(con, config, xlsx):
    rows = [
        ZH_HEADER,
        zh_row(
            1,
            province="亚特兰蒂斯",
            sector="太空旅游",
            passport="X12",
            expiry="明年",
            themes="绿色发展、太空",
        ),
    ]
    report = run(con, config, xlsx(rows))
    codes = sorted(i.code for i in report.issues)
    assert codes == ["bad_date", "passport_format", "unknown_province", "unknown_sector", "unknown_theme"]
    assert con.execute("select sector, sector_as_written from units").fetchall() == [("other", "太空旅游")]
    texts = " ".join(i.en + i.zh for i in report.issues)
    assert "X12" not in texts and "明年" not in texts  # passport data is never echoed
    assert "亚特兰蒂斯" in texts  # a province is not personal data


def test_same_file_twice_changes_nothing(con, config, xlsx):
    path = xlsx([ZH_HEADER, zh_row(1), zh_row(2, name="李娜", passport="E90000002")])
    first = run(con, config, path)
    before = table_snapshot(con)
    second = run(con, config, path)
    assert second.already_imported_at is not None
    assert table_snapshot(con) == before
    forced = run(con, config, path, force=True)
    assert (forced.added, forced.updated, forced.unchanged) == (0, 0, 2)
    after = table_snapshot(con)
    for table in ("units", "participants", "documents"):
        assert after[table] == before[table]
    assert [a for a in after["audit_log"] if a[3] != "import"] == [
        a for a in before["audit_log"] if a[3] != "import"
    ]
    # Each import that ran (not the refused second one) is logged with what it did.
    logged = con.execute(
        "select actor, target, details from audit_log where action = 'import' order by audit_id"
    ).fetchall()
    assert [(actor, target, json.loads(details)) for actor, target, details in logged] == [
        (
            "cli",
            f"import:{report.import_id}",
            {
                "import_id": report.import_id,
                "file": path.name,
                "sha256": first.sha256,
                "rows_read": 2,
                "added": counts[0],
                "updated": 0,
                "unchanged": counts[1],
                "skipped": 0,
            },
        )
        for report, counts in ((first, (2, 0)), (forced, (0, 2)))
    ]
    assert first.import_id != forced.import_id


def test_later_file_updates_the_person_it_names_and_records_the_change(con, config, tmp_path):
    first = write_xlsx(
        tmp_path / "a.xlsx", {"S": [ZH_HEADER, zh_row(1, mobile="19900000001", expiry="2023-10-01")]}
    )
    second = write_xlsx(
        tmp_path / "b.xlsx", {"S": [ZH_HEADER, zh_row(1, mobile="19900000777", expiry="2030-10-01")]}
    )
    run(con, config, first)
    report = run(con, config, second)
    assert (report.added, report.updated) == (0, 1)
    assert con.execute("select mobile, passport_expiry from participants").fetchall() == [
        ("19900000777", dt.date(2030, 10, 1))
    ]
    action, details = con.execute(
        "select action, details from audit_log where action = 'participant.update'"
    ).fetchall()[0]
    change = json.loads(details)
    assert action == "participant.update"
    # Phones are masked in the audit log, which is never purged; the expiry is not personal enough to mask.
    assert change["before"] == {"mobile": "199****0001", "passport_expiry": "2023-10-01"}
    assert change["after"] == {"mobile": "199****0777", "passport_expiry": "2030-10-01"}


def test_blank_cells_in_a_later_file_do_not_erase(con, config, tmp_path):
    run(con, config, write_xlsx(tmp_path / "a.xlsx", {"S": [ZH_HEADER, zh_row(1)]}))
    run(
        con,
        config,
        write_xlsx(
            tmp_path / "b.xlsx",
            {
                "S": [
                    ["单位名称", "姓名", "护照号码", "手机"],
                    ["苏州恒达机械设备有限公司", "张伟", "E90000001", ""],
                ]
            },
        ),
    )
    assert con.execute("select mobile, themes from participants").fetchall() == [
        ("19900000001", ["green_development"])
    ]


def test_identity_by_unit_and_name_without_passport(con, config, tmp_path):
    header = ["单位", "姓名", "职务"]
    run(
        con,
        config,
        write_xlsx(
            tmp_path / "a.xlsx", {"S": [header, ["某公司", "张伟", "经理"], ["另一公司", "张伟", "主任"]]}
        ),
    )
    run(con, config, write_xlsx(tmp_path / "b.xlsx", {"S": [header, ["某 公司", "张伟", "总经理"]]}))
    got = con.execute(
        "select u.name, p.name, p.position from participants p join units u using (unit_id) order by 1"
    ).fetchall()
    assert got == [("另一公司", "张伟", "主任"), ("某公司", "张伟", "总经理")]


def test_passport_added_later_joins_the_same_person(con, config, tmp_path):
    run(con, config, write_xlsx(tmp_path / "a.xlsx", {"S": [["单位", "姓名"], ["某公司", "张伟"]]}))
    run(
        con,
        config,
        write_xlsx(tmp_path / "b.xlsx", {"S": [["单位", "姓名", "护照号"], ["某公司", "张伟", "E90000001"]]}),
    )
    assert con.execute("select name, passport_number from participants").fetchall() == [("张伟", "E90000001")]


@pytest.mark.parametrize("new_people", [0, 5])
def test_matching_is_the_same_whichever_side_crosses_to_the_other(con, config, tmp_path, new_people):
    # 4 stored; a form of 3 rows sends its keys to DuckDB, one of 8 reads the 4 stored keys instead.
    first = [ZH_HEADER, zh_row(1), zh_row(2, name="李娜", passport="E90000002")]
    first += [zh_row(3, name="王芳", passport=None), zh_row(4, name="赵磊", passport="E90000004")]
    run(con, config, write_xlsx(tmp_path / "a.xlsx", {"S": first}))
    second = [
        ZH_HEADER,
        zh_row(1, name="张伟", mobile="19900000777"),  # the same passport
        zh_row(2, name="王芳", passport=None, mobile="19900000888"),  # the same unit and name
        zh_row(3, name="李娜", passport="E90000002", unit="另一公司"),  # the same passport, another unit
    ]
    second += [zh_row(10 + k, name=f"新人{k}", passport=f"E9100000{k}") for k in range(new_people)]
    report = run(con, config, write_xlsx(tmp_path / "b.xlsx", {"S": second}))
    assert (report.added, report.updated, report.unchanged) == (new_people, 3, 0)
    assert [i.code for i in report.issues] == ["passport_moved_unit"]
    assert "under '苏州恒达机械设备有限公司' and is now under '另一公司'" in report.issues[0].en
    assert con.execute(
        "select p.name, u.name, p.mobile from participants p join units u using (unit_id) "
        "where p.participant_id <= 4 order by p.participant_id"
    ).fetchall() == [
        ("张伟", "苏州恒达机械设备有限公司", "19900000777"),
        ("李娜", "另一公司", "19900000001"),
        ("王芳", "苏州恒达机械设备有限公司", "19900000888"),
        ("赵磊", "苏州恒达机械设备有限公司", "19900000001"),
    ]
    assert con.execute("select count(*) from participants").fetchone()[0] == 4 + new_people


def test_a_later_row_of_the_file_changes_the_person_an_earlier_row_added(con, config, xlsx):
    rows = [
        ["单位名称", "姓名", "护照号码", "手机", "职务"],
        ["甲公司", "张伟", "E90000001", "19900000001", "经理"],
        ["乙公司", "李娜", "E90000002", "19900000002", "主任"],
        ["甲公司", "张伟", "E90000001", "19900000009", None],  # a new mobile; a blank position erases nothing
    ]
    report = run(con, config, xlsx(rows))
    assert (report.added, report.updated, report.unchanged) == (2, 1, 0)
    assert con.execute(
        "select name, mobile, position, source_row, registered_on from participants order by participant_id"
    ).fetchall() == [("张伟", "19900000009", "经理", 4, TODAY), ("李娜", "19900000002", "主任", 3, TODAY)]
    # Within one file it is still one new person: no 'participant.update' in the audit log.
    assert (
        con.execute("select count(*) from audit_log where action = 'participant.update'").fetchone()[0] == 0
    )


def test_a_name_matches_a_person_of_the_file_only_while_passports_agree(con, config, xlsx):
    rows = [
        ["单位名称", "姓名", "护照号码"],
        ["甲公司", "张伟", None],  # added without a passport
        ["甲公司", "张伟", "E90000001"],  # the same person by unit and name: now with this passport
        ["甲公司", "张伟", "E90000002"],  # another passport: another 张伟 of the same unit
    ]
    report = run(con, config, xlsx(rows))
    assert (report.added, report.updated) == (2, 1)
    assert con.execute(
        "select name, passport_number from participants order by participant_id"
    ).fetchall() == [
        ("张伟", "E90000001"),
        ("张伟", "E90000002"),
    ]


def test_a_unit_keeps_its_last_rows_values_and_its_earliest_day(con, config, xlsx):
    rows = [
        ["单位名称", "省份", "联系人", "姓名", "报名日期"],
        ["甲公司", "江苏省", "王芳", "张伟", "2023-03-10"],
        ["甲公司", "浙江省", "王芳", "李娜", "2023-03-10"],
        ["甲公司", "江苏省", "王芳", "赵磊", "2023-03-10"],  # back to the first row's values: the last word
        ["甲公司", "江苏省", "王芳", "钱敏", "2023-03-02"],  # the same values on an earlier day
    ]
    run(con, config, xlsx(rows))
    assert con.execute("select province, contact_name, registered_on from units").fetchall() == [
        ("Jiangsu", "王芳", dt.date(2023, 3, 2))
    ]


def test_each_warning_names_the_participant_it_is_about(con, config, xlsx):
    rows = [
        ZH_HEADER,
        zh_row(1),
        zh_row(2, name="李娜", passport="E90000002", province="火星"),
        zh_row(3, name=None),
    ]
    run(con, config, xlsx(rows))
    assert con.execute(
        "select i.row_number, i.code, p.name from import_issues i left join participants p using (participant_id) "
        "order by i.row_number"
    ).fetchall() == [(3, "unknown_province", "李娜"), (4, "no_name", None)]


def test_a_sheet_without_a_column_leaves_that_field_of_a_person_alone(con, config, xlsx):
    first = [
        ["单位名称", "姓名", "护照号码", "是否持有美国签证", "手机"],
        ["甲公司", "张伟", "E90000001", "是", "19900000001"],
    ]
    second = [["单位名称", "姓名", "护照号码", "职务"], ["甲公司", "张伟", "E90000001", "经理"]]
    report = run(con, config, xlsx({"A": first, "B": second}))
    assert (report.added, report.updated) == (1, 1)
    assert con.execute("select holds_us_visa, mobile, position from participants").fetchall() == [
        (True, "19900000001", "经理")
    ]


def test_strict_refuses_the_whole_file(con, config, xlsx):
    path = xlsx([ZH_HEADER, zh_row(1), zh_row(2, name=None)])
    before = table_snapshot(con)
    with pytest.raises(DelegationError, match="strict"):
        run(con, config, path, strict=True)
    assert table_snapshot(con) == before


def test_dry_run_changes_nothing(con, config, xlsx):
    before = table_snapshot(con)
    report = run(con, config, xlsx([ZH_HEADER, zh_row(1)]), dry_run=True)
    assert report.added == 1
    assert table_snapshot(con) == before


def _encrypted_xlsx(tmp_path, plain):
    out = io.BytesIO()
    with plain.open("rb") as f:
        office = msoffcrypto.OfficeFile(f)
        office.encrypt("secret", out)
    path = tmp_path / "locked.xlsx"
    path.write_bytes(out.getvalue())
    return path


@pytest.mark.parametrize(
    ("kind", "needle"),
    [
        ("corrupt", "damaged"),
        ("empty", "empty"),
        ("no_header", "header"),
        ("password", "password"),
        ("zip", "not an Excel workbook"),
        ("header_only", "no participant rows"),
        ("suffix", "only .xlsx"),
    ],
)
def test_unreadable_files_are_refused_and_change_nothing(con, config, tmp_path, xlsx, kind, needle):
    run(con, config, xlsx([ZH_HEADER, zh_row(1)], name="existing.xlsx"))
    before = table_snapshot(con)
    if kind == "corrupt":
        path = tmp_path / "bad.xlsx"
        path.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)
    elif kind == "empty":
        path = tmp_path / "empty.xlsx"
        path.write_bytes(b"")
    elif kind == "no_header":
        path = xlsx([["季度", "销售额"], ["Q1", 100]], name="sales.xlsx")
    elif kind == "password":
        path = _encrypted_xlsx(
            tmp_path, xlsx([ZH_HEADER, zh_row(9, name="钱七", passport="E90000009")], name="plain.xlsx")
        )
    elif kind == "zip":
        import zipfile

        path = tmp_path / "archive.xlsx"
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("readme.txt", "hello")
    elif kind == "header_only":
        path = xlsx([ZH_HEADER], name="header.xlsx")
    else:
        path = tmp_path / "form.json"
        path.write_bytes(b'{"name": "x"}')
    with pytest.raises(DelegationError) as err:
        run(con, config, path)
    assert needle in err.value.en
    assert err.value.zh and err.value.zh != err.value.en
    assert "\n" not in err.value.en
    assert table_snapshot(con) == before


def test_csv_that_is_really_a_workbook_is_read_as_one(con, config, tmp_path):
    real = write_xlsx(tmp_path / "real.xlsx", {"S": [ZH_HEADER, zh_row(1)]})
    disguised = tmp_path / "form.csv"
    disguised.write_bytes(real.read_bytes())
    run(con, config, disguised)
    assert len(people(con)) == 1


def test_csv_in_an_unknown_encoding_names_the_row(con, config, tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes("单位,姓名\n".encode() + "某公司,张伟\n".encode() + b"\x81\x20\xff\xfe,x\n")
    with pytest.raises(DelegationError, match="row 3"):
        run(con, config, path)


def test_file_over_the_size_limit(con, config, tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"a" * (config.max_import_file_mb * 1024 * 1024 + 1))
    with pytest.raises(DelegationError, match="limit"):
        run(con, config, path)


def test_example_and_repeated_header_rows_are_ignored(con, config, xlsx):
    rows = [
        ZH_HEADER,
        ["示例", "某某有限公司", "江苏", "机械", "张三"],
        zh_row(1),
        ZH_HEADER,
        zh_row(2, name="李娜", passport="E90000002"),
    ]
    report = run(con, config, xlsx(rows))
    assert (report.rows_read, report.added, report.skipped) == (2, 2, 0)


def test_numbers_typed_as_numbers_stay_text(con, config, xlsx):
    run(con, config, xlsx([["单位", "姓名", "手机", "护照号"], ["某公司", "张伟", 13812345678, "E90000001"]]))
    assert con.execute("select mobile from participants").fetchall() == [("13812345678",)]


def test_unit_moving_is_reported(con, config, tmp_path):
    run(con, config, write_xlsx(tmp_path / "a.xlsx", {"S": [ZH_HEADER, zh_row(1)]}))
    report = run(con, config, write_xlsx(tmp_path / "b.xlsx", {"S": [ZH_HEADER, zh_row(1, unit="新公司")]}))
    assert [i.code for i in report.issues] == ["passport_moved_unit"]
    assert con.execute("select u.name from participants p join units u using (unit_id)").fetchall() == [
        ("新公司",)
    ]


def test_a_form_is_read_in_a_worker_and_gives_what_reading_it_here_gives(config, xlsx):
    from delegation.ingest import read_form, read_form_here

    form = xlsx([ZH_HEADER, zh_row(1), zh_row(2, name="李娜", passport="E90000002")])
    there = read_form(config, form, today=dt.date(2023, 3, 20))
    here = read_form_here(config, form, today=dt.date(2023, 3, 20), file_name=form.name)
    assert there == here and len(there.rows.participant["name"]) == 2


def test_a_refusal_from_the_worker_is_the_readers_sentence_and_leaves_no_cycles(config, xlsx):
    """`python -m delegation import` runs without the cyclic collector: a refusal handed back from
    the worker keeps nothing alive that only the collector could free."""
    import gc

    from delegation.ingest import read_form

    broken = xlsx([], name="broken.xlsx")
    broken.write_bytes(b"PK\x03\x04" + bytes(200_000))  # a zip header and nothing a zip holds
    read_form(
        config, xlsx([["单位", "姓名"], ["某公司", "张伟"]]), today=dt.date(2023, 3, 20)
    )  # the worker is warm
    gc.collect()
    gc.disable()
    try:
        try:
            read_form(config, broken, today=dt.date(2023, 3, 20))
        except DelegationError as exc:
            message = exc.message("en")
        left = gc.collect()
    finally:
        gc.enable()
    assert message == "broken.xlsx: the file is damaged and cannot be opened as a workbook." and left == 0


def test_an_import_leaves_the_cyclic_collector_alone(con, config, xlsx, monkeypatch):
    """No process-wide switch: the collector runs through an import (the Streamlit server shares
    it with every session) and through the reader's parse."""
    import gc

    from delegation import ingest, sandbox
    from delegation.ingest import reading

    seen = []
    for module, name in ((sandbox, "begin_read_form"), (reading, "parse_sheets")):
        original = getattr(module, name)

        def spy(*args, _original=original, **kwargs):
            seen.append(gc.isenabled())
            return _original(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)
    run(con, config, xlsx([["单位", "姓名"], ["某公司", "张伟"]]))
    form = ingest.read_form_here(
        config,
        xlsx([["单位", "姓名"], ["某公司", "李娜"]], name="b.xlsx"),
        today=dt.date(2023, 3, 20),
        file_name="b.xlsx",
    )
    assert seen == [True, True] and gc.isenabled() and len(form.rows) == 1


def test_an_import_leaves_no_cycles_for_the_collector(con, config, xlsx):
    """An import, however big, leaves next to nothing that only the cyclic collector could free."""
    import gc

    rows = [ZH_HEADER] + [
        zh_row(
            n,
            unit=f"单位{n % 40}",
            name=f"张{n}",
            passport=f"E9{n % 250:07d}",
            province="火星" if n % 7 else "江苏",
        )
        for n in range(1, 401)
    ]  # 400 rows: updates (passports repeat), unknown provinces (warnings), 40 units
    form, part = xlsx(rows), xlsx(rows[:200], name="again.xlsx")  # openpyxl's own cycles go first
    gc.collect()
    gc.disable()
    try:
        first = run(con, config, form)
        again = run(con, config, part)
        left = gc.collect()
    finally:
        gc.enable()
    assert first.added == 250 and first.updated == 150 and first.warnings > 300
    assert again.added == 0 and again.updated + again.unchanged == 199 and again.updated > 100
    assert left < 20  # a few objects from caught exceptions, never some per row


def test_a_second_column_for_the_same_field_is_reported_not_dropped_silently(con, config, xlsx):
    header = ["单位名称", "姓名", "手机", "护照号码", "Mobile", "备注", "Name"]
    rows = [
        ["附件2"],
        header,
        ["恒达", "张伟", "19900000001", "E90000001", "19900000009", "", ""],
        ["恒达", "李娜", "19900000002", "E90000002", "", "", ""],
    ]
    quiet = [rows[0], header, rows[3], header, ["示例", "王五", "", "", "19900000008"]]  # no one's value
    assert run(con, config, xlsx(quiet, name="quiet.xlsx")).issues == []
    report = run(con, config, xlsx(rows))
    assert [(i.row_number, i.code, i.severity, i.en) for i in report.issues] == [
        (
            2,
            "repeated_column",
            "warning",
            "sheet 'Sheet1', row 2: column E ('Mobile') is the same field as column C; "
            "only column C was imported.",
        )
    ]  # the empty second Name column (G) goes unmentioned
    assert report.issues[0].zh == (
        "工作表“Sheet1”第 2 行：第 E 列（“Mobile”）与第 C 列是同一字段；只导入了第 C 列。"
    )
    assert con.execute("select name, mobile from participants order by mobile").fetchall() == [
        ("张伟", "19900000001"),
        ("李娜", "19900000002"),
    ]


def test_a_phone_without_a_digit_is_reported_and_left_empty(con, config, xlsx):
    header = ["单位名称", "姓名", "手机", "联系人手机"]
    rows = [
        header,
        ["恒达", "张伟", "phone", "见上"],
        ["恒达", "李娜", "＋86 199-0000 0002", "19900000003"],
    ]
    report = run(con, config, xlsx(rows))
    assert [(i.row_number, i.column, i.code, i.en) for i in report.issues] == [
        (
            2,
            "contact_mobile",
            "bad_phone",
            "sheet 'Sheet1', row 2: the contact's mobile cannot be read; left empty.",
        ),
        (2, "mobile", "bad_phone", "sheet 'Sheet1', row 2: mobile cannot be read; left empty."),
    ]
    assert "phone" not in " ".join(i.en + i.zh for i in report.issues[1:])  # personal: not repeated
    assert con.execute("select name, mobile from participants order by name").fetchall() == [
        ("张伟", None),
        ("李娜", "+86 199-0000 0002"),
    ]
    assert con.execute("select contact_mobile from units").fetchall() == [("19900000003",)]


def test_an_impossible_birth_date_is_kept_with_a_warning(con, config, xlsx):
    rows = [
        ["单位名称", "姓名", "出生日期"],
        ["恒达", "张伟", "2080-04-05"],
        ["恒达", "李娜", "1980-04-05"],
        ["恒达", "王芳", "1903-03-24"],  # 120 years and a day before the import
        ["恒达", "赵磊", TODAY.isoformat()],
        ["恒达", "钱八", "1903-03-25"],  # 120 years to the day: possible
    ]
    report = run(con, config, xlsx(rows))
    assert [(i.row_number, i.code) for i in report.issues] == [
        (2, "unlikely_birth_date"),
        (4, "unlikely_birth_date"),
    ]
    assert report.issues[0].en == (
        "sheet 'Sheet1', row 2: the date of birth is in the future or more than 120 years ago; kept, please check it."
    )
    assert "2080" not in report.issues[0].en + report.issues[0].zh
    assert con.execute("select date_of_birth from participants where name = '张伟'").fetchone() == (
        dt.date(2080, 4, 5),
    )


def test_a_hidden_sheet_is_left_out_and_said(con, config, tmp_path):
    import openpyxl

    def workbook(states: dict[str, str]) -> Path:
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        for n, (title, state) in enumerate(states.items(), start=1):
            ws = wb.create_sheet(title)
            if state == "notes":  # Excel keeps one sheet visible: here one without a form
                ws.append(["填表说明：请在下一张表填写"])
                continue
            if state == "contacts":  # people, but no unit
                ws.append(["Name", "Mobile"])
                ws.append(["Li Na", "19900000002"])
                continue
            ws.append(["单位名称", "姓名"])
            ws.append(["恒达", f"张{n}"])
            ws.sheet_state = state
        path = tmp_path / f"{len(states)}.xlsx"
        wb.save(path)
        return path

    report = run(con, config, workbook({"报名表": "visible", "旧版": "hidden", "底稿": "veryHidden"}))
    assert [(i.sheet, i.row_number, i.code) for i in report.issues] == [
        ("旧版", None, "hidden_sheet"),
        ("底稿", None, "hidden_sheet"),
    ]
    assert report.issues[0].en == (
        "sheet '旧版' is hidden in the workbook and was not imported; "
        "unhide it in Excel and import again if it belongs to the form."
    )
    assert con.execute("select name from participants").fetchall() == [("张1",)]
    before = table_snapshot(con)
    with pytest.raises(DelegationError) as refused:
        run(con, config, workbook({"说明": "notes", "旧版": "hidden"}))
    assert (
        refused.value.en
        == "2.xlsx: the form is on a hidden sheet ('旧版'); unhide it in Excel and import again."
    )
    with pytest.raises(DelegationError) as refused:  # not "no column for the unit"
        run(con, config, workbook({"联系人": "contacts", "旧版": "hidden"}))
    assert refused.value.en.endswith(
        "the form is on a hidden sheet ('旧版'); unhide it in Excel and import again."
    )
    assert table_snapshot(con) == before


def test_the_size_limit_is_named_as_configured(tmp_path, config):
    from delegation import sheets

    big = tmp_path / "big.csv"
    big.write_bytes(b"a," * (config.max_import_bytes // 2 + 52_428))  # just under 20.1 MB of 2^20 bytes
    with pytest.raises(DelegationError) as refused:
        sheets.read_sheets(big, config)
    assert refused.value.en == "big.csv: the file is 20.1 MB, more than the limit of 20 MB."
    assert config.max_import_bytes == 20 * 2**20  # the configured 20 of event.toml
    big.write_bytes(b"a" * (config.max_import_bytes + 1))  # one byte over never reads as the limit
    with pytest.raises(DelegationError, match=r"the file is 20\.1 MB, more than the limit of 20 MB"):
        sheets.read_sheets(big, config)


def test_a_sheet_without_a_unit_column_beside_a_form_is_left_out_with_a_warning(con, config, xlsx):
    # A contacts sheet (Name, Mobile) beside the form refused the whole workbook.
    form = {
        "报名表": [["单位名称", "姓名", "手机"], ["恒达", "张伟", "19900000001"]],
        "联系人": [["Name", "Mobile"], ["Li Na", "19900000002"]],
    }
    report = run(con, config, xlsx(form))
    assert [(i.sheet, i.row_number, i.code, i.en) for i in report.issues] == [
        (
            "联系人",
            None,
            "no_unit_column",
            "sheet '联系人' names people but has no column for the unit (单位名称 / Unit name); it was not imported.",
        )
    ]
    assert report.rows_read == 1 and report.added == 1
    assert con.execute("select name from participants").fetchall() == [("张伟",)]
    with pytest.raises(DelegationError, match="sheet '联系人' has no column for the unit"):
        run(con, config, xlsx({"联系人": form["联系人"]}, name="only.xlsx"))  # alone it is refused, as before


def test_the_birth_date_bound_on_29_february(con, config, xlsx):
    # 120 years before 2020-02-29 is a year without a 29 February: the bound is the 28th.
    rows = [["单位名称", "姓名", "出生日期"], ["恒达", "张伟", "1900-02-28"], ["恒达", "李娜", "1900-02-27"]]
    report = run(con, config, xlsx(rows), today=dt.date(2020, 2, 29))
    assert [(i.row_number, i.code) for i in report.issues] == [(3, "unlikely_birth_date")]


# ---- a unit's contact and the form's date, written in the lines above and below the table ------


@pytest.mark.parametrize(
    "above, below, expected",
    [
        # "填表人：王敏　联系电话：…" in the footer, full-width space between the two, and the form's date
        (
            [],
            [["填表人：王敏　联系电话：025-88881234"], ["填表日期：2023年3月28日"]],
            ("王敏", "025-88881234", None, dt.date(2023, 3, 28)),
        ),
        # three on one line at the top, the value of a label in the next cell, a date on its own
        (
            [["联系人：李雷  手机：19900000008  邮箱：li@example.com"], ["日期：", "2023-03-27"]],
            [],
            ("李雷", "19900000008", "li@example.com", dt.date(2023, 3, 27)),
        ),
        # in English, in separate cells of the footer row
        ([], [["Contact: Li Lei", None, "Tel: 010-12345678"]], ("Li Lei", "010-12345678", None, TODAY)),
        # a sealed unit's name and its province above: still read as before
        (
            [
                ["单位名称（盖章）：苏州恒达机械设备有限公司 所在省份：江苏省"],
                ["Prepared by: Wang Min  E-mail: w@example.com"],
            ],
            [],
            ("Wang Min", None, "w@example.com", TODAY),
        ),
    ],
)
def test_a_forms_contact_lines_fill_the_units_contact(con, config, xlsx, above, below, expected):
    header = ["单位名称", "姓名", "职务"]
    rows = [*above, header, ["苏州恒达机械设备有限公司", "张伟", "总经理"], *below]
    report = import_file(con, config, xlsx(rows), today=TODAY)
    assert report.skipped == 0 and not [
        i for i in report.issues if i.severity == "error"
    ]  # no footer as a person
    got = con.execute(
        "select u.contact_name, u.contact_mobile, u.contact_email, p.registered_on "
        "from units u join participants p using (unit_id)"
    ).fetchall()
    assert got == [expected]


def test_two_forms_that_disagree_on_the_contact_are_warned_of(con, config, xlsx):
    header = ["单位名称", "姓名"]
    import_file(
        con, config, xlsx([header, ["甲公司", "张伟"], ["联系人：王敏　电话：025-88881234"]], name="a.xlsx")
    )
    report = import_file(
        con, config, xlsx([header, ["甲公司", "李娜"], ["联系人：李雷　电话：025-88881234"]], name="b.xlsx")
    )
    assert [(i.code, i.column) for i in report.issues] == [("contact_changed", "contact_name")]
    assert "甲公司" in report.issues[0].zh and "025" not in report.issues[0].en  # no phone in a warning
    assert con.execute("select contact_name from units").fetchall() == [("李雷",)]  # the later one kept
    assert [c.line("zh") for c in report.changes] == ["单位 甲公司：联系人 王敏 → 李雷"]


# ---- several forms at once: applied in the order of their dates, every change named -----------


def _original_and_correction(tmp_path: Path) -> tuple[Path, Path]:
    header = ["单位名称", "姓名", "职务", "手机"]
    original = write_xlsx(
        tmp_path / "附件2报名表.xlsx",
        {
            "S": [
                header,
                ["苏州恒达机械设备有限公司", "王强", "工程师", "19900000001"],
                ["苏州恒达机械设备有限公司", "李娜", "经理", "19900000002"],
                ["填表日期：2023-03-20"],
            ]
        },
    )
    correction = write_xlsx(
        tmp_path / "补充报名-王强.xlsx",
        {"S": [header, ["苏州恒达机械设备有限公司", "王强", "总工程师", ""], ["填表日期：2023年3月28日"]]},
    )
    return original, correction


def test_forms_given_together_apply_in_the_order_of_their_dates(con, config, tmp_path):
    from delegation.ingest import import_files

    original, correction = _original_and_correction(tmp_path)
    # The browser's alphabetical order put the correction (补) before the original (附).
    results = import_files(
        con, config, [(correction, correction.name), (original, original.name)], today=TODAY
    )
    assert [name for name, _ in results] == [original.name, correction.name]
    first, second = (r for _, r in results)
    assert (first.form_day, second.form_day) == (dt.date(2023, 3, 20), dt.date(2023, 3, 28))
    assert con.execute("select name, position, registered_on from participants order by name").fetchall() == [
        ("李娜", "经理", dt.date(2023, 3, 20)),
        ("王强", "总工程师", dt.date(2023, 3, 20)),  # corrected; registered the day the original came
    ]
    # The report names each person and field the correction changed, from → to.
    assert [c.line("zh") for c in second.changes] == [
        "王强（苏州恒达机械设备有限公司）：职务 工程师 → 总工程师"
    ]
    assert [c.line("en") for c in second.changes] == [
        "王强 (苏州恒达机械设备有限公司): position 工程师 → 总工程师"
    ]
    # The original had just set that value: a conflict for staff to settle.
    conflicts = [i for i in second.issues if i.code == "conflict"]
    assert [(i.column, i.row_number) for i in conflicts] == [("position", 2)]
    assert conflicts[0].zh == (
        "工作表“S”第 2 行：王强的职务在“附件2报名表.xlsx”（2023-03-20）中为“工程师”，在“补充报名-王强.xlsx”"
        "（2023-03-28）中为“总工程师”；已采用较晚的报名表，请核对哪个正确。"
    )
    assert first.changes == [] and not first.issues  # the original only added people
    stored = con.execute("select code, column_name from import_issues where code = 'conflict'").fetchall()
    assert stored == [("conflict", "position")]


def test_forms_without_a_date_keep_the_order_given(con, config, xlsx):
    from delegation.ingest import import_files

    a = xlsx([["单位名称", "姓名", "职务"], ["甲公司", "张伟", "经理"]], name="a.xlsx")
    b = xlsx([["单位名称", "姓名", "职务"], ["甲公司", "张伟", "总经理"]], name="b.xlsx")
    dated = xlsx(
        [["单位名称", "姓名", "职务"], ["甲公司", "张伟", "董事长"], ["日期：2023-03-01"]], name="c.xlsx"
    )
    results = import_files(con, config, [(b, "b.xlsx"), (a, "a.xlsx"), (dated, "c.xlsx")], today=TODAY)
    # The dated form first; the undated ones register on the import day, in the order given.
    assert [name for name, _ in results] == ["c.xlsx", "b.xlsx", "a.xlsx"]
    assert con.execute("select position from participants").fetchall() == [("经理",)]


def test_the_cli_applies_forms_in_the_order_of_their_dates_and_names_each_change(tmp_path):
    from tests.conftest import run_cli

    original, correction = _original_and_correction(tmp_path)
    db = tmp_path / "cli.duckdb"
    result = run_cli("import", str(correction), str(original), "--db", str(db))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "Applied in the order of the forms' dates: 附件2报名表.xlsx (2023-03-20), 补充报名-王强.xlsx (2023-03-28)."
    )
    summaries = [line for line in lines[1:] if not line.startswith("  ")]
    assert summaries[0].startswith("附件2报名表.xlsx: 2 rows read, 2 added")
    assert summaries[1].startswith("补充报名-王强.xlsx: 1 rows read, 0 added, 1 updated")
    days = "  Registration days: the form's own (its registration date or submission time)."
    assert lines[2] == days and lines[lines.index(summaries[1]) + 1] == days
    assert "  changed: 王强 (苏州恒达机械设备有限公司): position 工程师 → 总工程师" in lines
    assert any(
        line.startswith("  warning: sheet 'S', row 2: 王强's position was set to '工程师'") for line in lines
    )


def test_a_change_is_named_in_words_not_stored_keys(con, config, xlsx):
    header = ["单位名称", "省份", "姓名", "性别", "论坛主题", "是否通过商会办理邀请函"]
    import_file(
        con, config, xlsx([header, ["甲公司", "江苏", "张伟", "男", "绿色发展", "否"]], name="a.xlsx")
    )
    report = import_file(
        con,
        config,
        xlsx([header, ["甲公司", "浙江", "张伟", "女", "电子商务、双向投资", "是"]], name="b.xlsx"),
    )
    assert sorted(c.line("zh", config) for c in report.changes) == sorted(
        [
            "张伟（甲公司）：性别 男 → 女",
            "张伟（甲公司）：论坛主题 绿色发展 → 电子商务、双向投资",
            "张伟（甲公司）：是否通过商会办理邀请函 否 → 是",
            "单位 甲公司：省份 江苏 → 浙江",
        ]
    )
    assert "张伟 (甲公司): gender Male → Female" in [c.line("en", config) for c in report.changes]


def test_an_uploaded_files_name_is_made_safe_before_it_is_written_or_shown(con, config, tmp_path):
    from delegation.ingest import import_uploads
    from tests.sample_forms import gbk_csv

    gbk_csv(tmp_path / "form.csv")
    data = (tmp_path / "form.csv").read_bytes()
    results = import_uploads(
        con,
        config,
        [("../../etc/报名表\u202e.csv", data), ("CON.csv", b"\x00\x01 not a form")],
        actor="test",
    )
    names = [name for name, _ in results]
    assert names == ["_CON.csv", "报名表.csv"]  # the refused file first, as read
    assert results[0][1].en.startswith("_CON.csv: ")
    assert con.execute("select file_name from imports").fetchall() == [("报名表.csv",)]


def test_a_file_over_the_limit_is_refused_before_it_is_read(config, tmp_path, monkeypatch):
    import dataclasses
    from pathlib import Path

    from delegation import ingest

    big = tmp_path / "big.xlsx"
    big.write_bytes(b"PK\x03\x04" + b"\0" * (2 * 1024 * 1024))
    small = dataclasses.replace(config, max_import_file_mb=1)
    reads = []
    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self.name) or original(self))
    with pytest.raises(DelegationError) as refused:
        ingest.read_form_here(small, big, today=dt.date(2023, 3, 20), file_name="big.xlsx")
    assert refused.value.en == "big.xlsx: the file is 2.1 MB, more than the limit of 1 MB." and reads == []


def test_a_form_is_read_from_disk_once(config, tmp_path, monkeypatch):
    from pathlib import Path

    from delegation import ingest

    form = write_xlsx(tmp_path / "form.xlsx", {"Sheet1": [["单位名称", "姓名"], ["某公司", "张伟"]]})
    reads = []
    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self.name) or original(self))
    read = ingest.read_form_here(config, form, today=dt.date(2023, 3, 20), file_name=form.name)
    assert reads == [form.name] and read.size_bytes == form.stat().st_size and read.rows_read > 0
