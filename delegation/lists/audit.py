"""The audit-log list: the log's entries in words, narrowed as the audit page narrows them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb

from delegation.audit import audit_entries
from delegation.config import EventConfig
from delegation.filters import Filters
from delegation.i18n import text
from delegation.lists.base import List, Sheet, frame_sheet


class Audit(List):
    key = "audit"
    query = "audit_entries"

    def sheets(
        self,
        con: duckdb.DuckDBPyConnection,
        config: EventConfig,
        filters: Filters,
        lang: str,
        *,
        actions: tuple[str, ...] = (),
        actor: str = "",
        since: dt.date = dt.date.min,
        until: dt.date = dt.date.max,
        **_: Any,
    ) -> list[Sheet]:
        entries = audit_entries(con, config, actions, actor, since, until, lang)
        return [frame_sheet(text("page.audit", lang), entries)]
