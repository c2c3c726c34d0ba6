"""Load test (a script, not a unit test): N concurrent browser sessions over the overview and the
registrations page of a local server on a demo database, for a bounded time.

    .venv/bin/python bench/load_test.py [--sessions 20] [--seconds 60] [--participants 100000]

Starts `python -m delegation serve` on a free port with its own demo database, drives Debian's
Chromium with Playwright, and prints requests, errors and p50/p95 page times. Zero errors is the bar.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.app_bench import free_port, start_server  # noqa: E402
from bench.common import demo  # noqa: E402

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Streamlit marks its root element once the page's script has finished.
DONE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


async def session(browser, url: str, until: float, times: list[float], errors: list[str]) -> None:
    page = await browser.new_page()
    pages = [
        ("/?as_of=2023-03-31&lang=en", '[data-testid="stMetricValue"]'),
        ("/registrations?as_of=2023-03-31&lang=en", '[data-testid="stDataFrame"]'),
    ]
    i = 0
    while time.monotonic() < until:
        path, ready = pages[i % 2]
        started = time.monotonic()
        try:
            await page.goto(url + path)
            await page.wait_for_selector(ready, timeout=60_000)
            # The whole run, not just its first figures: an error drawn further down would be missed.
            await page.wait_for_selector(DONE, timeout=60_000)
            if await page.locator('[data-testid="stException"]').count():
                errors.append(f"exception on {path}")
            times.append(time.monotonic() - started)
        except Exception as exc:
            errors.append(f"{path}: {type(exc).__name__}")
        i += 1
    await page.close()


async def drive(url: str, sessions: int, seconds: float) -> tuple[list[float], list[str]]:
    times: list[float] = []
    errors: list[str] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        until = time.monotonic() + seconds
        await asyncio.gather(*(session(browser, url, until, times, errors) for _ in range(sessions)))
        await browser.close()
    return times, errors


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--participants", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = demo(folder, args.participants)
        port = free_port()
        env = {**os.environ, "DELEGATION_USERS": os.path.join(folder, "none.toml")}
        server = start_server(db, port, env)
        try:
            for _ in range(120):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.5)
            times, errors = asyncio.run(drive(f"http://localhost:{port}", args.sessions, args.seconds))
        finally:
            server.terminate()
            server.wait(timeout=30)
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))] if times else float("nan")
    print(f"| {args.sessions} sessions × {args.seconds:.0f} s, {args.participants} participants | value |")
    print("|---|---|")
    print(f"| page loads | {len(times)} |")
    print(f"| errors | {len(errors)} |")
    print(f"| p50 page time | {statistics.median(times) if times else float('nan'):.2f} s |")
    print(f"| p95 page time | {p95:.2f} s |")
    for error in errors[:10]:
        print(f"- {error}")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
