"""Reading the audit log (appended by `db.append_audit` only): what the admin's audit page lists and exports."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from delegation.db import query_df, query_rows
from delegation.i18n import TEXT, text

AUDIT_LIMIT = 10_000


def audit_choices(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """The actions and actors found in the audit log."""
    rows = query_rows(con, "audit_actions")
    return {kind: [v for k, v in rows if k == kind] for kind in ("action", "actor")}


def action_label(action: str, lang: str) -> str:
    """What an action stored in the log ('document.change') is called in `lang`; an action with no
    label (written by a later version) is shown as stored."""
    key = f"audit.action.{action}"
    return text(key, lang) if key in TEXT else action


def audit_entries(
    con: duckdb.DuckDBPyConnection,
    actions: tuple[str, ...],
    actor: str,
    since: dt.date,
    until: dt.date,
    lang: str,
) -> pd.DataFrame:
    """The audit log filtered, newest first (the latest AUDIT_LIMIT entries), actions named in `lang`."""
    entries = query_df(
        con, "audit_entries", actions=list(actions), actor=actor, since=since, until=until, limit=AUDIT_LIMIT
    ).drop(columns="audit_id")
    entries["action"] = [action_label(a, lang) for a in entries["action"]]
    return entries
