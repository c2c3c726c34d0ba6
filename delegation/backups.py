"""Backups: consistent snapshots of the database, encrypted (also taken before every purge and bulk change).

A snapshot is DuckDB's `COPY FROM DATABASE` into a plaintext file in a private temporary folder,
then encrypted (`delegation.crypto`) to `delegation-<stamp>-<reason>.duckdb.enc` under a temporary
name and renamed, so an interrupted backup never leaves a file that looks complete. Its header
(authenticated by the key) carries when and why it was made and the plaintext's SHA-256 (checked
before a restore replaces anything); other facts about a backup go into the same metadata (`sealing.seal`).
Putting one back in place of the database is `delegation.restore`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb

from delegation import crypto
from delegation.backup_places import SUFFIX
from delegation.db import append_audit, chain_head, fetch_one
from delegation.errors import DelegationError
from delegation.integrity import check, storage_fault
from delegation.keys import (
    Keyring,
    keyring,
)
from delegation.private import FILE_MODE, open_private, private_folder, sync_folder
from delegation.sealing import seal

KEEP = 10  # automatic snapshots kept per database and reason
WORKSPACE = ".delegation-"  # the temporary folders holding a plaintext copy while a backup is made or read
STALE_SECONDS = 3600  # a temporary folder or partial file this old was left by a process that died


SEQUENCES = (
    ("unit_id_seq", "units", "unit_id"),
    ("participant_id_seq", "participants", "participant_id"),
    ("document_id_seq", "documents", "document_id"),
    ("import_id_seq", "imports", "import_id"),
    ("audit_id_seq", "audit_log", "audit_id"),
    ("batch_id_seq", "batches", "batch_id"),
)


def _sql_path(path: Path) -> str:
    return path.as_posix().replace("'", "''")  # a folder given with --to may hold a quote


@contextlib.contextmanager
def workspace(folder: Path, purpose: str) -> Iterator[Path]:
    """A private (700) temporary folder `.delegation-<purpose>-…` inside `folder` (the same disk, so
    a rename is atomic), removed with whatever plaintext it holds when the block ends, however it ends."""
    private_folder(folder)
    _clear_stale(folder)
    place = Path(tempfile.mkdtemp(prefix=f"{WORKSPACE}{purpose}-", dir=folder))
    try:
        yield place
    finally:
        shutil.rmtree(place, ignore_errors=True)


def _clear_stale(folder: Path) -> None:
    """Remove what a process killed mid-backup left, and only that: its workspaces (plaintext) and
    partial files, once they are an hour old (a running backup's are younger)."""
    now = time.time()
    for path in [*folder.glob(f"{WORKSPACE}*"), *folder.glob(".*.partial")]:
        with contextlib.suppress(OSError):
            if now - path.lstat().st_mtime <= STALE_SECONDS or path.is_symlink():
                continue
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink()


def _copy_database(con: duckdb.DuckDBPyConnection, target: Path) -> None:
    """DuckDB's own consistent copy of the connection's current database into a new file: only the
    live rows are written, so blocks freed by an update or a purge are not carried over."""
    name = fetch_one(con, "select current_database()")[0]
    con.execute(f"attach '{_sql_path(target)}' as snapshot_target")
    try:
        con.execute(f'copy from database "{name}" to snapshot_target')
    finally:
        con.execute("detach snapshot_target")


def snapshot(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    reason: str,
    *,
    keep: int | None = KEEP,
    ring: Keyring | None = None,
) -> Path:
    """Copy the whole database, as one consistent state, into a new encrypted file; keep the newest
    `keep` of its reason."""
    ring = ring or keyring(con, create=True)
    folder = private_folder(Path(folder))
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"delegation-{stamp}-{reason}{SUFFIX}"
    database = fetch_one(con, "select path from duckdb_databases() where database_name = current_database()")
    with workspace(folder, "backup") as work:
        plain = work / "snapshot.duckdb"
        _copy_database(con, plain)
        head_id, head = _audit_head(plain)
        seal(
            plain,
            target,
            ring,
            {
                "kind": "backup",
                "created": dt.datetime.now().isoformat(timespec="seconds"),
                "reason": reason,
                "database": Path(database[0]).name if database and database[0] else None,
                # The audit chain's newest row in this copy: `audit verify --backup` checks later
                # that the live log still holds it, so rows removed from its end since are told.
                "audit_head_id": head_id,
                "audit_head": head,
            },
        )
    if keep:
        older = sorted(folder.glob(f"delegation-*-{reason}{SUFFIX}"))[:-keep]
        for path in older:
            path.unlink(missing_ok=True)
    return target


def _audit_head(plain: Path) -> tuple[int | None, str | None]:
    """The audit chain's newest row (id, hash) in a snapshot's plaintext copy: read from the copy
    itself, so it is that of exactly the rows the backup holds (another session may append meanwhile)."""
    copy = duckdb.connect(str(plain), read_only=True)
    try:
        return chain_head(copy)
    except (duckdb.BinderException, duckdb.CatalogException):  # a database from before the chain
        return None, None  # (a restored old backup, before the desk next opens it)
    finally:
        copy.close()


def manual_backup(con: duckdb.DuckDBPyConnection, folder: Path, actor: str) -> Path:
    """A snapshot someone asked for (CLI or the admin's button), kept however many there are, and
    audited. The database is read in full first (`integrity.check`): a damaged one is refused in
    one sentence instead of being copied over a good backup's place as the newest."""
    check(con)
    path = snapshot(con, folder, "manual", keep=None)
    # The folder too: a purge and a key rotation reach backups written outside backups/ (--to).
    append_audit(con, actor, "backup", None, {"file": path.name, "folder": str(path.parent.resolve())})
    return path


class _Hashing:
    """A file wrapper that hashes what is written through it."""

    def __init__(self, file) -> None:
        self.file, self.digest = file, hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return self.file.write(data)


@contextlib.contextmanager
def decrypted(backup: Path, ring: Keyring | None, work: Path) -> Iterator[tuple[Path, dict]]:
    """The plaintext of a backup as a file in `work` (a private workspace), with its header's
    metadata, once it decrypted and its SHA-256 matched; a plaintext snapshot from before
    encryption is copied as it is (it has no checksum to check)."""
    backup = Path(backup)
    plain = work / "restore.duckdb"
    if not crypto.is_encrypted(backup):
        shutil.copyfile(backup, plain)
        yield plain, {}
        return
    if ring is None:
        raise DelegationError("error.backup.needs_key", backup=backup.name)
    with backup.open("rb") as source, open_private(plain) as out:
        hashing = _Hashing(out)
        found = crypto.decrypt_stream(source, hashing, ring.key, backup.name)
    if found.metadata.get("sha256") != hashing.digest.hexdigest():
        raise DelegationError("error.backup.checksum", backup=backup.name)
    yield plain, found.metadata


def put_in_place(plain: Path, db: Path) -> None:
    """Make a closed database file the desk's: private, in one rename, the folder synced. Its WAL
    goes first: the new file was closed cleanly, and the old one's log must not replay into it."""
    db.with_name(db.name + ".wal").unlink(missing_ok=True)
    plain.chmod(FILE_MODE)  # private whatever the umask of the process
    plain.replace(db)
    sync_folder(db.parent)


def resync_sequences(con: duckdb.DuckDBPyConnection) -> None:
    """Move every id sequence past the largest id in use (a copied database may start them over)."""
    for sequence, table, column in SEQUENCES:
        largest = fetch_one(con, f"select coalesce(max({column}), 0) from {table}")[0]  # constant names
        current = fetch_one(con, f"select nextval('{sequence}')")[0]
        if current <= largest:
            con.execute(f"select max(nextval('{sequence}')) from range(?)", [largest - current])


BULK_ROWS = 50  # an import of at least this many rows is a bulk change: snapshot first


def snapshot_beside(con: duckdb.DuckDBPyConnection, reason: str) -> Path | None:
    """An automatic snapshot in `backups/` beside this connection's database file (none for
    in-memory). A full disk, a read-only folder or a damaged block is one sentence: the change it
    comes before (an import, a purge, a batch) has not started."""
    path = fetch_one(con, "select path from duckdb_databases() where database_name = current_database()")[0]
    if not path:
        return None
    try:
        return snapshot(con, Path(path).resolve().parent / "backups", reason)
    except (OSError, duckdb.Error) as exc:
        fault = storage_fault(exc, Path(path))
        if fault is None:
            raise
        raise fault from None


# ---- rewriting: a purge reaches the backups, and the live file's freed blocks -------------------


def rewrite_backup(path: Path, ring: Keyring, change: Callable[[duckdb.DuckDBPyConnection], None]) -> None:
    """Decrypt a backup, apply `change` to a temporary copy, copy that into a fresh file (so freed
    blocks do not keep the old values), encrypt it and put it in place of the old one."""
    path = Path(path)
    with workspace(path.parent, "rewrite") as work, decrypted(path, ring, work) as (plain, metadata):
        con = duckdb.connect(str(plain))
        try:
            change(con)
            _copy_database(con, work / "fresh.duckdb")
        finally:
            con.close()
        metadata = {**metadata, "rewritten": dt.datetime.now().isoformat(timespec="seconds")}
        seal(work / "fresh.duckdb", path, ring, metadata)


def compact(db: Path) -> None:
    """Rewrite the database file through `COPY FROM DATABASE`: a purge's cleared values stay in the
    freed blocks of the old file (a CHECKPOINT does not overwrite them). Only while no other
    program holds the file (the CLI)."""
    db = Path(db)
    with workspace(db.resolve().parent, "compact") as work:
        fresh = work / "fresh.duckdb"
        con = duckdb.connect(str(db))
        try:
            _copy_database(con, fresh)
        finally:
            con.close()
        put_in_place(fresh, db)
    con = duckdb.connect(str(db))
    try:
        resync_sequences(con)
    finally:
        con.close()
