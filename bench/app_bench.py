"""The app's side of the benchmark (run by bench/run.py; also usable alone).

    .venv/bin/python bench/app_bench.py pages DB [--runs 5]        # AppTest page runs, cold cache
    .venv/bin/python bench/app_bench.py serve DB [--runs 5]        # cold start and peak memory

`pages` runs the overview, the registrations page followed by a filter change, and the documents,
chase list, invitation batch and data quality pages as they open, through the same harness as the
tests (authentication, sidebar, page), with Streamlit's data cache cleared before every run. `serve` starts `python -m delegation serve` on the database (Chromium already
open), opens the overview once the server listens, times the moment its headline figures are
visible, walks the overview and the registrations page with filters, and reads the server's peak
resident memory (VmHWM).
Each prints one JSON line with the runs' times.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AS_OF = "2023-03-31"
# The other pages `pages` times, and an element each must show (its tables, the chase list's units,
# the mail page's counts, the import page's upload box).
OTHER_PAGES = {
    "documents": "dataframe",
    "mail": "metric",
    "chase": "expander",
    "batch": "dataframe",
    "data_quality": "dataframe",
    "import_forms": "file_uploader",
    "audit": "dataframe",
}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-sync"]


def start_server(db: str, port: int, env: dict) -> subprocess.Popen:
    """`python -m delegation serve` on the database, headless, quiet."""
    return subprocess.Popen(
        [sys.executable, "-m", "delegation", "serve", "--db", db, "--port", str(port), "--headless"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def page_runs(db: str, runs: int) -> dict[str, list[float]]:
    """Seconds per AppTest run of each page (cold data cache), after one warm-up run each."""
    import datetime as dt

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.test_app import HARNESS  # what app.py does around a page, as the tests run pages

    os.environ["DELEGATION_DB"] = str(Path(db).resolve())
    as_of = dt.date.fromisoformat(AS_OF)

    def overview() -> None:
        at = AppTest.from_string(HARNESS.format(page=str(ROOT / "pages/overview.py")), default_timeout=120)
        at.session_state["ui.lang"] = "en"
        at.session_state["filters.as_of"] = as_of
        at.run()
        assert not at.exception and at.metric, "the overview did not render"

    def registrations() -> None:
        page = str(ROOT / "pages/registrations.py")
        at = AppTest.from_string(HARNESS.format(page=page), default_timeout=120)
        at.session_state["ui.lang"] = "en"
        at.session_state["filters.as_of"] = as_of
        at.run()
        at.multiselect(key="filters.provinces").set_value(["Jiangsu"]).run()  # a filter change
        assert not at.exception and at.dataframe, "the registrations page did not render"

    def other(name: str, shown: str) -> Callable[[], None]:
        """A page opened as it comes, as the local admin sees it."""

        def run() -> None:
            at = AppTest.from_string(HARNESS.format(page=str(ROOT / f"pages/{name}.py")), default_timeout=120)
            at.session_state["ui.lang"] = "en"
            at.session_state["filters.as_of"] = as_of
            at.run()
            assert not at.exception and at.get(shown), f"the {name} page did not render"

        return run

    pages = {
        "overview": overview,
        "registrations": registrations,
        **{name: other(name, shown) for name, shown in OTHER_PAGES.items()},
    }
    times: dict[str, list[float]] = {name: [] for name in pages}
    for name, run in pages.items():
        run()  # imports and the connection, once
        for _ in range(runs):
            st.cache_data.clear()
            started = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - started)
    return times


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(server: subprocess.Popen, port: int, deadline: float) -> None:
    """Return once the server listens on the port (a connect every 10 ms)."""
    while True:
        with socket.socket() as probe:
            if probe.connect_ex(("localhost", port)) == 0:
                return
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped with status {server.returncode} before listening")
        if time.perf_counter() > deadline:
            raise TimeoutError(f"nothing listens on port {port}")
        time.sleep(0.01)


def _peak_rss_mb(pid: int) -> float:
    """The process's peak resident set size (VmHWM) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


def serve_runs(db: str, runs: int) -> dict[str, list[float]]:
    """Per run: seconds from starting the server to the headline figures in Chromium, and the
    server's peak memory in MB after the overview and the registrations page with filters."""
    from playwright.sync_api import sync_playwright

    out: dict[str, list[float]] = {"cold_start": [], "peak_mb": []}
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        env = {**os.environ, "DELEGATION_USERS": os.path.join(folder, "none.toml")}
        for _ in range(runs):
            port = free_port()
            url = f"http://localhost:{port}"
            page = browser.new_page(viewport={"width": 1280, "height": 900})  # the browser is open
            started = time.perf_counter()
            server = start_server(db, port, env)
            try:
                # The browser goes to the page once the server listens, as a user opens the link
                # the server prints. (Letting Chromium retry instead rendered an error page every
                # try, which on two cores slowed the server's own start by ≈ 0.5 s.)
                _wait_for_port(server, port, started + 60)
                page.goto(f"{url}/?as_of={AS_OF}&lang=en", timeout=30_000)
                page.wait_for_function(
                    "() => [...document.querySelectorAll('[data-testid=stMetricValue]')]"
                    ".some(e => /[0-9]/.test(e.textContent))",
                    timeout=60_000,
                )
                out["cold_start"].append(time.perf_counter() - started)
                for path in (
                    f"/?as_of={AS_OF}&lang=en&province=Jiangsu",
                    f"/registrations?as_of={AS_OF}&lang=en",
                    f"/registrations?as_of={AS_OF}&lang=en&province=Jiangsu&theme=green_development",
                ):
                    page.goto(url + path)
                    page.wait_for_selector('[data-testid="stMetricValue"], [data-testid="stDataFrame"]')
                    page.wait_for_timeout(500)
                page.close()
                out["peak_mb"].append(_peak_rss_mb(server.pid))
            finally:
                server.terminate()
                server.wait(timeout=30)
        browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=("pages", "serve"))
    parser.add_argument("db")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    result = page_runs(args.db, args.runs) if args.what == "pages" else serve_runs(args.db, args.runs)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
