"""Online-form exports, each written here with its platform's own columns and value formats (as
found in public parsers of real exports: docs/online-forms.md): 问卷星, 腾讯问卷, 腾讯文档收集表,
and an export of a platform whose layout was not found, which imports when its headers match."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from delegation.errors import DelegationError
from delegation.ingest import import_file
from tests.conftest import table_snapshot, write_xlsx

TODAY = dt.date(2023, 4, 2)
IP = "112.80.33.7(江苏南京)"  # synthetic; an IP address is personal data and never stored
WJX_FIXED = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP"]


def _people(con):
    return con.execute(
        "select u.name, p.name, p.position, p.passport_number, p.gender, p.themes, p.wants_arrangements, "
        "p.registered_on, p.source_row from participants p join units u using (unit_id) "
        "order by p.source_row, p.participant_id"
    ).fetchall()


def _everything_stored(con) -> str:
    """Every text the database holds, in every table (to look for what must not be stored)."""
    texts = []
    for (table,) in con.execute("select table_name from information_schema.tables").fetchall():
        texts.extend(str(row) for row in con.execute(f'select * from "{table}"').fetchall())
    return "\n".join(texts)


def test_a_wjx_text_download_with_two_people_per_submission(con, config, tmp_path):
    header = [
        *WJX_FIXED,
        "1、单位名称",
        "2、所在省份",
        "3、参团人员1姓名",
        "4、参团人员1职务",
        "5、参团人员1护照号码",
        "6、参团人员2姓名",
        "7、参团人员2职务",
        "8、参团人员2护照号码",
        "9、关注的论坛主题（多选）",
        "10、是否需要秘书处安排交通住宿*",
    ]
    rows = [
        [1, "2023/3/15 10:20:31", "80秒", "微信", "直链访问", IP, "甲机械有限公司", "江苏", "张伟", "总经理",
         "E12345678", "李娜", "经理", "E22345678", "绿色发展┋其他〖跨境物流〗", "是"],
        [2, "2023/3/16 09:02:11", "65秒", "手机提交", "直链访问", IP, "乙贸易有限公司", "浙江", "赵一", "董事长",
         "E32345678", "(跳过)", "(跳过)", "(跳过)", "电子商务", "(空)"],
    ]  # fmt: skip
    path = write_xlsx(tmp_path / "310000001_按文本_报名_2_2.xlsx", {"Sheet1": [header, *rows]})
    report = import_file(con, config, path, today=TODAY)
    assert _people(con) == [
        ("甲机械有限公司", "张伟", "总经理", "E12345678", None, ["green_development"], True, dt.date(2023, 3, 15), 2),
        ("甲机械有限公司", "李娜", "经理", "E22345678", None, ["green_development"], True, dt.date(2023, 3, 15), 2),
        ("乙贸易有限公司", "赵一", "董事长", "E32345678", None, ["e_commerce"], False, dt.date(2023, 3, 16), 3),
    ]  # fmt: skip
    assert report.dated_rows == 3 and report.day_line() == (
        "Registration days: the form's own (its registration date or submission time)."
    )
    # The "other" answer is read as its text and reported, not dropped silently.
    assert [i.code for i in report.issues] == ["unknown_theme"] * 2
    stored = _everything_stored(con)
    assert "112.80.33.7" not in stored and "80秒" not in stored and "直链访问" not in stored


def test_a_wjx_option_number_download_is_refused_asking_for_the_text_download(con, config, tmp_path):
    header = [*WJX_FIXED, "1、单位名称", "2、姓名", "3、性别", "4、(绿色发展)", "4、(电子商务)"]
    rows = [[1, "2023/3/15 10:20:31", "80秒", "微信", "直链访问", IP, "甲公司", "张伟", 1, 1, 0],
            [2, "2023/3/15 11:20:31", "70秒", "微信", "直链访问", IP, "甲公司", "李娜", 2, 0, 1]]  # fmt: skip
    path = write_xlsx(tmp_path / "310000001_按序号_报名_2_2.xlsx", {"Sheet1": [header, *rows]})
    before = table_snapshot(con)
    with pytest.raises(DelegationError) as caught:
        import_file(con, config, path, today=TODAY)
    assert caught.value.en == (
        "310000001_按序号_报名_2_2.xlsx: this is 问卷星's download by option numbers (按序号下载), where "
        "answers are numbers; download the answers as text (按文本下载) and import that file."
    )
    assert table_snapshot(con) == before


def test_a_tencent_survey_csv_with_lettered_choices_and_one_column_per_option(con, config, tmp_path):
    header = ["编号", "开始答题时间", "结束答题时间", "答题时长", "地理位置国家和地区", "地理位置省", "地理位置市",
              "自定义字段", "1.单位名称", "2.姓名", "3.性别", "4.护照号码", "5.关注的论坛主题:绿色发展",
              "5.关注的论坛主题:电子商务", "6.是否需要秘书处安排交通住宿", ""]  # fmt: skip
    rows = [["1", "2023-03-14 19:20:45", "2023-03-14 19:26:45", "360", "中国", "江苏", "南京", "", "丙投资有限公司",
             "孙三", "A.男", "E52345678", "绿色发展", "", "B.否", ""]]  # fmt: skip
    path = tmp_path / "9799234_202303142020.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows([header, *rows])
    import_file(con, config, path, today=TODAY)
    assert _people(con) == [
        (
            "丙投资有限公司",
            "孙三",
            None,
            "E52345678",
            "M",
            ["green_development"],
            False,
            dt.date(2023, 3, 14),
            2,
        )
    ]


def test_a_tencent_docs_collection_with_automatic_columns(con, config, tmp_path):
    header = [
        "提交时间（自动）",
        "单位名称（必填）",
        "姓名（必填）",
        "职务",
        "护照号码（必填）",
        "提交者（自动）",
    ]
    rows = [["2023年3月13日 10:13", "丁科技有限公司", "周五", "总监", "E62345678", "小周"]]
    path = write_xlsx(tmp_path / "报名（收集结果）.xlsx", {"Sheet1": [header, *rows]})
    import_file(con, config, path, today=TODAY)
    assert _people(con) == [
        ("丁科技有限公司", "周五", "总监", "E62345678", None, [], False, dt.date(2023, 3, 13), 2)
    ]


def test_an_export_of_unknown_layout_imports_when_its_headers_match(con, config, tmp_path):
    # 金数据, 飞书表单 and WPS 表单: no real export layout was found; a file whose headers name the
    # fields (and a submission time) still imports.
    header = ["序号", "提交时间", "单位名称", "姓名", "护照号码", "填写设备", "IP"]
    rows = [[1, "2023-03-12 08:00:00", "戊公司", "吴六", "E72345678", "iPhone", "10.1.2.3"]]
    path = write_xlsx(tmp_path / "表单数据.xlsx", {"数据": [header, *rows]})
    import_file(con, config, path, today=TODAY)
    assert _people(con) == [("戊公司", "吴六", None, "E72345678", None, [], False, dt.date(2023, 3, 12), 2)]
    assert "10.1.2.3" not in _everything_stored(con)


def test_a_units_own_link_files_its_submission_under_the_unit(con, config, tmp_path):
    import dataclasses

    from delegation.links import unit_code, unit_link

    first = write_xlsx(tmp_path / "名单.xlsx", {"S": [["单位名称", "姓名"], ["甲机械有限公司", "张伟"]]})
    import_file(con, config, first, today=TODAY)
    key = con.execute("select name_key from units").fetchone()[0]
    online = dataclasses.replace(config, online_form_address="https://www.wjx.cn/vm/abcd.aspx")
    code = unit_code(online, key)
    assert unit_link(online, key) == f"https://www.wjx.cn/vm/abcd.aspx?sojumpparm={code}"
    assert unit_link(config, key) is None  # no online form in the event's config
    header = [*WJX_FIXED, "1、单位名称", "2、姓名"]
    rows = [[1, "2023/3/18 10:00:00", "50秒", "微信", code, IP, "甲公司", "李娜"]]  # typed short
    path = write_xlsx(tmp_path / "310000002_按文本_报名_1_1.xlsx", {"Sheet1": [header, *rows]})
    import_file(con, online, path, today=TODAY)
    assert con.execute("select name from units").fetchall() == [("甲机械有限公司",)]  # no second unit
    assert [(u, p) for u, p, *_ in _people(con)] == [("甲机械有限公司", "张伟"), ("甲机械有限公司", "李娜")]


def test_the_online_form_address_must_be_https(tmp_path):
    from delegation.config import DEFAULT_CONFIG, load_config

    text = DEFAULT_CONFIG.read_text(encoding="utf-8")  # its first `address` is the online form's
    bad = tmp_path / "event.toml"
    bad.write_text(
        text.replace('address = ""', 'address = "http://www.wjx.cn/vm/abcd.aspx"', 1), encoding="utf-8"
    )
    with pytest.raises(DelegationError) as caught:
        load_config(bad)
    assert caught.value.en == (
        "event.toml: key 'event.online_form.address' must be the form's https:// address, or empty."
    )


def test_groups_numbered_after_the_field(con, config, tmp_path):
    header = [
        "提交时间",
        "单位名称",
        "姓名1",
        "职务1",
        "护照号1",
        "姓名2",
        "职务2",
        "护照号2",
        "姓名3",
        "职务3",
        "护照号3",
    ]
    rows = [
        [
            "2023-03-11 09:00:00",
            "己公司",
            "王八",
            "经理",
            "E82345678",
            "冯九",
            "助理",
            "E92345678",
            "",
            "",
            "",
        ]
    ]
    path = write_xlsx(tmp_path / "团组.xlsx", {"S": [header, *rows]})
    import_file(con, config, path, today=TODAY)
    assert [(u, n, pos, pp) for u, n, pos, pp, *_ in _people(con)] == [
        ("己公司", "王八", "经理", "E82345678"),
        ("己公司", "冯九", "助理", "E92345678"),
    ]  # the third group is empty: nobody
