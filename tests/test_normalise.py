"""Value normalisation: dates, yes/no, provinces, sectors, themes, cities, passports, full width."""

from __future__ import annotations

import datetime as dt

import pytest

from delegation.errors import DelegationError
from delegation.ingest import normalise as norm
from delegation.ingest.rows import as_stored
from delegation.provinces import PROVINCES, province_for
from delegation.text import clean, half_width, match_key, match_keys

D = dt.date(2023, 5, 1)


@pytest.mark.parametrize(
    "value",
    [
        D,
        dt.datetime(2023, 5, 1, 0, 0),
        45047,
        45047.0,
        "45047",
        "2023-05-01",
        "2023/5/1",
        "2023.5.1",
        "2023年5月1日",
        "2023 年 5 月 1 日",
        "20230501",
        20230501,
        "2023-05-01 00:00:00",
        "01 MAY 2023",
        "1-May-2023",
        "May 1, 2023",
        "5/1/2023",
        "２０２３／５／１",
    ],
)
def test_dates_in_every_common_form(value):
    assert norm.parse_date(value) == D


def test_day_first_when_the_first_number_cannot_be_a_month():
    assert norm.parse_date("25/12/2023") == dt.date(2023, 12, 25)


def test_year_and_month_only_is_the_first_of_the_month():
    assert norm.parse_date("1985年6月") == dt.date(1985, 6, 1)
    assert norm.parse_date("1985.06") == dt.date(1985, 6, 1)


@pytest.mark.parametrize("value", ["2023/13/45", "soon", "31/31/2023", True, "2023-02-30"])
def test_impossible_dates_are_refused(value):
    with pytest.raises(norm.BadValue):
        norm.parse_date(value)


def test_blank_date_is_none():
    assert norm.parse_date("") is None
    assert norm.parse_date(None) is None
    assert norm.parse_date("  ") is None


@pytest.mark.parametrize(
    "value", ["是", "Y", "y", "yes", "YES", "√", "✓", "1", 1, 1.0, "是的", "有", True, "是（已有B1/B2）"]
)
def test_yes(value):
    assert norm.parse_yes_no(value) is True


@pytest.mark.parametrize("value", ["否", "N", "no", "0", 0, "", None, "×", "无", "不需要", False, "/"])
def test_no(value):
    assert norm.parse_yes_no(value) is False


def test_unreadable_yes_no_is_refused():
    with pytest.raises(norm.BadValue):
        norm.parse_yes_no("maybe")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("江苏省", "Jiangsu"),
        ("江苏", "Jiangsu"),
        ("Jiangsu", "Jiangsu"),
        ("Jiangsu Province", "Jiangsu"),
        ("jiangsu province", "Jiangsu"),
        ("山西", "Shanxi"),
        ("山西省", "Shanxi"),
        ("Shanxi", "Shanxi"),
        ("陕西", "Shaanxi"),
        ("陕西省", "Shaanxi"),
        ("Shaanxi Province", "Shaanxi"),
        ("内蒙古自治区", "Inner Mongolia"),
        ("广西壮族自治区", "Guangxi"),
        ("上海市", "Shanghai"),
        ("Beijing Municipality", "Beijing"),
        ("香港特别行政区", "Hong Kong"),
        ("Macau", "Macao"),
        ("新疆", "Xinjiang"),
        ("Ｊｉａｎｇｓｕ", "Jiangsu"),
    ],
)
def test_provinces_in_any_common_form(text, key):
    assert province_for(text) == key


def test_shanxi_and_shaanxi_never_meet():
    shanxi = {province_for(t) for t in ("山西", "山西省", "Shanxi", "Shanxi Province")}
    shaanxi = {province_for(t) for t in ("陕西", "陕西省", "Shaanxi", "Shaanxi Province")}
    assert shanxi == {"Shanxi"}
    assert shaanxi == {"Shaanxi"}


def test_all_34_provincial_divisions_with_unique_codes():
    assert len(PROVINCES) == 34
    assert len({p.code for p in PROVINCES}) == 34
    assert all(province_for(p.name_zh) == p.key and province_for(p.short_zh) == p.key for p in PROVINCES)


def test_unknown_province_is_none():
    assert province_for("苏州") is None
    assert province_for("Atlantis") is None


def test_sectors_through_synonyms(config):
    assert norm.parse_sector("机械设备", config.sectors) == ("machinery_equipment", True)
    assert norm.parse_sector("光伏", config.sectors) == ("new_energy", True)
    assert norm.parse_sector("Logistics", config.sectors) == ("logistics", True)
    assert norm.parse_sector("跨境电商", config.sectors) == ("e_commerce_trade", True)
    assert norm.parse_sector("工程机械制造", config.sectors) == ("machinery_equipment", True)
    assert norm.parse_sector("太空旅游", config.sectors) == ("other", False)


@pytest.mark.parametrize(
    "cell",
    [
        "绿色发展、电子商务",
        "绿色发展，电子商务",
        "绿色发展,电子商务",
        "绿色发展;电子商务",
        "绿色发展/电子商务",
        "绿色发展\n电子商务",
        "Green development, E-commerce",
        "green development; e-commerce",
        "电子商务、绿色发展",
        "Green development and E-commerce",
    ],
)
def test_themes_in_one_cell(config, cell):
    assert norm.parse_choices(cell, config.themes) == (["green_development", "e_commerce"], [])


def test_all_themes_and_unknown_parts(config):
    assert norm.parse_choices("全部", config.themes)[0] == [t.key for t in config.themes]
    assert norm.parse_choices("双向投资、太空探索", config.themes) == (["two_way_investment"], ["太空探索"])


def test_cities_in_zh_and_en(config):
    keys, unknown = norm.parse_choices("洛杉矶、旧金山/北卡, New York", config.cities)
    assert keys == ["los_angeles", "san_francisco", "north_carolina", "new_york"]
    assert unknown == []


def test_passport_normalised_and_format_checked():
    assert norm.parse_passport(" e 1234 5678 ") == ("E12345678", True)
    assert norm.parse_passport("ＥＡ１２３４５６７") == ("EA1234567", True)
    assert norm.parse_passport("X123") == ("X123", False)
    assert norm.parse_passport("") == (None, True)


def test_phone_numbers_stay_text():
    assert norm.parse_phone(13812345678.0) == "13812345678"
    assert norm.parse_phone("+86 138 1234 5678") == "+86 138 1234 5678"
    assert norm.parse_phone("138\t1234  5678") == "138 1234 5678"  # any run of spaces becomes one
    assert norm.parse_passport("e-1234 5678") == ("E12345678", True)


def test_gender():
    assert [norm.parse_gender(v) for v in ("男", "F", "female", "")] == ["M", "F", "F", None]


def test_full_width_and_trimming():
    assert half_width("ＡＢＣ１２３（）") == "ABC123()"
    assert clean("  张　伟\t ") == "张 伟"
    assert clean("a\x00b\x07c") == "abc"
    assert match_key(" Passport  No. ") == match_key("PASSPORTNO") == "passportno"


def test_clean_drops_controls_and_odd_spaces_in_one_pass():
    assert clean("\u00a0甲\u200b乙\x1f\u3000") == "甲乙"  # no-break and ideographic spaces trimmed
    assert clean("line\none\ttab") == "line\none\ttab"  # LF and tab are kept inside
    assert clean(12.0) == "12" and clean(12.5) == "12.5" and clean(None) == ""
    assert match_key("ＺＨＡＮＧ　Wei") == "zhangwei"


def test_match_key_of_ascii_text_is_the_pattern_without_the_regex():
    import re

    pattern = re.compile(r"[\s\W_]+")  # what match_key removes, as the non-ASCII path applies it
    texts = [chr(code) for code in range(32, 127)]
    texts += ["Zhang.Wei_01@Example-Mail.COM", "e 1234 5678", "a\tb~c", "O'Brien, Mary-Ann", "ABC123"]
    for text in texts:
        assert match_key(text) == pattern.sub("", text.strip().casefold()), text
    assert match_key("Zhang.Wei_01@Example-Mail.COM") == "zhangwei01examplemailcom"


def test_a_column_of_texts_is_keyed_as_cell_by_cell(monkeypatch):
    import random

    import delegation.text

    columns = [
        ["li@example.org", "E12345678", " ZHANG Wei", "+86 138 1234 5678 "],  # ASCII: one pass
        ["a\nb", "c", "tab\there"],  # line breaks and tabs are removed like spaces
        ["a\x00b", "c"],  # a NUL of its own: cell by cell
        ["Ｅ１２３", "张 伟", "\u3000甲\u3000"],  # not ASCII: cell by cell
        [12.0, None, "x", True],  # not all text: cell by cell
        ["", " ", "\n"],
    ]
    rng = random.Random(3)
    alphabet = [chr(code) for code in range(128)]
    columns += [["".join(rng.choices(alphabet, k=rng.randint(0, 6))) for _ in range(5)] for _ in range(300)]
    columns += [
        ["".join(rng.choices("aZ09 .-@_", k=rng.randint(0, 6))) for _ in range(5)] for _ in range(300)
    ]
    for values in columns:
        assert match_keys(values) == [match_key(v) for v in values], values
    calls = []
    monkeypatch.setattr(delegation.text, "match_key", lambda v: calls.append(v) or match_key(v))
    assert match_keys([" A.b", "C-1 "]) == ["ab", "c1"] and calls == []  # one pass for the column
    assert match_keys(["a\x00b", "C"]) == ["ab", "c"] and calls == ["a\x00b", "C"]  # value by value


def test_a_column_is_read_per_distinct_value_and_types_never_mix():
    from delegation.ingest.cells import BAD, parse_column

    # True, 1 and 1.0 are equal as dict keys but not the same cell: each keeps its own reading.
    assert [v[0] for v in parse_column("text", [True, 1, 1.0, "1", None])] == ["True", "1", "1", "1", None]
    dates = parse_column("date", ["2023/5/1", D, 45047, "2023/5/1", "not a date"])
    assert [v[0] for v in dates[:4]] == [D, D, D, D]
    assert dates[4] is BAD
    yes_no = parse_column("yes_no", ["是", "否", "", "是", "maybe"])
    assert [v[0] for v in yes_no[:4]] == [True, False, False, True] and yes_no[4] is BAD
    # Rows of cells (the tick columns) too: a number's type inside a row is never lost.
    from delegation.ingest.cells import distinct_map

    def kinds(row):
        return tuple(type(v).__name__ for v in row)

    assert distinct_map(kinds, [(1, "是"), (True, "是"), (1.0, "是")]) == [
        ("int", "str"),
        ("bool", "str"),
        ("float", "str"),
    ]
    shared = distinct_map(kinds, [("是", ""), ("是", ""), ("", "")])
    assert shared[0] is shared[1] and shared[2] == ("str", "str")  # equal rows share one result
    # An unhashable cell (never from calamine, but possible) falls back to reading cell by cell.
    assert [v[0] for v in parse_column("text", [["a"], "b"])] == ["['a']", "b"]
    passports = parse_column("passport", ["e 1234 5678", "X-123 4567"])
    assert passports[0] == ("E12345678", ())  # upper-cased without spaces: a PRC passport number
    assert passports[1] == ("X1234567", ("passport_format",))  # kept, and doubted


def test_search_text_by_column_equals_row_by_row():
    from pypinyin import lazy_pinyin

    from delegation.search import _syllables, search_text, search_texts

    names = ["张伟", "重庆长安汽车", "银行行长", "张伟", None, "ABC 有限公司", "𠀀字"]
    emails = ["a@example.com", None, "B@Example.com", "a@example.com", "x", "", "y"]
    pinyin = ["ZHANG Wei", "Li.Ming", "li ming", "ZHANG Wei", "", "x", " Y-1"]  # ASCII only: one pass
    assert search_texts(names, emails, pinyin) == [
        search_text(n, e, p) for n, e, p in zip(names, emails, pinyin, strict=True)
    ]
    assert search_text("重庆长安", "Li Ming") == "重庆长安|chongqingchangan|cqca|liming"
    for run in (
        "重庆长安汽车",
        "银行行长",
        "单位",
        "张伟",
    ):  # phrase readings kept (长安 chang, 行长 hang zhang)
        assert _syllables(run) == tuple(lazy_pinyin(run))


def test_a_value_typed_by_hand_is_stored_as_the_importer_stores_its_cell():
    assert as_stored("passport_number", " e 1234 5678 ") == "E12345678"
    assert as_stored("mobile", "１３８００１３８０００") == "13800138000"
    assert as_stored("position", "  董事长 ") == "董事长" and as_stored("email", "  ") is None
    assert as_stored("passport_expiry", dt.date(2030, 1, 1)) == dt.date(2030, 1, 1)
    assert as_stored("holds_us_visa", True) is True and as_stored("holds_us_visa", "") is False
    # What the importer cannot read, it leaves empty with a warning; typed by hand, it is refused
    # in one sentence (it was emptied without a word).
    for field, typed, said in (
        ("passport_expiry", "明年", "^What was typed for passport expiry cannot be read"),
        ("holds_us_visa", "也许", "^What was typed for holds a US visa cannot be read"),
        ("mobile", "见上", "^What was typed for mobile cannot be read"),
    ):
        with pytest.raises(DelegationError, match=said):
            as_stored(field, typed)


def test_a_forms_texts_get_their_pinyin_until_its_rows_are_there():
    from delegation import search

    search._pinyin_forms.cache_clear()
    search.precompute_until(["张伟", "北京", 42], lambda: True)  # the rows came first: nothing done
    assert search._pinyin_forms.cache_info().currsize == 0
    search.precompute_until(["张伟", "北京", 42], lambda: False)  # 42 (not a text) is passed over
    assert search._pinyin_forms.cache_info().currsize == 2
    assert search._pinyin_forms("张伟") == ("zhangwei", "zw")


@pytest.mark.parametrize("tick", list("☑✓√■●▣☒✔"))
@pytest.mark.parametrize("box", list("□☐○"))
def test_every_tick_and_every_empty_box(tick, box):
    from delegation.ingest.normalise import parse_yes_no, ticked

    assert ticked(f"{tick}是 {box}否") == ["是"] and ticked(f"是{box} 否{tick}") == ["否"]
    assert ticked(f"{box}是 {box}否") == [] and parse_yes_no(f"{box}是 {box}否") is False


@pytest.mark.parametrize(
    ("header", "asked"),
    [
        ("1、您的姓名", "您的姓名"),
        ("2. 性别", "性别"),
        ("Q3. 职务*", "职务"),
        ("第4题 护照号码（必填）", "护照号码"),
        ("5、关注的论坛主题(多选)：", "关注的论坛主题"),
        ("6.是否持有美国签证？", "是否持有美国签证"),
        ("提交时间（自动）", "提交时间"),
        ("12、关注的论坛主题:绿色发展", "关注的论坛主题:绿色发展"),  # one column per option keeps its option
        ("2023年报名日期", "2023年报名日期"),  # a year is no question number
    ],
)
def test_an_online_forms_question_is_read_without_its_numbering_and_marks(header, asked):
    from delegation.ingest.fields import question

    assert question(header) == asked
