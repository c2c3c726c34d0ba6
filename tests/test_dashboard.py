"""The page-facing functions on the hand-counted fixture: exact rows, sorting, paging, masking."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from delegation import figures, paging, quality
from delegation.filters import Filters
from delegation.lists.participants import participants_page
from delegation.lists.units import units_page
from tests.fixtures import load_fixture

AS_OF = dt.date(2023, 3, 20)


@pytest.fixture
def loaded(con, config, tmp_path):
    load_fixture(con, config, tmp_path)
    return con


def test_headline_with_filters(loaded, config):
    assert figures.headline(loaded, config, Filters(AS_OF)) == figures.Headline(3, 10, 7, 2)
    jiangsu_green = Filters(AS_OF, provinces=("Jiangsu",), themes=("green_development",))
    assert figures.headline(loaded, config, jiangsu_green) == figures.Headline(1, 3, 3, 1)
    several = Filters(AS_OF, themes=("agricultural_trade", "two_way_investment"))
    assert figures.headline(loaded, config, several).participants == 3  # any of the themes: 甲四, 乙二, 丙三
    withdrawn = Filters(AS_OF, statuses=("withdrawn",))
    assert figures.headline(loaded, config, withdrawn).participants == 0  # out of every count


OVERVIEW_FILTERS = [
    Filters(AS_OF),
    Filters(AS_OF, provinces=("Jiangsu",), themes=("green_development",)),
    Filters(AS_OF, themes=("agricultural_trade", "two_way_investment")),
    Filters(AS_OF, statuses=("withdrawn",)),
    Filters(dt.date(2023, 3, 1)),  # before the first sign-up: nothing counted
]


@pytest.mark.parametrize("filters", OVERVIEW_FILTERS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overview_in_one_query_equals_each_query(loaded, config, filters, lang):
    shown = figures.overview(loaded, config, filters, lang)
    assert shown.headline == figures.headline(loaded, config, filters)
    for kind in figures.BREAKDOWNS:
        alone = figures.breakdown(loaded, kind, filters, lang, config.top_provinces)
        pd.testing.assert_frame_equal(shown.breakdowns[kind], alone)
    alone = figures.signups(loaded, config, filters)
    pd.testing.assert_frame_equal(shown.signups.actual, alone.actual, check_dtype=False)
    pd.testing.assert_frame_equal(shown.signups.projection, alone.projection, check_dtype=False)
    assert shown.signups.pace_per_day == alone.pace_per_day
    from delegation import document_grid

    owed = document_grid.missing_by_kind(loaded, filters, lang)
    pd.testing.assert_frame_equal(shown.documents, owed, check_dtype=False)
    assert shown.missing_documents == int(owed["missing"].sum())


@pytest.mark.parametrize("filters", OVERVIEW_FILTERS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_documents_figures_in_one_query_equal_each_query(loaded, config, filters, lang):
    from delegation import document_grid

    shown = document_grid.figures(loaded, filters, lang)
    pd.testing.assert_frame_equal(
        shown.by_kind, document_grid.missing_by_kind(loaded, filters, lang), check_dtype=False
    )
    pd.testing.assert_frame_equal(
        shown.by_province, document_grid.missing_by_province(loaded, filters, lang), check_dtype=False
    )
    pd.testing.assert_frame_equal(
        shown.completion, document_grid.completion(loaded, filters), check_dtype=False
    )


def test_documents_figures_on_demo_data_equal_each_query(con, config):
    from delegation import document_grid
    from delegation.demo import load_demo

    load_demo(con, config, 3_000, seed=5)
    filters = Filters(dt.date(2023, 3, 31))
    shown = document_grid.figures(con, filters, "zh")
    assert len(shown.by_province) > 10 and len(shown.completion) > 10 and shown.by_kind["missing"].sum() > 0
    pd.testing.assert_frame_equal(
        shown.by_kind, document_grid.missing_by_kind(con, filters, "zh"), check_dtype=False
    )
    pd.testing.assert_frame_equal(
        shown.by_province, document_grid.missing_by_province(con, filters, "zh"), check_dtype=False
    )
    pd.testing.assert_frame_equal(shown.completion, document_grid.completion(con, filters), check_dtype=False)


def test_overview_on_demo_data_equals_each_query(con, config):
    from delegation.demo import load_demo

    load_demo(con, config, 3_000, seed=5)
    filters = Filters(dt.date(2023, 3, 31))
    shown = figures.overview(con, config, filters, "en")
    assert shown.headline.participants == 3_000
    assert shown.headline == figures.headline(con, config, filters)
    provinces = figures.breakdown(con, "province", filters, "en", config.top_provinces)
    assert provinces["key"].iloc[-1] == "others"  # more provinces than the top: the rest folded
    for kind in figures.BREAKDOWNS:
        alone = figures.breakdown(con, kind, filters, "en", config.top_provinces)
        pd.testing.assert_frame_equal(shown.breakdowns[kind], alone)
    pd.testing.assert_frame_equal(
        shown.signups.actual, figures.signups(con, config, filters).actual, check_dtype=False
    )


def test_overview_counts_themes_and_cities_in_any_order_and_repeated(con, config):
    # The overview counts each distinct list once and then its entries: the same themes in another
    # order, a theme listed twice and an empty list must count as unnesting every list does.
    from delegation.demo import load_demo

    load_demo(con, config, 600, seed=3)
    con.execute(
        "update participants set themes = case participant_id % 4 "
        "when 0 then list_reverse(themes) when 1 then list_concat(themes, themes[1:1]) "
        "when 2 then [] else themes end, "
        "cities = case participant_id % 3 when 0 then list_reverse(cities) else cities end"
    )
    orders = con.execute("select count(distinct themes), count(distinct list_sort(themes)) from participants")
    distinct_lists, distinct_sorted = orders.fetchone()
    assert distinct_lists > distinct_sorted  # some lists hold the same themes in another order
    filters = Filters(dt.date(2023, 3, 31))
    shown = figures.overview(con, config, filters, "en")
    for kind in ("theme", "city"):
        alone = figures.breakdown(con, kind, filters, "en", config.top_provinces)
        pd.testing.assert_frame_equal(shown.breakdowns[kind], alone)


def test_list_hashes_tell_apart_every_list_of_the_events_themes_and_cities(con, config):
    # What grouping on hash(themes) relies on: DuckDB hashes no two lists of the event's theme keys
    # (or city keys, with three more keys) alike, in any order and of any length (13 700 lists each;
    # the importer only ever stores each key once, in the event's order).
    import itertools

    for choices in (config.themes, config.cities):
        keys = [c.key for c in choices] + ["x", "y", "z"]  # and room for a few more
        lists = [list(p) for n in range(len(keys) + 1) for p in itertools.permutations(keys, n)]
        con.execute("create or replace temp table l as select unnest($l::varchar[][]) as l", {"l": lists})
        assert con.execute("select count(distinct hash(l)), count(*) from l").fetchone() == (len(lists),) * 2


def test_countdowns_and_urgency(config):
    cards = figures.countdown_cards(config, dt.date(2023, 3, 28), "en")
    assert [(c["key"], c["days_left"], c["urgency"]) for c in cards] == [
        ("registration", 3, "week"),
        ("invitation_batch", 10, "month"),
        ("departure", 54, "later"),
        ("forum", 55, "later"),
        ("return", 62, "later"),
    ]
    assert cards[0]["label"] == "Registration deadline"
    assert figures.urgency(-1) == "passed" and figures.urgency(0) == "week" and figures.urgency(30) == "month"


def test_province_breakdown_folds_the_rest(loaded):
    df = figures.breakdown(loaded, "province", Filters(AS_OF), "zh", top=1)
    assert df[["key", "label", "participants"]].values.tolist() == [
        ["Jiangsu", "江苏省", 4],
        ["others", "其他省份", 6],
    ]
    df = figures.breakdown(loaded, "province", Filters(AS_OF), "en", top=10)
    assert df["label"].tolist() == ["Jiangsu", "Shaanxi", "Shanxi"]


def test_theme_breakdown_counts_and_shares(loaded):
    df = figures.breakdown(loaded, "theme", Filters(AS_OF), "zh")
    # Most chosen first, as every breakdown (it was in the configured order).
    assert df["label"].tolist() == ["绿色发展", "电子商务", "双向投资", "农产品贸易"]
    assert df["participants"].tolist() == [6, 3, 2, 1]
    assert df["share"].round(2).tolist() == [0.6, 0.3, 0.2, 0.1]
    tie = figures.breakdown(loaded, "theme", Filters(dt.date(2023, 3, 1)), "en")
    assert tie["label"].tolist() == [  # nobody yet: the configured order
        "Green development",
        "E-commerce",
        "Agricultural product trade",
        "Two-way investment",
    ]


def test_signups_and_projection(loaded, config):
    s = figures.signups(loaded, config, Filters(AS_OF))
    # 1 Mar 甲一, 2 Mar 甲二, 5 Mar 甲三 (丁一 withdrew), 10 Mar 乙一 乙二, 11 Mar 乙三, 15 丙一, 16 丙二, 18 丙三, 20 甲四
    assert s.actual["participants"].tolist() == [1, 2, 3, 5, 6, 7, 8, 9, 10]
    assert s.actual["units"].tolist() == [1, 1, 1, 2, 2, 3, 3, 3, 3]
    assert [str(d)[:10] for d in s.actual["day"]][:2] == ["2023-03-01", "2023-03-02"]
    # Sign-ups after 6 March (the 14 days up to the 20th): 7, so 0.5 a day for the 11 days left.
    assert s.pace_per_day == pytest.approx(0.5)
    assert s.projection["participants"].tolist() == [10, 16]
    after = figures.signups(loaded, config, Filters(dt.date(2023, 4, 2)))
    assert after.projection.empty


def test_units_page_sort_search_and_paging(loaded, config):
    page = units_page(loaded, Filters(AS_OF), "en", sort="participants", descending=True)
    assert page.total == 3
    assert page.rows["unit_name"].tolist() == [
        "苏州甲机械有限公司",
        "太原乙环保有限公司",
        "西安丙新能源有限公司",
    ]
    assert page.rows["province"].tolist() == ["Jiangsu", "Shanxi", "Shaanxi"]
    assert page.rows["participants"].tolist() == [4, 3, 3]
    # By name in pinyin order (Suzhou, Taiyuan, Xi'an); by character code
    # 太 (U+592A) came before 苏 (U+82CF).
    by_name = units_page(loaded, Filters(AS_OF), "en", sort="name")
    assert by_name.rows["unit_name"].tolist() == [
        "苏州甲机械有限公司",
        "太原乙环保有限公司",
        "西安丙新能源有限公司",
    ]
    backwards = units_page(loaded, Filters(AS_OF), "en", sort="name", descending=True)
    assert backwards.rows["unit_name"].tolist() == by_name.rows["unit_name"].tolist()[::-1]
    by_unit = participants_page(loaded, config, Filters(AS_OF), "en", sort="unit")
    assert list(dict.fromkeys(by_unit.rows["unit_name"])) == by_name.rows["unit_name"].tolist()
    second = units_page(loaded, Filters(AS_OF), "en", sort="name", page=2, page_size=2)
    assert (second.total, second.pages, len(second.rows)) == (3, 2, 1)
    assert second.rows["unit_name"].tolist() == ["西安丙新能源有限公司"] and second.page == 2
    # A page past the end (a search shrank the list while page 5 was open) shows the last page and
    # the whole list's count, not an empty table counting 0.
    past = units_page(loaded, Filters(AS_OF), "en", sort="name", page=5, page_size=2)
    assert (past.page, past.total, past.rows["unit_name"].tolist()) == (2, 3, ["西安丙新能源有限公司"])
    found = participants_page(loaded, config, Filters(AS_OF), "en", search="jiayi", page=5)
    assert (found.page, found.total, found.rows["name"].tolist()) == (1, 1, ["甲一"])
    nothing = units_page(loaded, Filters(AS_OF), "en", search="nowhere", page=3)
    assert (nothing.page, nothing.total, len(nothing.rows)) == (1, 0, 0)
    assert units_page(loaded, Filters(AS_OF), "zh", search="xianbing").rows["unit_name"].tolist() == [
        "西安丙新能源有限公司"
    ]
    assert units_page(loaded, Filters(AS_OF), "zh", search="tyy").rows["unit_name"].tolist() == [
        "太原乙环保有限公司"
    ]
    assert units_page(loaded, Filters(AS_OF), "zh", search="苏州%有限").total == 0  # % is no wildcard
    assert units_page(loaded, Filters(AS_OF), "zh", search="  ").total == 3  # blank search: all


def test_participants_page_masks_unless_asked(loaded, config):
    masked = participants_page(loaded, config, Filters(AS_OF), "en", search="甲一")
    assert masked.rows["passport_number"].tolist() == ["E*****101"]
    full = participants_page(loaded, config, Filters(AS_OF), "en", search="jia yi", show_full=True)
    assert full.rows["passport_number"].tolist() == ["E90000101"]
    assert full.rows["themes"].tolist() == ["Green development, E-commerce"]  # the export's separators too
    assert full.rows["registered_on"].tolist() == [dt.date(2023, 3, 1)]  # a date, shown without a time
    assert full.rows["passport_expiry"].tolist() == [dt.date(2030, 1, 1)]
    by_expiry = participants_page(loaded, config, Filters(AS_OF), "en", sort="passport_expiry", page_size=3)
    assert by_expiry.rows["name"].tolist() == [
        "丙二",
        "甲三",
        "丙三",
    ]  # unknown expiries first: they need chasing
    assert by_expiry.total == 10


def test_chinese_names_in_pinyin_order_then_latin_ones_ignoring_case(loaded):
    loaded.execute("update units set name = 'acme Trading' where name = '西安丙新能源有限公司'")
    loaded.execute("update units set name = 'Zeta Ltd' where name = '太原乙环保有限公司'")
    page = units_page(loaded, Filters(AS_OF), "en", sort="name")
    # By character code 'Z' (0x5A) comes before 'a' (0x61), and both before any Chinese character.
    assert page.rows["unit_name"].tolist() == ["苏州甲机械有限公司", "acme Trading", "Zeta Ltd"]


def test_unit_detail_and_members(loaded, config):
    unit_id = units_page(loaded, Filters(AS_OF), "zh", search="hangzhou").rows
    assert unit_id.empty  # 杭州丁 withdrew its only participant: not listed
    jia = int(units_page(loaded, Filters(AS_OF), "zh", search="suzhou").rows["unit_id"].iloc[0])
    detail = paging.unit_detail(loaded, jia, AS_OF, "zh")
    assert dict(zip(detail["field"], detail["value"], strict=True))["省份"] == "江苏"
    # Looking back, the details count the people the list counts that day (they counted all four).
    early = dt.date(2023, 3, 4)
    listed = units_page(loaded, Filters(early), "zh", search="suzhou").rows
    detail = paging.unit_detail(loaded, jia, early, "zh")
    counted = dict(zip(detail["field"], detail["value"], strict=True))["人数"]
    assert counted == str(listed["participants"].iloc[0]) == "2"  # 甲一 and 甲二
    members = participants_page(loaded, config, Filters(AS_OF).for_unit(jia), "zh")
    # In pinyin order (jia er, san, si, yi); by character code 一 came first.
    assert members.rows["name"].tolist() == ["甲二", "甲三", "甲四", "甲一"]


def test_quality_lists(loaded, config):
    lists = quality.quality(loaded, config, Filters(AS_OF), "en")
    assert lists["passport_expiring"]["name"].tolist() == ["丙二", "甲二", "乙二"]
    assert (
        lists["skipped_rows"].empty and lists["duplicate_passports"].empty and lists["passport_format"].empty
    )
    loaded.execute("update participants set passport_number = 'E90000101' where name = '乙一'")
    loaded.execute("update participants set passport_number = 'X-1' where name = '丙一'")
    lists = quality.quality(loaded, config, Filters(AS_OF), "en")
    assert lists["duplicate_passports"][["passport_number", "units"]].values.tolist() == [["E*****101", 2]]
    assert lists["passport_format"]["name"].tolist() == ["丙一"]
    full = quality.quality(loaded, config, Filters(AS_OF), "en", show_full=True)
    assert full["duplicate_passports"]["passport_number"].tolist() == ["E90000101"]


def test_quality_lists_are_cut_in_duckdb_page_by_page(loaded, config):
    """Two rows a page: each list counts its whole length, the pages in turn are the whole list, a
    page past the end is the last one, and the masking holds on every page."""
    loaded.execute(
        "update participants set passport_number = 'X-' || participant_id || '-00' where name like '甲%'"
    )
    f = Filters(AS_OF)
    whole = quality.quality(loaded, config, f, "en")
    assert len(whole["passport_format"]) > 2 and len(whole["passport_expiring"]) > 2
    first = quality.quality_pages(loaded, config, f, "en", (1,) * 6, 2)
    assert {n: p.total for n, p in first.items()} == {n: len(rows) for n, rows in whole.items()}
    for name in ("passport_format", "passport_expiring"):
        pages = [quality.quality_pages(loaded, config, f, "en", (n,) * 6, 2)[name] for n in (1, 2, 3)]
        assert [p.page for p in pages] == [1, 2, 2]  # page 3 is past the end: the last page
        joined = pd.concat([pages[0].rows, pages[1].rows], ignore_index=True)
        pd.testing.assert_frame_equal(joined, whole[name])
    masked = first["passport_format"].rows["passport_number"].tolist()
    full = quality.quality_pages(loaded, config, f, "en", (1,) * 6, 2, show_full=True)["passport_format"]
    assert all(m.startswith("X") and "*" in m for m in masked)
    assert full.rows["passport_number"].tolist() == whole_full_first_two(loaded, config, f)
    assert not set(masked) & set(full.rows["passport_number"])


def whole_full_first_two(con, config, filters) -> list[str]:
    return quality.quality(con, config, filters, "en", show_full=True)["passport_format"][
        "passport_number"
    ].tolist()[:2]


def test_data_version_moves_with_every_write(loaded, config, tmp_path):
    from delegation.ingest import import_file
    from tests.conftest import write_xlsx

    before = figures.data_version(loaded)
    import_file(
        loaded, config, write_xlsx(tmp_path / "more.xlsx", {"S": [["单位", "姓名"], ["新单位", "新人"]]})
    )
    assert figures.data_version(loaded) > before


def test_looks_in_the_audit_log_leave_the_counted_version_still(loaded, config, tmp_path):
    # A staffer's export moved the data version, and every screen in a meeting room redrew the
    # overview; an export, a scan viewed, a sign-in change nothing it counts.
    from delegation import ROOT
    from delegation.db import append_audit
    from delegation.ingest import import_file
    from tests.conftest import write_xlsx

    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "delegation").rglob("*.py"))
    written = set(re.findall(r'"([a-z_]+(?:\.[a-z_]+)?)"', source))
    written |= {"document.view", "document.download"}  # documents.log_scan writes f"document.{how}"
    assert set(figures.LOOKS) <= written  # each a name the code really writes: a typo never matches
    counted, every = figures.counted_version(loaded), figures.data_version(loaded)
    for action in figures.LOOKS:
        append_audit(loaded, "staff", action, "list:units", {})
    assert figures.data_version(loaded) == every + len(figures.LOOKS)
    assert figures.counted_version(loaded) == counted
    import_file(
        loaded, config, write_xlsx(tmp_path / "more.xlsx", {"S": [["单位", "姓名"], ["新单位", "新人"]]})
    )
    assert figures.counted_version(loaded) > counted


def test_a_search_of_only_ignored_marks_finds_nothing(loaded, config):
    # The search drops %, _, quotes and emoji; an entry of only those listed every unit.
    for query in ("%_'\";--", "🙂", "、。"):
        assert units_page(loaded, Filters(AS_OF), "en", search=query).total == 0, query
        assert participants_page(loaded, config, Filters(AS_OF), "en", search=query).total == 0
        assert paging.unit_options(loaded, query) == {}
    assert units_page(loaded, Filters(AS_OF), "en", search="  ").total == 3  # blank: all
    assert units_page(loaded, Filters(AS_OF), "en", search="su zhou").total == 1


def test_unit_options_are_searched_not_listed_whole(loaded):
    every = paging.unit_options(loaded)
    assert sorted(every.values()) == sorted(r[0] for r in loaded.execute("select name from units").fetchall())
    assert set(paging.unit_options(loaded, "xianbing").values()) == {"西安丙新能源有限公司"}  # pinyin
    assert set(paging.unit_options(loaded, "tyy").values()) == {"太原乙环保有限公司"}  # initials
    assert len(paging.unit_options(loaded, "youxian")) == 4  # 有限公司, in every name
    jia = next(k for k, v in every.items() if v.startswith("苏州"))
    limited = paging.unit_options(loaded, "tyy", chosen=(jia,), limit=1)
    assert list(limited.values()) == [
        "苏州甲机械有限公司",
        "太原乙环保有限公司",
    ]  # the chosen first, then matches
    assert len(paging.unit_options(loaded, limit=2)) == 2


def test_unit_detail_masks_the_contact_unless_show_full(loaded):
    jia = int(units_page(loaded, Filters(AS_OF), "en", search="suzhou").rows["unit_id"].iloc[0])
    loaded.execute(
        "update units set contact_mobile = '13812347532', contact_email = 'li.na@example.com' where unit_id = ?",
        [jia],
    )

    def contact(**options) -> tuple[str, str]:
        detail = dict(zip(*paging.unit_detail(loaded, jia, AS_OF, "en", **options).values.T, strict=True))
        return detail["Contact mobile"], detail["Contact e-mail"]

    assert contact() == ("138****7532", "l***@example.com")
    assert contact(show_full=True) == ("13812347532", "li.na@example.com")
