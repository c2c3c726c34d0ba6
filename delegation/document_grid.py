"""What the documents page shows: documents owed and missing by kind, province and unit, their
arrival over time, passports too short, and one unit's checklist."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import duckdb
import pandas as pd

from delegation.config import EventConfig
from delegation.filters import Filters
from delegation.i18n import text
from delegation.named_queries import query_df
from delegation.paging import EVERY_ROW, Page, as_date, paged


@dataclass(frozen=True)
class DocumentFigures:
    """What the documents page draws above its lists: `missing_by_kind`, `missing_by_province` and
    `completion`, as those give them."""

    by_kind: pd.DataFrame
    by_province: pd.DataFrame
    completion: pd.DataFrame


def figures(con: duckdb.DuckDBPyConnection, filters: Filters, lang: str) -> DocumentFigures:
    """The documents page's figures in one pass over the documents owed: the same values as
    `missing_by_kind`, `missing_by_province` and `completion`, which run one query each."""
    df = query_df(con, "documents_figures", **filters.params())
    label = "name_zh" if lang == "zh" else "name_en"
    kinds, provinces, days = (df[df["part"] == part] for part in ("kind", "province", "day"))
    return DocumentFigures(
        pd.DataFrame(
            {
                "kind": kinds["key"].tolist(),
                "label": kinds[label].tolist(),
                "required": kinds["required"].astype("int64").tolist(),
                "missing": kinds["missing"].astype("int64").tolist(),
            }
        ),
        pd.DataFrame(
            {
                "key": provinces["key"].tolist(),
                "label": provinces[label].tolist(),
                "participants": provinces["missing"].astype("int64").tolist(),
            }
        ),
        pd.DataFrame(
            {
                "day": [as_date(d) for d in days["day"]],
                "received": days["received_cumulative"].astype("int64").tolist(),
                "required": days["required"].astype("int64").tolist(),
            }
        ),
    )


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
    page: int = 1,
    page_size: int = EVERY_ROW,
) -> Page:
    """A unit × kind grid of missing documents, units with most missing first: one page of units
    (cut in DuckDB; every unit by default, as the export takes them) and how many units in all."""
    listed = paged(
        con,
        "missing_documents_by_unit",
        page,
        page_size,
        owner=owner,
        only_missing=only_missing,
        **filters.params(),
    )
    df = listed.rows
    kinds = [d.kind for d in config.documents]
    # Pivoted by pandas, not row by row in Python; the units keep the query's order (most missing
    # first, then by name in pinyin).
    units = df.drop_duplicates("unit_id")[["unit_id", "unit_name", "owner", "unit_missing"]]
    counts = df.pivot(index="unit_id", columns="kind", values="missing").reindex(columns=kinds)
    grid = units.rename(columns={"unit_missing": "missing"}).join(counts, on="unit_id")
    grid[kinds] = grid[kinds].fillna(0).astype("int64")
    grid = grid.astype({"unit_id": "int64", "missing": "int64"})
    grid = grid.rename(columns={k: config.document(k).label(lang) for k in kinds}).reset_index(drop=True)
    return replace(listed, rows=grid)


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


def passport_validity(
    con: duckdb.DuckDBPyConnection,
    config: EventConfig,
    filters: Filters,
    page: int = 1,
    page_size: int = EVERY_ROW,
) -> Page:
    """Applicants whose passport expires before the required date, or whose expiry is unknown, with
    days short: one page of them (cut in DuckDB; all by default) and how many in all."""
    listed = paged(
        con,
        "quality_passport_expiring",
        page,
        page_size,
        passport_valid_through=config.passport_valid_through,
        **filters.params(),
    )
    df = listed.rows.drop(columns="participant_id")
    df["passport_expiry"] = [as_date(d) for d in df["passport_expiry"]]
    return replace(listed, rows=df)


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
            "document_id": df["document_id"].astype("Int64"),  # its scan, when one is stored
        }
    )


def checklist_scan(checklist: pd.DataFrame, position: int) -> int | None:
    """The document whose scan row `position` of `unit_checklist` opens, or None: nothing stored
    (not received yet, or marked on paper)."""
    row = checklist.iloc[position]
    return None if pd.isna(row["document_id"]) or pd.isna(row["original_name"]) else int(row["document_id"])


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
