"""The data-quality lists: what the importer reported and what the registrations still get wrong,
and settling a conflict between forms once staff have looked at it."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from delegation.config import EventConfig
from delegation.db import append_audit, transaction
from delegation.document_grid import passport_validity
from delegation.filters import Filters
from delegation.ingest.normalise import PRC_PASSPORT_PATTERN
from delegation.paging import EVERY_ROW, Page, read_page
from delegation.privacy import mask_frame

QUALITY_LISTS = (
    "conflicts",
    "skipped_rows",
    "unknown_sectors",
    "duplicate_passports",
    "passport_format",
    "passport_expiring",
)


# Columns a list carries for an action but neither shows nor exports ("settled" takes these).
QUALITY_HIDDEN = {"conflicts": ("import_id", "column_name", "code")}


def settle_issue(
    con: duckdb.DuckDBPyConnection, issue: dict, actor: str, now: dt.datetime | None = None
) -> None:
    """Mark a conflict between forms as looked at (the value kept stays): it leaves the list."""
    now = now or dt.datetime.now().replace(microsecond=0)
    keys = [issue["import_id"], issue["sheet"], issue["row_number"], issue["column_name"], issue["code"]]
    with transaction(con):
        con.execute(
            "update import_issues set settled_at = ?, settled_by = ? where import_id = ? "
            "and sheet is not distinct from ? and row_number is not distinct from ? "
            "and column_name is not distinct from ? and code = ? and settled_at is null",
            [now, actor, *keys],
        )
        append_audit(
            con,
            actor,
            "issue.settled",
            f"import:{issue['import_id']}",
            {
                "sheet": issue["sheet"],
                "row": issue["row_number"],
                "field": issue["column_name"],
                "code": issue["code"],
            },
            at=now,
        )


def quality(
    con: duckdb.DuckDBPyConnection,
    config: EventConfig,
    filters: Filters,
    lang: str,
    *,
    show_full: bool = False,
) -> dict[str, pd.DataFrame]:
    """Every data-quality list by name, whole (the export): messages in `lang`, passports masked unless show_full."""
    pages = quality_pages(con, config, filters, lang, show_full=show_full)
    return {name: page.rows for name, page in pages.items()}


def quality_pages(
    con: duckdb.DuckDBPyConnection,
    config: EventConfig,
    filters: Filters,
    lang: str,
    pages: tuple[int, ...] = (1,) * len(QUALITY_LISTS),
    page_size: int = EVERY_ROW,
    *,
    show_full: bool = False,
) -> dict[str, Page]:
    """One page of each data-quality list by name (`pages`: the page asked for of each, in the order
    of QUALITY_LISTS), cut in DuckDB, each counting its whole list: messages in `lang`, passports
    masked unless show_full."""
    asked = dict(zip(QUALITY_LISTS, pages, strict=True))
    message = "message_zh" if lang == "zh" else "message_en"

    def read(name: str, query: str, **params: object) -> tuple[pd.DataFrame, int, int]:
        df, page = read_page(con, query, asked[name], page_size, **params)
        total = int(df["total_rows"].iloc[0]) if len(df) else 0
        return df.drop(columns="total_rows"), total, page

    conflicts, *conflicts_at = read("conflicts", "quality_conflicts")
    skipped, *skipped_at = read("skipped_rows", "quality_skipped_rows")
    sectors, *sectors_at = read("unknown_sectors", "quality_unknown_sectors")
    duplicates, *duplicates_at = read(
        "duplicate_passports", "quality_duplicate_passports", **filters.params()
    )
    formats, *formats_at = read(
        "passport_format",
        "quality_passport_format",
        passport_pattern=PRC_PASSPORT_PATTERN,
        **filters.params(),
    )
    expiring = passport_validity(con, config, filters, asked["passport_expiring"], page_size)
    lists = {
        "conflicts": (
            pd.DataFrame(
                {
                    "import_id": conflicts["import_id"],
                    "imported_at": conflicts["imported_at"],
                    "file_name": conflicts["file_name"],
                    "sheet": conflicts["sheet"],
                    "row_number": conflicts["row_number"],
                    "column_name": conflicts["column_name"],
                    "code": conflicts["code"],
                    "reason": conflicts[message],
                }
            ),
            *conflicts_at,
        ),
        "skipped_rows": (
            pd.DataFrame(
                {
                    "imported_at": skipped["imported_at"],
                    "file_name": skipped["file_name"],
                    "sheet": skipped["sheet"],
                    "row_number": skipped["row_number"],
                    "reason": skipped[message],
                }
            ),
            *skipped_at,
        ),
        "unknown_sectors": (sectors.drop(columns="unit_id"), *sectors_at),
        "duplicate_passports": (duplicates, *duplicates_at),
        "passport_format": (formats.drop(columns="participant_id"), *formats_at),
        "passport_expiring": (
            expiring.rows,
            expiring.total,
            expiring.page,
        ),  # as the documents page lists them
    }
    return {
        name: Page(mask_frame(frame, show_full), total, page_size, page)
        for name, (frame, total, page) in lists.items()
    }
