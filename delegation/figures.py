"""The overview's figures as small data frames: headline, countdowns, breakdowns, sign-ups.

Every function runs named queries with bound parameters; aggregation happens in DuckDB.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from delegation.config import EventConfig
from delegation.db import fetch_one
from delegation.filters import Filters
from delegation.named_queries import query_df, query_rows
from delegation.summary import countdowns

PACE_DAYS = 14  # the projection's pace: sign-ups per day over this many days before the as-of day


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """A number that changes whenever registrations change (every write appends to the audit log)."""
    return int(fetch_one(con, "select coalesce(max(audit_id), 0) from audit_log")[0])


# Audit actions that record a look, not a change: an export, a scan viewed or downloaded, full
# values shown, a sign-in or out, a backup. None changes what the dashboards count.
LOOKS = (
    "export",
    "document.view",
    "document.download",
    "show_full",
    "login",
    "login.failed",
    "login.locked",
    "logout",
    "logout.idle",
    "backup",
)


def counted_version(con: duckdb.DuckDBPyConnection) -> int:
    """As `data_version`, but still while the audit log only records looks (`LOOKS`): what the
    overview's viewers rerun on. A staffer's export moved `data_version`, and every screen in the
    meeting room redrew the same figures."""
    return int(query_rows(con, "counted_version", looks=list(LOOKS))[0][0])


@dataclass(frozen=True)
class Headline:
    units: int
    participants: int
    invitation_applicants: int
    passport_invalid: int


def headline(con: duckdb.DuckDBPyConnection, config: EventConfig, filters: Filters) -> Headline:
    """The overview's headline figures for the filters."""
    units, participants, applicants, invalid = query_rows(
        con, "headline_figures", passport_valid_through=config.passport_valid_through, **filters.params()
    )[0]
    return Headline(int(units), int(participants), int(applicants), int(invalid))


def urgency(days_left: int) -> str:
    """passed / week (≤ 7 days) / month (≤ 30 days) / later."""
    if days_left < 0:
        return "passed"
    if days_left <= 7:
        return "week"
    if days_left <= 30:
        return "month"
    return "later"


def countdown_cards(config: EventConfig, as_of: dt.date, lang: str) -> list[dict]:
    """One card per milestone: label, date, days left and urgency."""
    labels = {m.key: m.label(lang) for m in config.milestones()}
    return [
        {**d, "label": labels[d["key"]], "urgency": urgency(d["days_left"])}
        for d in countdowns(config, as_of)
    ]


def breakdown(
    con: duckdb.DuckDBPyConnection, kind: str, filters: Filters, lang: str, top: int = 10
) -> pd.DataFrame:
    """Participants by province, sector, theme or city: columns key, label, participants (and share)."""
    df = query_df(con, f"participants_by_{kind}", top=top, **filters.params())
    out = pd.DataFrame(
        {
            "key": df.iloc[:, 0],
            "label": df["name_zh"] if lang == "zh" else df["name_en"],
            "participants": df["participants"].astype(int),
        }
    )
    if "share" in df:
        out["share"] = df["share"].astype(float)
    return out


@dataclass(frozen=True)
class Signups:
    actual: pd.DataFrame  # day, units, participants (cumulative)
    projection: pd.DataFrame  # day, participants (cumulative, at the recent pace), empty when not needed
    pace_per_day: float


def signups(con: duckdb.DuckDBPyConnection, config: EventConfig, filters: Filters) -> Signups:
    """Cumulative sign-ups, and a straight-line projection at the last two weeks' pace up to the deadline."""
    return _signups_from(query_df(con, "signups_by_day", **filters.params()), config, filters)


def _signups_from(df: pd.DataFrame, config: EventConfig, filters: Filters) -> Signups:
    actual = pd.DataFrame(
        {"day": df["day"], "units": df["units_cumulative"], "participants": df["participants_cumulative"]}
    )
    deadline = config.registration_deadline
    if df.empty or filters.as_of >= deadline:
        return Signups(actual, pd.DataFrame({"day": [], "participants": []}), 0.0)
    since = filters.as_of - dt.timedelta(days=PACE_DAYS)
    recent = int(df.loc[pd.to_datetime(df["day"]).dt.date > since, "participants_new"].sum())
    pace = recent / PACE_DAYS
    total = int(df["participants_cumulative"].iloc[-1])
    days = (deadline - filters.as_of).days
    projection = pd.DataFrame(
        {
            "day": [filters.as_of, deadline],
            "participants": [total, round(total + pace * days)],
        }
    )
    return Signups(actual, projection, pace)


BREAKDOWNS = ("province", "sector", "theme", "city")


@dataclass(frozen=True)
class Overview:
    """Everything the overview page shows, from one query (queries/overview.sql)."""

    headline: Headline
    breakdowns: dict[str, pd.DataFrame]  # province, sector, theme, city → as `breakdown` gives them
    signups: Signups
    documents: pd.DataFrame  # kind, label, required, missing: as document_grid.missing_by_kind gives them

    @property
    def missing_documents(self) -> int:
        """Documents owed and not in (received or verified), every kind together."""
        return int(self.documents["missing"].sum())


OVERVIEW_COLUMNS = (
    "part",
    "position",
    "key",
    "name_zh",
    "name_en",
    "participants",
    "share",
    "units",
    "invitation_applicants",
    "passport_invalid",
    "day",
    "units_new",
    "participants_new",
    "units_cumulative",
    "participants_cumulative",
)


def overview(con: duckdb.DuckDBPyConnection, config: EventConfig, filters: Filters, lang: str) -> Overview:
    """The overview's figures in one pass over the counted participants: the same values as
    `headline`, `breakdown` for each kind and `signups`, which run one query each."""
    rows = query_rows(
        con,
        "overview",
        top=config.top_provinces,
        passport_valid_through=config.passport_valid_through,
        **filters.params(),
    )
    parts: dict[str, list[dict]] = {}
    for row in rows:  # a few dozen rows: plain Python is faster than a data frame here
        parts.setdefault(row[0], []).append(dict(zip(OVERVIEW_COLUMNS, row, strict=True)))
    head = parts["headline"][0]
    label = "name_zh" if lang == "zh" else "name_en"
    breakdowns = {}
    for kind in BREAKDOWNS:
        listed = parts.get(kind, [])
        frame = {
            "key": [r["key"] for r in listed],
            "label": [r[label] for r in listed],
            "participants": [int(r["participants"]) for r in listed],
        }
        if kind in ("theme", "city"):
            frame["share"] = [float(r["share"]) for r in listed]
        # Python ints make an int64 column already; astype (≈ 1 ms a frame) only types an empty one.
        empty = {"key": object, "label": object, "participants": int}
        breakdowns[kind] = pd.DataFrame(frame) if listed else pd.DataFrame(frame).astype(empty)
    owed = parts.get("documents", [])
    documents = pd.DataFrame(
        {
            "kind": [r["key"] for r in owed],
            "label": [r[label] for r in owed],
            "required": [int(r["units"]) for r in owed],
            "missing": [int(r["participants"]) for r in owed],
        }
    )
    days = parts.get("signups", [])
    signup_columns = ("units_cumulative", "participants_cumulative", "participants_new")
    return Overview(
        Headline(
            int(head["units"]),
            int(head["participants"]),
            int(head["invitation_applicants"]),
            int(head["passport_invalid"]),
        ),
        breakdowns,
        _signups_from(
            pd.DataFrame(
                {
                    "day": pd.to_datetime([r["day"] for r in days]).as_unit(
                        "us"
                    ),  # as DuckDB gives dates to pandas
                    **{c: [r[c] for r in days] for c in signup_columns},
                }
            ),
            config,
            filters,
        ),
        documents,
    )


def everyone_chose(frame: pd.DataFrame) -> tuple[list[str], pd.DataFrame]:
    """A share breakdown split into the choices every counted participant made (their labels:
    "all visit Los Angeles", said in words) and the rest (the bars worth drawing)."""
    if frame.empty:
        return [], frame
    universal = frame["share"] >= 1.0
    return frame.loc[universal, "label"].tolist(), frame.loc[~universal].reset_index(drop=True)
