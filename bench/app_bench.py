"""The app's side of the benchmark (run by bench/run.py; also usable alone).

    .venv/bin/python bench/app_bench.py pages DB [--runs 5]        # AppTest page runs, cold cache

`pages` runs every page the local admin has (the registrations page followed by a filter change),
through the same harness as the tests (authentication, sidebar, page), with Streamlit's data cache
and the app's shared views and charts emptied before every run, and prints one JSON line with the
runs' times. The server helpers here (`start_server`, `free_port`, `_wait_for_port`) serve
bench/browser_bench.py and bench/load_test.py.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
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

    from delegation.ui import state as ui_state  # its caches, emptied before each run
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
            st.cache_data.clear()  # every query
            ui_state._shared.clear()  # the overview's shared view
            ui_state._figure.clear()  # the other pages' charts
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=("pages",))
    parser.add_argument("db")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    result = page_runs(args.db, args.runs)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
