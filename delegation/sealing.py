"""A plaintext database file sealed: encrypted (`delegation.crypto`) with the key ring's current key,
its SHA-256 and size in the header, written whole or not at all (`private.atomic_file`), so an
interrupted seal never leaves a file that looks complete."""

from __future__ import annotations

import hashlib
from pathlib import Path

from delegation import crypto
from delegation.keys import Keyring
from delegation.private import atomic_file


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while block := file.read(crypto.SEGMENT):
            digest.update(block)
    return digest.hexdigest()


def seal(plain: Path, target: Path, ring: Keyring, metadata: dict) -> Path:
    """Encrypt a plaintext database file to `target`, written whole or not at all."""
    metadata = {
        **metadata,
        "sha256": _sha256(plain),
        "bytes": plain.stat().st_size,
    }
    with plain.open("rb") as source, atomic_file(target) as out:
        crypto.encrypt_stream(source, out, ring.current_id, ring.current_key, metadata)
    return target
