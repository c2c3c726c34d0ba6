"""`serve`'s one setting of a Streamlit internal: read against the installed release, so that an
upgrade fails here until the reason for it is read again (delegation/serve.py, `_pages_folder_ignored`)."""

from __future__ import annotations

import inspect
import logging

import pytest
import streamlit
from streamlit.runtime import pages_manager
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import script_runner

from delegation import ROOT, serve


@pytest.fixture
def fresh_process(monkeypatch):
    """PagesManager as in a server process before its first session."""
    monkeypatch.setattr(PagesManager, "uses_pages_directory", None)


def test_the_installed_streamlit_is_one_serve_was_checked_with():
    assert streamlit.__version__.rpartition(".")[0] in serve.CHECKED_STREAMLIT, streamlit.__version__


def test_a_first_session_takes_app_pys_pages_folder_for_an_old_style_app(fresh_process):
    # What the setting is for: left alone, the first session's manager finds pages/ beside app.py,
    # and its first run goes through the old-style page list (the runner reads the class attribute).
    PagesManager(str(ROOT / "app.py"))
    assert PagesManager.uses_pages_directory is True
    assert "if PagesManager.uses_pages_directory:\n" in inspect.getsource(script_runner.ScriptRunner)
    assert "PagesManager.uses_pages_directory = Path(" in inspect.getsource(pages_manager)


def test_serve_tells_streamlit_before_the_first_session(fresh_process):
    assert serve._pages_folder_ignored() is True
    PagesManager(str(ROOT / "app.py"))
    assert PagesManager.uses_pages_directory is False


def test_another_streamlit_is_left_alone_and_said_in_the_log(fresh_process, monkeypatch, caplog):
    monkeypatch.setattr(streamlit, "__version__", "9.1.0")
    with caplog.at_level(logging.WARNING, logger="delegation.serve"):
        assert serve._pages_folder_ignored() is False
    assert PagesManager.uses_pages_directory is None
    assert "Streamlit 9.1.0 is not one serve was checked with" in caplog.text
