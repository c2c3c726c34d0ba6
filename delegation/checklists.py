"""What the documents, chase and batch pages show, as small frames and texts in the chosen language."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from delegation import batches
from delegation.config import EventConfig
from delegation.dashboard import as_date, page_count
from delegation.db import query_df, query_rows
from delegation.filters import Filters
from delegation.i18n import text


def missing_by_kind(con: duckdb.DuckDBPyConnection, filters: Filters, lang: str) -> pd.DataFrame:
    """Required and missing documents per kind: kind, label, required, missing."""
    df = query_df(con, "missing_documents_by_kind", **filters.params())
    return pd.DataFrame(
        {
            "kind": df["kind"],
            "label": df["name_zh" if lang == "zh" else "name_en"],
            "required": df["required"],
            "missing": df["missing"],
        }
    )


def missing_by_province(con: duckdb.DuckDBPyConnection, filters: Filters, lang: str) -> pd.DataFrame:
    """Missing documents per province, in the bar chart's shape (key, label, participants = missing)."""
    df = query_df(con, "missing_documents_by_province", **filters.params())
    return pd.DataFrame(
        {
            "key": df["province"],
            "label": df["name_zh" if lang == "zh" else "name_en"],
            "participants": df["missing"],
        }
    )


def missing_by_unit(
    con: duckdb.DuckDBPyConnection,
    config: EventConfig,
    filters: Filters,
    lang: str,
    *,
    owner: str = "",
    only_missing: bool = True,
) -> pd.DataFrame:
    """A unit × kind grid of missing documents, units with most missing first."""
    df = query_df(con, "missing_documents_by_unit", owner=owner, **filters.params())
    kinds = [d.kind for d in config.documents]
    # Pivoted by pandas, not row by row in Python (64 000 rows at 100 000 participants: 0.35 s);
    # the units keep the query's order (most missing first, then by name in pinyin).
    units = df.drop_duplicates("unit_id")[["unit_id", "unit_name", "owner", "unit_missing"]]
    counts = df.pivot(index="unit_id", columns="kind", values="missing").reindex(columns=kinds)
    grid = units.rename(columns={"unit_missing": "missing"}).join(counts, on="unit_id")
    grid[kinds] = grid[kinds].fillna(0).astype("int64")
    grid = grid.astype({"unit_id": "int64", "missing": "int64"})
    if only_missing:
        grid = grid[grid["missing"] > 0]
    return grid.rename(columns={k: config.document(k).label(lang) for k in kinds}).reset_index(drop=True)


def completion(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Documents received by day (cumulative) and the number required."""
    df = query_df(con, "documents_received_by_day", **filters.params())
    return pd.DataFrame(
        {
            "day": [as_date(d) for d in df["day"]],
            "received": df["received_cumulative"],
            "required": df["required"],
        }
    )


def passport_validity(con: duckdb.DuckDBPyConnection, config: EventConfig, filters: Filters) -> pd.DataFrame:
    """Applicants whose passport expires before the required date, or whose expiry is unknown, with days short."""
    df = query_df(
        con,
        "quality_passport_expiring",
        passport_valid_through=config.passport_valid_through,
        **filters.params(),
    ).drop(columns="participant_id")
    df["passport_expiry"] = [as_date(d) for d in df["passport_expiry"]]
    return df


def owners(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The secretariat members units are assigned to."""
    return [
        r[0]
        for r in con.execute(
            "select distinct owner from units where owner is not null order by owner collate zh"
        ).fetchall()
    ]


def unit_checklist(
    con: duckdb.DuckDBPyConnection, config: EventConfig, unit_id: int, as_of: dt.date, lang: str
) -> pd.DataFrame:
    """Every document a unit and its people owe, with state, reason, arrival and file name."""
    df = query_df(con, "unit_checklist", as_of=as_of, unit_id=unit_id)
    return pd.DataFrame(
        {
            "participant_id": df["participant_id"],
            "kind": df["kind"],
            "participant_name": [
                text("documents.unit_itself", lang) if pd.isna(p) else n
                for p, n in zip(df["participant_id"], df["participant_name"], strict=True)
            ],
            "item": [config.document(k).label(lang) for k in df["kind"]],
            "status": [text(f"state.{s}", lang) for s in df["status"]],
            "reason": df["reason"],
            "received_at": df["received_at"],
            "original_name": df["original_name"],
        }
    )


def checklist_target(checklist: pd.DataFrame, unit_id: int, position: int) -> dict[str, object]:
    """The document that row `position` of `unit_checklist` stands for: unit, participant (None for the
    unit's own documents) and kind — the keyword arguments of documents.set_state and attach."""
    row = checklist.iloc[position]
    person = row["participant_id"]
    return {
        "unit_id": int(unit_id),
        "participant_id": None if pd.isna(person) else int(person),
        "kind": str(row["kind"]),
    }


def chase_list(
    con: duckdb.DuckDBPyConnection, config: EventConfig, filters: Filters, *, owner: str = ""
) -> list[dict]:
    """One entry per unit with anything missing or invalid: contact, the items, and their lines and
    messages in zh and en (one cached list for both languages)."""
    rows = query_rows(
        con,
        "chase_items",
        passport_valid_through=config.passport_valid_through,
        owner=owner,
        **filters.params(),
    )
    units: dict[int, dict] = {}
    for unit_id, unit_name, unit_owner, contact, mobile, email, _pid, person, item, detail, reason in rows:
        entry = units.setdefault(
            unit_id,
            {
                "unit_id": unit_id,
                "unit_name": unit_name,
                "owner": unit_owner,
                "contact_name": contact,
                "contact_mobile": mobile,
                "contact_email": email,
                "items": [],
            },
        )
        entry["items"].append((person, item, detail, reason))
    for entry in units.values():
        entry["lines"] = {lg: [_item_line(config, lg, *i) for i in entry["items"]] for lg in ("zh", "en")}
        entry["message_zh"] = _message(config, entry, "zh")
        entry["message_en"] = _message(config, entry, "en")
    return list(units.values())


CHASE_PAGE_UNITS = 50  # units the chase page shows at a time


def chase_page(entries: list[dict], page: int) -> tuple[list[dict], dict[str, int]]:
    """Page `page` of the chase list (the last one if there are fewer pages), and what it shows:
    first and last unit (counted from 1), page and pages."""
    pages = page_count(len(entries), CHASE_PAGE_UNITS)
    page = min(max(page, 1), pages)
    first = (page - 1) * CHASE_PAGE_UNITS
    shown = entries[first : first + CHASE_PAGE_UNITS]
    return shown, {"first": first + 1, "last": first + len(shown), "page": page, "pages": pages}


def chase_table(entry: dict, lang: str) -> pd.DataFrame:
    """One `chase_list` entry's items as its table: who, and what is missing. Made for the units a
    page shows only: a data frame for each of the 15 000 units to chase at 100 000 participants
    took 5 s."""
    return pd.DataFrame(
        {
            "participant_name": [p or text("documents.unit_itself", lang) for p, *_ in entry["items"]],
            "item": entry["lines"][lang],
        }
    )


def _item_line(
    config: EventConfig, lang: str, person: str | None, item: str, detail: str, reason: str | None
) -> str:
    if item == "passport_expiry":
        if detail == "unknown":
            return text("chase.item.passport_expiry_unknown", lang)
        return text("chase.item.passport_expiry", lang).format(date=config.passport_valid_through.isoformat())
    if item == "annex2_fields":
        fields = [text(f"column.{f}", lang) for f in detail.split(",") if f]
        return text("chase.item.annex2_fields", lang).format(
            fields="、".join(fields) if lang == "zh" else ", ".join(fields)
        )
    line = text("documents.missing_kind", lang).format(what=config.document(item).label(lang))
    if detail == "rejected" and reason:
        line += " " + text("chase.item.rejected", lang).format(reason=reason)
    return line


def _message(config: EventConfig, entry: dict, lang: str) -> str:
    """A ready-to-send e-mail asking the unit for what is missing."""
    unit = entry["unit_name"]
    deadline = config.registration_deadline.isoformat()
    lines = []
    for (person, *_), line in zip(entry["items"], entry["lines"][lang], strict=True):
        who = person or (unit if lang == "en" else "贵单位")
        lines.append(f"- {who}：{line}" if lang == "zh" else f"- {who}: {line}")
    subject = config.email_subject(unit, lang)
    if lang == "zh":
        greeting = f"{entry['contact_name'] or ''}您好：" if entry["contact_name"] else "您好："
        return "\n".join(
            [
                f"主题：{subject}",
                "",
                greeting,
                "",
                f"感谢贵单位报名参加{config.name_zh}。经核对，以下材料尚未收齐或需更正：",
                *lines,
                "",
                f"请于 {deadline} 前将材料发送至秘书处邮箱，邮件主题请注明“{subject}”。邀请函将统一批量申请，逾期将影响办理。",
                "",
                f"{config.organiser_zh} 秘书处",
            ]
        )
    greeting = f"Dear {entry['contact_name']}," if entry["contact_name"] else "Dear colleague,"
    return "\n".join(
        [
            f"Subject: {subject}",
            "",
            greeting,
            "",
            f"Thank you for registering for the {config.name_en}. The following items are still missing or need correcting:",
            *lines,
            "",
            f'Please send them to the secretariat by {deadline} with the e-mail subject "{subject}". '
            "Invitation letters are applied for in one batch; late documents delay everyone.",
            "",
            f"Secretariat, {config.organiser_en}",
        ]
    )


REASON_COLUMNS = ("missing_kinds", "passport_problem", "batch_id")  # what batches.blocked_reasons reads


def batch_view(
    con: duckdb.DuckDBPyConnection, config: EventConfig, filters: Filters, lang: str
) -> dict[str, pd.DataFrame]:
    """Ready and blocked applicants, and the batches so far."""
    df = batches.candidates(con, config, filters)
    ready_rows = df["ready"].to_numpy(dtype=bool)
    view = pd.DataFrame(
        {
            "unit_name": df["unit_name"],
            "name": df["name"],
            "passport_expiry": [as_date(d) for d in df["passport_expiry"]],
        }
    )
    ready = view[ready_rows].reset_index(drop=True)
    blocked = view[~ready_rows].reset_index(drop=True)
    # Worded once per combination of reasons (a handful), not per applicant: pandas' row by row
    # took 2 s for the 72 000 applicants of the 100 000-participant demo.
    said: dict[tuple, str] = {}
    reasons = []
    for kinds, problem, batch_id in zip(*(df[c][~ready_rows] for c in REASON_COLUMNS), strict=True):
        key = (
            tuple(kinds),
            problem if isinstance(problem, str) else None,
            None if pd.isna(batch_id) else int(batch_id),
        )
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
    return {"ready": ready, "blocked": blocked, "batches": listed}
