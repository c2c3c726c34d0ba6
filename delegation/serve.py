"""Start the Streamlit server on app.py in this process: `python -m delegation serve` (what `make run`
does, and what the browser tests start)."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from delegation import ROOT

# The Streamlit releases whose PagesManager was read for `_pages_folder_ignored` (tests/test_serve.py
# fails on any other, so an upgrade re-reads it).
CHECKED_STREAMLIT = ("1.67",)


def serve(port: int | None = None, db: str | Path | None = None, extra: list[str] | None = None) -> int:
    """Run `streamlit run app.py` in this process on `db` (else the usual database); returns its
    exit status. `extra`: more of `streamlit run`'s options ("--server.headless", "true")."""
    from streamlit.web import cli

    _pages_folder_ignored()
    threading.Thread(target=_warm_up, name="warm-up", daemon=True).start()
    if db:  # the app's own setting (`config.database_path`), for the server this process becomes
        os.environ["DELEGATION_DB"] = str(Path(db).resolve())
    args = ["run", str(ROOT / "app.py"), *(["--server.port", str(port)] if port else []), *(extra or [])]
    try:
        cli.main(args=args, prog_name="streamlit")
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def _pages_folder_ignored() -> bool:
    """Tell Streamlit before the first session that app.py's `pages/` folder is no old-style
    multipage folder; True when told.

    Streamlit decides on a process's first session: with a `pages/` folder beside the entry point,
    that session's runs take the folder's scripts for the app's pages until one reaches
    `st.navigation` ("the pages/ directory will be ignored across all sessions" only once
    `st.navigation` has been called, its documentation says). Its link to /registrations would run
    pages/registrations.py alone, outside app.py's frame (no sign-in, no sidebar), under a list of
    every script. No option turns the folder's discovery off, and `pages/` is where the pages live;
    so the class attribute `st.navigation` itself sets is set here, for the releases read
    (`CHECKED_STREAMLIT`) and no other (tests/test_serve.py, and in Chromium tests/test_browser.py).
    """
    import streamlit
    from streamlit.runtime.pages_manager import PagesManager

    if streamlit.__version__.rpartition(".")[0] not in CHECKED_STREAMLIT:
        logging.getLogger("delegation.serve").warning(
            "Streamlit %s is not one serve was checked with (%s): the first session after start may "
            "lose its first widget change",
            streamlit.__version__,
            ", ".join(CHECKED_STREAMLIT),
        )
        return False
    PagesManager.uses_pages_directory = False
    return True


def _warm_up() -> list[str]:
    """Load what the first page needs while the first browser is still fetching Streamlit's
    scripts: the library modules the ui stands on, pandas and plotly, and one chart through plotly's
    JSON encoder (its validators load on first use). The first overview then appears sooner."""
    import pandas as pd
    import plotly.io

    from delegation import access, charts, figures, filters, paging  # noqa: F401  (for their import time)

    frame = pd.DataFrame({"key": ["a"], "label": ["a"], "participants": [1], "share": [1.0]})
    return [plotly.io.to_json(chart(frame, "", "")) for chart in (charts.bar_chart, charts.share_chart)]
