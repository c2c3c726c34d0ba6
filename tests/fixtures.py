"""A small, hand-counted registration set used by the summary, query, CLI and app tests."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import write_xlsx

HEADER = [
    "单位名称",
    "省份",
    "行业",
    "姓名",
    "护照号码",
    "护照有效期",
    "是否通过商会办理邀请函",
    "论坛主题",
    "考察城市",
    "报名日期",
    "是否持有美国签证",
]
HOLDS_VISA = {"甲一", "乙一", "丙一"}  # 丙一 does not apply through the chamber, so owes no visa scan
ROWS = [
    [
        "苏州甲机械有限公司",
        "江苏省",
        "机械设备",
        "甲一",
        "E90000101",
        "2030-01-01",
        "是",
        "绿色发展、电子商务",
        "洛杉矶、旧金山",
        "2023-03-01",
    ],
    [
        "苏州甲机械有限公司",
        "江苏省",
        "机械设备",
        "甲二",
        "E90000102",
        "2023-10-01",
        "是",
        "绿色发展",
        "洛杉矶",
        "2023-03-02",
    ],
    [
        "苏州甲机械有限公司",
        "江苏省",
        "机械设备",
        "甲三",
        "",
        "",
        "否",
        "电子商务",
        "洛杉矶、纽约",
        "2023-03-05",
    ],
    [
        "苏州甲机械有限公司",
        "江苏省",
        "机械设备",
        "甲四",
        "E90000104",
        "2031-01-01",
        "是",
        "绿色发展、双向投资",
        "洛杉矶",
        "2023-03-20",
    ],
    [
        "太原乙环保有限公司",
        "山西",
        "节能环保",
        "乙一",
        "E90000201",
        "2029-05-05",
        "是",
        "绿色发展",
        "洛杉矶、北卡",
        "2023-03-10",
    ],
    [
        "太原乙环保有限公司",
        "山西",
        "节能环保",
        "乙二",
        "E90000202",
        "2023-11-29",
        "是",
        "农产品贸易",
        "洛杉矶",
        "2023-03-10",
    ],
    [
        "太原乙环保有限公司",
        "山西",
        "节能环保",
        "乙三",
        "E90000203",
        "2023-11-30",
        "是",
        "绿色发展",
        "洛杉矶",
        "2023-03-11",
    ],
    [
        "西安丙新能源有限公司",
        "陕西",
        "新能源",
        "丙一",
        "E90000301",
        "2030-01-01",
        "否",
        "绿色发展",
        "洛杉矶、旧金山",
        "2023-03-15",
    ],
    ["西安丙新能源有限公司", "陕西", "新能源", "丙二", "", "", "是", "电子商务", "洛杉矶", "2023-03-16"],
    [
        "西安丙新能源有限公司",
        "陕西",
        "新能源",
        "丙三",
        "E90000303",
        "2022-01-01",
        "否",
        "双向投资",
        "洛杉矶",
        "2023-03-18",
    ],
    [
        "西安丙新能源有限公司",
        "陕西",
        "新能源",
        "丙四",
        "E90000304",
        "2030-01-01",
        "是",
        "绿色发展",
        "洛杉矶",
        "2023-03-21",
    ],
    [
        "杭州丁物流有限公司",
        "浙江",
        "物流",
        "丁一",
        "E90000401",
        "2030-01-01",
        "是",
        "绿色发展",
        "洛杉矶",
        "2023-03-05",
    ],
]
WITHDRAWN = "丁一"

# Counted by hand from ROWS as of 2023-03-20 (丙四 registered later, 丁一 withdrew).
EXPECTED_SUMMARY = {
    "as_of": "2023-03-20",
    "units": 3,
    "participants": 10,
    "by_province": {"Jiangsu": 4, "Shaanxi": 3, "Shanxi": 3},
    "by_sector": {"machinery_equipment": 4, "energy_saving_environmental": 3, "new_energy": 3},
    "by_theme": {"green_development": 6, "e_commerce": 3, "agricultural_trade": 1, "two_way_investment": 2},
    "by_city": {"los_angeles": 10, "san_francisco": 2, "north_carolina": 1, "new_york": 1},
    "invitation_applicants": 7,
    "passport_invalid": 2,
    "deadlines": [
        {"key": "registration", "date": "2023-03-31", "days_left": 11},
        {"key": "invitation_batch", "date": "2023-04-07", "days_left": 18},
        {"key": "departure", "date": "2023-05-21", "days_left": 62},
        {"key": "forum", "date": "2023-05-22", "days_left": 63},
        {"key": "return", "date": "2023-05-29", "days_left": 70},
    ],
    # Nothing has arrived: 3 units owe Annex 1, 7 applicants a passport scan, 甲一 and 乙一 a visa scan.
    "missing_documents": {"registration_confirmation": 3, "passport_scan": 7, "us_visa_scan": 2},
    "mail": {"messages": 0, "unmatched": 0, "sent": 0},  # the form came by hand, not by e-mail
}


def fixture_form(folder: Path) -> Path:
    """The hand-counted form as an xlsx file."""
    rows = [[*row, "是" if row[3] in HOLDS_VISA else ""] for row in ROWS]
    return write_xlsx(folder / "fixture.xlsx", {"报名表": [HEADER, *rows]})


def load_fixture(con, config, folder: Path) -> None:
    """Import the form and withdraw the one participant who withdrew."""
    from delegation.ingest import import_file

    import_file(con, config, fixture_form(folder))
    con.execute("update participants set status = 'withdrawn' where name = ?", [WITHDRAWN])
