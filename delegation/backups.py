"""Backups: consistent snapshots of the database (also taken before every purge and bulk change)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb

from delegation.config import database_path
from delegation.db import append_audit, fetch_one
from delegation.errors import DelegationError

KEEP = 10  # automatic snapshots kept per database
SEQUENCES = (
    ("unit_id_seq", "units", "unit_id"),
    ("participant_id_seq", "participants", "participant_id"),
    ("document_id_seq", "documents", "document_id"),
    ("import_id_seq", "imports", "import_id"),
    ("audit_id_seq", "audit_log", "audit_id"),
    ("batch_id_seq", "batches", "batch_id"),
)


def backups_folder(db: str | Path | None = None) -> Path:
    """Where snapshots go by default: `backups/` beside the database (git-ignored)."""
    return database_path(db).resolve().parent / "backups"


def snapshot(con: duckdb.DuckDBPyConnection, folder: Path, reason: str, *, keep: int | None = KEEP) -> Path:
    """Copy the whole database, as one consistent state, into a new file; keep the newest `keep` of its kind."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"delegation-{stamp}-{reason}.duckdb"
    partial = target.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    name = fetch_one(con, "select current_database()")[0]
    con.execute(f"attach '{partial.as_posix()}' as snapshot_target")  # a path we made, not user text
    try:
        con.execute(f'copy from database "{name}" to snapshot_target')
    finally:
        con.execute("detach snapshot_target")
    partial.replace(target)
    if keep:
        older = sorted(folder.glob(f"delegation-*-{reason}.duckdb"))[:-keep]
        for path in older:
            path.unlink(missing_ok=True)
    return target


def manual_backup(con: duckdb.DuckDBPyConnection, folder: Path, actor: str) -> Path:
    """A snapshot someone asked for (CLI or the admin's button), kept however many there are, and audited."""
    path = snapshot(con, folder, "manual", keep=None)
    append_audit(con, actor, "backup", None, {"file": path.name})
    return path


def restore(snapshot_file: Path, db: Path, folder: Path) -> Path:
    """Put a snapshot in place of the database, after snapshotting the current one; returns that safety copy."""
    snapshot_file = Path(snapshot_file)
    try:
        check = duckdb.connect(str(snapshot_file), read_only=True)
        check.execute("select count(*) from participants").fetchall()
        check.close()
    except duckdb.Error:
        raise DelegationError(
            f"{snapshot_file.name} is not a Delegation Desk backup.",
            f"{snapshot_file.name} 不是本系统的备份文件。",
        ) from None
    safety = None
    if db.exists():
        con = duckdb.connect(str(db))
        try:
            safety = snapshot(con, folder, "before-restore", keep=None)
        finally:
            con.close()
    partial = db.with_name(db.name + ".restoring")
    shutil.copyfile(snapshot_file, partial)
    db.with_name(db.name + ".wal").unlink(missing_ok=True)
    partial.replace(db)
    con = duckdb.connect(str(db))
    try:
        resync_sequences(con)
    finally:
        con.close()
    return safety


def resync_sequences(con: duckdb.DuckDBPyConnection) -> None:
    """Move every id sequence past the largest id in use (a copied database may start them over)."""
    for sequence, table, column in SEQUENCES:
        largest = fetch_one(con, f"select coalesce(max({column}), 0) from {table}")[0]  # constant names
        current = fetch_one(con, f"select nextval('{sequence}')")[0]
        if current <= largest:
            con.execute(f"select max(nextval('{sequence}')) from range(?)", [largest - current])


BULK_ROWS = 50  # an import of at least this many rows is a bulk change: snapshot first


def snapshot_beside(con: duckdb.DuckDBPyConnection, reason: str) -> Path | None:
    """An automatic snapshot in `backups/` beside this connection's database file (none for in-memory)."""
    path = fetch_one(con, "select path from duckdb_databases() where database_name = current_database()")[0]
    if not path:
        return None
    return snapshot(con, Path(path).resolve().parent / "backups", reason)
