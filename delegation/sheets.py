"""Read a form file into sheets of raw cell values, whatever its extension claims.

Kept outside `delegation.ingest` and free of DuckDB, so that `python -m delegation import` can
start reading its first form before the database layer has even been imported (`start_reading`).
"""

from __future__ import annotations

import contextlib
import csv
import html
import io
import re
import threading
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import python_calamine

from delegation.errors import DelegationError
from delegation.text import megabytes

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Limits checked on the zip directory before any XML is parsed (a zip bomb never gets unpacked).
MAX_ZIP_ENTRIES = 10_000
MAX_UNPACKED_BYTES = 500 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200


@dataclass
class Sheet:
    """One sheet's cells as a rectangle of raw values; (0, 0) is the sheet's A1."""

    name: str
    rows: list[list[object]]
    formula_rows: frozenset[int] = frozenset()  # 1-based rows with a formula (their saved values are used)
    hidden: bool = False  # hidden in the workbook (Excel's "Hide" or "very hidden")


def refuse(name: str, en: str, zh: str) -> DelegationError:
    """A file-level refusal naming the file."""
    return DelegationError(f"{name}: {en}", f"{name}：{zh}")


FORM_SUFFIXES = (".xlsx", ".xls", ".csv", ".txt", ".tsv")  # in the order the upload box names them


_started: dict[tuple[Path, int], Future] = {}  # reads begun by start_reading, not yet taken


def start_reading(path: Path, max_bytes: int, prepare: Callable[[str], object] | None = None) -> None:
    """Begin `read_sheets(path, max_bytes, prepare)` in a background thread; the next
    `read_sheets` of that path with that limit takes its result (or its refusal) instead of
    reading again. Calamine parses without the GIL, so the caller's own work (importing and
    opening the database) runs meanwhile. Call both from one thread."""
    started: Future = Future()
    _started[(path, max_bytes)] = started
    threading.Thread(
        target=_read_into, args=(started, path, max_bytes, prepare), name="read-sheets", daemon=True
    ).start()


def _read_into(future: Future | None, path: Path, max_bytes: int, prepare) -> None:
    try:
        future.set_result(_read_sheets(path, max_bytes, prepare))
    except BaseException as exc:  # handed over to read_sheets, which raises it there
        future.set_exception(exc)
    finally:
        # A refusal's traceback holds this frame: without the future in it there is no reference
        # cycle (which would keep the file's bytes alive where the collector is off, see
        # delegation/__main__.py).
        future = None


def read_sheets(path: Path, max_bytes: int, prepare: Callable[[str], object] | None = None) -> list[Sheet]:
    """The sheets of an xlsx, xls or csv file, told apart by content rather than by name.

    `prepare` (optional, e.g. warming a cache) is called on distinct non-ASCII texts of an xlsx
    while calamine parses it, until the parse is done: it may see some, all or none of them.
    """
    started = _started.pop((path, max_bytes), None)
    if started is not None:
        try:
            return started.result()
        finally:
            started = None  # likewise: a refusal raised here holds this frame
    return _read_sheets(path, max_bytes, prepare)


def _read_sheets(path: Path, max_bytes: int, prepare: Callable[[str], object] | None) -> list[Sheet]:
    name = path.name
    if path.suffix.lower() not in FORM_SUFFIXES:
        raise refuse(
            name,
            f"only {', '.join(FORM_SUFFIXES[:-1])} and {FORM_SUFFIXES[-1]} forms can be imported.",
            f"只能导入 {'、'.join(FORM_SUFFIXES[:-1])} 或 {FORM_SUFFIXES[-1]} 格式的报名表。",
        )
    size = path.stat().st_size
    if size == 0:
        raise refuse(name, "the file is empty.", "文件是空的。")
    if size > max_bytes:
        raise refuse(
            name,
            f"the file is {megabytes(size)} MB, more than the limit of {megabytes(max_bytes)} MB.",
            f"文件大小 {megabytes(size)} MB，超过 {megabytes(max_bytes)} MB 的上限。",
        )
    data = path.read_bytes()
    if data.startswith(ZIP_MAGIC):
        _check_workbook_zip(name, data)
        # The formula scan (mostly unzipping) runs beside calamine, which releases the GIL; the
        # time left before calamine is done goes to `prepare` on the workbook's texts.
        reading = threading.Event()
        reading.set()
        with ThreadPoolExecutor(max_workers=1) as pool:
            scan = pool.submit(_scan_parts, data, prepare, reading)
            try:
                sheets = _read_excel(name, data)
            finally:
                reading.clear()
            formulas = scan.result()
        for sheet in sheets:
            sheet.formula_rows = frozenset(formulas.get(sheet.name, ()))
        return sheets
    if data.startswith(OLE_MAGIC):
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o" in data:
            raise refuse(
                name,
                "the workbook is password-protected; save it again without a password.",
                "工作簿设有密码保护；请取消密码后重新保存。",
            )
        return _read_excel(name, data)
    return [Sheet("csv", _read_csv(name, data))]


def _check_workbook_zip(name: str, data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except zipfile.BadZipFile:
        raise refuse(
            name,
            "the file is damaged and cannot be opened as a workbook.",
            "文件已损坏，无法作为工作簿打开。",
        ) from None
    if len(entries) > MAX_ZIP_ENTRIES:
        raise refuse(
            name, "the workbook has too many parts to be a form.", "工作簿包含的部件过多，不像是报名表。"
        )
    unpacked = sum(e.file_size for e in entries)
    packed = max(1, sum(e.compress_size for e in entries))
    if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_COMPRESSION_RATIO:
        raise refuse(
            name,
            "the workbook unpacks to far more data than a form holds (a zip bomb?); it was not opened.",
            "工作簿解压后的数据量远超正常报名表（疑似压缩炸弹），未予打开。",
        )
    names = {e.filename for e in entries}
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise refuse(
            name,
            "the workbook contains macros; save it as a plain .xlsx workbook and send it again.",
            "工作簿含有宏；请另存为普通 .xlsx 工作簿后重新发送。",
        )
    if "xl/workbook.xml" not in names:
        raise refuse(
            name, "the file is a zip archive, not an Excel workbook.", "该文件是压缩包，不是 Excel 工作簿。"
        )
    for entry in entries:
        if entry.filename.endswith((".xml", ".rels")):
            with archive.open(entry) as part:  # sizes were checked above
                head = part.read(4096)
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise refuse(
                    name,
                    "the workbook declares XML entities (an XML bomb?) and was not opened.",
                    "工作簿中含有 XML 实体声明（疑似 XML 炸弹），未予打开。",
                )


_ELEMENT = {tag: re.compile(rb"<" + tag + rb"\b([^>]*)>") for tag in (b"sheet", b"Relationship")}
_ATTRIBUTE = re.compile(rb'([\w:]+)="([^"]*)"')
_FORMULA = re.compile(rb"<f[ >/]")
_CELL_ROW = re.compile(rb'<c\b[^>]*?\br="[A-Z]+(\d+)"')


def _scan_parts(
    data: bytes, prepare: Callable[[str], object] | None, reading: threading.Event
) -> dict[str, set[int]]:
    """The rows holding formulas by sheet name (calamine gives the saved values and never
    evaluates); then, while `reading` is set, `prepare` of the workbook's non-ASCII texts."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    formulas: dict[str, set[int]] = {}
    texts: set[bytes] = set()
    for name, xml in _sheet_parts(archive):
        rows = set()
        for formula in _FORMULA.finditer(xml):  # rare: look back from each <f> to its cell's row
            start = xml.rfind(b"<c ", 0, formula.start())
            if start >= 0 and (cell := _CELL_ROW.match(xml, start)):
                rows.add(int(cell[1]))
        if rows:
            formulas[name] = rows
        if prepare is not None:
            texts.update(_TEXT.findall(xml))
    if prepare is None or not reading.is_set():
        return formulas
    if "xl/sharedStrings.xml" in archive.namelist():
        texts.update(_TEXT.findall(archive.read("xl/sharedStrings.xml")))
    with contextlib.suppress(Exception):  # best effort: what is not prepared is worked out when needed
        for text in _decoded(texts):
            if not reading.is_set():
                break
            prepare(text)
    return formulas


# A cell's text holding non-ASCII characters, raw or as character references (&#24352;).
_TEXT = re.compile(rb"<t(?:\s[^>]*)?>([^<]*?(?:[\x80-\xff]|&#\d{3,7};|&#x[0-9a-fA-F]{2,6};)[^<]*)</t>")


def _decoded(texts: set[bytes]) -> list[str]:
    """Cell texts as the cells read (entities and character references resolved), ASCII left out."""
    if not texts:
        return []
    blob = b"\x00".join(texts).decode("utf-8", "replace")  # one unescape for all of them
    return [t for t in html.unescape(blob).split("\x00") if not t.isascii()]


def _sheet_parts(archive: zipfile.ZipFile) -> Iterator[tuple[str, bytes]]:
    """Each worksheet's name and XML."""
    try:
        workbook = archive.read("xl/workbook.xml")
        relationships = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return

    def elements(tag: bytes, xml: bytes) -> list[dict[bytes, bytes]]:
        return [dict(_ATTRIBUTE.findall(attrs)) for attrs in _ELEMENT[tag].findall(xml)]

    rels = {r.get(b"Id"): r.get(b"Target", b"") for r in elements(b"Relationship", relationships)}
    for sheet_attrs in elements(b"sheet", workbook):
        raw_name, rel = sheet_attrs.get(b"name", b""), sheet_attrs.get(b"r:id")
        target = rels.get(rel, b"").decode().lstrip("/")
        path = target if target.startswith("xl/") else f"xl/{target}"
        try:
            xml = archive.read(path)
        except KeyError:
            continue
        yield html.unescape(raw_name.decode("utf-8")), xml


def _read_excel(name: str, data: bytes) -> list[Sheet]:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for meta in workbook.sheets_metadata:
            if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue
            sheet = workbook.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False)
            _fill_merged(rows, sheet.merged_cell_ranges or [])
            sheets.append(
                Sheet(meta.name, rows, hidden=meta.visible != python_calamine.SheetVisibleEnum.Visible)
            )
        return sheets
    except python_calamine.PasswordError:
        raise refuse(
            name,
            "the workbook is password-protected; save it again without a password.",
            "工作簿设有密码保护；请取消密码后重新保存。",
        ) from None
    except (python_calamine.CalamineError, ValueError, OSError) as exc:
        raise refuse(
            name,
            f"the file is damaged or not a spreadsheet ({type(exc).__name__}).",
            f"文件已损坏或不是电子表格（{type(exc).__name__}）。",
        ) from None


def _fill_merged(rows: list[list[object]], ranges: list) -> None:
    """Copy each merged range's top-left value into every cell of the range."""
    for (r0, c0), (r1, c1) in ranges:
        if r0 >= len(rows):
            continue
        value = rows[r0][c0] if c0 < len(rows[r0]) else None
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c1:
                row.extend([""] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                row[c] = value


def _decode(name: str, data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return data.decode("big5hkscs") if encoding == "gb18030" and _big5(data, text) else text
    # Name the row where the encoding that got furthest (the one the file most likely uses) fails.
    furthest = 0
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError as exc:
            furthest = max(furthest, exc.start)
    line = data.count(b"\n", 0, furthest) + 1
    raise refuse(
        name,
        f"row {line} holds bytes that are neither UTF-8 nor GBK/GB18030 text; save the file as UTF-8 CSV.",
        f"第 {line} 行含有既非 UTF-8 也非 GBK/GB18030 的字节；请另存为 UTF-8 编码的 CSV。",
    )


def _big5(data: bytes, as_gbk: str) -> bool:
    """Whether text that decoded as GBK is really Big5 (traditional Chinese, Taiwan and Hong Kong).
    Most Big5 bytes are GBK bytes too, so 陳大文 came out as 朝ゅ… and was stored so. Names and
    company names in GBK are nearly all among GB2312's 3 755 common hanzi; Big5 read as GBK gives
    rare ones, and private-use, kana, Greek and Cyrillic letters (a third common in a Taiwan sample,
    4 in 11 in a Hong Kong one). Decided on the first 20 000 characters."""
    seen = [c for c in as_gbk[:20_000] if _BIG5_AS_GBK.match(c)]
    if len(seen) < 4 or sum(map(_common_hanzi, seen)) >= len(seen) / 2:
        return False
    try:
        data.decode("big5hkscs")  # Big5 with Hong Kong's characters
    except UnicodeDecodeError:
        return False
    return True


_BIG5_AS_GBK = re.compile("[\u4e00-\u9fff\ue000-\uf8ff\u3040-\u30ff\u0370-\u04ff]")


def _common_hanzi(char: str) -> bool:
    """Whether a character is one of GB2312's level-1 (most common) characters."""
    try:
        return 0xB0 <= char.encode("gb2312")[0] <= 0xD7
    except UnicodeEncodeError:
        return False


def _read_csv(name: str, data: bytes) -> list[list[object]]:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's "Unicode Text": UTF-16 with its mark, tabs
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise refuse(
                name,
                "the file starts as UTF-16 text but is damaged; save it again as UTF-8 CSV.",
                "文件以 UTF-16 文本开头但已损坏；请另存为 UTF-8 编码的 CSV。",
            ) from None
    elif b"\x00" in data[:4096]:
        raise refuse(
            name,
            "the file is neither a workbook nor CSV text.",
            "该文件既不是工作簿，也不是 CSV 文本。",
        )
    else:
        text = _decode(name, data)
    csv.field_size_limit(10 * 1024 * 1024)  # a cell may be long; the file size limit bounds it
    sample = text[:20_000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise refuse(name, f"the CSV cannot be read ({exc}).", f"CSV 无法读取（{exc}）。") from None
