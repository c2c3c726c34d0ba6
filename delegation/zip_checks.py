"""The zip a workbook or a Word form is, checked by its directory before any part is unpacked:
too many parts, a zip bomb, two parts of one name, macros, XML entities."""

from __future__ import annotations

import contextlib
import io
import zipfile
import zlib
from collections.abc import Iterator

from delegation.grid import refuse
from delegation.i18n import Words

# Limits checked on the zip directory before any XML is parsed (a zip bomb never gets unpacked).
MAX_ZIP_ENTRIES = 10_000
MAX_UNPACKED_BYTES = 500 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200

# What to do with a form of a kind that cannot be read: the end of the sentence refusing it.
SAVE_AS = Words("forms.save_as")


# What Python's zipfile raises on a damaged archive: bad headers, offsets pointing outside the
# file (a negative seek), a broken deflate stream, a cut-off entry, an unknown compression.
DAMAGED_ZIP = (zipfile.BadZipFile, zlib.error, ValueError, EOFError, NotImplementedError)


@contextlib.contextmanager
def damaged_refused(name: str, noun: str) -> Iterator[None]:
    """A damaged zip's error as one sentence ("workbook" or "document" says as what)."""
    try:
        yield
    except DAMAGED_ZIP:
        raise refuse(name, "forms.damaged", what=kind_words(noun)) from None


def kind_words(noun: str) -> Words:
    """How a sentence names a file of kind `noun` ("workbook" or "document"), in its language."""
    return Words(f"forms.kind.{noun}")


def check_zip(name: str, data: bytes, noun: str) -> zipfile.ZipFile:
    """The zip's directory: parts, sizes, compression, names, macros, XML entities ("workbook" or
    "document" names the file in the sentence)."""
    what = kind_words(noun)
    archive = zipfile.ZipFile(io.BytesIO(data))
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise refuse(name, "forms.zip.too_many_parts", what=what)
    unpacked = sum(e.file_size for e in entries)
    packed = max(1, sum(e.compress_size for e in entries))
    if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_COMPRESSION_RATIO:
        raise refuse(name, "forms.zip.bomb", what=what)
    names = [e.filename for e in entries]
    if len(set(names)) != len(names):  # readers disagree on which copy counts: one may be hidden
        raise refuse(name, "forms.zip.same_name", what=what)
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise refuse(name, "forms.zip.macros", what=what, save_as=SAVE_AS)
    for entry in entries:
        if entry.filename.endswith((".xml", ".rels")):
            with archive.open(entry) as part:  # sizes were checked above
                head = part.read(4096)
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise refuse(name, "forms.zip.entities", what=what)
    return archive
