"""The data-quality lists: what the importer reported and what the registrations still get wrong,
and settling a conflict between forms once staff have looked at it."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import duckdb
import pandas as pd

from delegation.config import EventConfig
from delegation.db import append_audit, transaction
from delegation.document_grid import passport_validity
from delegation.filters import Filters
from delegation.ingest.normalise import PRC_PASSPORT_PATTERN
from delegation.paging import EVERY_ROW, Page, paged
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

    def read(name: str, query: str, **params: object) -> Page:
        return paged(con, query, asked[name], page_size, **params)

    conflicts = read("conflicts", "quality_conflicts")
    skipped = read("skipped_rows", "quality_skipped_rows")
    sectors = read("unknown_sectors", "quality_unknown_sectors")
    duplicates = read("duplicate_passports", "quality_duplicate_passports", **filters.params())
    formats = read(
        "passport_format",
        "quality_passport_format",
        passport_pattern=PRC_PASSPORT_PATTERN,
        **filters.params(),
    )
    c, k = conflicts.rows, skipped.rows
    lists = {
        "conflicts": replace(
            conflicts,
            rows=pd.DataFrame(
                {
                    "import_id": c["import_id"],
                    "imported_at": c["imported_at"],
                    "file_name": c["file_name"],
                    "sheet": c["sheet"],
                    "row_number": c["row_number"],
                    "column_name": c["column_name"],
                    "code": c["code"],
                    "reason": c[message],
                }
            ),
        ),
        "skipped_rows": replace(
            skipped,
            rows=pd.DataFrame(
                {
                    "imported_at": k["imported_at"],
                    "file_name": k["file_name"],
                    "sheet": k["sheet"],
                    "row_number": k["row_number"],
                    "reason": k[message],
                }
            ),
        ),
        "unknown_sectors": replace(sectors, rows=sectors.rows.drop(columns="unit_id")),
        "duplicate_passports": duplicates,
        "passport_format": replace(formats, rows=formats.rows.drop(columns="participant_id")),
        # as the documents page lists them
        "passport_expiring": passport_validity(con, config, filters, asked["passport_expiring"], page_size),
    }
    return {name: replace(page, rows=mask_frame(page.rows, show_full)) for name, page in lists.items()}
