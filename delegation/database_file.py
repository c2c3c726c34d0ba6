"""The database file itself: whether it is one, and opening it with one sentence for each way that fails."""

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


def open_file(target: Path, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    """Open the DuckDB file at `target` (creating it, private, if it is not there): a locked file,
    a damaged one, a full disk or a read-only folder is one sentence."""
    target.parent.mkdir(parents=True, exist_ok=True)
    new = not target.exists()
    try:
        con = duckdb.connect(str(target), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise DelegationError("error.db.in_use", target=target) from None
        raise_storage_fault(exc, target)
        raise DelegationError("error.db.cannot_open", target=target, reason=exc) from None
    except duckdb.Error as exc:
        raise_storage_fault(exc, target)
        raise DelegationError("error.db.not_ours", target=target, reason=exc) from None
    # No progress bar: DuckDB draws one for statements over 2 s (a bulk update), which would land
    # in the CLI's output and the server's log. (A session setting: cursors share it.)
    con.execute("set enable_progress_bar = false")
    if new and target.exists():
        target.chmod(0o600)  # private whatever the umask (delegation.private)
    return con


def file_of(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The file of the connection's database (None in memory, or when it cannot be asked)."""
    try:
        rows = con.execute(
            "select path from duckdb_databases() where database_name = current_database()"
        ).fetchall()
    except duckdb.Error:
        return None
    return Path(rows[0][0]) if rows and rows[0][0] else None


def raise_storage_fault(exc: BaseException, target: Path | None) -> None:
    """Raise the one sentence for a damaged file, a full disk or a read-only folder, if `exc` is one."""
    from delegation.integrity import storage_fault

    fault = storage_fault(exc, target)
    if fault is not None:
        raise fault from None
