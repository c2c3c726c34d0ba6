"""The batch list: applicants ready for an invitation-letter batch, those blocked (with the
reasons), and the batches so far, as the batch page shows them."""

from __future__ import annotations

from typing import Any

import duckdb

from delegation.batch_view import batch_view
from delegation.config import EventConfig
from delegation.filters import Filters
from delegation.i18n import text
from delegation.lists.base import List, Sheet, frame_sheet


class Batch(List):
    key = "batch"
    query = "batch_candidates"  # and, for the batches sheet, batches_list

    def sheets(
        self, con: duckdb.DuckDBPyConnection, config: EventConfig, filters: Filters, lang: str, **_: Any
    ) -> list[Sheet]:
        view = batch_view(con, config, filters, lang)
        return [
            frame_sheet(text("export.sheet.ready", lang), view["ready"]),
            frame_sheet(text("export.sheet.blocked", lang), view["blocked"]),
            frame_sheet(text("batch.list", lang), view["batches"], hidden=("next_status",)),
        ]
