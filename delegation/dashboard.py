"""What the pages show, as small data frames: figures, countdowns, breakdowns, one page of a list.

Every function runs named queries with bound parameters; aggregation happens in DuckDB.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import pandas as pd

from delegation.config import EventConfig
from delegation.db import append_audit, fetch_one, query_df, query_rows, transaction
from delegation.filters import Filters
from delegation.i18n import text
from delegation.ingest.normalise import PRC_PASSPORT_PATTERN
from delegation.privacy import mask_birth_date, mask_email, mask_mobile, mask_passport
from delegation.search import pinyin_for, search_pattern
from delegation.summary import countdowns

UNIT_SORTS = ("name", "province", "sector", "participants", "invitation_applicants", "registered_on")
PARTICIPANT_SORTS = ("name", "unit", "province", "registered_on", "passport_expiry", "position")
PACE_DAYS = 14  # the projection's pace: sign-ups per day over this many days before the as-of day


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """A number that changes whenever registrations change (every write appends to the audit log)."""
    return int(fetch_one(con, "select coalesce(max(audit_id), 0) from audit_log")[0])


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
    documents: pd.DataFrame  # kind, label, required, missing: as checklists.missing_by_kind gives them

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


def as_date(value: object) -> dt.date | None:
    """A date, timestamp or datetime from DuckDB or pandas as a plain date (tables show 2023-03-20,
    not 2023-03-20 00:00:00); missing stays None."""
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _dates(column: pd.Series) -> list:
    return [as_date(v) for v in column]


def _page(
    con: duckdb.DuckDBPyConnection,
    name: str,
    filters: Filters,
    search: str,
    sort: str,
    descending: bool,
    page: int,
    page_size: int,
) -> tuple[pd.DataFrame, int]:
    """Run a list query for one page of rows (each row carries the whole list's length), and the
    page shown. A page past the end (a search or filter shrank the list while page 5 was open)
    shows the last page instead of an empty table counting 0 rows."""

    def one(number: int, limit: int = page_size) -> pd.DataFrame:
        return query_df(
            con,
            name,
            search=search_pattern(search),
            sort=sort,
            descending=descending,
            limit=limit,
            offset=(number - 1) * page_size,
            **filters.params(),
        )

    page = max(page, 1)
    df = one(page)
    if df.empty and page > 1:
        with transaction(con):  # the count and the last page from one snapshot of the data
            counted = one(1, limit=1)
            total = int(counted["total_rows"].iloc[0]) if len(counted) else 0
            page = page_count(total, page_size)
            df = one(page) if total else counted
    return df, page


UNIT_OPTIONS = 50  # the sidebar offers this many units at a time (a search finds the rest)


def unit_options(
    con: duckdb.DuckDBPyConnection, search: str = "", chosen: tuple[int, ...] = (), limit: int = UNIT_OPTIONS
) -> dict[int, str]:
    """Unit ids and names for the sidebar's unit filter: the chosen ones, then matches for the search."""
    rows = query_rows(
        con, "unit_options", search=search_pattern(search), chosen=[int(c) for c in chosen], limit=limit
    )
    return {int(r[0]): r[1] for r in rows}


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
    df, shown = _page(
        con,
        "units_page",
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
            "registered_on": _dates(df["registered_on"]),
            "contact_name": df["contact_name"],
            "status": [text(f"status.{s}", lang) for s in df["status"]],
        }
    )
    return Page(rows, total, page_size, shown)


# What the participants table and its export show, in this order.
PARTICIPANT_TABLE_COLUMNS = (
    "unit_name",
    "name",
    "pinyin_name",
    "gender",
    "position",
    "mobile",
    "email",
    "date_of_birth",
    "passport_number",
    "passport_expiry",
    "applies_via_chamber",
    "holds_us_visa",
    "themes",
    "cities",
    "registered_on",
    "status",
)


def participant_formatter(config: EventConfig, lang: str, show_full: bool) -> Callable[[tuple], tuple]:
    """A `participants_page` row → the values shown, in PARTICIPANT_TABLE_COLUMNS order: labels in `lang`,
    dates as dates, the pinyin the form gave (else made from the Chinese name), passport, mobile,
    e-mail and birth date masked unless show_full."""
    themes = {t.key: t.label(lang) for t in config.themes}
    cities = {c.key: c.label(lang) for c in config.cities}
    yes, no = text("value.yes", lang), text("value.no", lang)
    sep = "、" if lang == "zh" else ", "
    keep: Callable[[object], object] = lambda value: value  # noqa: E731
    passport = keep if show_full else mask_passport
    mobile = keep if show_full else mask_mobile
    email = keep if show_full else mask_email
    birth = keep if show_full else mask_birth_date

    def show(row: tuple) -> tuple:
        (_pid, _uid, unit, name, pinyin, gender, position, mob, mail, dob, number, expiry, applies, visa, _visa_expiry,
         theme_keys, city_keys, _arrangements, registered, status, _total) = row  # fmt: skip
        return (
            unit,
            name,
            pinyin if isinstance(pinyin, str) and pinyin.strip() else pinyin_for(name) or None,
            text(f"gender.{gender}", lang) if gender in ("M", "F") else None,
            position,
            mobile(mob),
            email(mail),
            birth(as_date(dob)),
            passport(number),
            as_date(expiry),
            yes if applies else no,
            yes if visa else no,
            sep.join(themes.get(k, k) for k in theme_keys),
            sep.join(cities.get(k, k) for k in city_keys),
            as_date(registered),
            text(f"status.{status}", lang),
        )

    return show


def participants_page(
    con: duckdb.DuckDBPyConnection,
    config: EventConfig,
    filters: Filters,
    lang: str,
    *,
    search: str = "",
    sort: str = "name",
    descending: bool = False,
    page: int = 1,
    page_size: int = 50,
    show_full: bool = False,
) -> Page:
    """One page of the participants list; passport, mobile, e-mail and birth date masked unless show_full."""
    sort = sort if sort in PARTICIPANT_SORTS else "name"
    df, shown = _page(con, "participants_page", filters, search, sort, descending, page, page_size)
    total = int(df["total_rows"].iloc[0]) if len(df) else 0
    show = participant_formatter(config, lang, show_full)
    rows = pd.DataFrame(
        [(r[0], *show(r)) for r in df.itertuples(index=False, name=None)],
        columns=["participant_id", *PARTICIPANT_TABLE_COLUMNS],
    )
    return Page(rows, total, page_size, shown)


def unit_detail(
    con: duckdb.DuckDBPyConnection, unit_id: int, as_of: dt.date, lang: str, show_full: bool = False
) -> pd.DataFrame:
    """One unit's own details as of a day, as rows of (field, value) in `lang`; the contact masked
    unless show_full. Its participants are counted as the units list counts them that day."""
    df, _ = _page(con, "units_page", Filters(as_of=as_of).for_unit(unit_id), "", "name", False, 1, 1)
    if df.empty:
        return pd.DataFrame({"field": [], "value": []})
    row = df.iloc[0]
    fields = {
        "unit_name": row["name"],
        "province": row["province_zh" if lang == "zh" else "province_en"],
        "sector": row["sector_zh" if lang == "zh" else "sector_en"],
        "contact_name": row["contact_name"],
        "contact_mobile": row["contact_mobile"] if show_full else mask_mobile(row["contact_mobile"]),
        "contact_email": row["contact_email"] if show_full else mask_email(row["contact_email"]),
        "participants": str(row["participants"]),
        "status": text(f"status.{row['status']}", lang),
    }
    return pd.DataFrame(
        {"field": [text(f"column.{k}", lang) for k in fields], "value": list(fields.values())}
    )


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
        "passport_expiring": query_df(
            con, "quality_passport_expiring", passport_valid_through=config.passport_valid_through, **params
        ).drop(columns="participant_id"),
    }
    lists["passport_expiring"]["passport_expiry"] = _dates(lists["passport_expiring"]["passport_expiry"])
    if not show_full:
        for name in ("duplicate_passports", "passport_format"):
            lists[name]["passport_number"] = [mask_passport(v) for v in lists[name]["passport_number"]]
    return lists
