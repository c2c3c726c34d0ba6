"""Scan files at rest: where they are kept, checking and writing one encrypted under a random
name, and reading one back (every reader of scan files comes through `read_stored`)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from delegation import crypto, sandbox
from delegation.config import EventConfig, database_path
from delegation.errors import DelegationError
from delegation.keys import Keyring
from delegation.private import private_folder, write_private
from delegation.scans import MAGIC
from delegation.text import megabytes, safe_name

SCAN_SUFFIXES = tuple(f".{ext}" for _, _, ext in MAGIC)  # what the upload box names


def pixel_limit(config: EventConfig) -> int:
    """A scan's largest number of pixels (`[security] max_image_megapixels`)."""
    return config.max_image_megapixels * 1_000_000


def documents_folder(db: str | Path | None = None) -> Path:
    """Where scans are stored: `documents/` beside the database file (git-ignored, never served)."""
    return database_path(db).resolve().parent / "documents"


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    original_name: str
    sha256: str
    size_bytes: int
    content_type: str


def too_large(name: str, size: int, max_mb: int) -> DelegationError:
    """'The file is 20.1 MB, more than the limit of 20 MB.'"""
    return DelegationError("error.documents.too_large", name=name, size=megabytes(size), limit=max_mb)


def store_file(
    data: bytes, original_name: str, folder: Path, config: EventConfig, *, ring: Callable[[], Keyring]
) -> StoredFile:
    """Check a scan and write it encrypted under a random name; nothing is written when it is refused.

    The scan is opened in a worker (`scans.check_scan`: its kind from its bytes, its pixels capped,
    decoded whole), so a hostile image cannot hurt this process. `ring` is asked for the key only
    once the scan has passed, so a refused file does not even record a key in the database."""
    name = safe_name(original_name)
    if not data:
        raise DelegationError("error.scan.empty", name=name)
    if len(data) > config.max_document_mb * 1024 * 1024:
        raise too_large(name, len(data), config.max_document_mb)
    _, content_type = sandbox.run(
        "check_scan", data, name, pixel_limit(config), limits=sandbox.Limits.of(config), name=name
    )
    keys = ring()
    private_folder(folder)
    stored = f"{secrets.token_hex(16)}.enc"  # the kind is in the database, not in the name
    write_private(folder / stored, crypto.encrypt_bytes(data, keys.current_id, keys.current_key))
    return StoredFile(stored, name, hashlib.sha256(data).hexdigest(), len(data), content_type)


def read_stored(folder: Path, stored_name: str, ring: Keyring, original_name: str) -> bytes:
    """A stored scan's plaintext (every reader of scan files comes through here)."""
    try:
        blob = (folder / stored_name).read_bytes()
    except OSError:
        raise DelegationError("error.documents.scan_unreadable", name=original_name) from None
    return crypto.decrypt_bytes(blob, ring.key, original_name)
