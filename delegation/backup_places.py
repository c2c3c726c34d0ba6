"""Where the backups of a database are: `backups/` beside it, and the manual ones written elsewhere
with --to, which the audit log names. Anything may import this (it needs no database module)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from delegation import crypto
from delegation.config import database_path
from delegation.errors import DelegationError

SUFFIX = ".duckdb.enc"  # an encrypted backup's file name ends so


def backups_folder(db: str | Path | None = None) -> Path:
    """Where snapshots go by default: `backups/` beside the database (git-ignored)."""
    return database_path(db).resolve().parent / "backups"


def backup_files(folder: Path) -> list[Path]:
    """The encrypted backups in a folder, oldest first (their names start with the time)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"delegation-*{SUFFIX}"))


def known_backups(con: duckdb.DuckDBPyConnection, db: Path) -> list[Path]:
    """Every backup of this database that still exists: those in `backups/` beside it (made from a
    database of its name, or that do not say) and the manual ones written elsewhere with --to."""
    found = [p for p in backup_files(backups_folder(db)) if _of_database(p, db)]
    rows = con.execute(
        "select distinct details->>'folder', details->>'file' from audit_log where action = 'backup' "
        "and details->>'folder' is not null"
    ).fetchall()
    for folder, name in rows:
        path = Path(folder) / name
        if path.is_file() and path not in found and path.name.endswith(SUFFIX):
            found.append(path)
    return found


def _of_database(path: Path, db: Path) -> bool:
    try:
        made_from = crypto.header_of(path).metadata.get("database")
    except DelegationError:
        return True  # unreadable: it may hold this database's data
    return made_from in (None, Path(db).name)
