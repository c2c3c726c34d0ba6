"""The desk's encrypted file format: AES-256-GCM in 1 MiB segments, so no file is ever held whole.

A file is a header, then segments. The header is readable without the key (it names the key and
carries a backup's metadata) and every segment authenticates it, so a changed header, a changed,
swapped, dropped or appended segment, and a file cut short all fail to decrypt:

    magic "DDESKENC" · version (1 byte) · key id length (1) · key id (ASCII) · segment size (4)
    · nonce prefix (7 random bytes) · metadata length (4) · metadata (UTF-8 JSON)
    segment i = AES-GCM(key, nonce = prefix ‖ i (4 bytes) ‖ last (1 byte),
                        plaintext ≤ segment size, aad = header ‖ i (8 bytes) ‖ last (1 byte))

Every segment but the last holds exactly `segment size` bytes; the last one is flagged (an empty
plaintext is one empty last segment). Numbers are big-endian. Design notes: docs/hardening.md.
"""

from __future__ import annotations

import io
import json
import os
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from delegation.errors import DelegationError

MAGIC = b"DDESKENC"
VERSION = 1
SEGMENT = 1 << 20  # 1 MiB: a 500 MB backup streams through in 500 steps of ≈ 0.3 ms each
TAG = 16  # AES-GCM's authentication tag, after each segment's ciphertext
PREFIX = 7  # random nonce bytes per file; the other 5 are the segment counter and the last flag
MAX_SEGMENTS = 1 << 32
MAX_METADATA = 64 * 1024
_FIXED = struct.Struct(">B B")  # version, key id length
_SIZES = struct.Struct(">I")

KeyLookup = Callable[[str], bytes]  # a key id → its 32-byte key (raises a sentence if it has none)


@dataclass(frozen=True)
class Header:
    """What a file says about itself before it is decrypted (authenticated by every segment)."""

    key_id: str
    segment_size: int
    nonce_prefix: bytes
    metadata: dict
    raw: bytes  # the header's own bytes: part of every segment's associated data


def undecryptable(name: str) -> DelegationError:
    """The one sentence for a file that fails to decrypt, whatever the reason."""
    return DelegationError("crypto.error.undecryptable", name=name)


def _header(key_id: str, metadata: dict, segment_size: int = SEGMENT) -> Header:
    ident = key_id.encode("ascii")
    meta = json.dumps(metadata, ensure_ascii=False, sort_keys=True).encode("utf-8")
    prefix = os.urandom(PREFIX)
    raw = b"".join(
        (
            MAGIC,
            _FIXED.pack(VERSION, len(ident)),
            ident,
            _SIZES.pack(segment_size),
            prefix,
            _SIZES.pack(len(meta)),
            meta,
        )
    )
    return Header(key_id, segment_size, prefix, metadata, raw)


def read_header(source: BinaryIO, name: str) -> Header:
    """Parse a header from the start of `source`, leaving it at the first segment."""

    def take(n: int) -> bytes:
        data = source.read(n)
        if len(data) != n:
            raise undecryptable(name)
        return data

    magic = take(len(MAGIC))
    if magic != MAGIC:
        raise DelegationError("crypto.error.not_ours", name=name)
    fixed = take(_FIXED.size)
    version, ident_length = _FIXED.unpack(fixed)
    if version != VERSION:
        raise DelegationError("crypto.error.newer_format", name=name, version=version)
    ident = take(ident_length)
    sizes = take(_SIZES.size)
    (segment_size,) = _SIZES.unpack(sizes)
    prefix = take(PREFIX)
    length_bytes = take(_SIZES.size)
    (length,) = _SIZES.unpack(length_bytes)
    if not (1024 <= segment_size <= 64 << 20) or length > MAX_METADATA:
        raise undecryptable(name)
    meta = take(length)
    try:
        key_id = ident.decode("ascii")
        metadata = json.loads(meta.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise undecryptable(name) from None
    if not isinstance(metadata, dict):
        raise undecryptable(name)
    raw = b"".join((magic, fixed, ident, sizes, prefix, length_bytes, meta))
    return Header(key_id, segment_size, prefix, metadata, raw)


def _nonce_and_aad(header: Header, index: int, last: bool) -> tuple[bytes, bytes]:
    if index >= MAX_SEGMENTS:
        raise ValueError("too many segments for one file")
    flag = b"\x01" if last else b"\x00"
    return header.nonce_prefix + index.to_bytes(4, "big") + flag, header.raw + index.to_bytes(8, "big") + flag


def _aead(key: bytes):
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # 40 ms to import: only when used

    return AESGCM(key)


def encrypt_stream(source: BinaryIO, target: BinaryIO, key_id: str, key: bytes, metadata: dict) -> None:
    """Write `source`'s bytes to `target` encrypted, one segment in memory at a time."""
    header = _header(key_id, metadata)
    aead = _aead(key)
    target.write(header.raw)
    chunk = source.read(header.segment_size)
    index = 0
    while True:
        following = source.read(header.segment_size) if len(chunk) == header.segment_size else b""
        last = not following
        nonce, aad = _nonce_and_aad(header, index, last)
        target.write(aead.encrypt(nonce, chunk, aad))
        if last:
            return
        chunk, index = following, index + 1


def decrypt_stream(source: BinaryIO, target: BinaryIO, keys: KeyLookup, name: str) -> Header:
    """Write the plaintext of an encrypted `source` to `target`; its header once every segment passed.

    A failure can come after earlier segments were written: the caller writes to a temporary file
    and keeps it only when this returns."""
    from cryptography.exceptions import InvalidTag

    header = read_header(source, name)
    aead = _aead(keys(header.key_id))
    size = header.segment_size + TAG
    chunk = source.read(size)
    index = 0
    while True:
        following = source.read(size) if len(chunk) == size else b""
        last = not following
        nonce, aad = _nonce_and_aad(header, index, last)
        try:
            target.write(aead.decrypt(nonce, chunk, aad))
        except (InvalidTag, ValueError):  # ValueError: fewer bytes than a tag
            raise undecryptable(name) from None
        if last:
            return header
        chunk, index = following, index + 1


def authenticate(path: Path, keys: KeyLookup) -> Header:
    """A file's header, checked against the key by decrypting its first segment only."""
    from cryptography.exceptions import InvalidTag

    with Path(path).open("rb") as source:
        header = read_header(source, path.name)
        aead = _aead(keys(header.key_id))
        chunk = source.read(header.segment_size + TAG)
        last = len(chunk) < header.segment_size + TAG or not source.read(1)
        nonce, aad = _nonce_and_aad(header, 0, last)
        try:
            aead.decrypt(nonce, chunk, aad)
        except (InvalidTag, ValueError):
            raise undecryptable(path.name) from None
    return header


def encrypt_bytes(data: bytes, key_id: str, key: bytes, metadata: dict | None = None) -> bytes:
    """A small file (a scan) encrypted in the same format."""
    out = io.BytesIO()
    encrypt_stream(io.BytesIO(data), out, key_id, key, metadata or {})
    return out.getvalue()


def decrypt_bytes(blob: bytes, keys: KeyLookup, name: str) -> bytes:
    """The plaintext of a small encrypted file held in memory."""
    out = io.BytesIO()
    decrypt_stream(io.BytesIO(blob), out, keys, name)
    return out.getvalue()


def is_encrypted(path: Path) -> bool:
    """Whether a file starts with the desk's magic (says nothing about whether it decrypts)."""
    with Path(path).open("rb") as file:
        return file.read(len(MAGIC)) == MAGIC


def header_of(path: Path) -> Header:
    """A file's header, unauthenticated (which key it names, a backup's metadata)."""
    with Path(path).open("rb") as source:
        return read_header(source, Path(path).name)
