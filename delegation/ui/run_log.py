"""The opt-in run log: how long each script run took, timed inside the server.

When the environment variable `DELEGATION_RUN_LOG` names a file, every run of the app appends one
JSON line to it: the wall-clock time it ended (`time`, Unix seconds), the page's script name
(`page`, e.g. "overview"; null when the run stopped before a page was chosen, as at the sign-in
form), the `kind` ("page" for a whole run of app.py, "refresh" for a run of the overview's refresh
fragment alone), the `seconds` the run took (time.perf_counter around its body), the session's
`role` (as the run began; app.py names it once the session is signed in), and how it `ended`:
"done", or "rerun" / "stop" when Streamlit's control-flow exceptions (RerunException for st.rerun
and st.switch_page, StopException for st.stop) ended it, or "error".
Nothing else: no user names, no filters, no personal data. Unset, nothing is measured or written.

It exists so that a load test measures the server's own time per run (bench/load_test.py), not
the clients' clocks, which share the machine's cores with the server.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import streamlit as st
from streamlit.runtime.scriptrunner import RerunException, StopException

ENV = "DELEGATION_RUN_LOG"

_write_lock = threading.Lock()  # sessions run in threads of one process: one line at a time
_open = threading.local()  # the run in progress in this thread (a script run is one thread)


@dataclass
class Run:
    """One script run being timed; the caller names its page and role once it knows them."""

    kind: str
    page: str | None = None
    role: str = ""


def current() -> Run | None:
    """The run being timed in this thread, if any (a fragment called inside a page run is part of it)."""
    return getattr(_open, "run", None)


@contextmanager
def timed_run(kind: str, page: str | None = None) -> Iterator[Run]:
    """Time the body as one run of `kind` and append its line to the run log, however it ends.

    Inside another timed run of the same thread (the refresh fragment drawn by a page run) the body
    belongs to that run and writes no line of its own."""
    path = os.environ.get(ENV)
    if not path or current() is not None:
        yield Run(kind, page)
        return
    # Read before the run, not after it: once st.stop or st.rerun is asked for, reading the session
    # state raises Streamlit's control-flow exception again.
    run = Run(kind, page, st.session_state.get("auth.role", ""))
    _open.run = run
    ended = "done"
    started = time.perf_counter()
    try:
        yield run
    except RerunException:
        ended = "rerun"
        raise
    except StopException:
        ended = "stop"
        raise
    except BaseException:
        ended = "error"
        raise
    finally:
        seconds = time.perf_counter() - started
        _open.run = None
        _append(path, run, seconds, ended)


def _append(path: str, run: Run, seconds: float, ended: str) -> None:
    line = {
        "time": round(time.time(), 3),
        "page": run.page,
        "kind": run.kind,
        "seconds": round(seconds, 6),
        "role": run.role,
        "ended": ended,
    }
    data = (json.dumps(line) + "\n").encode()
    with _write_lock, open(path, "ab") as out:  # one write per line, appended
        out.write(data)
