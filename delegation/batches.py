"""The invitation-letter batch: ready and blocked applicants, frozen numbered batches, roster and scans."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import pandas as pd
from openpyxl.styles import Font

from delegation.backups import snapshot_beside
from delegation.config import EventConfig
from delegation.db import append_audit, fetch_one, transaction
from delegation.documents import read_stored
from delegation.errors import DelegationError
from delegation.filters import Filters
from delegation.formulas import neutralise_row
from delegation.i18n import text
from delegation.keys import keyring
from delegation.named_queries import query_df, query_rows
from delegation.paging import as_date
from delegation.search import pinyin_for
from delegation.text import safe_name

BATCH_STATES = ("draft", "submitted", "letters_received", "sent_to_units")
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def candidates(con: duckdb.DuckDBPyConnection, config: EventConfig, filters: Filters) -> pd.DataFrame:
    """Applicants through the chamber with `ready` and the reasons the others are blocked."""
    return query_df(
        con, "batch_candidates", passport_valid_through=config.passport_valid_through, **filters.params()
    )


def blocked_reasons(row: Mapping[str, Any], config: EventConfig, lang: str) -> str:
    """Why an applicant is not ready, in one line (`row`: a `candidates` row, or its
    missing_kinds and passport_problem). Those already in a batch are listed as such, not here."""
    reasons = [
        text("batch.missing", lang).format(what=config.document(k).label(lang)) for k in row["missing_kinds"]
    ]
    if isinstance(row["passport_problem"], str):
        reasons.append(text(f"batch.passport.{row['passport_problem']}", lang))
    return "；".join(reasons) if lang == "zh" else "; ".join(reasons)


def freeze(
    con: duckdb.DuckDBPyConnection,
    config: EventConfig,
    actor: str,
    *,
    expected: int | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Freeze every applicant ready now into a new numbered draft batch; returns its number.

    The invitation letters are applied for in one batch: the sidebar's filters and as-of day never
    narrow it. `expected`: the count the person confirmed; when it no longer matches (an import or
    a document changed meanwhile), nothing is frozen and they are asked to confirm again."""
    now = now or dt.datetime.now().replace(microsecond=0)
    _ready_for(con, config, now, expected)  # a refusal takes no snapshot
    snapshot_beside(con, "before-batch")
    with transaction(con):
        ready = _ready_for(con, config, now, expected)
        batch_id = fetch_one(con, "select nextval('batch_id_seq')")[0]
        con.execute("insert into batches values (?, 'draft', ?, ?, ?)", [batch_id, now, actor, now])
        con.execute(
            "insert into batch_members select ?, unnest(?::integer[]), ?",
            [batch_id, [int(p) for p in ready["participant_id"]], now],
        )
        append_audit(
            con,
            actor,
            "batch.change",
            f"batch:{batch_id}",
            at=now,
            details={"status": "draft", "participants": len(ready)},
        )
    return int(batch_id)


def _ready_for(
    con: duckdb.DuckDBPyConnection, config: EventConfig, now: dt.datetime, expected: int | None
) -> pd.DataFrame:
    """The applicants ready at `now`, or a refusal: nobody, or not the number confirmed."""
    ready = candidates(con, config, Filters(as_of=now.date()))
    ready = ready[ready["ready"]]
    if ready.empty:
        raise DelegationError("error.batch.nobody_ready")
    if expected is not None and len(ready) != expected:
        raise DelegationError("error.batch.count_changed", ready=len(ready), expected=expected)
    return ready


def ready_now(con: duckdb.DuckDBPyConnection, config: EventConfig, today: dt.date | None = None) -> int:
    """How many applicants a freeze would take now: every one ready today, whatever the filters."""
    filters = Filters(as_of=today or dt.date.today())
    (ready,) = query_rows(
        con, "batch_ready_count", passport_valid_through=config.passport_valid_through, **filters.params()
    )[0]
    return int(ready)


def set_status(con: duckdb.DuckDBPyConnection, batch_id: int, status: str, actor: str) -> None:
    """Move a batch one step on: draft → submitted → letters received → sent to units."""
    now = dt.datetime.now().replace(microsecond=0)
    with transaction(con):
        row = fetch_one(con, "select status from batches where batch_id = ?", [batch_id])
        if not row:
            raise DelegationError("error.batch.none", batch_id=batch_id)
        current = row[0]
        if BATCH_STATES.index(status) != BATCH_STATES.index(current) + 1:
            raise DelegationError("error.batch.next_only", batch_id=batch_id, current=current)
        con.execute(
            "update batches set status = ?, status_changed_at = ? where batch_id = ?", [status, now, batch_id]
        )
        append_audit(
            con,
            actor,
            "batch.change",
            f"batch:{batch_id}",
            at=now,
            details={"before": current, "after": status},
        )


def roster(con: duckdb.DuckDBPyConnection, batch_id: int) -> pd.DataFrame:
    """The batch's people; pinyin from the form, else made with pypinyin and flagged."""
    df = query_df(con, "batch_roster", batch_id=batch_id)
    from_form = [isinstance(p, str) and bool(p.strip()) for p in df["pinyin_name"]]
    df["pinyin_generated"] = [not f for f in from_form]
    df["pinyin_name"] = [
        p if f else pinyin_for(n) for p, f, n in zip(df["pinyin_name"], from_form, df["name"], strict=True)
    ]
    return df


ROSTER_COLUMNS = (
    "unit_name",
    "unit_name_en",
    "name",
    "pinyin_name",
    "pinyin_generated",
    "gender",
    "date_of_birth",
    "position",
    "position_en",
    "passport_number",
    "passport_expiry",
    "holds_us_visa",
)


def roster_xlsx(con: duckdb.DuckDBPyConnection, batch_id: int, lang: str) -> bytes:
    """The roster as a workbook in `lang`: its sheet and headers, bold frozen header, dates as
    dates, passport numbers as text."""
    df = roster(con, batch_id)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = text("batch.number", lang).format(batch=batch_id)  # the sheet in the headers' language
    ws.append([text(f"roster.{c}", lang) for c in ROSTER_COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    yes, no = text("value.yes", lang), text("value.no", lang)
    for row in df.itertuples():
        values = []
        for c in ROSTER_COLUMNS:
            v = getattr(row, c)
            if c in ("holds_us_visa", "pinyin_generated"):
                v = yes if v else no
            elif c in ("date_of_birth", "passport_expiry"):
                v = as_date(v)
            elif c == "gender":
                v = text(f"gender.{v}", lang) if v in ("M", "F") else None
            elif isinstance(v, float) and pd.isna(v):
                v = None
            values.append(v)
        ws.append(values)
        neutralise_row(ws[ws.max_row])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, str):
                cell.number_format = "@"
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    for column in ws.columns:
        width = max(len(str(c.value or "")) for c in column)
        ws.column_dimensions[column[0].column_letter].width = min(40, max(10, width * 1.6 + 2))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _safe(part: str) -> str:
    """One part of a roster ZIP member's name: a unit's name as sent may hold slashes, controls or
    a right-to-left override, so it is made safe as every outside name is (`text.safe_name`), its
    slashes and spaces joined by "_"."""
    cleaned = safe_name(re.sub(r"[\\/]", "_", part)) if part.strip() else ""
    return re.sub(r"[\s_]+", "_", cleaned).strip("_") or "x"


def scans_zip(con: duckdb.DuckDBPyConnection, batch_id: int, documents_dir: Path) -> bytes:
    """The batch's passport and visa scans, named `<unit>-<pinyin name>-passport.<ext>` / `-visa.<ext>`."""
    df = query_df(con, "batch_scans", batch_id=batch_id)
    ring = keyring(con) if len(df) else None
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        used: set[str] = set()
        for row in df.itertuples():
            pinyin = (
                row.pinyin_name
                if isinstance(row.pinyin_name, str) and row.pinyin_name.strip()
                else pinyin_for(row.name)
            )
            label = "passport" if row.kind == "passport_scan" else "visa"
            base = f"{_safe(row.unit_name)}-{_safe(pinyin)}-{label}"
            name, n = f"{base}.{EXTENSIONS.get(row.content_type, 'bin')}", 2
            while name in used:  # two people of one unit with the same pinyin
                name, n = f"{base}-{n}.{EXTENSIONS.get(row.content_type, 'bin')}", n + 1
            used.add(name)
            archive.writestr(name, read_stored(documents_dir, row.stored_name, ring, row.original_name))
    return out.getvalue()
