"""The running desk (`python -m delegation serve`) given the files that crashed it: an upload that
aborts or panics its reader gets one sentence, and the server answers the next request."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

from playwright.sync_api import expect, sync_playwright

from delegation import ROOT
from tests import hostile
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, _free_port, shot


def _wait_for(port: int, server: subprocess.Popen, log) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, log.read_text()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"the desk did not start: {log.read_text()}")


def _health(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=10) as answer:
        return answer.read().decode()


def test_an_upload_that_crashes_its_reader_leaves_the_server_answering(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    aborting, panicking = hostile.far_cell(corpus), hostile.only_far_cell(corpus)
    valid = hostile.valid_xlsx(corpus, "valid-form.xlsx")
    port = _free_port()
    log = tmp_path / "serve.log"
    env = {
        **os.environ,
        "DELEGATION_CONFIG": str(hostile.open_config(tmp_path)),  # caps lifted: the reader crashes
        "DELEGATION_USERS": str(tmp_path / "no-users.toml"),
        "DELEGATION_INBOX": str(tmp_path / "inbox"),
    }
    with log.open("w") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "delegation",
                "serve",
                "--port",
                str(port),
                "--headless",
                "--db",
                str(tmp_path / "d.duckdb"),
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for(port, server, log)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"http://localhost:{port}/import?lang=en")
            upload = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
            expect(upload).to_be_attached(timeout=30_000)
            upload.set_input_files([str(aborting), str(panicking)])
            page.get_by_role("button", name="Import", exact=True).click()
            expect(
                page.get_by_text(
                    "far-cell.xlsx: the file could not be read safely: "
                    "it needed more memory than the 1024 MB allowed."
                )
            ).to_be_visible(timeout=30_000)
            expect(
                page.get_by_text(
                    "only-far-cell.xlsx: the file could not be read safely: the reader failed (PanicException)."
                )
            ).to_be_visible()
            shot(page, "upload_refused_crash")
            assert server.poll() is None and _health(port) == "ok"
            # The next request, in a new session, is answered and its form imported.
            other = browser.new_page()
            other.goto(f"http://localhost:{port}/import?lang=en")
            other.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(valid))
            other.get_by_role("button", name="Import", exact=True).click()
            expect(
                other.get_by_text(re.compile(r"valid-form\.xlsx: \d+ rows read, \d+ added"))
            ).to_be_visible(timeout=30_000)
            browser.close()
        assert server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert "Traceback" not in log.read_text()
