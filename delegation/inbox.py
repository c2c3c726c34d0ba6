"""The live inbox: forms dropped into a folder are imported, then moved to done/ or failed/ (with why).

The running app watches it in a background thread; `python -m delegation watch` does the same without
the app. Imports go through the one process that holds the database, so nothing fails on a lock.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from delegation.config import EventConfig, database_path
from delegation.errors import DelegationError
from delegation.ingest import import_file

SETTLE_SECONDS = 1.0  # a file still being written (changed this recently) waits for the next round


def inbox_folder(db: str | Path | None = None) -> Path:
    """DELEGATION_INBOX, else `inbox/` beside the database."""
    return Path(os.environ.get("DELEGATION_INBOX") or database_path(db).resolve().parent / "inbox")


@dataclass(frozen=True)
class Outcome:
    file: str
    imported: bool
    message_en: str
    message_zh: str


def _waiting(folder: Path) -> list[Path]:
    """The files in the inbox to take, oldest name first (not hidden ones, nor the folders)."""
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def process(
    con: duckdb.DuckDBPyConnection, config: EventConfig, folder: Path, *, actor: str = "inbox"
) -> list[Outcome]:
    """Import every settled file in the folder once; move each to done/ or failed/ (+ .reason.txt)."""
    folder.mkdir(parents=True, exist_ok=True)
    done, failed = folder / "done", folder / "failed"
    outcomes = []
    now = time.time()
    for path in _waiting(folder):
        if now - path.stat().st_mtime < SETTLE_SECONDS or path.name.endswith(".partial"):
            continue
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        try:
            report = import_file(con, config, path, actor=actor)
        except DelegationError as exc:
            failed.mkdir(exist_ok=True)
            target = failed / f"{stamp}-{path.name}"
            path.replace(target)
            target.with_name(target.name + ".reason.txt").write_text(
                f"{exc.en}\n{exc.zh}\n", encoding="utf-8"
            )
            outcomes.append(Outcome(path.name, False, exc.en, exc.zh))
            continue
        done.mkdir(exist_ok=True)
        path.replace(done / f"{stamp}-{path.name}")
        outcomes.append(Outcome(path.name, True, report.summary("en"), report.summary("zh")))
    return outcomes


def wait_to_settle(folder: Path, *, longest: float = 10.0) -> None:
    """Wait (at most `longest` seconds) until no file in the folder changed in the last
    `SETTLE_SECONDS`: a one-off round (`watch --once`) run just after files were copied in took
    none of them and said nothing."""
    give_up = time.time() + longest
    while folder.is_dir() and time.time() < give_up:
        changed = max((p.stat().st_mtime for p in _waiting(folder)), default=0.0)
        wait = changed + SETTLE_SECONDS - time.time()
        if wait <= 0:
            return
        time.sleep(min(wait + 0.05, max(give_up - time.time(), 0.0)))


def watch(
    con: duckdb.DuckDBPyConnection,
    config: EventConfig,
    folder: Path,
    *,
    interval: float = 2.0,
    stop: threading.Event | None = None,
    report: Callable[[Outcome], object] = print,
) -> None:
    """Process the inbox every `interval` seconds until `stop` is set (or forever)."""
    stop = stop or threading.Event()
    while not stop.is_set():
        try:
            for outcome in process(con, config, folder):
                report(outcome)
        except Exception as exc:
            report(Outcome("", False, f"inbox round failed: {type(exc).__name__}", "收件箱处理失败"))
        stop.wait(interval)
