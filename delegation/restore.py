"""Putting a backup in place of the database: once it decrypted, matched its checksum and opened as a
Delegation Desk database, and after the current one was snapshotted (sealed byte for byte if it
is damaged); then its id sequences and keys made the desk's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

from delegation import crypto
from delegation.backup_places import SUFFIX
from delegation.backups import decrypted, put_in_place, resync_sequences, snapshot, workspace
from delegation.errors import DelegationError
from delegation.integrity import check
from delegation.keys import (
    Keyring,
    key_file_path,
    keyring_for,
    load_keyring,
    record_key,
    recorded_keys,
    save_keyring,
)
from delegation.private import private_folder
from delegation.sealing import seal


def _check_database(plain: Path, name: str) -> None:
    """Refuse what does not open as a Delegation Desk database."""
    try:
        check = duckdb.connect(str(plain), read_only=True)
        try:
            check.execute("select count(*) from participants").fetchall()
            check.execute("select count(*) from schema_migrations").fetchall()
        finally:
            check.close()
    except duckdb.Error:
        raise DelegationError("error.backup.not_ours", backup=name) from None


@dataclass(frozen=True)
class Restored:
    safety: Path | None  # the snapshot of what was replaced
    key_file: Path | None  # the key file the backup's key was written to (from --key), if any


def restore(snapshot_file: Path, db: Path, folder: Path, *, key_file: Path | None = None) -> Restored:
    """Put a backup in place of the database once it decrypted, matched its checksum and opened as a
    Delegation Desk database, after snapshotting the current one. With `key_file` (a backup from
    another machine), its key joins this database's key file so the desk can read what it made."""
    snapshot_file, db = Path(snapshot_file), Path(db)
    if not snapshot_file.is_file():
        raise DelegationError("error.backup.missing", backup=snapshot_file)
    encrypted = crypto.is_encrypted(snapshot_file)
    given = keyring_for(db, key_file) if encrypted or key_file else None
    with (
        workspace(db.resolve().parent, "restore") as work,
        decrypted(snapshot_file, given, work) as (plain, _),
    ):
        _check_database(plain, snapshot_file.name)
        local = _local_keyring(db, given)  # the key file the desk uses from now on
        safety = _safety_copy(db, folder, local)
        put_in_place(plain, db)
    con = duckdb.connect(str(db))
    try:
        resync_sequences(con)
        if local[0] is not None:
            reconcile_keys(con, local[0])
    finally:
        con.close()
    return Restored(safety, local[1])


def _local_keyring(db: Path, given: Keyring | None) -> tuple[Keyring | None, Path | None]:
    """This database's key file after a restore, and its path if the backup's key was added to it
    (the backup's key joins after the current one: `keys rotate` later leaves one key again)."""
    path = key_file_path(db)
    local = load_keyring(path)
    if given is None or (local is not None and set(given.ids) <= set(local.ids)):
        return local, None
    kept = local.keys if local else ()
    added = tuple(k for k in given.keys if k[0] not in {key_id for key_id, _ in kept})
    merged = Keyring(path, (*kept, *added))
    save_keyring(merged, str(db.resolve().parent))
    return merged, path


def _safety_copy(db: Path, folder: Path, local: tuple[Keyring | None, Path | None]) -> Path | None:
    """The current database, snapshotted before it is replaced (its raw bytes, sealed, if it is
    damaged or cannot be opened)."""
    if not db.exists():
        return None
    ring = local[0]
    try:
        check(db)  # read-only: a damaged file is kept byte for byte, never opened for writing
        con = duckdb.connect(str(db))
    except (duckdb.Error, DelegationError):
        con = None
    if con is not None:
        try:
            return snapshot(con, folder, "before-restore", keep=None, ring=ring)
        finally:
            con.close()
    if ring is None:
        raise DelegationError("error.backup.no_key_for_safety_copy", key_file=key_file_path(db))
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = private_folder(folder) / f"delegation-{stamp}-before-restore{SUFFIX}"
    return seal(db, target, ring, {"kind": "backup", "reason": "before-restore", "damaged": True})


def reconcile_keys(con: duckdb.DuckDBPyConnection, ring: Keyring) -> None:
    """After a restore: the database records the key file's keys as its own, and no others as in use."""
    try:
        for key_id in ring.ids:
            record_key(con, key_id)
        for key_id in recorded_keys(con):
            if key_id not in ring.ids:
                con.execute(
                    "update encryption_keys set retired_at = current_timestamp where key_id = ?", [key_id]
                )
    except duckdb.CatalogException:  # a backup from before encryption: its migration comes at the next open
        pass
