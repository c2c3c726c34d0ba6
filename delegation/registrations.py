"""Changing a registration by hand: withdrawing (and restoring) a unit or a participant."""

from __future__ import annotations

import json

import duckdb

from delegation.db import fetch_one, transaction


def set_withdrawn(
    con: duckdb.DuckDBPyConnection, *, table: str, key: int, withdrawn: bool, actor: str
) -> bool:
    """Withdraw or restore a unit (`table="units"`) or participant; kept, but out of every count.

    Returns whether anything changed; the change is appended to the audit log.
    """
    id_column = {"units": "unit_id", "participants": "participant_id"}[table]
    with transaction(con):
        row = fetch_one(con, f"select status from {table} where {id_column} = ?", [key])
        if not row:
            return False
        after = "withdrawn" if withdrawn else "registered"
        if row[0] == after or (not withdrawn and row[0] != "withdrawn"):
            return False
        con.execute(
            f"update {table} set status = ?, updated_at = current_timestamp where {id_column} = ?",
            [after, key],
        )
        con.execute(
            "insert into audit_log (logged_at, actor, action, target, details) "
            "values (current_timestamp, ?, ?, ?, ?)",
            [
                actor,
                f"{table[:-1]}.update",
                f"{table[:-1]}:{key}",
                json.dumps({"before": {"status": row[0]}, "after": {"status": after}}),
            ],
        )
    return True
