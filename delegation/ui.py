"""The one module that knows Streamlit: cached resources, the language picker, labels.

Pages import this and `delegation`; nothing else in the package imports streamlit.
"""

from __future__ import annotations

import duckdb
import streamlit as st

from delegation.config import EventConfig, database_path, load_config
from delegation.db import connect
from delegation.i18n import LANGUAGES, text


@st.cache_resource
def event_config() -> EventConfig:
    """The checked event configuration, read once per server process."""
    return load_config()


@st.cache_resource
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    return connect(event_config(), path)


def cursor() -> duckdb.DuckDBPyConnection:
    """A cursor on the app's one database connection (one per script run, safe across sessions)."""
    return _connection(str(database_path())).cursor()


def language() -> str:
    """The chosen UI language ("zh" or "en"); default Chinese."""
    return st.session_state.get("ui.lang", "zh")


def t(key: str) -> str:
    """The label for `key` in the chosen language."""
    return text(key, language())


def language_picker() -> str:
    """The sidebar's language switch; returns the chosen language."""
    st.sidebar.radio(
        "语言 / Language",
        options=list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        key="ui.lang",
        horizontal=True,
    )
    return language()
