"""A plaintext database file sealed: encrypted (`delegation.crypto`) with the key ring's current key,
its SHA-256 and size in the header, written under a partial name, flushed and renamed, so an
interrupted seal never leaves a file that looks complete."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from delegation import crypto
from delegation.keys import Keyring
from delegation.private import open_private, sync_folder


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while block := file.read(crypto.SEGMENT):
            digest.update(block)
    return digest.hexdigest()


def seal(plain: Path, target: Path, ring: Keyring, metadata: dict) -> Path:
    """Encrypt a plaintext database file to `target`: a partial name first, flushed, then renamed."""
    metadata = {
        **metadata,
        "sha256": _sha256(plain),
        "bytes": plain.stat().st_size,
    }
    partial = target.with_name(f".{target.name}.partial")
    try:
        with plain.open("rb") as source, open_private(partial) as out:
            crypto.encrypt_stream(source, out, ring.current_id, ring.current_key, metadata)
            out.flush()
            os.fsync(out.fileno())
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    sync_folder(target.parent)
    return target
