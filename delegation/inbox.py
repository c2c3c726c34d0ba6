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

from delegation import sandbox
from delegation.config import EventConfig, database_path
from delegation.errors import DelegationError
from delegation.i18n import said
from delegation.ingest import import_file, unexpected

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
    """Import every settled file in the folder once; move each to done/ or failed/ (+ .reason.txt).

    A file is moved into `.reading/` before it is read, so that one that stops the desk in the
    middle (a crash, a kill, a restart) is found there next time and filed in failed/, never read
    again: a poison file cannot take the desk down in a loop."""
    folder.mkdir(parents=True, exist_ok=True)
    reading = folder / READING
    outcomes = [_abandoned(path, folder) for path in _leftovers(reading)]
    now = time.time()
    for path in _waiting(folder):
        if now - path.stat().st_mtime < SETTLE_SECONDS or path.name.endswith(".partial"):
            continue
        reading.mkdir(exist_ok=True)
        taken = reading / f"{_stamp()}-{path.name}"
        path.replace(taken)
        try:
            report = import_file(con, config, taken, actor=actor, file_name=path.name)
        except (KeyboardInterrupt, SystemExit):
            raise  # the desk is stopping: the file stays in .reading/ and is filed next time
        except DelegationError as exc:
            outcomes.append(_fail(taken, folder, path.name, exc.en, exc.zh))
            continue
        except BaseException as exc:  # anything else a reader or the database raised
            refused = unexpected(path.name, exc)
            outcomes.append(_fail(taken, folder, path.name, refused.en, refused.zh))
            continue
        done = folder / "done"
        done.mkdir(exist_ok=True)
        taken.replace(done / taken.name)
        outcomes.append(Outcome(path.name, True, report.summary("en"), report.summary("zh")))
    return outcomes


READING = ".reading"  # hidden: the files being read now, or when the desk last stopped


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def _leftovers(reading: Path) -> list[Path]:
    return sorted(p for p in reading.iterdir() if p.is_file()) if reading.is_dir() else []


def _original(taken: Path) -> str:
    """The name a file had in the inbox (`.reading/` and the folders prefix a time stamp)."""
    return taken.name.split("-", 2)[-1] if taken.name[:8].isdigit() else taken.name


def _abandoned(taken: Path, folder: Path) -> Outcome:
    """A file the desk was reading when it last stopped: filed, never read again."""
    name = _original(taken)
    return _fail(taken, folder, name, *said("inbox.abandoned", name=name))


def _fail(taken: Path, folder: Path, name: str, en: str, zh: str) -> Outcome:
    failed = folder / "failed"
    failed.mkdir(exist_ok=True)
    target = failed / taken.name
    taken.replace(target)
    target.with_name(target.name + ".reason.txt").write_text(f"{en}\n{zh}\n", encoding="utf-8")
    return Outcome(name, False, en, zh)


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
    sandbox.warm(sandbox.Limits.of(config))  # the first file dropped in does not wait for a worker
    while not stop.is_set():
        try:
            for outcome in process(con, config, folder):
                report(outcome)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # a full disk, a vanished folder: the next round tries again
            report(Outcome("", False, *said("inbox.round_failed", error=type(exc).__name__)))
        stop.wait(interval)
