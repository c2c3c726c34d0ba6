"""The leadership workbook (native charts, no personal data) and the Annex 2 template round trip."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl

from delegation.filters import Filters
from delegation.ingest import import_file
from delegation.workbooks import annex2_template, leadership_workbook, template_columns
from tests.fixtures import load_fixture


def test_leadership_workbook_has_charts_and_no_personal_data(con, config, tmp_path):
    load_fixture(con, config, tmp_path)
    data = leadership_workbook(con, config, Filters(dt.date(2023, 3, 20)), "en")
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert sum(n.startswith("xl/charts/chart") for n in names) == 4
    wb = openpyxl.load_workbook(io.BytesIO(data))
    summary = wb.worksheets[0]
    values = {summary.cell(r, 1).value: summary.cell(r, 2).value for r in range(4, 8)}
    assert values == {
        "Units": 3,
        "Participants": 10,
        "Invitation-letter applicants": 7,
        "Passports too short": 2,
    }
    everything = " ".join(
        str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value
    )
    assert "E9000" not in everything and "1990" not in everything and "甲一" not in everything
    units = wb.worksheets[-1]
    assert [c.value for c in units[1]][:2] == ["Unit", "Province"]  # a unit's name, not a person's
    rows = {r[0]: r[:4] for r in units.iter_rows(min_row=2, values_only=True)}
    assert rows["苏州甲机械有限公司"] == ("苏州甲机械有限公司", "Jiangsu", "Machinery and equipment", 4)
    assert len(rows) == 3


def test_template_is_a_form_with_drop_downs(config):
    wb = openpyxl.load_workbook(io.BytesIO(annex2_template(config)))
    assert wb.sheetnames[0].startswith("填表说明")
    form = wb["报名信息采集表 Annex 2"]
    assert form["B2"].value == "单位名称\nUnit name"
    lists = [v for v in form.data_validations.dataValidation if v.type == "list"]
    dates = [v for v in form.data_validations.dataValidation if v.type == "date"]
    themes_and_cities = len(config.themes) + len(config.cities)
    assert (
        len(lists) == 2 + 1 + 3 + themes_and_cities
    )  # province, sector, gender, three yes/no, one per theme and city
    assert len(dates) == 3


def test_filled_template_imports_exactly(con, config, tmp_path):
    people = [
        {
            "unit_name": "杭州模板测试有限公司",
            "unit_name_en": "Hangzhou Template Test Co., Ltd.",
            "province": "浙江",
            "sector": "新能源",
            "contact_name": "周联系",
            "contact_mobile": "+86 199 0000 0001",
            "contact_email": "c@example.com",
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
            "theme:green_development": "是",
            "theme:two_way_investment": "是",
            "city:los_angeles": "是",
            "city:new_york": "是",
            "wants_arrangements": "否",
        },
        {
            "unit_name": "杭州模板测试有限公司",
            "name": "吴二",
            "gender": "男",
            "position": "工程师",
            "mobile": "01088886666",
            "passport_number": "E90000712",
            "passport_expiry": dt.date(2029, 12, 31),
            "applies_via_chamber": "否",
            "holds_us_visa": "否",
            "theme:e_commerce": "是",
            "city:los_angeles": "是",
            "wants_arrangements": "是",
        },
    ]
    path = tmp_path / "filled.xlsx"
    path.write_bytes(annex2_template(config, people))
    report = import_file(con, config, path, today=dt.date(2023, 3, 1))
    assert (report.rows_read, report.added, report.skipped) == (2, 2, 0)  # the example row is ignored
    assert [i.code for i in report.issues] == []
    got = con.execute(
        "select u.name, u.name_en, p.position_en, u.province, u.sector, u.contact_name, u.contact_mobile, u.contact_email, p.name, p.pinyin_name, "
        "p.gender, p.date_of_birth, p.position, p.mobile, p.email, p.passport_number, p.passport_expiry, "
        "p.applies_via_chamber, p.holds_us_visa, p.us_visa_expiry, p.themes, p.cities, p.wants_arrangements "
        "from participants p join units u using (unit_id) order by p.name"
    ).fetchall()
    assert got == [
        (
            "杭州模板测试有限公司",
            "Hangzhou Template Test Co., Ltd.",
            "General Manager",
            "Zhejiang",
            "new_energy",
            "周联系",
            "+86 199 0000 0001",
            "c@example.com",
            "吴一",
            "WU Yi",
            "F",
            dt.date(1985, 6, 1),
            "总经理",
            "19900000011",
            "w1@example.com",
            "E90000711",
            dt.date(2031, 2, 3),
            True,
            True,
            dt.date(2027, 1, 1),
            ["green_development", "two_way_investment"],
            ["los_angeles", "new_york"],
            False,
        ),
        (
            "杭州模板测试有限公司",
            "Hangzhou Template Test Co., Ltd.",
            None,
            "Zhejiang",
            "new_energy",
            "周联系",
            "+86 199 0000 0001",
            "c@example.com",
            "吴二",
            None,
            "M",
            None,
            "工程师",
            "01088886666",
            None,
            "E90000712",
            dt.date(2029, 12, 31),
            False,
            False,
            None,
            ["e_commerce"],
            ["los_angeles"],
            True,
        ),
    ]
    assert len(template_columns(config)) == 20 + len(config.themes) + len(config.cities) + 1
