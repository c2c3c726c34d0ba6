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
from delegation.named_queries import query_df
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
    """Every data-quality list by name, ready to show: messages in `lang`, passports masked unless show_full."""
    params = filters.params()
    skipped = query_df(con, "quality_skipped_rows")
    conflicts = query_df(con, "quality_conflicts")
    lists = {
        "conflicts": pd.DataFrame(
            {
                "import_id": conflicts["import_id"],
                "imported_at": conflicts["imported_at"],
                "file_name": conflicts["file_name"],
                "sheet": conflicts["sheet"],
                "row_number": conflicts["row_number"],
                "column_name": conflicts["column_name"],
                "code": conflicts["code"],
                "reason": conflicts["message_zh" if lang == "zh" else "message_en"],
            }
        ),
        "skipped_rows": pd.DataFrame(
            {
                "imported_at": skipped["imported_at"],
                "file_name": skipped["file_name"],
                "sheet": skipped["sheet"],
                "row_number": skipped["row_number"],
                "reason": skipped["message_zh" if lang == "zh" else "message_en"],
            }
        ),
        "unknown_sectors": query_df(con, "quality_unknown_sectors").drop(columns="unit_id"),
        "duplicate_passports": query_df(con, "quality_duplicate_passports", **params),
        "passport_format": query_df(
            con, "quality_passport_format", passport_pattern=PRC_PASSPORT_PATTERN, **params
        ).drop(columns="participant_id"),
        "passport_expiring": passport_validity(con, config, filters),  # as the documents page lists them
    }
    return {name: mask_frame(frame, show_full) for name, frame in lists.items()}
