"""The server's shared things and a session's own: the event configuration, the database
connection and cached queries, the background watchers, the chosen language and mode, the pages.

Session-state keys are namespaced: `ui.*` for the frame, `filters.*` for the sidebar filters,
`auth.*` for the sign-in, `<page>.*` for a page's own widgets.
"""

from __future__ import annotations

import atexit
import importlib
import logging
import threading
from collections.abc import Callable
from typing import Any

import duckdb
import streamlit as st

from delegation import figures
from delegation.config import EventConfig, database_path, load_config
from delegation.db import connect
from delegation.errors import DelegationError
from delegation.i18n import text
from delegation.ui.run_log import current, timed_run


@st.cache_resource
def event_config() -> EventConfig:
    """The checked event configuration, read once per server process."""
    return load_config()


@st.cache_resource
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    return connect(event_config(), path)


@st.cache_resource
def inbox_watcher(path: str) -> threading.Thread:
    """One background thread per server process importing files dropped into the inbox."""
    from delegation import inbox

    logger = logging.getLogger("delegation.inbox")

    def report(outcome: inbox.Outcome) -> None:
        logger.info("inbox: %s — %s", outcome.file, outcome.message_en)  # file names and counts only

    stop = threading.Event()
    thread = threading.Thread(
        target=inbox.watch,
        args=(_connection(path).cursor(), event_config(), inbox.inbox_folder(path)),
        kwargs={"report": report, "stop": stop},
        name="delegation-inbox",
        daemon=True,
    )
    thread.start()

    def finish() -> None:  # let the thread release its cursor before the interpreter goes
        stop.set()
        thread.join(timeout=5)

    atexit.register(finish)
    return thread


@st.cache_resource
def mail_watcher(path: str) -> threading.Thread | None:
    """One background thread per server process reading the registration mailbox, when an IMAP
    account is set (`[mail.imap]` in secrets); None without one."""
    from delegation import imap
    from delegation.documents import documents_folder

    try:
        account = imap.account("imap") if imap.configured("imap") else None
    except DelegationError as exc:  # set, but wrongly: said on the Mail page and in the log
        logging.getLogger("delegation.mail").warning("mail: %s", exc.en)
        imap.set_last_failure(exc)
        return None
    if account is None:
        return None
    stop = threading.Event()
    thread = threading.Thread(
        target=imap.watch,
        args=(_connection(path).cursor(), event_config(), account),
        kwargs={"documents_dir": documents_folder(path), "stop": stop},
        name="delegation-mail",
        daemon=True,
    )
    thread.start()

    def finish() -> None:
        stop.set()
        thread.join(timeout=5)

    atexit.register(finish)
    return thread


def cursor() -> duckdb.DuckDBPyConnection:
    """A cursor on the app's one database connection (its own per call: safe across sessions)."""
    return _connection(str(database_path())).cursor()


# The event configuration is one frozen dataclass per process: its own hash() (µs) keys the caches,
# not Streamlit's walk through every field (≈ 2.4 ms, once per query of every run).
_CONFIG_HASH = {EventConfig: hash}


def _call(module: str, name: str, args: tuple, kwargs: tuple, *first: Any) -> Any:
    """`<module>.<name>(*first, *args, **kwargs)`: what each cache below stores the result of."""
    return getattr(importlib.import_module(module), name)(*first, *args, **dict(kwargs))


@st.cache_data(max_entries=1024, show_spinner=False, hash_funcs=_CONFIG_HASH)
def _cached(module: str, name: str, db: str, version: int, args: tuple, kwargs: tuple) -> Any:
    del db, version  # part of the cache key only
    return _call(module, name, args, kwargs, cursor())


@st.cache_resource(max_entries=64, show_spinner=False, hash_funcs=_CONFIG_HASH)
def _shared(module: str, name: str, db: str, version: int, args: tuple, kwargs: tuple) -> Any:
    del db, version  # part of the cache key only
    return _call(module, name, args, kwargs, cursor())


def _through(
    cache: Callable[..., Any], version: int, function: Callable[..., Any], args: tuple, kwargs: dict
) -> Any:
    key = tuple(sorted(kwargs.items()))
    return cache(function.__module__, function.__name__, str(database_path()), version, args, key)


def query(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call a `delegation` function taking a connection first, through the cache; any write invalidates it."""
    return _through(_cached, figures.data_version(cursor()), function, args, kwargs)


def shared(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """As `query`, but one result for every session asking the same, not a copy each: for a page's
    whole view that sessions only read (the overview's figures and charts). A meeting room's twenty
    viewers rerun the overview after each change of the data; with a copy each (`query`) and the
    charts looked up by their data (`figure`), each rerun still unpickled the figures and hashed five
    charts' frames — most of its time once the first viewer had built them. A look in the audit log
    (an export) builds nothing anew (`figures.counted_version`)."""
    return _through(_shared, figures.counted_version(cursor()), function, args, kwargs)


@st.cache_resource(max_entries=256, show_spinner=False)
def _figure(module: str, name: str, args: tuple, kwargs: tuple) -> Any:
    return _call(module, name, args, kwargs)


def figure(builder: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """A chart from `delegation.charts` for data in hand (the documents page's), built once for
    these data and words and shared by every session: st.plotly_chart only reads a figure (it
    copies it to JSON). A whole view read from the database is `shared` instead."""
    return _figure(builder.__module__, builder.__name__, args, tuple(sorted(kwargs.items())))


def rerun_when_data_changes(seconds: int) -> None:
    """Every `seconds`, check the data version (one tiny query) and rerun the page when it moved;
    a look in the audit log (an export, a sign-in: `figures.LOOKS`) moves nothing.

    Only the check runs on the timer, so a viewer's own clicks never race a full refresh.
    """

    page = getattr(current(), "page", None)  # the page run drawing the fragment names its page

    @st.fragment(run_every=seconds)
    def watch() -> None:
        with timed_run("refresh", page):  # DELEGATION_RUN_LOG: the timer's own runs
            version = figures.counted_version(cursor())
            seen = st.session_state.setdefault("ui.data_version", version)
            if version != seen:
                st.session_state["ui.data_version"] = version
                st.session_state["auth.unattended"] = True  # not a click: the idle time runs on
                st.rerun(scope="app")

    st.session_state["ui.data_version"] = figures.counted_version(cursor())
    watch()


def language() -> str:
    """The chosen UI language ("zh" or "en"); default Chinese."""
    return st.session_state.get("ui.lang", "zh")


def t(key: str) -> str:
    """The label for `key` in the chosen language."""
    return text(key, language())


def presenting() -> bool:
    """True in presentation mode (toggle, or ?present=1 in the URL)."""
    return bool(st.session_state.get("ui.present", False))


def register_pages(pages: dict[str, Any]) -> None:
    """The app's pages by script name (app.py), for links between pages."""
    st.session_state["ui.pages"] = pages


def page_link(page: str, label: str, **options: Any) -> None:
    """A link to another page of the app (a script's name, "import_forms"), when the app has it."""
    target = st.session_state.get("ui.pages", {}).get(page)
    if target is not None:
        st.page_link(target, label=label, **options)
