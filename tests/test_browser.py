"""The app in a real browser: Debian's Chromium driven by Playwright against the app as users start
it (`python -m delegation serve`). Each step waits for a condition (Streamlit's run over, an element
or a text there), never for a fixed time.

Screenshots go to tests/artifacts/ (git-ignored). This test never skips: without /usr/bin/chromium
it fails and says how to install it (`.ci/run` does).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect, sync_playwright

from delegation import ROOT, ui
from delegation.config import DEFAULT_CONFIG, load_config
from delegation.db import connect
from tests.conftest import write_xlsx
from tests.fixtures import HEADER, load_fixture

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(folder: Path, fill, env: dict[str, str] | None = None) -> Iterator[str]:
    """`python -m delegation serve` on a free port, on a database `fill(con, config, folder)` makes,
    refreshing every 3 seconds and reading the mailbox (if `env` sets one) every 2."""
    config_path = folder / "event.toml"
    config_path.write_text(
        DEFAULT_CONFIG.read_text(encoding="utf-8")
        .replace("refresh_seconds = 30", "refresh_seconds = 3")
        .replace("poll_seconds = 120", "poll_seconds = 2"),
        encoding="utf-8",
    )
    config = load_config(config_path)
    db = folder / "browser.duckdb"
    con = connect(config, db)
    fill(con, config, folder)
    con.close()
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DELEGATION_DB"},  # --db says which
        "DELEGATION_CONFIG": str(config_path),
        "DELEGATION_USERS": str(folder / "no-users.toml"),
        "DELEGATION_SECRETS": str(folder / "no-secrets.toml"),
        **(env or {}),
    }
    log_path = folder / "serve.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "delegation", "serve", "--db", str(db), "--port", str(port), "--headless"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://localhost:{port}"
    try:
        _wait_until_healthy(url, process, log_path)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def _wait_until_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    """Until the server's health check answers "ok" (60 s at most, and not once it has ended)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, f"serve ended: {log.read_text()}"
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as answer:
                if answer.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"serve did not answer: {log.read_text()}")


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """The app on the hand-counted fixture database."""
    yield from _serve(tmp_path_factory.mktemp("browser"), load_fixture)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Iterator[str]:
    """The app on 2 000 demo participants: eleven province bars, every document state."""
    from delegation.demo import load_demo

    yield from _serve(
        tmp_path_factory.mktemp("demo"), lambda con, config, _: load_demo(con, config, 2000, 2023)
    )


@pytest.fixture(scope="module")
def browser(server):
    assert Path(CHROMIUM).exists(), (
        "Debian's chromium is needed: apt-get install -y chromium (as .ci/run does)"
    )
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


APP = '[data-testid="stApp"]'
# Counts the runs that start in a page from now on: Streamlit's frame leaves "notRunning" for
# "rerunRequested" or "running" when one starts.
_COUNT_RUNS = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    window.ddRuns = 0;
    if (window.ddWatched !== app) {
        new MutationObserver(() => {
            if (app.getAttribute('data-test-script-state') !== 'notRunning') window.ddRuns += 1;
        }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
        window.ddWatched = app;
    }
}"""


def idle(page: Page, timeout: float = 30_000) -> None:
    """Until no run of the app's script is going on in `page`."""
    expect(page.locator(APP)).to_have_attribute("data-test-script-state", "notRunning", timeout=timeout)


def after_rerun(page: Page, action, timeout: float = 30_000) -> None:
    """Do `action` (a click, a choice) and wait until the run it starts is over. Any run counts,
    so only on a page without a timer of its own: on the overview the refresh timer's run can come
    first (`choose` waits for the URL instead)."""
    idle(page, timeout)
    page.evaluate(_COUNT_RUNS)
    action()
    page.wait_for_function("() => window.ddRuns > 0", timeout=timeout)
    idle(page, timeout)


def next_paint(page: Page) -> None:
    """Until the browser has drawn the page once more (a layout after a resize is on screen)."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def steady(page: Page, read, timeout: float = 15) -> object:
    """`read()` once two paints in a row give the same value (a chart has settled its margins)."""
    deadline = time.monotonic() + timeout
    last = read()
    while True:
        next_paint(page)
        now = read()
        if now == last or time.monotonic() > deadline:
            return now
        last = now


_INKED = """c => {
    const header = 36 * devicePixelRatio;  // the header row: drawn before any cell
    if (c.height <= header) return false;
    const d = c.getContext('2d').getImageData(0, header, c.width, c.height - header).data;
    for (let i = 0; i < d.length; i += 4) if (d[i] < 128 && d[i + 3] > 0) return true;
    return false;
}"""


def painted(grid: Locator, timeout: float = 30_000) -> Locator:
    """`grid` (a `stDataFrame`) once its cells are drawn (dark text below the header) and it
    stands still, with no run going on (a row's selection box is clicked by its place)."""
    page = grid.page
    expect(grid).to_be_visible(timeout=timeout)
    idle(page, timeout)
    canvas = grid.locator('canvas[data-testid="data-grid-canvas"]').element_handle(timeout=timeout)
    page.wait_for_function(_INKED, arg=canvas, timeout=timeout)
    steady(page, grid.bounding_box)
    return grid


def metric(page: Page, label: str):
    """The value element of the metric with this label."""
    box = page.locator('[data-testid="stMetric"]').filter(has=page.get_by_text(label, exact=True))
    return box.locator('[data-testid="stMetricValue"]')


def type_choice(page: Page, box: Locator, option: str) -> None:
    """Choose `option` in a select box as a keyboard user does: type it, then Enter on the first
    option the typing leaves (which must be it)."""
    box.press_sequentially(option)
    expect(page.get_by_role("option").first).to_have_text(option)
    page.keyboard.press("Enter")


def choose(page: Page, label: str, option: str) -> None:
    """Pick an option in the sidebar multiselect with this label, by keyboard as a user can (type
    it, Enter), and wait until the run the choice starts has written the URL and ended.

    A mouse click on an option can be lost on a busy machine (the option was highlighted, not
    chosen: seen in CI), and a run of the refresh timer can end between the choice and the run it
    starts; the URL changes only in the run the choice starts.
    """
    select = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
        has=page.get_by_text(label, exact=True)
    )
    idle(page)
    before = page.url
    type_choice(page, select.locator("input"), option)
    page.keyboard.press("Escape")
    expect(select.get_by_text(option, exact=True)).to_be_visible()  # the chip
    page.wait_for_function("before => location.href !== before", arg=before, timeout=30_000)
    idle(page)


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_overview_language_filter_pages_and_live_refresh(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/?as_of=2023-03-20")
    expect(metric(page, "参团人数")).to_have_text("10", timeout=30_000)
    expect(page.locator('[data-testid="stPlotlyChart"]').first).to_be_visible(timeout=30_000)
    shot(page, "overview_zh")

    # The radio's own input is visually hidden by Streamlit's theme, hence force.
    page.locator('[data-testid="stSidebar"]').get_by_role("radio", name="English").check(force=True)
    expect(metric(page, "Participants")).to_have_text("10", timeout=15_000)

    choose(page, "Province", "Jiangsu")
    choose(page, "Forum theme", "Green development")
    expect(metric(page, "Participants")).to_have_text(
        "3", timeout=15_000
    )  # Jiangsu, green development, 20 March
    expect(page).to_have_url(re.compile(r"province=Jiangsu"))
    expect(page).to_have_url(re.compile(r"theme=green_development"))
    shot(page, "overview_en_jiangsu_green")

    page.locator('[data-testid="stSidebarNav"]').get_by_text("Registrations", exact=True).click()
    expect(page.get_by_text("Units: 1 · page 1 of 1")).to_be_visible(timeout=15_000)
    page.get_by_role("tab", name="Participants").click()
    expect(page.get_by_text("Participants: 3 · page 1 of 1")).to_be_visible(timeout=15_000)
    painted(page.locator('[data-testid="stDataFrame"]').last)
    shot(page, "registrations_filtered")
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Overview", exact=True).click()
    expect(metric(page, "Participants")).to_have_text("3", timeout=15_000)

    # Another session imports two more Jiangsu people interested in green development.
    staff = browser.new_page()
    staff.goto(f"{server}/import?lang=en")
    form = write_xlsx(
        tmp_path / "late.xlsx",
        {
            "S": [
                HEADER,
                *[
                    [
                        "苏州甲机械有限公司",
                        "江苏省",
                        "机械设备",
                        n,
                        "",
                        "",
                        "否",
                        "绿色发展",
                        "洛杉矶",
                        "2023-03-19",
                    ]
                    for n in ("甲五", "甲六")
                ],
            ]
        },
    )
    staff.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(form))
    staff.get_by_role("button", name="Import", exact=True).click()
    expect(staff.get_by_text(re.compile(r"late\.xlsx: 2 rows read, 2 added"))).to_be_visible(timeout=30_000)
    expect(metric(page, "Participants")).to_have_text("5", timeout=15_000)  # refreshes every 3 s by itself
    shot(page, "overview_after_live_import")


def test_the_first_session_after_start_opens_a_link_in_the_apps_frame_and_keeps_its_first_change(
    browser, tmp_path
):
    # Left to itself Streamlit takes pages/ beside app.py for an old-style multipage app until a run
    # reaches st.navigation: the first session's link to /registrations ran pages/registrations.py
    # alone, under a list of every script ("app", "audit", …), signed in as nobody. `serve` tells
    # Streamlit before that session (delegation/serve.py); a server of its own, so that this
    # session is its first.
    (tmp_path / "first").mkdir()
    serving = _serve(tmp_path / "first", load_fixture)
    url = next(serving)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/registrations?lang=en&as_of=2023-03-20")
        expect(page.get_by_text("Units: 3 · page 1 of 1")).to_be_visible(timeout=30_000)
        nav = page.locator('[data-testid="stSidebarNav"]')
        expect(nav.get_by_text("Registrations", exact=True)).to_be_visible()
        expect(nav.get_by_text("app", exact=True)).to_have_count(0)
        idle(page)
        page.locator('[data-testid="stSidebar"]').get_by_role("radio", name="中文").check(force=True)
        expect(page.get_by_text("共 3 家单位 · 第 1/1 页")).to_be_visible(timeout=15_000)
        page.close()
    finally:
        next(serving, None)


def test_presentation_mode_on_a_shared_screen(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(f"{server}/?as_of=2023-03-02&present=1&lang=zh")
    expect(metric(page, "参团人数")).to_have_text("2", timeout=30_000)  # 甲一 and 甲二 by 2 March
    idle(page)
    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
    size = page.locator('[data-testid="stMetricValue"]').first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    assert size >= 36  # large type
    body = page.locator("body").inner_text()
    assert "E90000101" not in body and "甲一" not in body  # aggregates only
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0  # no way to the lists while presenting
    shot(page, "presentation_1280x720")


# Where a line of a title may end: after a space or a closing or separating mark, or before an opening one.
_BREAK_AFTER = set(" \u3000—–-）)、，,：:")
_BREAK_BEFORE = set("（(")
_TITLE_BREAKS = """h => {
    const chars = [];
    const walk = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
    while (walk.nextNode()) {
        const node = walk.currentNode;
        for (let i = 0; i < node.length; i++) {
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const rect = range.getClientRects()[0];
            if (rect) chars.push([node.data[i], rect.top]);
        }
    }
    const breaks = [];
    for (let i = 1; i < chars.length; i++)
        if (chars[i][1] > chars[i - 1][1] + 4) breaks.push([chars[i - 1][0], chars[i][0]]);
    return breaks;
}"""
# Every text of the charts and countdown cards: its size, colour and the background behind it.
_TEXTS = """() => {
    const parse = c => c.match(/[0-9.]+/g).slice(0, 3).map(Number);
    const texts = [...document.querySelectorAll(
        '.js-plotly-plot g.ytick text, .js-plotly-plot g.xtick text, .js-plotly-plot .g-xtitle text, ' +
        '.js-plotly-plot .legendtext, .js-plotly-plot .gtitle, .js-plotly-plot text.bartext'
    )].filter(t => t.getBoundingClientRect().width > 0 && t.textContent.trim())
      .map(t => ({text: t.textContent, size: parseFloat(getComputedStyle(t).fontSize),
                  colour: parse(getComputedStyle(t).fill), background: [255, 255, 255], chart: true}));
    for (const card of document.querySelectorAll('.dd-card'))
        for (const part of card.querySelectorAll('div'))
            texts.push({text: part.textContent, size: parseFloat(getComputedStyle(part).fontSize),
                        colour: parse(getComputedStyle(part).color), background: parse(getComputedStyle(card).backgroundColor), chart: false});
    return texts;
}"""


def _contrast(a: list[float], b: list[float]) -> float:
    """WCAG 2's contrast ratio of two sRGB colours (0–255)."""

    def luminance(rgb: list[float]) -> float:
        linear = [c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_leader_sees_the_overview_whole_on_a_projector(demo, browser, lang):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(f"{demo}/?as_of=2023-03-20&present=1&lang={lang}")
    expect(page.locator('[data-testid="stPlotlyChart"]').nth(1)).to_be_visible(timeout=30_000)
    # The charts have drawn their texts, the five countdown cards are there, and nothing moves.
    expect(page.locator('[data-testid="stPlotlyChart"] .gtitle')).not_to_have_count(0)
    for chart in page.locator('[data-testid="stPlotlyChart"]').all():
        expect(chart.locator(".ytick text").first).to_be_attached(timeout=30_000)
    expect(page.locator(".dd-card")).to_have_count(5, timeout=30_000)
    idle(page)
    steady(page, lambda: page.evaluate(_TEXTS))
    shot(page, f"presentation_demo_{lang}_1280x720")
    # Without scrolling: the headline figures with missing documents, the countdowns, and the
    # province and theme charts, whole.
    labels = page.locator('[data-testid="stMetricLabel"]').all_inner_texts()
    missing = "缺交材料（份）" if lang == "zh" else "Documents missing"
    assert [label.strip() for label in labels][-1] == missing
    bottoms = {
        "figures": page.locator('[data-testid="stMetric"]').last.bounding_box(),
        "countdowns": page.locator(".dd-card").last.bounding_box(),
        "provinces": page.locator('[data-testid="stPlotlyChart"]').nth(0).bounding_box(),
        "themes": page.locator('[data-testid="stPlotlyChart"]').nth(1).bounding_box(),
    }
    assert {k: b["y"] + b["height"] <= 720 for k, b in bottoms.items()} == dict.fromkeys(bottoms, True), (
        bottoms
    )
    titles = page.locator('[data-testid="stPlotlyChart"] .gtitle').all_text_contents()
    assert titles[:2] == (
        ["按省份", "按论坛主题（可多选）"]
        if lang == "zh"
        else ["By province", "By forum theme (several allowed)"]
    )
    # Every province's label, not every other one.
    assert page.locator('[data-testid="stPlotlyChart"]').nth(0).locator("g.ytick").count() == 11
    # Legible from the back of the room: 18 px or more, and dark enough (4.5:1).
    texts = page.evaluate(_TEXTS)
    assert len([t for t in texts if t["chart"]]) > 20 and len([t for t in texts if not t["chart"]]) == 15
    small = [(t["text"], t["size"]) for t in texts if t["size"] < 18]
    faint = [
        (t["text"], round(_contrast(t["colour"], t["background"]), 2))
        for t in texts
        if _contrast(t["colour"], t["background"]) < 4.5
    ]
    assert small == [] and faint == []
    # The exit button at the page's right edge, level with the title.
    button = page.get_by_role(
        "button", name="退出演示" if lang == "zh" else "Exit presentation"
    ).bounding_box()
    heading = page.locator("h2").first.bounding_box()
    row = page.locator(".st-key-overview-heading").bounding_box()
    assert button["x"] + button["width"] >= row["x"] + row["width"] - 4  # flush right, not mid-right
    assert button["y"] < heading["y"] + heading["height"]
    # The title breaks between words only, here and on a narrower screen ("商务代／表团" before).
    for width in (1280, 560):
        page.set_viewport_size({"width": width, "height": 720})
        next_paint(page)
        breaks = page.locator("h2").first.evaluate(_TITLE_BREAKS)
        assert all(before in _BREAK_AFTER or after in _BREAK_BEFORE for before, after in breaks), (
            width,
            breaks,
        )
        if width == 560:
            assert breaks  # it does wrap there
    page.close()


def test_the_withdraw_form_starts_blank_and_is_cleared_after_saving(server, browser):
    # Clearing the status on the server alone left "Withdrawn" ticked in the browser, so the next
    # Save withdrew again without a choice; the form is cleared on submit in the browser too.
    # One unit listed (Suzhou's, registered with its people), whatever the sort puts first.
    listed = (
        f"{server}/registrations?lang=en&as_of=2023-03-20&status=registered&status=withdrawn&province=Jiangsu"
    )
    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    page.goto(listed)
    choose_row(page, units_grid(page), 1)  # the unit
    form = page.locator('[data-testid="stForm"]').first
    expect(form).to_be_visible(timeout=15_000)
    checked = form.locator("input[type=radio]:checked")
    assert checked.count() == 0  # nothing preset
    form.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Choose withdrawn or registered first.")).to_be_visible(timeout=15_000)

    withdrawn_only = browser.new_page()

    def withdrawn_units(expected: int | None = None) -> int:
        """Units listed as withdrawn, read in another session (again until `expected`, for 15 s:
        the save may still be running)."""
        deadline = time.monotonic() + 15
        while True:
            withdrawn_only.goto(f"{server}/registrations?lang=en&as_of=2023-03-20&status=withdrawn")
            caption = withdrawn_only.get_by_text(re.compile(r"^Units: \d+ ·"))
            expect(caption).to_be_visible(timeout=15_000)
            count = int(re.search(r"Units: (\d+)", caption.inner_text())[1])
            if expected is None or count == expected or time.monotonic() > deadline:
                return count

    before = withdrawn_units()  # the fixture has withdrawn registrations of its own
    for choice, expected in (("Withdrawn", before + 1), ("Registered", before)):
        form.get_by_text(choice, exact=True).click()
        expect(checked).to_have_count(1)
        form.get_by_role("button", name="Save").click()
        expect(checked).to_have_count(0, timeout=15_000)  # cleared in the browser, not only on the server
        assert withdrawn_units(expected) == expected
    shot(page, "registrations_withdraw_form")  # the unit restored: the other tests' figures stand


def units_grid(page: Page) -> Locator:
    """The registrations page's units table, painted and ready for a row to be chosen."""
    return painted(page.locator('[data-testid="stDataFrame"]').first)


def choose_row(page: Page, grid: Locator, row: int) -> None:
    """Click the selection box of the grid's `row` (1 = the first under the header)."""
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 12, box["y"] + 55 + 35 * (row - 1))


def test_a_selected_unit_is_let_go_when_other_rows_come_under_it(server, browser):
    # The browser keeps a table selection by row number. Selecting the first unit, then turning the
    # sort round, left row 1 selected and opened the details and forms of the unit now there -
    # one nobody clicked.
    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    page.goto(f"{server}/registrations?lang=en&as_of=2023-03-20")
    grid = units_grid(page)
    choose_row(page, grid, 1)
    details = page.get_by_text("Unit details and participants", exact=True)
    expect(details).to_be_visible(timeout=15_000)
    # Other units come under row 1.
    after_rerun(page, page.get_by_text("Descending", exact=True).first.click)
    expect(page.get_by_text("Units: 3 · page 1 of 1")).to_be_visible(timeout=15_000)
    expect(details).to_have_count(0)
    assert page.locator('[data-testid="stException"]').count() == 0
    choose_row(page, grid, 2)  # a new choice is honoured
    expect(details).to_be_visible(timeout=15_000)
    page.close()


def breakdown_charts(page: Page) -> list[dict]:
    """Each overview breakdown chart's box, and the left edge of its leftmost category label."""
    charts = page.locator('.st-key-overview-breakdowns [data-testid="stPlotlyChart"]')
    expect(charts).to_have_count(4, timeout=30_000)
    for i in range(4):
        expect(charts.nth(i).locator(".ytick text").first).to_be_attached(timeout=30_000)
    idle(page)
    return steady(  # once plotly has settled its margins
        page,
        lambda: charts.evaluate_all(
            """els => els.map(e => {
            const box = e.getBoundingClientRect();
            const labels = [...e.querySelectorAll('.ytick text')].map(t => t.getBoundingClientRect().left);
            return {left: box.left, top: box.top, width: box.width, labels_left: Math.min(...labels)};
        })"""
        ),
    )


def test_breakdown_charts_stand_one_above_the_other_in_a_narrow_window(server, browser):
    page = browser.new_page(viewport={"width": 900, "height": 900})  # a laptop's half, sidebar open
    page.goto(f"{server}/?lang=en&as_of=2023-03-20")
    narrow = breakdown_charts(page)
    shot(page, "overview_900")
    assert all(c["labels_left"] != float("inf") for c in narrow)  # every chart has its labels
    assert len({round(c["left"]) for c in narrow}) == 1  # one column
    assert [c["top"] for c in narrow] == sorted(c["top"] for c in narrow)
    # Side by side, each had under 300 px and plotly cut the sectors' names on the left.
    assert all(c["labels_left"] >= c["left"] for c in narrow)
    page.close()

    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/?lang=en&as_of=2023-03-20")
    wide = breakdown_charts(page)
    assert len({round(c["left"]) for c in wide}) == 2  # two columns
    assert round(wide[0]["top"]) == round(wide[1]["top"]) and round(wide[2]["top"]) == round(wide[3]["top"])
    assert all(c["labels_left"] >= c["left"] for c in wide)
    page.close()


def test_the_edit_box_shows_nobody_after_another_unit_is_chosen(server, browser):
    # Its key outlives the unit: after choosing a person of one unit and then another unit, the
    # box showed Streamlit's English "Choose an option" (on Chinese pages too).
    page = browser.new_page(viewport={"width": 1400, "height": 1800})
    page.goto(f"{server}/registrations?lang=en&as_of=2023-03-20")
    grid = units_grid(page)
    choose_row(page, grid, 1)
    combo = page.get_by_role("combobox", name="Edit a participant")
    expect(combo).to_have_value("—", timeout=15_000)
    combo.scroll_into_view_if_needed()
    options = page.get_by_role("option")
    idle(page)  # the box is drawn for this unit
    combo.click()
    expect(options.nth(1)).to_be_visible(timeout=15_000)
    options.nth(1).click()
    expect(page.get_by_role("button", name="Save")).to_have_count(2, timeout=15_000)  # the edit form
    after_rerun(page, lambda: choose_row(page, grid, 2))
    expect(page.get_by_role("button", name="Save")).to_have_count(1, timeout=15_000)  # no edit form
    expect(combo).to_have_value("—")
    assert combo.get_attribute("placeholder") != combo.input_value()
    page.close()


def test_a_narrow_page_wraps_figures_cards_and_tables_instead_of_cutting_them(server, browser):
    # In a 900 px window with the sidebar open the page is ≈ 440 px wide. Five countdown cards
    # in one row were 70 px each and wrapped word by word, the figures' labels and the workbook
    # button ended in "…", and the batch page's two tables showed their first column only.
    page = browser.new_page(viewport={"width": 900, "height": 900})
    page.goto(f"{server}/?lang=en&as_of=2023-03-20")
    cards = page.locator(".st-key-overview-cards .dd-card")
    expect(cards).to_have_count(5, timeout=30_000)
    expect(page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')).to_be_attached()
    shot(page, "overview_900_top")
    widths = cards.evaluate_all("els => els.map(e => e.getBoundingClientRect().width)")
    assert min(widths) >= ui.LEAST_PX["figures"] - 1, widths
    cut = """els => els.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)"""
    labels = page.locator('.st-key-overview-figures [data-testid="stMetricLabel"] p')
    expect(labels).to_have_count(4)
    assert labels.evaluate_all(cut) == []
    button = page.locator(".st-key-overview-heading [data-testid='stButton'] button p")
    assert "Leadership workbook" in button.all_text_contents() and button.evaluate_all(cut) == []
    page.goto(f"{server}/batch?lang=en&as_of=2023-03-20")
    # The ready, blocked and in-batch lists stand one above the other, each the page's width.
    tables = page.locator('[data-testid="stDataFrame"]')
    expect(tables.first).to_be_visible(timeout=30_000)
    idle(page)
    shot(page, "batch_900")
    boxes = tables.evaluate_all("els => els.map(e => e.getBoundingClientRect().toJSON())")
    assert (
        len({round(b["left"]) for b in boxes}) == 1
        and min(b["width"] for b in boxes) >= ui.LEAST_PX["tables"]
    )
    page.close()

    page = browser.new_page(viewport={"width": 1400, "height": 1000})  # wide: one row each, as before
    page.goto(f"{server}/?lang=en&as_of=2023-03-20")
    cards = page.locator(".st-key-overview-cards .dd-card")
    expect(cards).to_have_count(5, timeout=30_000)
    assert len(set(cards.evaluate_all("els => els.map(e => Math.round(e.getBoundingClientRect().top))"))) == 1
    heading = page.locator('.st-key-overview-heading [data-testid="stColumn"]')
    tops = heading.evaluate_all("els => els.map(e => Math.round(e.getBoundingClientRect().top))")
    assert len(tops) == 2 and tops[0] == tops[1]  # the button beside the title
    page.close()


def test_a_chosen_sort_is_shown_in_the_new_language_after_switching(server, browser):
    # Streamlit keeps a keyed select box's value in the browser as its label: after switching to
    # 中文 the box still read "Province" (and "Unit" before any choice) until a reload.
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/registrations?lang=en&as_of=2023-03-20")
    sort = page.locator('[data-testid="stMain"] [data-testid="stSelectbox"] input[role="combobox"]').first
    expect(sort).to_have_value("Unit", timeout=30_000)
    after_rerun(page, lambda: type_choice(page, sort, "Province"))
    expect(sort).to_have_value("Province", timeout=15_000)
    page.locator('[data-testid="stSidebar"]').get_by_role("radio", name="中文").check(force=True)
    expect(sort).to_have_value("省份", timeout=15_000)  # the same choice, in the page's language
    expect(page.get_by_text("共 3 家单位 · 第 1/1 页")).to_be_visible(timeout=15_000)
    page.close()


def test_the_upload_box_speaks_the_page_language_and_leaves_refusals_to_the_app(server, browser, tmp_path):
    # Streamlit's box read "Upload" and "20MB per file" on a Chinese page, and a file of another
    # kind got a red chip with an English tooltip only (the Import button just stayed grey).
    limit = load_config().max_import_file_mb
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{server}/import?lang=zh")
    box = page.locator('[data-testid="stFileUploaderDropzone"]')
    expect(box).to_be_visible(timeout=30_000)
    idle(page)  # the page's own styles come with its run, which may end after the box is drawn
    expect(box.locator("button p")).to_have_css("font-size", "0px")
    said = "e => [getComputedStyle(e).fontSize, getComputedStyle(e, '::after').content]"
    assert box.locator("button p").evaluate(said) == ["0px", '"选择文件"']
    instructions = box.locator('[data-testid="stFileUploaderDropzoneInstructions"] span')
    assert instructions.evaluate(said) == [
        "0px",
        f'"每个文件不超过 {limit} MB：XLSX、XLS、DOCX、CSV、TXT、TSV、EML、MBOX"',
    ]
    form = tmp_path / "名单.pdf"
    form.write_bytes(b"%PDF-1.4 not a form")
    big = tmp_path / "big.csv"
    big.write_bytes(b"a" * (limit * 1024 * 1024 + 1))
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files([str(form), str(big)])
    turned_away = page.locator('[data-testid="stFileChip"][aria-invalid="true"]')
    expect(turned_away).to_have_count(1)
    expect(turned_away.locator('[data-testid="stFileChipName"]')).to_have_text("big.csv")
    size = turned_away.locator('[data-testid="stFileChipName"] + div')
    assert size.evaluate(said) == ["0px", f'"超过 {limit} MB，未上传"']
    shot(page, "upload_zh")
    page.get_by_role("button", name="导入", exact=True).click()
    expect(
        page.get_by_text(
            "名单.pdf：PDF 或图片无法作为报名表读取（打印或扫描的表格须重新录入）；请另存为 .docx 或 .xlsx 格式后重新发送。"
        )
    ).to_be_visible()
    page.close()


def test_a_link_to_overview_opens_it_and_an_empty_overview_leads_to_the_import_page(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{server}/overview?lang=en&as_of=2023-03-20")
    expect(metric(page, "Participants")).to_have_text(re.compile(r"^\d+$"), timeout=30_000)
    assert page.get_by_text("Page not found").count() == 0
    # Before the first sign-up the overview is empty: it says so and links to the Import page.
    page.goto(f"{server}/?lang=en&as_of=2023-02-01")
    expect(metric(page, "Participants")).to_have_text("0", timeout=30_000)
    assert "python -m" not in page.locator("body").inner_text()
    # The leadership workbook's button sits at the page's right edge, beside the title.
    page.goto(f"{server}/?lang=en&as_of=2023-03-20")
    button = page.get_by_role("button", name="Leadership workbook")
    expect(button).to_be_visible(timeout=30_000)
    row = page.locator(".st-key-overview-heading").bounding_box()
    box, title = button.bounding_box(), page.locator("h2").first.bounding_box()
    assert box["x"] + box["width"] >= row["x"] + row["width"] - 4 and box["y"] < title["y"] + title["height"]
    page.goto(f"{server}/?lang=en&as_of=2023-02-01")
    expect(metric(page, "Participants")).to_have_text("0", timeout=30_000)
    page.get_by_role("link", name="Go to Import forms").click()
    expect(page.get_by_role("heading", name="Import forms")).to_be_visible(timeout=15_000)
    page.close()


def test_a_page_of_rows_is_shown_whole_and_the_export_buttons_line_up_with_their_table(demo, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{demo}/registrations?lang=en&as_of=2023-03-31")
    table = painted(page.locator('[data-testid="stDataFrame"]').first)
    # 50 rows a page (the default): all of them, not a ten-row box that scrolls.
    assert table.bounding_box()["height"] > 50 * 30
    excel = page.get_by_role("button", name="Export Excel").first.bounding_box()
    box = table.bounding_box()
    assert abs((excel["x"] + excel["width"]) - (box["x"] + box["width"])) <= 4  # flush with the table
    shot(page, "registrations_page_of_50")
    page.goto(f"{demo}/batch?lang=zh&as_of=2023-03-31")
    painted(page.locator('[data-testid="stDataFrame"]').nth(1))
    shot(page, "batch_1280")  # the blocked list's reasons wrap in their rows
    page.close()


def test_an_export_made_in_one_session_is_saved_after_other_sessions_ran(server, browser, tmp_path):
    # A file made when its button was clicked is swept at the end of any session's run unless a
    # page shows it; with a meeting room refreshing, downloads were cancelled. The file is now
    # made by the first click and held by the save button, so other sessions' runs leave it be.
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/registrations?lang=en&as_of=2023-03-20&province=Jiangsu")
    painted(units_grid(page))
    after_rerun(page, lambda: page.get_by_role("button", name="Export CSV").click())
    save = page.get_by_role("button", name="Save units_Jiangsu_2023-03-20.csv")
    expect(save).to_be_visible()
    other = browser.new_page()
    for _ in range(3):  # three runs of another session, each ending in Streamlit's sweep
        other.goto(f"{server}/?lang=en&as_of=2023-03-20")
        expect(metric(other, "Participants")).to_be_visible(timeout=30_000)
        idle(other)
    with page.expect_download(timeout=30_000) as info:
        save.click()
    download = info.value
    assert download.failure() is None and download.suggested_filename == "units_Jiangsu_2023-03-20.csv"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    rows = saved.read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].startswith("Unit,Province,") and [r.split(",")[1] for r in rows[1:]] == ["Jiangsu"]
    other.close()
    page.close()
