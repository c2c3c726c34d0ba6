"""The key file: where it is, what it holds, and which keys a database says it has used.

The key lives outside the data folder, so a copy of that folder (a backup of it, a stolen laptop's
data directory) never carries it: `$DELEGATION_KEY_FILE` if set, else
`$XDG_CONFIG_HOME/delegation-desk/keys/<data folder name>-<8 hex of its path's sha256>.key`
(`~/.config` when XDG_CONFIG_HOME is not set). The file holds one key, or two while `keys rotate`
runs (the new, current one first), so a rotation cut short resumes. The database keeps the ids of
the keys it has used (table `encryption_keys`) so a missing or wrong key file is named in one
sentence, and a new key is made only for a database that never had one.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
import secrets
import tomllib
from dataclasses import dataclass
from pathlib import Path

import duckdb

from delegation.errors import DelegationError
from delegation.private import private_folder, write_private

KEY_BYTES = 32  # AES-256


def key_file_path(db: str | Path) -> Path:
    """Where the key of the database file `db` is kept (see the module's docstring)."""
    explicit = os.environ.get("DELEGATION_KEY_FILE")
    if explicit:
        return Path(explicit).expanduser()
    folder = Path(db).resolve().parent
    config_home = os.environ.get("XDG_CONFIG_HOME", "")
    base = Path(config_home) if os.path.isabs(config_home) else Path.home() / ".config"
    digest = hashlib.sha256(str(folder).encode("utf-8")).hexdigest()[:8]
    return base / "delegation-desk" / "keys" / f"{folder.name or 'root'}-{digest}.key"


@dataclass(frozen=True)
class Keyring:
    """The keys of one key file, the current one first."""

    path: Path
    keys: tuple[tuple[str, bytes], ...]
    # Ids (never keys) that a finished rotation dropped: another database sharing this key file
    # still records one of them, and then takes the current key as its own.
    retired: tuple[str, ...] = ()

    @property
    def current_id(self) -> str:
        return self.keys[0][0]

    @property
    def current_key(self) -> bytes:
        return self.keys[0][1]

    @property
    def ids(self) -> list[str]:
        return [key_id for key_id, _ in self.keys]

    def key(self, key_id: str) -> bytes:
        """The key with this id; a sentence naming the key file when it has none."""
        for known, key in self.keys:
            if known == key_id:
                return key
        raise DelegationError("keys.error.key_not_held", path=self.path, key_id=key_id)


def new_key_id() -> str:
    return secrets.token_hex(8)


def load_keyring(path: Path) -> Keyring | None:
    """The keys in a key file, or None when there is no such file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise DelegationError("keys.error.unreadable", path=path, reason=exc.strerror or exc) from None
    try:
        tree = tomllib.loads(text)
        keys = tuple((str(e["id"]), base64.b64decode(e["key"], validate=True)) for e in tree.get("keys", []))
        retired = tuple(str(r) for r in tree.get("retired", []))
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError):
        keys, retired = (), ()
    if not keys or any(len(key) != KEY_BYTES or not key_id.isalnum() for key_id, key in keys):
        raise DelegationError("keys.error.damaged", path=path)
    return Keyring(path, keys, retired)


def save_keyring(ring: Keyring, folder_note: str = "") -> None:
    """Write the key file (mode 600 in 700 folders), flushed to disk before it replaces the old one."""
    lines = [
        "# Delegation Desk encryption keys" + (f" for {folder_note}" if folder_note else "") + ".",
        "# Without this file the stored scans and the backups cannot be read: keep a copy somewhere",
        "# other than the backups. The first key is the current one; a second exists only while",
        "# `python -m delegation keys rotate` runs.",
        "",
    ]
    if ring.retired:
        lines += ["retired = [" + ", ".join(f'"{key_id}"' for key_id in ring.retired) + "]", ""]
    for key_id, key in ring.keys:
        lines += ["[[keys]]", f'id = "{key_id}"', f'key = "{base64.b64encode(key).decode("ascii")}"', ""]
    private_folder(ring.path.parent)
    write_private(ring.path, "\n".join(lines).encode("utf-8"))


def new_keyring(path: Path, note: str = "") -> Keyring:
    """Make and save a key file holding one new key."""
    ring = Keyring(Path(path), ((new_key_id(), secrets.token_bytes(KEY_BYTES)),))
    save_keyring(ring, note)
    return ring


# ---- what the database records -------------------------------------------------------------


def database_file(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The file of the connection's current database (None in memory)."""
    rows = con.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchall()
    return Path(rows[0][0]) if rows and rows[0][0] else None


def recorded_keys(con: duckdb.DuckDBPyConnection, *, active: bool = True) -> list[str]:
    """The ids of the keys the database has used (only those not retired by a rotation, by default)."""
    try:
        rows = con.execute(
            "select key_id from encryption_keys where not $active or retired_at is null order by created_at",
            {"active": active},
        ).fetchall()
    except duckdb.CatalogException:  # a database opened read-only before its migration 0007
        return []
    return [r[0] for r in rows]


def record_key(con: duckdb.DuckDBPyConnection, key_id: str) -> None:
    """Note that the database's files are (also) encrypted with this key."""
    con.execute(
        "insert into encryption_keys (key_id, created_at) values (?, ?) "
        "on conflict (key_id) do update set retired_at = null",
        [key_id, dt.datetime.now().replace(microsecond=0)],
    )


def retire_keys(con: duckdb.DuckDBPyConnection, keep: str, only: list[str] | None = None) -> None:
    """Every key but `keep` (or, given `only`, those keys) is no longer used by any file."""
    con.execute(
        "update encryption_keys set retired_at = $now where key_id <> $keep and retired_at is null "
        "and ($only::varchar[] is null or list_contains($only, key_id))",
        {"now": dt.datetime.now().replace(microsecond=0), "keep": keep, "only": only},
    )


def missing_key(path: Path, recorded: list[str]) -> DelegationError:
    if not recorded:
        return DelegationError("keys.error.missing", path=path)
    return DelegationError("keys.error.missing_recorded", path=path, recorded=list(recorded))


def wrong_key(ring: Keyring, recorded: list[str]) -> DelegationError:
    return DelegationError(
        "keys.error.wrong_key", path=ring.path, held=list(ring.ids), recorded=list(recorded)
    )


def keyring(con: duckdb.DuckDBPyConnection, *, create: bool = False) -> Keyring:
    """The key file of the connection's database, checked against the keys it records.

    `create`: a database that has never had a key gets one (the key file's, if there is one
    already, else a new one), recorded. A database that had one never gets a new one."""
    db = database_file(con)
    path = key_file_path(db) if db else _in_memory_key_path()
    recorded = recorded_keys(con)
    ring = load_keyring(path)
    if ring is None:
        if recorded or not create:
            raise missing_key(path, recorded)
        ring = new_keyring(path, str(db.resolve().parent) if db else "")
    elif recorded and not set(ring.ids) & set(recorded):
        if not set(ring.retired) & set(recorded):
            raise wrong_key(ring, recorded)
        create = True  # rotated through another database sharing the key file: its key is ours now
    if create and ring.current_id not in recorded:
        record_key(con, ring.current_id)
        retire_keys(con, keep=ring.current_id, only=[k for k in recorded if k not in ring.ids])
    return ring


def _in_memory_key_path() -> Path:
    explicit = os.environ.get("DELEGATION_KEY_FILE")
    if not explicit:
        raise DelegationError("keys.error.in_memory")
    return Path(explicit)


def keyring_for(db: str | Path, key_file: str | Path | None = None) -> Keyring:
    """The key file of a database file (or `key_file`), without opening the database: for restore."""
    path = Path(key_file) if key_file else key_file_path(db)
    ring = load_keyring(path)
    if ring is None:
        raise DelegationError("keys.error.no_backup_key", path=path)
    return ring
