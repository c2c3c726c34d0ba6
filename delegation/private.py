"""Private files: what the desk writes that holds personal data or a secret is mode 600 in 700 folders,
and a warning names any that other users of the computer can read.

The database (and its write-ahead log), the accounts file, the key file, the backups and the stored
scans. The CLI and `serve` set a umask of 077, so DuckDB's own files are private too; the files the
desk writes itself are made private explicitly, whatever the umask.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

FILE_MODE = 0o600
FOLDER_MODE = 0o700
UMASK = 0o077


def private_umask() -> None:
    """Every file this process creates from now on is private (what `chmod` would otherwise fix)."""
    os.umask(UMASK)


def private_folder(path: Path) -> Path:
    """Make `path` (and any missing parents) as folders only the owner can open; returns it.

    Folders that exist already keep their mode (the start-up warning names an exposed one)."""
    path = Path(path)
    missing = [p for p in (path, *path.parents) if not p.exists()]
    path.mkdir(parents=True, exist_ok=True)
    for folder in missing:
        with contextlib.suppress(OSError):  # made by another process meanwhile, and not ours
            folder.chmod(FOLDER_MODE)
    return path


@contextlib.contextmanager
def atomic_file(path: Path, *, private: bool = True) -> Iterator[BinaryIO]:
    """A new file to write `path` through: opened under a partial name beside it, flushed to disk and
    renamed over `path` when the block ends, removed if the block fails. A crash leaves the old file
    or the new one, never half of one. `private`: mode 600 in 700 folders (missing ones are made);
    otherwise the folder must exist and the mode is what the umask gives."""
    path = Path(path)
    if private:
        private_folder(path.parent)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE if private else 0o666)
    try:
        with os.fdopen(descriptor, "wb") as file:
            if private:
                os.chmod(partial, FILE_MODE)  # O_CREAT's mode does not apply to a file that was there
            yield file
            file.flush()
            os.fsync(file.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    sync_folder(path.parent)


def write_private(path: Path, data: bytes) -> None:
    """Write a whole private file (mode 600) at once through `atomic_file`."""
    with atomic_file(path) as file:
        file.write(data)


def write_file(path: Path, data: bytes) -> None:
    """Write a whole file that holds nothing private (a blank form) at once through `atomic_file`."""
    with atomic_file(path, private=False) as file:
        file.write(data)


def open_private(path: Path):
    """A new file opened for writing, mode 600 from its first byte (a partial name: rename it after)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    os.chmod(path, FILE_MODE)
    return os.fdopen(descriptor, "wb")


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename) to disk."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def exposed(path: Path) -> bool:
    """Whether the group or others may read (or, for a folder, open) `path`."""
    try:
        mode = Path(path).stat().st_mode
    except OSError:
        return False
    return bool(mode & (stat.S_IRWXG | stat.S_IRWXO))
