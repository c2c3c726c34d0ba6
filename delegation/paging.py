"""One page of a list at a time: the page arithmetic, the paged query runner, and the sidebar's
unit choices and one unit's details, which read the same paged units query."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from delegation.db import transaction
from delegation.filters import Filters
from delegation.i18n import text
from delegation.named_queries import query_df, query_rows
from delegation.privacy import shown
from delegation.search import search_pattern

EVERY_ROW = 2**31 - 1  # a page size that holds a whole list (an export takes every row)


def page_count(rows: int, page_size: int) -> int:
    """How many pages `rows` rows fill, `page_size` to a page (at least one, empty)."""
    return max(1, -(-rows // page_size))


@dataclass(frozen=True)
class Page:
    """One page of a list, the number of rows in the whole list, and how many pages that makes;
    `page` is the page shown (the last one when a page past the end was asked for)."""

    rows: pd.DataFrame
    total: int
    page_size: int
    page: int

    @property
    def pages(self) -> int:
        return page_count(self.total, self.page_size)

    @property
    def first(self) -> int:
        """The first row shown, counted from 1 (1 on an empty list)."""
        return (self.page - 1) * self.page_size + 1

    @property
    def last(self) -> int:
        """The last row shown, counted from 1 (0 on an empty list)."""
        return (self.page - 1) * self.page_size + len(self.rows)


def as_date(value: object) -> dt.date | None:
    """A date, timestamp or datetime from DuckDB or pandas as a plain date (tables show 2023-03-20,
    not 2023-03-20 00:00:00); missing stays None."""
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def dates(column: pd.Series) -> list:
    """A column of dates, timestamps or datetimes as plain dates (`as_date`)."""
    return [as_date(v) for v in column]


def read_page(
    con: duckdb.DuckDBPyConnection, name: str, page: int, page_size: int, **params: object
) -> tuple[pd.DataFrame, int]:
    """Run a paged list query (it takes $limit and $offset, and each row carries the whole list's
    length in `total_rows`) for one page of rows, and the page shown. A page past the end (a
    search or filter shrank the list while page 5 was open) shows the last page instead of an
    empty table counting 0 rows."""

    def one(number: int, limit: int = page_size) -> pd.DataFrame:
        return query_df(con, name, limit=limit, offset=(number - 1) * page_size, **params)

    page = max(page, 1)
    df = one(page)
    if df.empty and page > 1:
        with transaction(con):  # the count and the last page from one snapshot of the data
            counted = one(1, limit=1)
            total = int(counted["total_rows"].iloc[0]) if len(counted) else 0
            page = page_count(total, page_size)
            df = one(page) if total else counted
    return df, page


def paged(con: duckdb.DuckDBPyConnection, name: str, page: int, page_size: int, **params: object) -> Page:
    """`read_page` as a `Page`: the rows without their `total_rows` column, and the list's length."""
    df, shown = read_page(con, name, page, page_size, **params)
    total = int(df["total_rows"].iloc[0]) if len(df) else 0
    return Page(df.drop(columns="total_rows"), total, page_size, shown)


def run_page(
    con: duckdb.DuckDBPyConnection,
    name: str,
    filters: Filters,
    search: str,
    sort: str,
    descending: bool,
    page: int,
    page_size: int,
) -> tuple[pd.DataFrame, int]:
    """`read_page` of a searched, sorted list under the sidebar's filters."""
    return read_page(
        con,
        name,
        page,
        page_size,
        search=search_pattern(search),
        sort=sort,
        descending=descending,
        **filters.params(),
    )


UNIT_OPTIONS = 50  # the sidebar offers this many units at a time (a search finds the rest)


def unit_options(
    con: duckdb.DuckDBPyConnection, search: str = "", chosen: tuple[int, ...] = (), limit: int = UNIT_OPTIONS
) -> dict[int, str]:
    """Unit ids and names for the sidebar's unit filter: the chosen ones, then matches for the search."""
    rows = query_rows(
        con, "unit_options", search=search_pattern(search), chosen=[int(c) for c in chosen], limit=limit
    )
    return {int(r[0]): r[1] for r in rows}


def unit_detail(
    con: duckdb.DuckDBPyConnection, unit_id: int, as_of: dt.date, lang: str, show_full: bool = False
) -> pd.DataFrame:
    """One unit's own details as of a day, as rows of (field, value) in `lang`; the contact masked
    unless show_full. Its participants are counted as the units list counts them that day."""
    df, _ = run_page(con, "units_page", Filters(as_of=as_of).for_unit(unit_id), "", "name", False, 1, 1)
    if df.empty:
        return pd.DataFrame({"field": [], "value": []})
    row = df.iloc[0]
    fields = {
        "unit_name": row["name"],
        "province": row["province_zh" if lang == "zh" else "province_en"],
        "sector": row["sector_zh" if lang == "zh" else "sector_en"],
        "contact_name": row["contact_name"],
        "contact_mobile": shown("contact_mobile", row["contact_mobile"], show_full),
        "contact_email": shown("contact_email", row["contact_email"], show_full),
        "participants": str(row["participants"]),
        "status": text(f"status.{row['status']}", lang),
    }
    return pd.DataFrame(
        {"field": [text(f"column.{k}", lang) for k in fields], "value": list(fields.values())}
    )
