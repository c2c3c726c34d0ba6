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


def _style(
    fig: go.Figure, title: str, *, large: bool = False, height: int | None = None, subtitle: str = ""
) -> go.Figure:
    size = LARGE_TEXT if large else 13
    heading: dict[str, Any] = {"text": title, "x": 0, "font": {"size": size + 4, "color": TEXT_COLOUR}}
    if subtitle:
        heading["subtitle"] = {"text": subtitle, "font": {"size": size, "color": TEXT_COLOUR}}
    fig.update_layout(
        title=heading,
        font={"family": FONT, "size": size, "color": TEXT_COLOUR},
        legend={"font": {"size": size, "color": TEXT_COLOUR}},
        colorway=PALETTE,
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin={"l": 10, "r": 20, "t": 50, "b": 10},
        showlegend=False,
        height=height,
        hoverlabel={"font_family": FONT},
    )
    ticks = {"size": size, "color": TEXT_COLOUR}
    fig.update_xaxes(
        showgrid=True,
        gridcolor="#eeeeee",
        zeroline=False,
        linecolor="#cccccc",
        tickfont=ticks,
        title_font=ticks,
    )
    fig.update_yaxes(showgrid=False, zeroline=False, linecolor="#cccccc", tickfont=ticks, title_font=ticks)
    return fig


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
    fig = go.Figure(
        go.Bar(
            x=df["participants"].iloc[last_first],
            y=[two_lines(label) for label in df["label"].iloc[last_first]],
            customdata=df["label"].iloc[last_first],
            orientation="h",
            marker_color=colours[last_first],
            text=texts[last_first],
            textposition="outside",
            textfont={"color": TEXT_COLOUR},
            cliponaxis=False,
            hovertemplate=hover,
        )
    )
    fig.update_xaxes(title_text=value_title)
    _style(fig, title, large=large, height=height or rows_height(max(rows, len(df))), subtitle=subtitle)
    if subtitle:
        fig.update_layout(margin_t=75)
    if large:  # a shared screen: every bar's label, and its number at full size beside it
        fig.update_yaxes(dtick=1)
        fig.update_layout(uniformtext={"minsize": LARGE_TEXT, "mode": "show"})
        if height:  # fitted to the screen: the numbers beside the bars say what the axis would
            fig.update_xaxes(showticklabels=False, title_text=None)
            fig.update_layout(margin_b=5, margin_t=45)
    # The texts are printed right of the bars: the right margin holds the widest one, in pixels,
    # whatever the chart's width (plotly's autorange leaves no room for outside text).
    widest = max((len(text) for text in texts), default=1)
    fig.update_layout(margin_r=20 + round(DIGIT_WIDTH * fig.layout.font.size * widest))
    return fig


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
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=actual["day"],
            y=actual["participants"],
            name=labels["participants"],
            mode="lines",
            line={"color": PALETTE[0], "width": 3, "shape": "hv"},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=actual["day"],
            y=actual["units"],
            name=labels["units"],
            mode="lines",
            line={"color": PALETTE[1], "width": 3, "shape": "hv"},
        )
    )
    if len(projection):
        fig.add_trace(
            go.Scatter(
                x=projection["day"],
                y=projection["participants"],
                name=labels["projection"],
                mode="lines+markers",
                line={"color": PALETTE[0], "width": 2, "dash": "dot"},
            )
        )
    fig.add_shape(
        type="line",
        x0=deadline,
        x1=deadline,
        y0=0,
        y1=1,
        xref="x",
        yref="paper",
        line={"color": URGENCY_COLOURS["week"], "width": 2, "dash": "dash"},
    )
    fig.add_annotation(
        x=deadline, y=1, xref="x", yref="paper", text=labels["deadline"], showarrow=False, yanchor="bottom"
    )
    fig.update_yaxes(title_text=labels["axis"], showgrid=True, gridcolor="#eeeeee", rangemode="tozero")
    days = [*actual["day"], *projection["day"], deadline]
    fig.update_xaxes(showgrid=False, **_date_ticks(labels, days))
    _style(fig, labels["title"], large=large, height=360)
    fig.update_layout(showlegend=True, legend={"orientation": "h", "y": -0.15})
    return fig


def completion_chart(
    df: pd.DataFrame, labels: dict[str, str], *, large: bool = False, rows: int = 0
) -> go.Figure:
    """Documents received over time against the number required; as tall as a `bar_chart` of
    `rows` bars beside it (given the same `rows`), else 320 px."""
    fig = go.Figure(
        go.Scatter(
            x=df["day"],
            y=df["received"],
            name=labels["received"],
            mode="lines+markers",
            line={"color": PALETTE[2], "width": 3, "shape": "hv"},
        )
    )
    if len(df):
        required = int(df["required"].iloc[0])
        fig.add_hline(
            y=required, line={"color": PALETTE[5], "dash": "dash"}, annotation_text=labels["required"]
        )
    fig.update_yaxes(title_text=labels["axis"], showgrid=True, gridcolor="#eeeeee", rangemode="tozero")
    fig.update_xaxes(**_date_ticks(labels, list(df["day"])))
    return _style(fig, labels["title"], large=large, height=rows_height(max(rows, BAR_ROWS)) if rows else 320)
