"""Data frame → Plotly figure, in one house style: colour-blind-safe, CJK-capable, no chart junk."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import plotly.graph_objects as go

# Okabe–Ito: distinguishable with every common form of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
FONT = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, Helvetica, Arial, sans-serif"
URGENCY_COLOURS = {"passed": "#7f7f7f", "week": "#D55E00", "month": "#E69F00", "later": "#009E73"}


URGENCY_TEXT = {  # the same, dark enough for text (contrast at least 4.5:1 on the card's grey)
    "passed": "#595959",
    "week": "#B34700",
    "month": "#8A5A00",
    "later": "#00704F",
}
TEXT_COLOUR = "#222"  # 15:1 on white
LARGE_TEXT = 18  # presentation mode: every label, tick, axis title and legend at least this (px)


def _merged(base: dict[str, Any], *overrides: dict[str, Any]) -> dict[str, Any]:
    """`base` with each of `overrides` laid over it, nested dicts merged key by key (as plotly's
    `update_layout` merges), later ones winning."""
    out = dict(base)
    for over in overrides:
        for key, value in over.items():
            out[key] = (
                _merged(out[key], value)
                if isinstance(value, dict) and isinstance(out.get(key), dict)
                else value
            )
    return out


def _style(
    title: str, *, large: bool = False, height: int | None = None, subtitle: str = ""
) -> dict[str, Any]:
    """The house style as a Plotly layout. A chart's own layout is laid under it (the style wins)
    and what the chart sets after it over it; the figure is then made once from the whole
    (`go.Figure(data, layout)`): plotly checks each property as it is set, and the update calls
    checked each twice — they took half of an overview's five charts' time."""
    size = LARGE_TEXT if large else 13
    heading: dict[str, Any] = {"text": title, "x": 0, "font": {"size": size + 4, "color": TEXT_COLOUR}}
    if subtitle:
        heading["subtitle"] = {"text": subtitle, "font": {"size": size, "color": TEXT_COLOUR}}
    ticks = {"size": size, "color": TEXT_COLOUR}
    return {
        "title": heading,
        "font": {"family": FONT, "size": size, "color": TEXT_COLOUR},
        "legend": {"font": {"size": size, "color": TEXT_COLOUR}},
        "colorway": PALETTE,
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "margin": {"l": 10, "r": 20, "t": 50, "b": 10},
        "showlegend": False,
        "height": height,
        "hoverlabel": {"font": {"family": FONT}},
        "xaxis": {
            "showgrid": True,
            "gridcolor": "#eeeeee",
            "zeroline": False,
            "linecolor": "#cccccc",
            "tickfont": ticks,
            "title": {"font": ticks},
        },
        "yaxis": {
            "showgrid": False,
            "zeroline": False,
            "linecolor": "#cccccc",
            "tickfont": ticks,
            "title": {"font": ticks},
        },
    }


OTHERS_COLOUR = "#9e9e9e"
DIGIT_WIDTH = 0.65  # a digit's width in the house font, as a share of the font size
# A bar's label longer than this (in characters) goes on two lines.
WRAP_AFTER = 24
# The least height of a chart, in bars (the top ten provinces and "others"; the event's four
# themes or cities), so that a filter leaving two bars does not shrink the chart to a strip.
BAR_ROWS = 11
SHARE_ROWS = 4


def rows_height(rows: int) -> int:
    """The height of a bar chart of `rows` bars, in pixels; a chart beside one is given the same."""
    return 34 * rows + 100


def two_lines(label: str) -> str:
    """A long category label broken at the space nearest its middle, so that it takes about half
    the width beside the bars: "Energy saving and environmental protection" would
    otherwise take half a sector chart in a laptop's window. Short labels, labels that are not
    text and labels without a space near enough the middle (Chinese ones: the event's are at most
    seven characters) are kept as they are."""
    if not isinstance(label, str) or len(label) <= WRAP_AFTER:
        return label
    words = " ".join(label.split())
    spaces = [i for i, c in enumerate(words) if c == " "]
    at = min(spaces, key=lambda i: max(i, len(words) - 1 - i), default=None)  # the shortest longer line
    if at is None or max(at, len(words) - 1 - at) > 0.75 * len(words):
        return label  # no space, or none that takes a quarter off the width
    return f"{words[:at]}<br>{words[at + 1 :]}"


def _horizontal_bars(
    df: pd.DataFrame,
    texts: list[str],
    colours: list[str],
    hover: str,
    title: str,
    value_title: str,
    *,
    large: bool,
    rows: int,
    height: int | None = None,
    subtitle: str = "",
) -> go.Figure:
    """Horizontal bars in the frame's order from the top, each with its text printed right of it.

    `rows` (at least) sets the height, so charts side by side line up whatever their number of bars;
    `height` (pixels) sets it instead (presentation mode fits a screen).
    """
    last_first = slice(None, None, -1)  # plotly draws the first category at the bottom
    bars = {
        "type": "bar",
        "x": df["participants"].iloc[last_first],
        "y": [two_lines(label) for label in df["label"].iloc[last_first]],
        "customdata": df["label"].iloc[last_first],
        "orientation": "h",
        "marker": {"color": colours[last_first]},
        "text": texts[last_first],
        "textposition": "outside",
        "textfont": {"color": TEXT_COLOUR},
        "cliponaxis": False,
        "hovertemplate": hover,
    }
    style = _style(title, large=large, height=height or rows_height(max(rows, len(df))), subtitle=subtitle)
    layout = _merged({"xaxis": {"title": {"text": value_title}}}, style)
    if subtitle:
        layout = _merged(layout, {"margin": {"t": 75}})
    if large:  # a shared screen: every bar's label, and its number at full size beside it
        layout = _merged(
            layout, {"yaxis": {"dtick": 1}, "uniformtext": {"minsize": LARGE_TEXT, "mode": "show"}}
        )
        if height:  # fitted to the screen: the numbers beside the bars say what the axis would
            fitted = {
                "xaxis": {"showticklabels": False, "title": {"text": None}},
                "margin": {"b": 5, "t": 45},
            }
            layout = _merged(layout, fitted)
    # The texts are printed right of the bars: the right margin holds the widest one, in pixels,
    # whatever the chart's width (plotly's autorange leaves no room for outside text).
    widest = max((len(text) for text in texts), default=1)
    layout = _merged(layout, {"margin": {"r": 20 + round(DIGIT_WIDTH * layout["font"]["size"] * widest)}})
    return go.Figure(data=[bars], layout=layout)


def bar_chart(
    df: pd.DataFrame,
    title: str,
    value_title: str,
    *,
    large: bool = False,
    rows: int = 0,
    height: int | None = None,
) -> go.Figure:
    """Horizontal bars, largest on top; the frame's order is kept (queries sort it, 'others' last, in grey)."""
    colours = [OTHERS_COLOUR if k in ("others", "unknown") else PALETTE[0] for k in df["key"]]
    texts = [str(n) for n in df["participants"]]
    hover = "%{customdata}: %{x}<extra></extra>"
    return _horizontal_bars(
        df, texts, colours, hover, title, value_title, large=large, rows=max(rows, BAR_ROWS), height=height
    )


def share_chart(
    df: pd.DataFrame,
    title: str,
    value_title: str,
    *,
    large: bool = False,
    rows: int = 0,
    height: int | None = None,
    subtitle: str = "",
) -> go.Figure:
    """Bars with count and share of participants (choices can overlap, so shares exceed 100% together);
    `subtitle`: a line under the title (a choice everyone made, said in words).

    Beside the bars, not under columns: under columns plotly slanted the longer English themes,
    which took a third of the chart's height, so the theme chart came out shorter than the city
    chart beside it. Give both the same `rows` and they line up.
    """
    texts = [f"{n} ({s:.0%})" for n, s in zip(df["participants"], df["share"], strict=True)]
    colours = [PALETTE[0]] * len(df)
    hover = "%{customdata}: %{text}<extra></extra>"
    return _horizontal_bars(
        df,
        texts,
        colours,
        hover,
        title,
        value_title,
        large=large,
        rows=max(rows, SHARE_ROWS),
        height=height,
        subtitle=subtitle,
    )


DAY_MS = 86_400_000
# Over five days or less, plotly may put ticks every 12 or 6 hours, so each day's label came twice
# or more ("Mar 1, Mar 1, Mar 2…"), as in the first days of registration: such axes tick once a
# day. Over longer spans plotly's own spacing stays: it thins the labels in a narrow chart.
DAILY_TICKS_UP_TO = 5


def _date_ticks(labels: dict[str, str], days: list[Any]) -> dict[str, Any]:
    """Day ticks in the page's language (`labels["dates"]`, a d3 time format) and ISO days on
    hover, never more than one a day over the `days` the chart shows."""
    shown = pd.to_datetime(pd.Series(days), errors="coerce", format="mixed").dropna()
    # Days of more than one year carry their year ("2022年12月1日"): a month alone was ambiguous.
    spans_years = not shown.empty and shown.min().year != shown.max().year
    ticks: dict[str, Any] = {
        "tickformat": labels["dates_year" if spans_years else "dates"],
        "hoverformat": "%Y-%m-%d",
    }
    if shown.empty or (shown.max() - shown.min()).days <= DAILY_TICKS_UP_TO:
        ticks["dtick"] = DAY_MS
    return ticks


def signups_chart(
    actual: pd.DataFrame,
    projection: pd.DataFrame,
    deadline: dt.date,
    labels: dict[str, str],
    *,
    large: bool = False,
) -> go.Figure:
    """Cumulative units and participants, a dotted projection, and the deadline marked."""
    lines = [
        {
            "type": "scatter",
            "x": actual["day"],
            "y": actual[column],
            "name": labels[column],
            "mode": "lines",
            "line": {"color": colour, "width": 3, "shape": "hv"},
        }
        for column, colour in (("participants", PALETTE[0]), ("units", PALETTE[1]))
    ]
    if len(projection):
        lines.append(
            {
                "type": "scatter",
                "x": projection["day"],
                "y": projection["participants"],
                "name": labels["projection"],
                "mode": "lines+markers",
                "line": {"color": PALETTE[0], "width": 2, "dash": "dot"},
            }
        )
    days = [*actual["day"], *projection["day"], deadline]
    own = {
        "shapes": [
            {
                "type": "line",
                "x0": deadline,
                "x1": deadline,
                "y0": 0,
                "y1": 1,
                "xref": "x",
                "yref": "paper",
                "line": {"color": URGENCY_COLOURS["week"], "width": 2, "dash": "dash"},
            }
        ],
        "annotations": [
            {
                "x": deadline,
                "y": 1,
                "xref": "x",
                "yref": "paper",
                "text": labels["deadline"],
                "showarrow": False,
                "yanchor": "bottom",
            }
        ],
        "yaxis": {
            "title": {"text": labels["axis"]},
            "showgrid": True,
            "gridcolor": "#eeeeee",
            "rangemode": "tozero",
        },
        "xaxis": {"showgrid": False, **_date_ticks(labels, days)},
    }
    layout = _merged(own, _style(labels["title"], large=large, height=360))
    layout = _merged(layout, {"showlegend": True, "legend": {"orientation": "h", "y": -0.15}})
    return go.Figure(data=lines, layout=layout)


def completion_chart(
    df: pd.DataFrame, labels: dict[str, str], *, large: bool = False, rows: int = 0
) -> go.Figure:
    """Documents received over time against the number required; as tall as a `bar_chart` of
    `rows` bars beside it (given the same `rows`), else 320 px."""
    received = {
        "type": "scatter",
        "x": df["day"],
        "y": df["received"],
        "name": labels["received"],
        "mode": "lines+markers",
        "line": {"color": PALETTE[2], "width": 3, "shape": "hv"},
    }
    own: dict[str, Any] = {
        "yaxis": {
            "title": {"text": labels["axis"]},
            "showgrid": True,
            "gridcolor": "#eeeeee",
            "rangemode": "tozero",
        },
        "xaxis": _date_ticks(labels, list(df["day"])),
    }
    if len(df):  # the number required: a dashed line across, said at its right end
        required = int(df["required"].iloc[0])
        across = {"xref": "x domain", "yref": "y"}
        own["shapes"] = [
            {"type": "line", "x0": 0, "x1": 1, "y0": required, "y1": required, **across}
            | {"line": {"color": PALETTE[5], "dash": "dash"}}
        ]
        own["annotations"] = [
            {"text": labels["required"], "showarrow": False, "x": 1, "xanchor": "right", "y": required}
            | {"yanchor": "bottom", **across}
        ]
    height = rows_height(max(rows, BAR_ROWS)) if rows else 320
    return go.Figure(
        data=[received], layout=_merged(own, _style(labels["title"], large=large, height=height))
    )
