"""The app's Streamlit side, the only part of `delegation` that imports Streamlit (with `serve`,
which starts the server): what pages and app.py call, as `from delegation import ui` then `ui.<name>`.

- `state`: the configuration, the connection and cached queries, watchers, language, pages;
- `auth`: signing in and out, idle sessions, a page's role check;
- `sidebar`: language, presentation mode, as-of day and filters, kept in the URL;
- `widgets`: tables, select boxes, file boxes, page numbers, the edit form, a title row;
- `downloads`: exports, scans and other files, each audited;
- `messages`: user text shown as typed, a refusal's sentence;
- `run_log`: each script run's time, when DELEGATION_RUN_LOG names a file;
- `styles`: every CSS rule and every `data-testid` the app styles.

Pages use this face only, never a module inside the package (tests/test_layers.py).
"""

from delegation.ui.auth import authenticate, log_show_full, logout, require, role, user
from delegation.ui.downloads import export_buttons, exported, file_button, logged_download, scan_viewer
from delegation.ui.messages import MISSING, plain, show_error
from delegation.ui.run_log import timed_run
from delegation.ui.sidebar import current_filters, load_url_once, sidebar
from delegation.ui.state import (
    cursor,
    event_config,
    figure,
    inbox_watcher,
    language,
    mail_watcher,
    page_link,
    presenting,
    query,
    register_pages,
    rerun_when_data_changes,
    shared,
    t,
)
from delegation.ui.styles import LEAST_PX, WRAP_ROW_PX, apply_presentation_style, countdown_card, wrapping
from delegation.ui.widgets import (
    LIST_PAGE_ROWS,
    any_of,
    asked_page,
    edit_inputs,
    follow_page,
    heading,
    page_box,
    page_number,
    paged_table,
    selectbox,
    selected_rows,
    send_language,
    table,
    uploader,
)

__all__ = [
    "LEAST_PX",
    "LIST_PAGE_ROWS",
    "MISSING",
    "WRAP_ROW_PX",
    "any_of",
    "apply_presentation_style",
    "asked_page",
    "authenticate",
    "countdown_card",
    "current_filters",
    "cursor",
    "edit_inputs",
    "event_config",
    "export_buttons",
    "exported",
    "figure",
    "file_button",
    "follow_page",
    "heading",
    "inbox_watcher",
    "language",
    "load_url_once",
    "log_show_full",
    "logged_download",
    "logout",
    "mail_watcher",
    "page_box",
    "page_link",
    "page_number",
    "paged_table",
    "plain",
    "presenting",
    "query",
    "register_pages",
    "require",
    "rerun_when_data_changes",
    "role",
    "scan_viewer",
    "selectbox",
    "selected_rows",
    "send_language",
    "shared",
    "show_error",
    "sidebar",
    "t",
    "table",
    "timed_run",
    "uploader",
    "user",
    "wrapping",
]
