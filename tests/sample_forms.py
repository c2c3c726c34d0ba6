"""The sample forms in data/sample/, written by code: `make samples` (re)writes them.

All people, units, phones and passport numbers are fictitious (passports E9…, phones 1990000…).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent.parent / "data" / "sample"


def chinese_xlsx(path: Path) -> None:
    """Annex 2 as a Chinese unit sends it: title row, note row, merged unit cells, yes/no theme columns, footer."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "报名信息采集表"
    ws.append(["附件2：报名信息采集表"])
    ws.merge_cells("A1:P1")
    ws.append(["（关键信息请反复核对，务必准确）"])
    ws.merge_cells("A2:P2")
    ws.append(
        [
            "序号",
            "单位名称",
            "省份",
            "所属行业",
            "姓名",
            "性别",
            "职务",
            "手机",
            "护照号码",
            "护照有效期",
            "是否通过商会办理邀请函",
            "是否持有美国签证",
            "绿色发展",
            "电子商务",
            "考察城市",
            "报名日期",
        ]
    )
    rows = [
        [
            1,
            "苏州恒达机械设备有限公司",
            "江苏省",
            "机械制造",
            "张伟",
            "男",
            "总经理",
            "19900000001",
            "E90000001",
            dt.date(2030, 6, 1),
            "是",
            "否",
            "√",
            "",
            "洛杉矶、旧金山",
            dt.date(2023, 3, 2),
        ],
        [
            2,
            None,
            None,
            None,
            "李娜",
            "女",
            "国际业务经理",
            "19900000002",
            "E90000002",
            "2031/5/1",
            "是",
            "是",
            "√",
            "√",
            "洛杉矶,纽约",
            "2023年3月2日",
        ],
        [
            3,
            "太原晋华环保科技有限公司",
            "山西",
            "节能环保",
            "王强",
            "男",
            "董事长",
            "19900000003",
            "E90000003",
            "2023.9.30",
            "是",
            "否",
            "√",
            "",
            "洛杉矶/北卡",
            "2023-03-10",
        ],
    ]
    for row in rows:
        ws.append(row)
    ws.merge_cells("B4:B5")
    ws.merge_cells("C4:C5")
    ws.merge_cells("D4:D5")
    ws.append([])
    ws.append(["填表人：赵敏    联系电话：19900000099"])
    wb.save(path)


def gbk_csv(path: Path) -> None:
    """A GBK-encoded CSV as saved by Chinese Excel, with a single themes column."""
    rows = [
        [
            "单位",
            "省份",
            "行业",
            "联系人",
            "联系人手机",
            "姓名",
            "性别",
            "职务",
            "手机号码",
            "护照号",
            "护照到期日",
            "需要邀请函",
            "已有美国签证",
            "论坛主题",
            "访问城市",
            "是否需要安排交通住宿",
        ],
        [
            "西安秦川新能源科技有限公司",
            "陕西省",
            "光伏",
            "周杰",
            "19900000010",
            "周杰",
            "男",
            "总经理",
            "19900000010",
            "E9 0000010",
            "2029/12/31",
            "是",
            "否",
            "绿色发展、双向投资",
            "洛杉矶、旧金山",
            "是",
        ],
        [
            "西安秦川新能源科技有限公司",
            "陕西省",
            "光伏",
            "周杰",
            "19900000010",
            "陈静",
            "女",
            "市场部经理",
            "19900000011",
            "e90000011",
            "2023/10/1",
            "是",
            "否",
            "绿色发展",
            "洛杉矶",
            "否",
        ],
        [
            "深圳智联电子科技有限公司",
            "广东",
            "电子信息",
            "林涛",
            "19900000020",
            "林涛",
            "男",
            "技术总监",
            "19900000020",
            "",
            "",
            "否",
            "否",
            "电子商务",
            "洛杉矶、纽约",
            "是",
        ],
    ]
    with path.open("w", encoding="gbk", newline="") as f:
        csv.writer(f).writerows(rows)


def english_xlsx(path: Path) -> None:
    """An English form from a unit's international department: English headers and values."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Participants"
    ws.append(["Registration Information Collection Form"])
    ws.append([])
    ws.append(
        [
            "Company Name",
            "Province",
            "Industry",
            "Name",
            "Pinyin Name",
            "Gender",
            "Position",
            "Mobile",
            "E-mail",
            "Date of Birth",
            "Passport No.",
            "Passport Expiry Date",
            "Invitation Letter via Chamber",
            "Holds US Visa",
            "US Visa Expiry",
            "Forum Themes",
            "Visit Cities",
            "Transport and Accommodation",
        ]
    )
    ws.append(
        [
            "Qingdao Ocean Logistics Co., Ltd.",
            "Shandong Province",
            "Logistics",
            "孙浩",
            "SUN Hao",
            "M",
            "CEO",
            "+86 199 0000 0030",
            "p30@example.com",
            dt.date(1980, 4, 5),
            "E90000030",
            "01 MAY 2032",
            "Yes",
            "Yes",
            dt.date(2026, 1, 1),
            "Two-way investment; E-commerce",
            "Los Angeles, San Francisco",
            "Y",
        ]
    )
    ws.append(
        [
            "Qingdao Ocean Logistics Co., Ltd.",
            "Shandong Province",
            "Logistics",
            "郭婷",
            "GUO Ting",
            "F",
            "Sales Director",
            "+86 199 0000 0031",
            "p31@example.com",
            dt.date(1988, 11, 20),
            "E90000031",
            dt.date(2030, 2, 28),
            "Yes",
            "No",
            None,
            "Agricultural product trade",
            "Los Angeles, North Carolina",
            "N",
        ]
    )
    wb.save(path)


if __name__ == "__main__":
    chinese_xlsx(HERE / "annex2_zh_title_rows.xlsx")
    gbk_csv(HERE / "annex2_gbk.csv")
    english_xlsx(HERE / "annex2_en.xlsx")
