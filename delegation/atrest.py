"""Key rotation for the files at rest: a new key, then every scan in `documents/` and every backup of
the database (those in `backups/` and the manual ones written elsewhere with --to, found through the
audit log) re-encrypted with it. Every step replaces one file atomically and names its key in its
header, so a rotation cut short is simply run again. (Sealing what an older desk left in plaintext
is `delegation.plaintext`.)
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from delegation import crypto
from delegation.backup_places import backup_files, known_backups
from delegation.backups import decrypted, workspace
from delegation.db import append_audit
from delegation.errors import DelegationError
from delegation.keys import (
    KEY_BYTES,
    Keyring,
    database_file,
    keyring,
    new_key_id,
    record_key,
    retire_keys,
    save_keyring,
)
from delegation.plaintext import legacy_backups, scan_files, seal_legacy_backup
from delegation.private import write_private
from delegation.sealing import seal


@dataclass
class Rotation:
    """What `keys rotate` did: the new key, the files it re-encrypted, those it left and why."""

    key_id: str
    old_ids: list[str]
    scans: list[str] = field(default_factory=list)  # re-encrypted with the new key
    backups: list[str] = field(default_factory=list)
    other_key: list[str] = field(default_factory=list)  # encrypted with a key not in this key file
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, sentence)


def rotate(con: duckdb.DuckDBPyConnection, actor: str) -> Rotation:
    """Make a new key and re-encrypt every scan and backup of the database with it; the old key
    stays in the key file until every file is done, then goes. Cut short, it resumes where it was."""
    ring = keyring(con)
    db = database_file(con)
    if db is None:
        raise DelegationError("error.keys.in_memory")
    if len(ring.keys) > 1:  # a rotation cut short: its new key is the current one
        new_id, new_key = ring.keys[0]
    else:
        new_id, new_key = new_key_id(), secrets.token_bytes(KEY_BYTES)
        ring = Keyring(ring.path, ((new_id, new_key), *ring.keys))
        save_keyring(ring, str(db.resolve().parent))  # on disk before any file needs it
    record_key(con, new_id)
    report = Rotation(new_id, [k for k in ring.ids if k != new_id])
    new_ring = Keyring(ring.path, ((new_id, new_key),))
    for path in scan_files(db):
        _rotate_one(path, ring, new_ring, report, _rotate_scan, report.scans)
    # Every backup in backups/, whichever database of this folder made it: they share the key file.
    backups = dict.fromkeys([*backup_files(db.resolve().parent / "backups"), *known_backups(con, db)])
    for path in [*backups, *legacy_backups(db)]:
        _rotate_one(path, ring, new_ring, report, _rotate_backup, report.backups)
    if not report.failed:
        retire_keys(con, new_id)
        retired = tuple(dict.fromkeys((*ring.retired, *report.old_ids)))
        save_keyring(Keyring(ring.path, new_ring.keys, retired), str(db.resolve().parent))
    append_audit(
        con,
        actor,
        "keys.rotate",
        None,
        {
            "key_id": new_id,
            "retired": report.old_ids if not report.failed else [],
            "scans": len(report.scans),
            "backups": len(report.backups),
            "failed": [name for name, _ in report.failed],
        },
    )
    return report


def _rotate_one(path: Path, ring: Keyring, new_ring: Keyring, report: Rotation, how, done: list[str]) -> None:
    try:
        if crypto.is_encrypted(path):
            key_id = crypto.header_of(path).key_id
            if key_id == new_ring.current_id:
                return
            if key_id not in ring.ids:
                report.other_key.append(path.name)
                return
        how(path, ring, new_ring)
    except DelegationError as exc:
        report.failed.append((path.name, exc.en))
        return
    done.append(path.name)


def _rotate_scan(path: Path, ring: Keyring, new_ring: Keyring) -> None:
    blob = path.read_bytes()
    plain = crypto.decrypt_bytes(blob, ring.key, path.name) if blob.startswith(crypto.MAGIC) else blob
    write_private(path, crypto.encrypt_bytes(plain, new_ring.current_id, new_ring.current_key))


def _rotate_backup(path: Path, ring: Keyring, new_ring: Keyring) -> None:
    if not crypto.is_encrypted(path):  # a plaintext snapshot of an older desk
        seal_legacy_backup(path, new_ring)
        return
    with workspace(path.parent, "rotate") as work, decrypted(path, ring, work) as (plain, metadata):
        seal(plain, path, new_ring, metadata)  # seal writes the file's own sha256 and size
