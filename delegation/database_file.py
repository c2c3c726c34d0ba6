"""The database file itself: whether there is one, whether it is a DuckDB file, and which file a
connection has open."""

from __future__ import annotations

from pathlib import Path

import duckdb

from delegation.errors import DelegationError

# Bytes 8–11 of every DuckDB database file.
DUCKDB_MAGIC = b"DUCK"


def refuse_foreign(target: Path, *, read_only: bool, create: bool) -> None:
    """One sentence when `target` is missing (and may not be created) or is not a DuckDB file."""
    if (read_only or not create) and not target.exists():
        raise DelegationError("error.db.missing", target=target)
    if target.is_file() and target.stat().st_size:
        with target.open("rb") as file:
            head = file.read(12)
        if head[8:12] != DUCKDB_MAGIC:  # DuckDB opened a CSV as an empty database in memory
            raise DelegationError("error.db.not_duckdb", target=target)


def file_of(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The file of the connection's database (None in memory, or when it cannot be asked)."""
    try:
        rows = con.execute(
            "select path from duckdb_databases() where database_name = current_database()"
        ).fetchall()
    except duckdb.Error:
        return None
    return Path(rows[0][0]) if rows and rows[0][0] else None
