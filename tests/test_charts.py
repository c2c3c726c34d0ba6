"""Chart builders: traces, axes, categories and the house style."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from delegation import charts

SIGNUPS_LABELS = {
    "title": "T",
    "participants": "P",
    "units": "U",
    "projection": "Proj",
    "deadline": "D",
    "axis": "A",
    "dates": "%-m月%-d日",
    "dates_year": "%Y年%-m月%-d日",
}


def test_bar_chart_largest_on_top_others_grey():
    df = pd.DataFrame(
        {"key": ["Jiangsu", "Shanxi", "others"], "label": ["江苏", "山西", "其他"], "participants": [5, 3, 2]}
    )
    fig = charts.bar_chart(df, "按省份", "人数")
    bar = fig.data[0]
    assert bar.orientation == "h"
    assert list(bar.y) == ["其他", "山西", "江苏"]  # plotly draws the first category at the bottom
    assert list(bar.x) == [2, 3, 5]
    assert list(bar.marker.color) == [charts.OTHERS_COLOUR, charts.PALETTE[0], charts.PALETTE[0]]
    assert fig.layout.title.text == "按省份"
    assert fig.layout.xaxis.title.text == "人数"
    assert fig.layout.xaxis.range is None  # autorange; the counts go in the right margin
    assert fig.layout.margin.r == 20 + round(charts.DIGIT_WIDTH * 13)  # one digit at 13 px
    assert "Noto Sans CJK SC" in fig.layout.font.family


def test_bar_chart_right_margin_holds_the_widest_count():
    df = pd.DataFrame({"key": ["a", "b"], "label": ["甲", "乙"], "participants": [16364, 980]})
    small, large = charts.bar_chart(df, "t", "v"), charts.bar_chart(df, "t", "v", large=True)
    assert small.layout.margin.r == 20 + round(charts.DIGIT_WIDTH * 13 * 5)
    assert large.layout.margin.r == 20 + round(charts.DIGIT_WIDTH * 18 * 5)  # presentation mode
    empty = charts.bar_chart(df.iloc[:0], "t", "v")
    assert empty.layout.margin.r == 20 + round(charts.DIGIT_WIDTH * 13)


def test_long_bar_labels_go_on_two_lines_and_hover_shows_them_whole():
    long = "Energy saving and environmental protection"
    assert charts.two_lines(long) == "Energy saving and<br>environmental protection"  # nearest the middle
    assert charts.two_lines("Agricultural product trade") == "Agricultural<br>product trade"
    assert charts.two_lines("Machinery and equipment") == "Machinery and equipment"  # short enough
    chinese = "新能源汽车电池、储能设备制造与系统集成及相关技术服务业"  # 27 characters, no space
    assert len(chinese) > charts.WRAP_AFTER and charts.two_lines(chinese) == chinese
    assert charts.two_lines("x" * 30) == "x" * 30  # nowhere to break
    assert charts.two_lines("Supercalifragilisticexpialidocious x") == "Supercalifragilisticexpialidocious x"
    assert charts.two_lines("  Energy saving  and environmental protection ") == (
        "Energy saving and<br>environmental protection"  # spaces around and doubled are dropped
    )
    assert charts.two_lines(None) is None
    df = pd.DataFrame(
        {"key": ["e", "g"], "label": [long, "Green development"], "participants": [8, 5], "share": [0.8, 0.5]}
    )
    bars = charts.bar_chart(df, "t", "v").data[0]
    assert list(bars.y) == ["Green development", "Energy saving and<br>environmental protection"]
    assert list(bars.customdata) == ["Green development", long] and "%{customdata}" in bars.hovertemplate
    shares = charts.share_chart(df, "t", "v").data[0]
    assert list(shares.y) == ["Green development", "Energy saving and<br>environmental protection"]
    assert list(shares.customdata) == ["Green development", long] and "%{customdata}" in shares.hovertemplate


def test_share_chart_labels_count_and_percent():
    df = pd.DataFrame(
        {"key": ["a", "b"], "label": ["绿色发展", "电子商务"], "participants": [6, 3], "share": [0.6, 0.3]}
    )
    fig = charts.share_chart(df, "主题", "人数")
    bar = fig.data[0]
    assert bar.orientation == "h"
    assert list(bar.y) == ["电子商务", "绿色发展"]  # the frame's first on top
    assert list(bar.x) == [3, 6]
    assert list(bar.text) == ["3 (30%)", "6 (60%)"]
    assert fig.layout.xaxis.title.text == "人数"
    assert fig.layout.margin.r == 20 + round(charts.DIGIT_WIDTH * 13 * len("6 (60%)"))  # room for the text
    # Charts side by side line up when given the same number of rows, whatever their own number.
    assert fig.layout.height == charts.share_chart(df.iloc[:1], "t", "v").layout.height == 34 * 4 + 100
    assert charts.share_chart(df, "t", "v", rows=6).layout.height == 34 * 6 + 100
    assert charts.share_chart(df, "t", "v", rows=2).layout.height == 34 * 4 + 100  # its least height


def test_bar_charts_keep_their_least_height_whatever_rows_they_are_given():
    two = pd.DataFrame({"key": ["a", "b"], "label": ["甲", "乙"], "participants": [2, 1]})
    # A filter leaving two provinces does not shrink the chart to a strip.
    assert charts.bar_chart(two, "t", "v").layout.height == 34 * charts.BAR_ROWS + 100
    assert charts.bar_chart(two, "t", "v", rows=3).layout.height == 34 * charts.BAR_ROWS + 100
    assert charts.bar_chart(two, "t", "v", rows=13).layout.height == 34 * 13 + 100  # its twin's rows


def test_signups_chart_projection_and_deadline():
    actual = pd.DataFrame(
        {"day": [dt.date(2023, 3, 1), dt.date(2023, 3, 2)], "units": [1, 2], "participants": [2, 5]}
    )
    projection = pd.DataFrame({"day": [dt.date(2023, 3, 2), dt.date(2023, 3, 31)], "participants": [5, 40]})
    fig = charts.signups_chart(actual, projection, dt.date(2023, 3, 31), SIGNUPS_LABELS)
    assert fig.layout.xaxis.tickformat == "%-m月%-d日" and fig.layout.xaxis.hoverformat == "%Y-%m-%d"
    assert [t.name for t in fig.data] == ["P", "U", "Proj"]
    assert fig.data[2].line.dash == "dot"
    assert fig.layout.shapes[0].x0 == dt.date(2023, 3, 31)
    assert fig.layout.annotations[0].text == "D"
    assert fig.layout.showlegend is True
    without = charts.signups_chart(actual, projection.iloc[0:0], dt.date(2023, 3, 31), SIGNUPS_LABELS)
    assert [t.name for t in without.data] == ["P", "U"]


def test_large_type_for_presentation():
    df = pd.DataFrame({"key": ["a"], "label": ["A"], "participants": [1]})
    assert (
        charts.bar_chart(df, "t", "v", large=True).layout.font.size
        > charts.bar_chart(df, "t", "v").layout.font.size
    )


def test_completion_chart_days_in_the_page_language_and_the_required_line():
    df = pd.DataFrame(
        {"day": [dt.date(2023, 3, 1), dt.date(2023, 3, 5)], "received": [3, 7], "required": [10, 10]}
    )
    labels = {
        "title": "T",
        "received": "R",
        "required": "Q",
        "axis": "A",
        "dates": "%b %-d",
        "dates_year": "%b %-d, %Y",
    }
    fig = charts.completion_chart(df, labels)
    assert list(fig.data[0].y) == [3, 7]
    assert fig.layout.xaxis.tickformat == "%b %-d" and fig.layout.xaxis.hoverformat == "%Y-%m-%d"
    assert fig.layout.shapes[0].y0 == 10 and fig.layout.annotations[0].text == "Q"
    # Beside the province bars it is as tall as they are (474 px beside 320 before); alone, 320 px.
    for n in (3, 17):
        bars = pd.DataFrame(
            {"key": list("abcdefghijklmnopq")[:n], "label": ["L"] * n, "participants": [1] * n}
        )
        beside = charts.bar_chart(bars, "t", "v", rows=n).layout.height
        assert charts.completion_chart(df, labels, rows=n).layout.height == beside == 34 * max(n, 11) + 100
    assert fig.layout.height == 320


def test_short_time_axes_tick_once_a_day_whatever_the_days_look_like():
    labels = {
        "title": "T",
        "received": "R",
        "required": "Q",
        "axis": "A",
        "dates": "%b %-d",
        "dates_year": "%b %-d, %Y",
    }

    def dtick(days):
        df = pd.DataFrame({"day": days, "received": range(len(days)), "required": [9] * len(days)})
        return charts.completion_chart(df, labels).layout.xaxis.dtick

    assert dtick([dt.date(2023, 3, 1), dt.date(2023, 3, 6)]) == charts.DAY_MS  # five days
    assert dtick([dt.date(2023, 3, 1), dt.date(2023, 3, 7)]) is None  # six: plotly's own spacing
    assert dtick([]) == charts.DAY_MS
    # Strings of several shapes are all read (pandas alone takes the first one's format for all).
    assert dtick(["2023-03-01", "2023-03-20 00:00", "2023/04/30"]) is None


def test_a_time_axis_over_more_than_one_year_shows_the_years():
    labels = {**SIGNUPS_LABELS, "dates": "%b %-d", "dates_year": "%b %-d, %Y"}
    within = pd.DataFrame(
        {"day": pd.to_datetime(["2023-02-01", "2023-03-20"]), "units": [1, 2], "participants": [1, 3]}
    )
    across = pd.DataFrame(
        {"day": pd.to_datetime(["2022-12-20", "2023-03-20"]), "units": [1, 2], "participants": [1, 3]}
    )
    none = pd.DataFrame({"day": [], "participants": []})
    assert (
        charts.signups_chart(within, none, dt.date(2023, 3, 31), labels).layout.xaxis.tickformat == "%b %-d"
    )
    assert (
        charts.signups_chart(across, none, dt.date(2023, 3, 31), labels).layout.xaxis.tickformat
        == "%b %-d, %Y"
    )


def test_charts_on_a_shared_screen_use_large_dark_type_and_label_every_bar():
    bars = pd.DataFrame(
        {
            "key": [f"p{i}" for i in range(11)],
            "label": [f"P{i}" for i in range(11)],
            "participants": range(11, 0, -1),
        }
    )
    fig = charts.bar_chart(bars, "t", "v", large=True, height=370)
    assert fig.layout.height == 370 and fig.layout.yaxis.dtick == 1  # every province's label
    assert fig.layout.yaxis.tickfont.size >= 18 and fig.layout.uniformtext.minsize >= 18
    assert fig.layout.font.color == charts.TEXT_COLOUR and fig.data[0].textfont.color == charts.TEXT_COLOUR
    small = charts.bar_chart(bars, "t", "v")
    assert small.layout.yaxis.tickfont.size == 13 and small.layout.uniformtext.minsize is None


def test_a_figure_is_built_once_for_the_same_data_and_words_and_anew_for_others():
    from delegation import ui

    df = pd.DataFrame({"key": ["Jiangsu", "Shanxi"], "label": ["江苏", "山西"], "participants": [5, 3]})
    first = ui.figure(charts.bar_chart, df, "按省份", "人数", rows=2)
    again = ui.figure(charts.bar_chart, df.copy(), "按省份", "人数", rows=2)
    assert again is first  # shared: the same data and words (another session's frame) build nothing
    assert first.to_json() == charts.bar_chart(df, "按省份", "人数", rows=2).to_json()
    moved = df.assign(participants=[5, 4])
    other = ui.figure(charts.bar_chart, moved, "按省份", "人数", rows=2)
    assert other is not first and list(other.data[0].x) == [4, 5]
    english = ui.figure(charts.bar_chart, df, "By province", "People", rows=2)
    assert english.layout.title.text == "By province" and first.layout.title.text == "按省份"
