"""The desk's private files that other users of this computer can read, said in one sentence with
the command that fixes it (the CLI warns with it at every command)."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from delegation import access
from delegation.errors import DelegationError
from delegation.keys import key_file_path
from delegation.private import exposed


def desk_private_paths(db: Path) -> list[Path]:
    """The files and folders that hold personal data or secrets for the database `db`.

    A folder's files are not walked: in a 700 folder no one else can reach them, whatever their mode."""
    db = Path(db)
    key = key_file_path(db)
    folder = db.resolve().parent
    paths = [db, db.with_name(db.name + ".wal"), access.users_path(), key]
    if not os.environ.get("DELEGATION_KEY_FILE"):
        paths.append(key.parent)  # the desk's own keys folder (a file named explicitly: its owner's folder)
    return [*paths, folder / "documents", folder / "backups"]


def exposure_warning(db: Path) -> DelegationError | None:
    """One sentence naming the private files others can read and the command that fixes it, or None."""
    found = [p for p in desk_private_paths(db) if exposed(p)]
    if not found:
        return None
    shown = " ".join(shlex.quote(str(p)) for p in found)
    return DelegationError("error.private_files_open", files=[str(f) for f in found], shown=shown)
