"""The documents list: the unit × kind grid of documents missing (every unit, not only those
missing some), and the applicants whose passport is too short, as the documents page shows them."""

from __future__ import annotations

from typing import Any

import duckdb

from delegation import document_grid
from delegation.config import EventConfig
from delegation.filters import Filters
from delegation.i18n import text
from delegation.lists.base import List, Sheet, frame_sheet


class Documents(List):
    key = "documents"
    query = "missing_documents_by_unit"  # and, for its second sheet, quality_passport_expiring

    def sheets(
        self,
        con: duckdb.DuckDBPyConnection,
        config: EventConfig,
        filters: Filters,
        lang: str,
        *,
        owner: str = "",
        **_: Any,
    ) -> list[Sheet]:
        grid = document_grid.missing_by_unit(con, config, filters, lang, owner=owner, only_missing=False).rows
        validity = document_grid.passport_validity(con, config, filters).rows
        return [
            frame_sheet(text("documents.by_unit", lang), grid, hidden=("unit_id",)),
            frame_sheet(text("documents.passport_validity", lang), validity),
        ]
