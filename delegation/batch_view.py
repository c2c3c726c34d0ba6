"""What the batch page shows: applicants ready for an invitation-letter batch, blocked (with the
reasons in words) or already in one, and the batches so far."""

from __future__ import annotations

import duckdb
import pandas as pd

from delegation import batches
from delegation.config import EventConfig
from delegation.filters import Filters
from delegation.i18n import text
from delegation.named_queries import query_df
from delegation.paging import as_date

REASON_COLUMNS = ("missing_kinds", "passport_problem")  # what batches.blocked_reasons reads


def batch_view(
    con: duckdb.DuckDBPyConnection, config: EventConfig, filters: Filters, lang: str
) -> dict[str, pd.DataFrame]:
    """Applicants as they stood on the as-of day, for the filters: ready, blocked (with the reasons)
    and already in a batch (with its number); and the batches so far."""
    df = batches.candidates(con, config, filters)
    in_batch = df["batch_id"].notna().to_numpy()
    ready_rows = df["ready"].to_numpy(dtype=bool)
    blocked_rows = ~ready_rows & ~in_batch
    view = pd.DataFrame(
        {
            "unit_name": df["unit_name"],
            "name": df["name"],
            "passport_expiry": [as_date(d) for d in df["passport_expiry"]],
        }
    )
    ready = view[ready_rows].reset_index(drop=True)
    blocked = view[blocked_rows].reset_index(drop=True)
    batched = view[in_batch].reset_index(drop=True)
    batched["batch_id"] = [text("batch.number", lang).format(batch=int(b)) for b in df["batch_id"][in_batch]]
    # Worded once per combination of reasons (a handful), not per applicant: pandas' row by row
    # took 2 s for the 72 000 applicants of the 100 000-participant demo.
    said: dict[tuple, str] = {}
    reasons = []
    for kinds, problem in zip(*(df[c][blocked_rows] for c in REASON_COLUMNS), strict=True):
        key = (tuple(kinds), problem if isinstance(problem, str) else None)
        if key not in said:
            said[key] = batches.blocked_reasons(dict(zip(REASON_COLUMNS, key, strict=True)), config, lang)
        reasons.append(said[key])
    blocked["reasons"] = reasons
    listed = query_df(con, "batches_list")
    listed["next_status"] = [
        batches.BATCH_STATES[batches.BATCH_STATES.index(s) + 1] if s != batches.BATCH_STATES[-1] else None
        for s in listed["status"]
    ]
    listed["status"] = [text(f"batch.status.{s}", lang) for s in listed["status"]]
    return {"ready": ready, "blocked": blocked, "in_batch": batched, "batches": listed}
