"""The units list: every unit with a participant the filters pass, with its counts, as the
registrations page shows it one page at a time and as the export holds it whole."""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from delegation.config import EventConfig
from delegation.filters import Filters
from delegation.i18n import text
from delegation.lists.base import List, Sheet, frame_sheet
from delegation.paging import Page, dates, run_page

UNIT_SORTS = ("name", "province", "sector", "participants", "invitation_applicants", "registered_on")


def units_page(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    lang: str,
    *,
    search: str = "",
    sort: str = "name",
    descending: bool = False,
    page: int = 1,
    page_size: int = 50,
) -> Page:
    """One page of the units list with labels in `lang`."""
    df, shown = run_page(
        con,
        Units.query,
        filters,
        search,
        sort if sort in UNIT_SORTS else "name",
        descending,
        page,
        page_size,
    )
    total = int(df["total_rows"].iloc[0]) if len(df) else 0
    rows = pd.DataFrame(
        {
            "unit_id": df["unit_id"],
            "unit_name": df["name"],
            "province": df["province_zh" if lang == "zh" else "province_en"],
            "sector": df["sector_zh" if lang == "zh" else "sector_en"],
            "participants": df["participants"],
            "invitation_applicants": df["invitation_applicants"],
            "registered_on": dates(df["registered_on"]),
            "contact_name": df["contact_name"],
            "status": [text(f"status.{s}", lang) for s in df["status"]],
        }
    )
    return Page(rows, total, page_size, shown)


class Units(List):
    key = "units"
    query = "units_page"

    def sheets(
        self,
        con: duckdb.DuckDBPyConnection,
        config: EventConfig,
        filters: Filters,
        lang: str,
        *,
        search: str = "",
        sort: str = "name",
        descending: bool = False,
        **_: Any,
    ) -> list[Sheet]:
        page = units_page(
            con, filters, lang, search=search, sort=sort, descending=descending, page_size=10**9
        )
        return [frame_sheet(text("registrations.units", lang), page.rows, hidden=("unit_id",))]
