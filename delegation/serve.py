"""Start the Streamlit server on app.py: `python -m delegation serve` (what `make run` does)."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

from delegation import ROOT


def serve(port: int | None = None, db: str | Path | None = None, extra: list[str] | None = None) -> int:
    """Run `streamlit run app.py` in this process; returns its exit status."""
    # Streamlit takes a folder named pages/ beside the entry point for an old-style multipage app
    # until the first script run reaches st.navigation, so the first browser session after start
    # would see a different set of pages and lose its first widget change. app.py always uses
    # st.navigation: tell Streamlit so before any session starts.
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    PagesManager.uses_pages_directory = False
    threading.Thread(target=_warm_up, name="warm-up", daemon=True).start()
    if db:
        os.environ["DELEGATION_DB"] = str(Path(db).resolve())
    args = ["streamlit", "run", str(ROOT / "app.py")]
    if port:
        args += ["--server.port", str(port)]
    sys.argv = [*args, *(extra or [])]
    try:
        cli.main(prog_name="streamlit")
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def check_at_start(config, db: str | Path | None = None) -> None:
    """Read the whole database once before the server opens it for writing (`integrity.check`,
    read-only): a damaged file is refused in one sentence naming the newest backup and the restore
    command, and is left byte for byte as it was. Costs ≈ 0.15 s for 50 000 participants
    (docs/hardening.md, "Faults")."""
    from delegation.config import database_path
    from delegation.integrity import check

    target = database_path(db)
    if target.is_file() and target.stat().st_size:
        check(target, config)


def _warm_up() -> list[str]:
    """Load what the first page needs while the first browser is still fetching Streamlit's
    scripts: the app's modules, pandas and plotly, and one chart through plotly's JSON encoder
    (its validators load on first use). The first overview then appears about a second sooner."""
    import pandas as pd
    import plotly.io

    from delegation import charts, ui  # noqa: F401  (imported for their import time)

    frame = pd.DataFrame({"key": ["a"], "label": ["a"], "participants": [1], "share": [1.0]})
    return [plotly.io.to_json(chart(frame, "", "")) for chart in (charts.bar_chart, charts.share_chart)]
