"""The reference tables: provinces, document kinds, sectors, themes and cities, as configured."""

from __future__ import annotations

import duckdb

from delegation.config import EventConfig
from delegation.provinces import PROVINCES


def sync_reference(con: duckdb.DuckDBPyConnection, config: EventConfig) -> None:
    """Make the reference tables match the provinces list and the event's configured choices (the
    caller holds the transaction)."""
    _replace_rows(con, "provinces", [[p.key, p.code, p.name_zh, p.short_zh, p.name_en] for p in PROVINCES])
    _replace_rows(
        con,
        "document_kinds",
        [
            [
                d.kind,
                d.level,
                d.zh,
                d.en,
                "applies_via_chamber" in d.when,
                "holds_us_visa" in d.when,
                "wants_arrangements" in d.when,
                i,
            ]
            for i, d in enumerate(config.documents)
        ],
    )
    for table, key, choices in (
        ("sectors", "sector", config.sectors),
        ("themes", "theme", config.themes),
        ("cities", "city", config.cities),
    ):
        _replace_rows(
            con,
            table,
            [[c.key, c.zh, c.en, i] for i, c in enumerate(choices)],
            columns=(key, "name_zh", "name_en", "position"),
        )


def _replace_rows(
    con: duckdb.DuckDBPyConnection, table: str, rows: list[list], columns: tuple[str, ...] = ()
) -> None:
    """Replace every row of a reference table (all its columns in order, or `columns`) in two
    statements: executemany costs a round trip per row, a third of every connect."""
    con.execute(f"delete from {table}")  # table and column names are constants of this module
    if rows:
        named = f" ({', '.join(columns)})" if columns else ""
        select = ", ".join(f"unnest(${i + 1})" for i in range(len(rows[0])))
        con.execute(f"insert into {table}{named} select {select}", [list(c) for c in zip(*rows, strict=True)])
