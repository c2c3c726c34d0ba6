"""Sealing what an older desk left in plaintext beside the database: its scans in `documents/` and
its snapshots in `backups/`, each encrypted in place once, when the desk first opens the database
for writing (`db.connect`)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import duckdb

from delegation import crypto
from delegation.keys import Keyring, database_file, keyring, recorded_keys
from delegation.private import write_private
from delegation.sealing import seal

_LEGACY_NAME = re.compile(r"^delegation-(\d{8}-\d{6}-\d{6})-(.+)\.duckdb$")


def scan_files(db: Path) -> list[Path]:
    """Every stored scan file beside the database (any name: an older desk kept the extension)."""
    folder = Path(db).resolve().parent / "documents"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def legacy_backups(db: Path) -> list[Path]:
    """Plaintext snapshots an older desk wrote into `backups/` (`delegation-…-<reason>.duckdb`)."""
    folder = Path(db).resolve().parent / "backups"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("delegation-*.duckdb") if p.is_file())


def seal_plaintext(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Encrypt, in place, the scans and backups an older desk left in plaintext; returns their names.

    Runs when the desk opens a database for writing, and does anything only for a database that has
    never recorded a key (an upgraded one): after that, one query per open."""
    if recorded_keys(con, active=False):
        return []
    db = database_file(con)
    if db is None:
        return []
    scans = [p for p in scan_files(db) if not crypto.is_encrypted(p)]
    backups = legacy_backups(db)
    if not scans and not backups:
        return []
    ring = keyring(con, create=True)
    for path in scans:
        _encrypt_scan(path, ring)
    for path in backups:
        seal_legacy_backup(path, ring)
    return [p.name for p in (*scans, *backups)]


def _encrypt_scan(path: Path, ring: Keyring) -> None:
    write_private(path, crypto.encrypt_bytes(path.read_bytes(), ring.current_id, ring.current_key))


def seal_legacy_backup(path: Path, ring: Keyring) -> Path:
    """A plaintext snapshot encrypted beside itself (`….duckdb.enc`), then the plaintext removed."""
    match = _LEGACY_NAME.match(path.name)
    created = (
        dt.datetime.strptime(match.group(1), "%Y%m%d-%H%M%S-%f").isoformat(timespec="seconds")
        if match
        else None
    )
    metadata = {"kind": "backup", "created": created, "reason": match.group(2) if match else None}
    target = seal(path, path.with_name(path.name + ".enc"), ring, metadata)
    path.unlink()
    return target
