"""Clicks and cold starts in headless Chromium, against a blank Streamlit app (run by bench/run.py;
also usable alone).

    .venv/bin/python bench/browser_bench.py clicks DB [--runs 5]   # the app's actions, click → idle
    .venv/bin/python bench/browser_bench.py blank [--runs 5]       # the blank app's rerun and cold start
    .venv/bin/python bench/browser_bench.py cold DB [--runs 5]     # both cold starts, alternated

An action's time runs from its click (or its Enter) to the moment Streamlit's run is over: the
`data-test-script-state` attribute of `[data-testid="stApp"]` (Streamlit 1.67's frontend) back at
"notRunning" after the server's message that the run finished (see `_WATCH_SOCKET` for why the
message too). Both moments are read in the page (`performance.now()` in a capture listener that
sees the click before the element does, a MutationObserver on the attribute), set up in one
`page.evaluate` before the click; so neither Playwright's round trips nor Python's latency are in
the figure. The click itself is Playwright's, pointer down, up and click as a user's mouse sends
them, rather than a scripted `element.click()` (a click event alone).

Each prints one JSON line of lists of seconds, like bench/app_bench.py.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Error as PlaywrightError  # noqa: E402

from bench.app_bench import AS_OF, CHROMIUM_ARGS, _wait_for_port, free_port, start_server  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1280, "height": 900}
WAIT_MS = 60_000  # every wait in a page: a run that takes longer than this is a failure, not a figure
CHOICE_MS = 20_000  # a filter change's run (≈ 1 s at 100 000) or a lost click in the menu
# The pages the local admin has besides the overview: script name → its title in English (the
# sidebar's link and the page's h1), in app.py's order.
PAGES = {
    "registrations": "Registrations",
    "documents": "Documents",
    "mail": "Mail",
    "chase": "Chase list",
    "batch": "Invitation batch",
    "data_quality": "Data quality",
    "import_forms": "Import forms",
    "audit": "Audit log",
}
PROVINCE = "Jiangsu"  # the filter chosen and cleared
SEARCHED = "机械"  # a fragment of many demo units' names ("machinery"): a real search at every size

# Streamlit's frontend does not always show a run in the attribute: when the server's "running" and
# "finished" messages reach the page before React draws (a run of a few milliseconds, the blank
# app's), the attribute never leaves "notRunning". So the page also watches Streamlit's websocket
# for the ForwardMsg that ends a whole run (`script_finished`, field 6, FINISHED_SUCCESSFULLY or
# FINISHED_WITH_COMPILE_ERROR; neither a fragment's run, the live refresh, nor a run cut short for
# a rerun), read from the frame's top-level protobuf fields. Installed before Streamlit's own
# scripts (page.add_init_script); it only listens, it changes nothing the app receives.
_WATCH_SOCKET = """(() => {
    const status = b => {  // ForwardMsg.script_finished in one frame, or -1
        let i = 0;
        const varint = () => {
            let x = 0, shift = 0, c;
            do { c = b[i++]; x += (c & 0x7f) * 2 ** shift; shift += 7; } while (c & 0x80 && i < b.length);
            return x;
        };
        while (i < b.length) {
            const tag = varint(), field = Math.floor(tag / 8), wire = tag % 8;
            if (field === 6 && wire === 0) return varint();
            if (wire === 0) varint();
            else if (wire === 2) { const length = varint(); i += length; }  // (i += varint() would read i first)
            else if (wire === 1) i += 8;
            else if (wire === 5) i += 4;
            else return -1;
        }
        return -1;
    };
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
        constructor(...args) {
            super(...args);
            this.addEventListener('message', e => {
                if (!(e.data instanceof ArrayBuffer) || !window.ddRunFinished) return;
                const finished = status(new Uint8Array(e.data));
                if (finished === 0 || finished === 1) window.ddRunFinished();
            });
        }
    };
})()"""
# Arms the timing of the next action: its start is the first click (or Enter) the page sees from
# now on; its end the first moment after it at which a whole run has finished (the websocket
# message above) and the attribute reads "notRunning" (when React shows the run, the moment it
# draws "notRunning"). `window.ddTimed` resolves to the seconds between the two (or fails after `ms`).
_ARM = """ms => {
    const app = document.querySelector('[data-testid="stApp"]');
    let started = null, finished = false;
    const start = e => {
        if (started === null && (e.type === 'click' || e.key === 'Enter')) started = performance.now();
    };
    window.addEventListener('click', start, true);
    window.addEventListener('keydown', start, true);
    window.ddTimed = new Promise((done, fail) => {
        const timer = setTimeout(() => { stop(); fail(new Error('no run ended within ' + ms + ' ms')); }, ms);
        const check = () => {
            if (finished && app.getAttribute('data-test-script-state') === 'notRunning') {
                stop();
                done((performance.now() - started) / 1000);
            }
        };
        const observer = new MutationObserver(check);
        window.ddRunFinished = () => {
            if (started === null) return;  // a run before the click is not its run
            finished = true;
            setTimeout(check, 0);  // after Streamlit's own handler has taken the message
        };
        const stop = () => {
            clearTimeout(timer);
            observer.disconnect();
            window.ddRunFinished = null;
            window.removeEventListener('click', start, true);
            window.removeEventListener('keydown', start, true);
        };
        observer.observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
    });
}"""
_IDLE = "() => document.querySelector('[data-testid=\"stApp\"]')?.getAttribute('data-test-script-state') === 'notRunning'"
_FIGURES = "() => [...document.querySelectorAll('[data-testid=stMetricValue]')].some(e => /[0-9]/.test(e.textContent))"


def timed(page, action: Callable[[], None], ms: int = WAIT_MS) -> float:
    """Seconds from `action`'s click (or Enter) to the end of the run it starts, read in the page
    (a Playwright error if none has ended `ms` after the arming)."""
    page.wait_for_function(_IDLE, timeout=WAIT_MS)
    page.evaluate(_ARM, ms)
    action()
    return page.evaluate("() => window.ddTimed")


def _idle(page) -> None:
    page.wait_for_function(_IDLE, timeout=WAIT_MS)


@contextlib.contextmanager
def _running(server: subprocess.Popen) -> Iterator[subprocess.Popen]:
    """The server, ended (and waited for) whatever happens."""
    try:
        yield server
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)


@contextlib.contextmanager
def _chromium() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _app_env(folder: str) -> dict:
    """The environment app_bench serves the app in: no accounts file, so the local admin needs no login."""
    return {**os.environ, "DELEGATION_USERS": os.path.join(folder, "none.toml")}


def start_blank(port: int) -> subprocess.Popen:
    """`streamlit run bench/blank_app.py`, headless, quiet, from the project's folder.

    Started from the project's folder, as `python -m delegation serve` is, it reads the same
    .streamlit/config.toml (file watcher off, XSRF and CORS on, the viewer toolbar, no table
    download, the light theme, no usage statistics); `--server.headless true` is the option serve
    itself passes (delegation/cli/app.py). What serve adds beyond these is about our app only: the
    pages/ folder setting and the warm-up thread (delegation/serve.py), and DELEGATION_DB.
    """
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "bench" / "blank_app.py"),
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _cold_starts(
    browser, runs: int, start: Callable[[int], subprocess.Popen], path: str, ready: Callable
) -> list[float]:
    """Per run, seconds from starting a server to `ready(page)` in Chromium: the procedure bench/app_bench.py's cold start used
    (bench/app_bench.py). The browser is open and a page is ready; the page goes to the address once
    the server listens, as a user opens the link the server prints."""
    times = []
    for _ in range(runs):
        port = free_port()
        page = browser.new_page(viewport=VIEWPORT)
        started = time.perf_counter()
        with _running(start(port)) as server:
            _wait_for_port(server, port, started + 60)
            page.goto(f"http://localhost:{port}{path}", timeout=30_000)
            ready(page)
            times.append(time.perf_counter() - started)
            page.close()
    return times


def _overview_ready(page) -> None:
    page.wait_for_function(_FIGURES, timeout=WAIT_MS)


def _blank_ready(page) -> None:
    page.get_by_role("button", name="Rerun").wait_for(timeout=WAIT_MS)


def cold_runs(db: str, runs: int) -> dict[str, list[float]]:
    """Seconds from `python -m delegation serve` to the overview's headline figures with digits
    ("cold_start"), and from the blank app's start to its button ("blank_cold_start"), by one
    procedure in one browser, the two alternated run by run (the machine's load then weighs on both
    alike: the ratio is the figure)."""
    out: dict[str, list[float]] = {"cold_start": [], "blank_cold_start": []}
    with tempfile.TemporaryDirectory() as folder, _chromium() as browser:
        env = _app_env(folder)
        for _ in range(runs):
            out["cold_start"] += _cold_starts(
                browser,
                1,
                lambda port: start_server(db, port, env),
                f"/?as_of={AS_OF}&lang=en",
                _overview_ready,
            )
            out["blank_cold_start"] += _cold_starts(browser, 1, start_blank, "/", _blank_ready)
    return out


def blank_runs(runs: int) -> dict[str, list[float]]:
    """The floor: seconds from a click on the blank app's button to the end of its rerun (after a
    warm-up click), and from the blank app's start to its button in Chromium (as cold_runs)."""
    with _chromium() as browser:
        port = free_port()
        with _running(start_blank(port)) as server:
            _wait_for_port(server, port, time.perf_counter() + 60)
            page = browser.new_page(viewport=VIEWPORT)
            page.add_init_script(_WATCH_SOCKET)
            page.goto(f"http://localhost:{port}/", timeout=30_000)
            button = page.get_by_role("button", name="Rerun")
            button.wait_for(timeout=WAIT_MS)
            reruns = [timed(page, lambda: button.click(timeout=WAIT_MS)) for _ in range(runs + 1)][1:]
            page.close()
        cold = _cold_starts(browser, runs, start_blank, "/", _blank_ready)
    return {"rerun": reruns, "cold_start": cold}


def _nav(page, title: str):
    return page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True)


def _shown(page, stem: str) -> None:
    """Until `stem`'s page is there: its title, or for the overview its figures; and no run going on."""
    if stem == "overview":
        _overview_ready(page)
    else:
        page.get_by_role("heading", name=PAGES[stem], level=1).wait_for(timeout=WAIT_MS)
    _idle(page)


def _province(page):
    return page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
        has=page.get_by_text("Province", exact=True)
    )


def _choose_province(page) -> float:
    """Open the Province multiselect, then time the click on the province (opening the menu runs
    nothing). Now and then, on two busy cores, the menu takes the click without choosing (no run
    starts): the menu is closed and the choice made again, up to three times."""
    for attempt in range(3):
        _province(page).locator("input").click(timeout=WAIT_MS)
        option = page.get_by_role("option", name=PROVINCE, exact=True)
        option.wait_for(timeout=WAIT_MS)
        try:
            took = timed(page, lambda o=option: o.click(timeout=WAIT_MS), ms=CHOICE_MS)
        except PlaywrightError:
            if attempt == 2 or _province(page).get_by_role("button", name=f"Remove {PROVINCE}").count():
                raise  # chosen, yet no run ended: a failure, not a lost click
            page.keyboard.press("Escape")
            continue
        page.keyboard.press("Escape")
        _province(page).get_by_role("button", name=f"Remove {PROVINCE}").wait_for(timeout=WAIT_MS)  # chosen
        return took
    raise AssertionError("unreachable")


def _clear_province(page) -> float:
    """Time the click on the chosen province's ✕ (as a user removes a chip)."""
    remove = _province(page).get_by_role("button", name=f"Remove {PROVINCE}", exact=True)
    took = timed(page, lambda: remove.click(timeout=WAIT_MS))
    remove.wait_for(state="detached", timeout=WAIT_MS)  # cleared
    return took


def _language(page, name: str) -> float:
    # The radio's own input is visually hidden by Streamlit's theme, hence force (as the tests do).
    radio = page.locator('[data-testid="stSidebar"]').get_by_role("radio", name=name)
    took = timed(page, lambda: radio.check(force=True, timeout=WAIT_MS))
    page.get_by_text("参团人数" if name == "中文" else "Participants", exact=True).first.wait_for(
        timeout=WAIT_MS
    )
    return took


def _search(page, words: str) -> float:
    """Type `words` into the registrations page's search box (nothing runs yet) and time the Enter."""
    box = page.locator('[data-testid="stTextInput"]').get_by_label("Search", exact=True)
    box.fill(words, timeout=WAIT_MS)
    return timed(page, lambda: box.press("Enter"))


def click_runs(db: str, runs: int) -> dict[str, list[float]]:
    """Seconds from a click to the end of the run it starts, per action, `runs` times each after one
    warm-up: the switch from the overview to each other page ("page switch: <page>") and back
    ("page switch: overview"), choosing and clearing a province on the overview ("filter change"),
    English ↔ Chinese ("language change"), a search on the registrations page and its clearing
    ("search"). Each action alternates between two states, so every click is a real change."""
    out: dict[str, list[float]] = {f"page switch: {stem}": [] for stem in PAGES}
    out |= {"page switch: overview": [], "filter change": [], "language change": [], "search": []}
    with tempfile.TemporaryDirectory() as folder, _chromium() as browser:
        port = free_port()
        with _running(start_server(db, port, _app_env(folder))) as server:
            _wait_for_port(server, port, time.perf_counter() + 60)
            page = browser.new_page(viewport=VIEWPORT)
            page.add_init_script(_WATCH_SOCKET)
            page.goto(f"http://localhost:{port}/?as_of={AS_OF}&lang=en", timeout=30_000)
            _shown(page, "overview")

            def record(key: str, took: float, warm_up: bool) -> None:
                if not warm_up:
                    out[key].append(took)

            for n in range(runs + 1):
                warm_up = n == 0
                for stem, title in PAGES.items():
                    record(
                        f"page switch: {stem}", timed(page, lambda t=title: _nav(page, t).click()), warm_up
                    )
                    _shown(page, stem)
                    record(
                        "page switch: overview", timed(page, lambda: _nav(page, "Overview").click()), warm_up
                    )
                    _shown(page, "overview")
                record("filter change", _choose_province(page), warm_up)
                _shown(page, "overview")
                record("filter change", _clear_province(page), warm_up)
                _shown(page, "overview")
                record("language change", _language(page, "中文"), warm_up)
                _idle(page)
                record("language change", _language(page, "English"), warm_up)
                _shown(page, "overview")
            _nav(page, PAGES["registrations"]).click()
            _shown(page, "registrations")
            for n in range(runs + 1):
                record("search", _search(page, SEARCHED), n == 0)
                _idle(page)
                record("search", _search(page, ""), n == 0)
                _idle(page)
            page.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=("clicks", "blank", "cold"))
    parser.add_argument("db", nargs="?")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if args.what != "blank" and not args.db:
        parser.error(f"{args.what} needs a database")
    if args.what == "clicks":
        result = click_runs(args.db, args.runs)
    elif args.what == "cold":
        result = cold_runs(args.db, args.runs)
    else:
        result = blank_runs(args.runs)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
