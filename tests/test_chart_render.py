"""Charts as Chromium draws them: what only plotly.js decides (tick labels, the plot area left
once labels are laid out) cannot be read off the figure's Python object."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from playwright.sync_api import Page, sync_playwright

from delegation import charts
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS
from tests.test_charts import SIGNUPS_LABELS

DATES_EN = "%b %-d"
COMPLETION = {
    "title": "T",
    "received": "R",
    "required": "Q",
    "axis": "A",
    "dates": DATES_EN,
    "dates_year": "%b %-d, %Y",
}
SIGNUPS = {**SIGNUPS_LABELS, "dates": DATES_EN, "dates_year": "%b %-d, %Y"}


@pytest.fixture(scope="module")
def page() -> Iterator[Page]:
    assert Path(CHROMIUM).exists(), "Debian's chromium is needed: apt-get install -y chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser.new_page(viewport={"width": 640, "height": 480})
        browser.close()


def drawn(page: Page, fig: go.Figure, width: int = 600) -> Page:
    fig.update_layout(width=width)
    page.set_content(fig.to_html(include_plotlyjs=True, full_html=True))
    # Drawn, not necessarily visible: Chromium may count an edge tick's label as hidden.
    page.wait_for_selector(".xtick text", state="attached")
    return page


def x_ticks(page: Page) -> list[str]:
    """The x axis's tick labels once plotly has settled (it may draw the axis again once it has
    measured the margins)."""
    read = "() => [...document.querySelectorAll('.xtick text')].map(e => e.textContent)"
    ticks = page.evaluate(read)
    for _ in range(50):
        page.wait_for_timeout(100)
        again = page.evaluate(read)
        if again == ticks:
            return ticks
        ticks = again
    raise AssertionError(f"the ticks kept changing: {ticks}")


def plot_height(page: Page) -> float:
    """The height of the plot area (the bars' room), as drawn."""
    return page.eval_on_selector(".nsewdrag", "e => e.getBoundingClientRect().height")


def days(first: dt.date, n: int) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range(n)]


@pytest.mark.parametrize("n", [1, 2, 3, 6])
def test_a_few_days_of_documents_tick_once_a_day(page, n):
    shown = days(dt.date(2023, 3, 1), n)
    df = pd.DataFrame({"day": shown, "received": range(1, n + 1), "required": [n + 2] * n})
    ticks = x_ticks(drawn(page, charts.completion_chart(df, COMPLETION)))
    # Plotly's own choice put ticks every 12 hours: "Mar 1, Mar 1, Mar 2, Mar 2, Mar 3".
    assert ticks == [d.strftime("%b ") + str(d.day) for d in shown]


@pytest.mark.parametrize(("n", "width"), [(8, 330), (30, 600)])
def test_longer_spans_keep_plotly_s_spacing(page, n, width):
    shown = days(dt.date(2023, 3, 1), n)
    df = pd.DataFrame({"day": shown, "received": range(1, n + 1), "required": [n + 2] * n})
    ticks = x_ticks(drawn(page, charts.completion_chart(df, COMPLETION), width=width))
    # Thinned to every other day or every week in a chart this narrow, each day once.
    assert 3 <= len(ticks) <= n // 2 and len(set(ticks)) == len(ticks)


def test_the_first_days_of_sign_ups_tick_once_a_day(page):
    # Registration opened on 1 March and the deadline is the 3rd: three days on the axis.
    actual = pd.DataFrame({"day": days(dt.date(2023, 3, 1), 2), "units": [1, 2], "participants": [2, 5]})
    projection = pd.DataFrame({"day": [dt.date(2023, 3, 2), dt.date(2023, 3, 3)], "participants": [5, 8]})
    fig = charts.signups_chart(actual, projection, dt.date(2023, 3, 3), SIGNUPS)
    assert x_ticks(drawn(page, fig)) == ["Mar 1", "Mar 2", "Mar 3"]


def test_theme_and_city_charts_side_by_side_have_the_same_room_for_bars(page):
    themes = pd.DataFrame(
        {
            "key": ["green", "ecommerce", "agri", "investment"],
            "label": ["Green development", "E-commerce", "Agricultural product trade", "Two-way investment"],
            "participants": [540, 521, 532, 533],
            "share": [0.54, 0.521, 0.532, 0.533],
        }
    )
    cities = pd.DataFrame(
        {
            "key": ["la", "sf", "nc", "ny"],
            "label": ["Los Angeles", "San Francisco", "North Carolina", "New York"],
            "participants": [1000, 481, 509, 496],
            "share": [1.0, 0.481, 0.509, 0.496],
        }
    )
    for large in (False, True):  # at a laptop's half width, and presenting
        heights = [
            plot_height(drawn(page, charts.share_chart(frame, "t", "Participants", large=large), width=560))
            for frame in (themes, cities)
        ]
        # Under columns, plotly slanted the long theme names, which took the bars' room.
        assert heights[0] == heights[1] and heights[0] > 100
