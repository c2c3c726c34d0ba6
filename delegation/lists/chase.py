"""The chase list: one row per thing a unit owes, with the unit's contact and its last chase, as
the chase page lists them (every unit, where the page shows a page of units at a time)."""

from __future__ import annotations

from typing import Any

import duckdb

from delegation.chase import chase_list, last_chased
from delegation.config import EventConfig
from delegation.filters import Filters
from delegation.i18n import text
from delegation.lists.base import Column, List, Sheet


class Chase(List):
    key = "chase"
    query = "chase_items"
    columns = tuple(
        Column(key)
        for key in (
            "unit_name",
            "owner",
            "contact_name",
            "contact_mobile",
            "contact_email",
            "last_chased",
            "participant_name",
            "item",
        )
    )

    def sheets(
        self,
        con: duckdb.DuckDBPyConnection,
        config: EventConfig,
        filters: Filters,
        lang: str,
        *,
        owner: str = "",
        not_chased_days: int = 0,
        **_: Any,
    ) -> list[Sheet]:
        entries = chase_list(con, config, filters, owner=owner, not_chased_days=not_chased_days)
        rows = [
            (
                e["unit_name"],
                e["owner"],
                e["contact_name"],
                e["contact_mobile"],
                e["contact_email"],
                last_chased(e, lang),
                item.person or text("documents.unit_itself", lang),
                line,
            )
            for e in entries
            for item, line in zip(e["items"], e["lines"][lang], strict=True)
        ]
        return [Sheet(text("page.chase", lang), self.columns, rows)]
