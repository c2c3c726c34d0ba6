"""What the batch page shows: applicants ready for an invitation-letter batch, blocked (with the
reasons in words) or already in one, and the batches so far."""

from __future__ import annotations

import duckdb
import pandas as pd

from delegation import batches
from delegation.config import EventConfig
from delegation.db import transaction
from delegation.filters import Filters
from delegation.i18n import text
from delegation.named_queries import query_df
from delegation.paging import Page, as_date, page_count

REASON_COLUMNS = ("missing_kinds", "passport_problem")  # what batches.blocked_reasons reads


LISTS = ("ready", "blocked", "in_batch")  # the page's three lists of applicants


def batch_view(
    con: duckdb.DuckDBPyConnection, config: EventConfig, filters: Filters, lang: str
) -> dict[str, pd.DataFrame]:
    """Applicants as they stood on the as-of day, for the filters: ready, blocked (with the reasons)
    and already in a batch (with its number), every one of them (the export); and the batches so far."""
    df = batches.candidates(con, config, filters)
    in_batch = df["batch_id"].notna().to_numpy()
    ready_rows = df["ready"].to_numpy(dtype=bool)
    listed = {"ready": ready_rows, "blocked": ~ready_rows & ~in_batch, "in_batch": in_batch}
    view = {
        name: _shown(df[rows].reset_index(drop=True), name, config, lang) for name, rows in listed.items()
    }
    return {**view, "batches": batches_so_far(con, lang)}


def batch_page(
    con: duckdb.DuckDBPyConnection,
    config: EventConfig,
    filters: Filters,
    lang: str,
    pages: tuple[int, int, int] = (1, 1, 1),
    page_size: int = 100,
) -> dict[str, Page | pd.DataFrame]:
    """What the batch page shows: one page of each list (`pages`: the page asked for of ready,
    blocked and in a batch; a page past the end is the last), each a `Page` counting its whole
    list, cut in DuckDB; and the batches so far."""

    def read(asked: tuple[int, ...]) -> pd.DataFrame:
        offsets = {
            f"{name}_offset": (max(n, 1) - 1) * page_size for name, n in zip(LISTS, asked, strict=True)
        }
        return query_df(
            con,
            "batch_page",
            passport_valid_through=config.passport_valid_through,
            limit=page_size,
            **offsets,
            **filters.params(),
        )

    with transaction(con):  # the lengths and a page past the end read again from one snapshot
        df = read(pages)
        totals = dict(zip(df["list"], df["total_rows"], strict=True))
        shown = tuple(
            min(max(n, 1), page_count(int(totals.get(name, 0)), page_size))
            for name, n in zip(LISTS, pages, strict=True)
        )
        if shown != tuple(max(n, 1) for n in pages):
            df = read(shown)
    view: dict[str, Page | pd.DataFrame] = {}
    for name, page in zip(LISTS, shown, strict=True):
        rows = df[(df["list"] == name) & df["participant_id"].notna()].reset_index(drop=True)
        view[name] = Page(_shown(rows, name, config, lang), int(totals.get(name, 0)), page_size, page)
    view["batches"] = batches_so_far(con, lang)
    return view


def _shown(df: pd.DataFrame, name: str, config: EventConfig, lang: str) -> pd.DataFrame:
    """One list's applicants as the page shows them: unit, name, passport expiry, and the reasons
    (blocked) or the batch (in a batch)."""
    view = pd.DataFrame(
        {
            "unit_name": df["unit_name"],
            "name": df["name"],
            "passport_expiry": [as_date(d) for d in df["passport_expiry"]],
        }
    )
    if name == "in_batch":
        view["batch_id"] = [text("batch.number", lang).format(batch=int(b)) for b in df["batch_id"]]
    if name == "blocked":
        # Worded once per combination of reasons (a handful), not per applicant: pandas' row by row
        # took 2 s for the 72 000 applicants of the 100 000-participant demo.
        said: dict[tuple, str] = {}
        reasons = []
        for kinds, problem in zip(*(df[c] for c in REASON_COLUMNS), strict=True):
            key = (tuple(kinds), problem if isinstance(problem, str) else None)
            if key not in said:
                said[key] = batches.blocked_reasons(dict(zip(REASON_COLUMNS, key, strict=True)), config, lang)
            reasons.append(said[key])
        view["reasons"] = reasons
    return view


def batches_so_far(con: duckdb.DuckDBPyConnection, lang: str) -> pd.DataFrame:
    """The batches so far, each with its status in words and the step it can move on to."""
    listed = query_df(con, "batches_list")
    listed["next_status"] = [
        batches.BATCH_STATES[batches.BATCH_STATES.index(s) + 1] if s != batches.BATCH_STATES[-1] else None
        for s in listed["status"]
    ]
    listed["status"] = [text(f"batch.status.{s}", lang) for s in listed["status"]]
    return listed
