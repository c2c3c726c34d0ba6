"""The data-quality list: a sheet for each of the data-quality page's lists."""

from __future__ import annotations

from typing import Any

import duckdb

from delegation import quality
from delegation.config import EventConfig
from delegation.filters import Filters
from delegation.i18n import text
from delegation.lists.base import List, Sheet, frame_sheet


class Quality(List):
    key = "quality"
    query = "quality_conflicts"  # and a query for each further sheet (quality.QUALITY_LISTS)

    def sheets(
        self, con: duckdb.DuckDBPyConnection, config: EventConfig, filters: Filters, lang: str, **_: Any
    ) -> list[Sheet]:
        # Unmasked here: the list masks its personal columns itself.
        lists = quality.quality(con, config, filters, lang, show_full=True)
        return [
            frame_sheet(
                text(f"quality.{name}", lang), lists[name], hidden=quality.QUALITY_HIDDEN.get(name, ())
            )
            for name in quality.QUALITY_LISTS
        ]
