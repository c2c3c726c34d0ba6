"""The zip a workbook or a Word form is, checked by its directory before any part is unpacked:
too many parts, a zip bomb, two parts of one name, macros, XML entities."""

from __future__ import annotations

import contextlib
import io
import zipfile
import zlib
from collections.abc import Iterator

from delegation.grid import refuse

# Limits checked on the zip directory before any XML is parsed (a zip bomb never gets unpacked).
MAX_ZIP_ENTRIES = 10_000
MAX_UNPACKED_BYTES = 500 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200

# What to do with a form of a kind that cannot be read: the sentence's end, (en, zh).
SAVE_AS = ("save it as .docx or .xlsx and send it again.", "请另存为 .docx 或 .xlsx 格式后重新发送。")


# What Python's zipfile raises on a damaged archive: bad headers, offsets pointing outside the
# file (a negative seek), a broken deflate stream, a cut-off entry, an unknown compression.
DAMAGED_ZIP = (zipfile.BadZipFile, zlib.error, ValueError, EOFError, NotImplementedError)


@contextlib.contextmanager
def damaged_refused(name: str, noun: str) -> Iterator[None]:
    """A damaged zip's error as one sentence ("workbook" or "document" says as what)."""
    try:
        yield
    except DAMAGED_ZIP:
        en, zh = ("a workbook", "工作簿") if noun == "workbook" else ("a Word document", "Word 文档")
        raise refuse(
            name, f"the file is damaged and cannot be opened as {en}.", f"文件已损坏，无法作为{zh}打开。"
        ) from None


def check_zip(name: str, data: bytes, noun: str) -> zipfile.ZipFile:
    """The zip's directory: parts, sizes, compression, names, macros, XML entities ("workbook" or
    "document" names the file in the sentence)."""
    en, zh = (noun, "工作簿") if noun == "workbook" else ("Word document", "Word 文档")
    archive = zipfile.ZipFile(io.BytesIO(data))
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise refuse(
            name, f"the {en} has too many parts to be a form.", f"{zh}包含的部件过多，不像是报名表。"
        )
    unpacked = sum(e.file_size for e in entries)
    packed = max(1, sum(e.compress_size for e in entries))
    if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_COMPRESSION_RATIO:
        raise refuse(
            name,
            f"the {en} unpacks to far more data than a form holds (a zip bomb?); it was not opened.",
            f"{zh}解压后的数据量远超正常报名表（疑似压缩炸弹），未予打开。",
        )
    names = [e.filename for e in entries]
    if len(set(names)) != len(names):  # readers disagree on which copy counts: one may be hidden
        raise refuse(
            name,
            f"the {en} holds two parts of the same name (a tampered file?); it was not opened.",
            f"{zh}中有两个同名部件（疑似被篡改的文件），未予打开。",
        )
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise refuse(
            name,
            f"the {en} contains macros; {SAVE_AS[0]}",
            f"{zh}含有宏；{SAVE_AS[1]}",
        )
    for entry in entries:
        if entry.filename.endswith((".xml", ".rels")):
            with archive.open(entry) as part:  # sizes were checked above
                head = part.read(4096)
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise refuse(
                    name,
                    f"the {en} declares XML entities (an XML bomb?) and was not opened.",
                    f"{zh}中含有 XML 实体声明（疑似 XML 炸弹），未予打开。",
                )
    return archive
