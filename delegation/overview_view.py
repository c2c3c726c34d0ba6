"""What the overview page shows: the figures of its one query and its five charts, built together
for one data version, filter set, language and mode, so that every session showing the same can
share one copy (`ui.shared`): a meeting room of viewers reruns the page after each change of the
data, and each rebuilt the same charts before."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import plotly.graph_objects as go

from delegation import charts, figures
from delegation.config import EventConfig
from delegation.filters import Filters
from delegation.i18n import and_list, text

# In presentation mode the first row of charts shares a 1280×720 screen with the figures above it.
PRESENTED_CHART_PX = 370


@dataclass(frozen=True)
class OverviewView:
    """The overview as the page draws it. `charts`: province, theme, signups, sector and city, each
    a Plotly figure, none when nobody is counted and no city chart when everyone visits every city;
    `everyone_visits`: the sentence for the cities everyone visits ("" when there is none)."""

    shown: figures.Overview
    charts: dict[str, go.Figure]
    everyone_visits: str


def overview_view(
    con: duckdb.DuckDBPyConnection, config: EventConfig, filters: Filters, lang: str, large: bool
) -> OverviewView:
    """The overview for these filters in `lang`; `large`: the presentation mode's sizes."""
    shown = figures.overview(con, config, filters, lang)
    if shown.headline.participants == 0:
        return OverviewView(shown, {}, "")

    def t(key: str) -> str:
        return text(key, lang)

    people = t("chart.participants_axis")
    provinces, themes = shown.breakdowns["province"], shown.breakdowns["theme"]
    rows = max(len(provinces), len(themes))  # the two charts of a row keep one least height
    height = PRESENTED_CHART_PX if large else None
    built = {
        "province": charts.bar_chart(
            provinces, t("overview.by_province"), people, large=large, rows=rows, height=height
        ),
        "theme": charts.share_chart(
            themes, t("overview.by_theme"), people, large=large, rows=rows, height=height
        ),
        "signups": charts.signups_chart(
            shown.signups.actual,
            shown.signups.projection,
            config.registration_deadline,
            {
                "title": t("chart.signups"),
                "participants": t("overview.participants"),
                "units": t("overview.units"),
                "projection": t("chart.projection"),
                "deadline": t("chart.deadline"),
                "axis": t("chart.cumulative"),
                "dates": t("chart.date_format"),
                "dates_year": t("chart.date_format_year"),
            },
            large=large,
        ),
    }
    # A city everyone visits (the forum's) is said in words: as a bar it was one long 100% bar.
    sectors = shown.breakdowns["sector"]
    everyone, cities = figures.everyone_chose(shown.breakdowns["city"])
    said = t("overview.everyone_visits").format(cities=and_list(everyone, lang)) if everyone else ""
    rows = max(len(sectors), len(cities))
    built["sector"] = charts.bar_chart(sectors, t("overview.by_sector"), people, large=large, rows=rows)
    if len(cities):
        built["city"] = charts.share_chart(
            cities, t("overview.by_city"), people, large=large, rows=rows, subtitle=said
        )
    return OverviewView(shown, built, said)
