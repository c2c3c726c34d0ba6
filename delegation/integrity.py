"""Is the database file whole, and what to say when the disk under it fails: opening the file
(`open_file`), reading all of it (`check`), and the one sentence for each fault.

DuckDB has no integrity command (duckdb 2.0: no `pragma integrity_check`; `pragma database_size` and
`pragma_storage_info` read the catalog, not the blocks). It checks a block's checksum when it reads
the block, so `check` reads everything: every value of every column through `hash()` (min, max and
count are answered from a segment's statistics without reading its data, measured), and keys looked
up in every index (an index's blocks are read only when it is used). docs/hardening.md, "Faults".

A damaged file is never written to: `check` opens it read-only, and the sentence it gets names the
newest backup and the exact `restore` command.
"""

from __future__ import annotations

import errno
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import duckdb

from delegation import crypto
from delegation.backup_places import backup_files, backups_folder, known_backups
from delegation.config import database_path
from delegation.database_file import file_of, refuse_foreign
from delegation.errors import DelegationError
from delegation.keys import key_file_path
from delegation.named_queries import query_rows

KEY_CHUNK = 2048  # keys bound to one `in (…)` lookup: DuckDB uses the index for a list of constants

# What DuckDB says when a block it reads is not what was written (its own wording, 2.0).
# (its sentences: `error.integrity.<reason>.restore` and `….no_backup`)
_DAMAGE = {"corrupt database file": "checksum", "could not read enough bytes": "truncated"}
# The disk faults an operating system reports, as DuckDB quotes them and as errno numbers.
_FULL = ("no space left on device", "disk quota exceeded")
_READ_ONLY = ("read-only file system",)
_TOO_LARGE = ("file too large",)


@dataclass(frozen=True)
class Intact:
    """What a check read: the tables and their rows, and the keys looked up in their indexes."""

    tables: int
    rows: int
    keys: int


class DamagedDatabase(DelegationError):
    """The database file is damaged: one sentence naming the newest backup and how to restore it."""


def check(source: str | Path | duckdb.DuckDBPyConnection, *, every_key: bool = False) -> Intact:
    """Read every column of every table and look keys up in every index, so that DuckDB verifies
    each block's checksum; a damaged file raises `DamagedDatabase`. A path is opened read-only (a
    damaged file is never changed); with `every_key` every key is looked up, so every block of
    every index is read too (≈ 2 s for 50 000 participants, against 0.1 s for the first and last)."""
    if isinstance(source, duckdb.DuckDBPyConnection):
        return _checked(source, file_of(source), every_key)
    path = Path(source)
    refuse_foreign(path, read_only=True, create=True)
    con = open_file(path, read_only=True)
    try:
        return _checked(con, path, every_key)
    finally:
        con.close()


def _checked(con: duckdb.DuckDBPyConnection, path: Path | None, every_key: bool) -> Intact:
    try:
        return _read_everything(con, every_key)
    except duckdb.Error as exc:
        fault = damage(exc, path) if path else None
        if fault is None:
            raise
        raise fault from None


def _read_everything(con: duckdb.DuckDBPyConnection, every_key: bool) -> Intact:
    tables = query_rows(con, "integrity_tables")
    rows = 0
    for schema, table in tables:
        # One hash aggregate per column (`columns(*)`): each value is read, so each block is.
        rows += con.execute(
            f"select count(*), bit_xor(hash(columns(*))) from {_name(schema, table)}"
        ).fetchall()[0][0]
    keys = 0
    for schema, table, columns in query_rows(con, "integrity_keys"):
        keys += _look_up_keys(con, _name(schema, table), [_quoted(c) for c in columns], every_key)
    return Intact(len(tables), rows, keys)


def _look_up_keys(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], every_key: bool) -> int:
    """Look keys of one index up with bound constants (DuckDB then reads the index, not the table):
    the first and last, or every key."""
    first = columns[0]
    listed = ", ".join(columns)
    if every_key and len(columns) == 1:
        found = [
            row[0] for row in con.execute(f"select {first} from {table} where {first} is not null").fetchall()
        ]
        for start in range(0, len(found), KEY_CHUNK):
            chunk = found[start : start + KEY_CHUNK]
            marks = ", ".join("?" * len(chunk))
            con.execute(f"select count(*) from {table} where {first} in ({marks})", chunk).fetchall()
        return len(found)
    ends = con.execute(
        f"select {listed} from {table} where {first} = (select min({first}) from {table}) "
        f"or {first} = (select max({first}) from {table})"
    ).fetchall()
    where = " and ".join(f"{c} = ?" for c in columns)
    for key in ends:
        con.execute(f"select count(*) from {table} where {where}", list(key)).fetchall()
    return len(ends)


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _name(schema: str, table: str) -> str:
    """A table's name from the catalog, quoted (the only text put into these statements)."""
    return f"{_quoted(schema)}.{_quoted(table)}"


# ---- opening the file -----------------------------------------------------------------------------


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


# ---- the sentences ------------------------------------------------------------------------------


def damage(exc: BaseException, db: str | Path) -> DamagedDatabase | None:
    """The sentence for a DuckDB error saying the file's blocks are not what was written, else None."""
    said = str(exc).lower()
    for words, reason in _DAMAGE.items():
        if words in said:
            return damaged(Path(db), reason)
    return None


def damaged(db: Path, reason: str) -> DamagedDatabase:
    """The database is damaged and was left as it is: the newest backup, and the command that puts it back."""
    newest = newest_backup(db)
    if newest is None:
        folder = backups_folder(db)
        return DamagedDatabase(f"error.integrity.{reason}.no_backup", db=db, folder=folder)
    command = restore_command(newest, db)
    return DamagedDatabase(f"error.integrity.{reason}.restore", db=db, newest=newest, command=command)


def restore_command(backup: Path, db: Path) -> str:
    """`python -m delegation restore …` for this backup and database, with `--key` when this
    database's key file is not where the desk looks for it."""
    command = f"python -m delegation restore {shlex.quote(str(backup))} --db {shlex.quote(str(db))} --yes"
    if not key_file_path(db).is_file():
        command += " --key KEYFILE"  # the key file kept apart from the backups (README)
    return command


def newest_backup(db: Path) -> Path | None:
    """The newest backup of this database that is not itself a copy of a damaged file: those in
    `backups/` beside it and, if the audit log can still be read, those written elsewhere with --to."""
    found = backup_files(backups_folder(db))
    try:
        con = duckdb.connect(str(db), read_only=True)
        try:
            # A backup's name is unique (its time): the same name elsewhere is a copy of it.
            names = {p.name for p in found}
            found += [p for p in known_backups(con, db) if p.name not in names]
        finally:
            con.close()
    except duckdb.Error:  # the damage may be in the audit log, or the file may not open at all
        pass
    usable = []
    for path in found:
        try:
            metadata = crypto.header_of(path).metadata
        except (DelegationError, OSError):
            continue
        if metadata.get("database") in (None, db.name) and not metadata.get("damaged"):
            usable.append(path)
    # A backup's name starts with the time it was made (delegation-YYYYmmdd-HHMMSS-ffffff-…).
    return max(usable, key=lambda p: p.name, default=None)


def storage_fault(exc: BaseException, db: str | Path | None = None) -> DelegationError | None:
    """One sentence for a fault of the disk under the database — damaged blocks, a full disk, a
    read-only folder, a file size limit — from a DuckDB error or an OSError; None for anything else
    (a bug, which keeps its traceback)."""
    if db is not None and isinstance(exc, duckdb.Error):
        found = damage(exc, db)
        if found is not None:
            return found
    said = str(exc).lower()
    code = exc.errno if isinstance(exc, OSError) else None
    where = _folder_of(exc, db)
    if code in (errno.ENOSPC, errno.EDQUOT) or any(words in said for words in _FULL):
        return DelegationError("error.integrity.disk_full", where=where)
    if code == errno.EROFS or any(words in said for words in _READ_ONLY):
        return DelegationError("error.integrity.read_only", where=where)
    if code == errno.EFBIG or any(words in said for words in _TOO_LARGE):
        return DelegationError("error.integrity.file_too_large", where=where)
    return None


def raise_storage_fault(exc: BaseException, db: str | Path | None) -> None:
    """Raise the one sentence for a damaged file, a full disk or a read-only folder, if `exc` is one."""
    fault = storage_fault(exc, db)
    if fault is not None:
        raise fault from None


def _folder_of(exc: BaseException, db: str | Path | None) -> Path:
    """The folder a fault concerns: the file the system or DuckDB named (a backup written with --to
    to another disk is that disk's fault), else the database's. A private workspace the desk made
    inside a folder is that folder."""
    named = exc.filename if isinstance(exc, OSError) else None
    if not named:
        quoted = re.search(r'file "([^"]+)"', str(exc))
        named = quoted.group(1) if quoted else None
    if named:
        folder = Path(str(named)).resolve().parent
    elif db is not None:
        folder = Path(db).resolve().parent
    else:
        folder = database_path(None).resolve().parent
    while folder.name.startswith(".delegation-") and folder.parent != folder:
        folder = folder.parent
    return folder
