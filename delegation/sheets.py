"""Read a form file into sheets of raw cell values, whatever its extension claims.

Free of DuckDB and of the database: it runs in the reader worker (`delegation.sandbox`), which
hands plain rows back to the desk.
"""

from __future__ import annotations

import bisect
import contextlib
import csv
import functools
import html
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import python_calamine

from delegation import worker
from delegation.errors import DelegationError
from delegation.grid import Sheet, refuse
from delegation.text import megabytes

if TYPE_CHECKING:
    from delegation.config import EventConfig

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Limits checked on the zip directory before any XML is parsed (a zip bomb never gets unpacked).
MAX_ZIP_ENTRIES = 10_000
MAX_UNPACKED_BYTES = 500 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200


FORM_SUFFIXES = (".xlsx", ".xls", ".docx", ".csv", ".txt", ".tsv")  # in the order the upload box names them
# Files people send for a form that cannot be read as one: each gets a sentence saying what to do
# (the upload box takes them for that reason).
REFUSED_SUFFIXES = (".doc", ".wps", ".et", ".pdf")
_SAVE_AS = ("save it as .docx or .xlsx and send it again.", "请另存为 .docx 或 .xlsx 格式后重新发送。")
_PICTURES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*")


def read_sheets(
    path: Path, config: EventConfig, *, formulas: Callable[[], dict[str, set[int]]] | None = None
) -> list[Sheet]:
    """The sheets of an xlsx, xls or csv file, told apart by content rather than by name.

    Runs in a reader worker (`delegation.sandbox`). Cheap checks come first — size, then for a
    workbook `check_workbook`'s — so that a file that would make the reader allocate gigabytes is
    refused with a sentence naming why. `formulas`: another worker runs `check_workbook` on the
    file meanwhile, and this gives the formula rows it found (its verdict is awaited before these
    sheets are used: see `sandbox.begin_read_form`).
    """
    name = path.name
    data = form_bytes(path, config)
    kind = form_kind(name, data)
    if kind == "docx":
        if formulas is None:
            _check_document(name, data, config)
        with _damaged_refused(name, "document"):
            return _told(_read_docx(data))
    if kind == "xlsx":
        found = _check_workbook(name, data, config) if formulas is None else None
        sheets = _read_excel(name, data)
        found = formulas() if formulas is not None else found
        for sheet in sheets:
            sheet.formula_rows = frozenset(found.get(sheet.name, ()))
        return _told(sheets)
    if kind == "xls":
        return _told(_read_excel(name, data))
    return _told([Sheet("csv", _read_csv(name, data, config))])


def form_kind(name: str, data: bytes) -> str:
    """What a form file is by its content — "xlsx", "docx", "xls" or "csv" (text) — whatever its
    name says; a kind that cannot be read as a form (a legacy .doc, WPS's own formats, a PDF, a
    picture, a password-protected file, another zip) is refused saying what to do."""
    suffix = Path(name).suffix.lower()
    word = suffix in (".doc", ".docx", ".wps")
    if data.startswith(ZIP_MAGIC):
        with _damaged_refused(name, "document" if word else "workbook"):
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        raise refuse(
            name,
            "the file is a zip archive, not an Excel workbook or a Word document.",
            "该文件是压缩包，不是 Excel 工作簿或 Word 文档。",
        )
    if data.startswith(OLE_MAGIC):
        if _ole_stream("EncryptionInfo", data):
            what = ("Word document", "Word 文档") if word else ("workbook", "工作簿")
            raise refuse(
                name,
                f"the {what[0]} is password-protected; save it again without a password.",
                f"{what[1]}设有密码保护；请取消密码后重新保存。",
            )
        if _ole_stream("WordDocument", data) or suffix in (".doc", ".wps"):
            raise refuse(
                name,
                f"this is an old Word (.doc) or WPS file; {_SAVE_AS[0]}",
                f"这是旧版 Word（.doc）或 WPS 文件；{_SAVE_AS[1]}",
            )
        if suffix == ".et":
            raise refuse(
                name,
                f"this is a WPS spreadsheet (.et); {_SAVE_AS[0]}",
                f"这是 WPS 表格文件（.et）；{_SAVE_AS[1]}",
            )
        return "xls"
    if data.startswith(b"%PDF") or data.startswith(_PICTURES) or data[8:12] in (b"WEBP", b"ftyp"):
        raise refuse(
            name,
            "a PDF or a picture cannot be read as a form (a printed or scanned form has to be "
            f"typed in); {_SAVE_AS[0]}",
            f"PDF 或图片无法作为报名表读取（打印或扫描的表格须重新录入）；{_SAVE_AS[1]}",
        )
    if suffix in (".xlsx", ".docx") and b"\x00" in data[:4096]:  # neither a zip nor text (a CSV named .xlsx)
        what = ("a Word document", "Word 文档") if suffix == ".docx" else ("a workbook", "工作簿")
        raise refuse(
            name,
            f"the file is damaged and cannot be opened as {what[0]}.",
            f"文件已损坏，无法作为{what[1]}打开。",
        )
    if suffix in REFUSED_SUFFIXES:
        raise refuse(
            name,
            f"this file cannot be read as a form; {_SAVE_AS[0]}",
            f"该文件无法作为报名表读取；{_SAVE_AS[1]}",
        )
    return "csv"


def _ole_stream(stream: str, data: bytes) -> bool:
    """Whether an OLE container (legacy Office) holds a stream of this name (its directory names
    are UTF-16)."""
    return stream.encode("utf-16-le") in data


def check_workbook(path: Path, config: EventConfig) -> dict[str, set[int]]:
    """Refuse a form that is not safe to read (the worker's job beside `read_sheets`), or the
    1-based rows holding formulas, by sheet name (calamine gives their saved values and never
    evaluates). Only a workbook has anything to check here, the rest is checked as it is read (a
    missing file or a folder too: the reader says so)."""
    if not path.is_file():
        return {}
    data = form_bytes(path, config)
    kind = form_kind(path.name, data)
    if kind == "docx":
        _check_document(path.name, data, config)
    return _check_workbook(path.name, data, config) if kind == "xlsx" else {}


def form_bytes(path: Path, config: EventConfig) -> bytes:
    """A form file's bytes, once its name and size are acceptable."""
    name = path.name
    if path.suffix.lower() not in (*FORM_SUFFIXES, *REFUSED_SUFFIXES):
        raise refuse(
            name,
            f"only {', '.join(FORM_SUFFIXES[:-1])} and {FORM_SUFFIXES[-1]} forms can be imported.",
            f"只能导入 {'、'.join(FORM_SUFFIXES[:-1])} 或 {FORM_SUFFIXES[-1]} 格式的报名表。",
        )
    size = path.stat().st_size
    max_bytes = config.max_import_bytes
    if size == 0:
        raise refuse(name, "the file is empty.", "文件是空的。")
    if size > max_bytes:
        raise refuse(
            name,
            f"the file is {megabytes(size)} MB, more than the limit of {megabytes(max_bytes)} MB.",
            f"文件大小 {megabytes(size)} MB，超过 {megabytes(max_bytes)} MB 的上限。",
        )
    return path.read_bytes()


def _check_workbook(name: str, data: bytes, config: EventConfig) -> dict[str, set[int]]:
    """The zip's directory, each sheet's far corner and the text its cells take from the shared
    strings, before any reader allocates for them; then the sheets' formula rows."""
    formulas = {}
    with _damaged_refused(name, "workbook"):
        archive = _check_zip(name, data, "workbook")
        lengths = _shared_lengths(name, _shared_strings(archive), config)
        for sheet, xml in _sheet_parts(archive):
            _check_sheet(name, sheet, xml, lengths, config)
            if _FORMULA.search(xml):
                formulas[sheet] = _formula_rows(xml)
    return formulas


_WORD_ROW = re.compile(rb"<w:tr[\s>/]")
_WORD_SPAN = re.compile(rb'<w:(?:gridSpan|gridBefore|gridAfter)\b[^<>]*?w:val="(\d{1,9})"')
_WORD_GRID = re.compile(rb"<w:tblGrid\b|<w:gridCol\b")  # a table's grid, then its columns


def _check_document(name: str, data: bytes, config: EventConfig) -> None:
    """A Word form's zip directory, then its tables' rows and the columns any row reaches (a cell
    merged across a million columns), before python-docx builds them."""
    with _damaged_refused(name, "document"):
        archive = _check_zip(name, data, "document")
        xml = archive.read("word/document.xml")
    rows = len(_WORD_ROW.findall(xml))
    columns = 0
    count = 0
    for tag in _WORD_GRID.findall(xml):  # one pass: each grid's columns counted as they come
        count = 0 if tag == b"<w:tblGrid" else count + 1
        columns = max(columns, count)
    columns = max([columns, *map(int, _WORD_SPAN.findall(xml))])
    if rows > config.max_rows or columns > config.max_columns:
        raise refuse(
            name,
            f"its tables have {rows:,} rows and reach column {columns:,}; a form may have at most "
            f"{config.max_rows:,} rows and {config.max_columns:,} columns.",
            f"文档中的表格共 {rows:,} 行、延伸到第 {columns:,} 列；报名表最多 {config.max_rows:,} 行、"
            f"{config.max_columns:,} 列。",
        )


def _read_docx(data: bytes) -> list[Sheet]:
    from delegation.word import read_docx  # python-docx, only for a Word form

    return read_docx(data)


@contextlib.contextmanager
def _damaged_refused(name: str, noun: str) -> Iterator[None]:
    """A damaged zip's error as one sentence ("workbook" or "document" says as what)."""
    try:
        yield
    except DAMAGED_ZIP:
        en, zh = ("a workbook", "工作簿") if noun == "workbook" else ("a Word document", "Word 文档")
        raise refuse(
            name, f"the file is damaged and cannot be opened as {en}.", f"文件已损坏，无法作为{zh}打开。"
        ) from None


def _told(sheets: list[Sheet]) -> list[Sheet]:
    """`sheets`, once their distinct texts past ASCII (what search text is made of, pinyin and
    all) are told to the desk (`worker.tell`), which works on them while the rows are checked."""
    texts = dict.fromkeys(
        v for sheet in sheets for row in sheet.rows for v in row if type(v) is str and not v.isascii()
    )
    worker.tell("texts", list(texts)[:TEXTS_TOLD])
    return sheets


TEXTS_TOLD = 50_000  # within the search text's caches (`search._pinyin_forms` keeps 65 536)


# What Python's zipfile raises on a damaged archive: bad headers, offsets pointing outside the
# file (a negative seek), a broken deflate stream, a cut-off entry, an unknown compression.
DAMAGED_ZIP = (zipfile.BadZipFile, zlib.error, ValueError, EOFError, NotImplementedError)


def _check_zip(name: str, data: bytes, noun: str) -> zipfile.ZipFile:
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
            f"the {en} contains macros; {_SAVE_AS[0]}",
            f"{zh}含有宏；{_SAVE_AS[1]}",
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


_ELEMENT = {tag: re.compile(rb"<" + tag + rb"\b([^<>]*)>") for tag in (b"sheet", b"Relationship")}
_ATTRIBUTE = re.compile(rb'([\w:]+)="([^"]*)"')
# A sheet's XML is scanned with one regular expression per question; `[^<>]*` stops at the next
# tag, so no match looks further than one tag and each scan is linear whatever the file holds (a
# look back from each formula to its cell was quadratic: 200 000 `<f/>` took a minute).
_ROW_NUMBER = re.compile(rb' r="(\d{1,7})"')  # a row's number (a cell's reference has letters)
_CELL_COLUMN = re.compile(rb' r="([A-Z]{1,3})\d')
_SHARED_CELL = re.compile(rb't="s"[^<>]*>\s*<v>(\d{1,10})</v>')  # `t` is a cell's attribute
_DIMENSION = re.compile(rb'<dimension\b[^<>]*?ref="[A-Z]{1,3}\d{1,7}:([A-Z]{1,3})(\d{1,7})"')
# In document order: rows and cells (for cells without a reference, which take the place after
# the one before).
_SHEET_TOKEN = re.compile(rb"<row\b([^<>]*)>|<c\b([^<>]*)>")
_ROW = re.compile(rb"<row\b([^<>]*)>")
_FORMULA = re.compile(rb"<f[\s/>]")  # a cell's formula (not a data validation's <formula1>)
_REFERENCE = re.compile(rb'(?<![\w:])r="([A-Z]{0,3})(\d{0,7})"')
_SHARED_TOKEN = re.compile(rb"<si\b|<t\b[^<>]*>([^<]*)")


def column_number(letters: bytes) -> int:
    """1 for A, 27 for AA, 16 384 for XFD."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _check_sheet(name: str, sheet: str, xml: bytes, lengths: list[int], config: EventConfig) -> None:
    """Refuse a sheet that reaches past the rows × columns a form may have, or whose cells would
    together hold more shared-string text than allowed."""
    if corner := _DIMENSION.search(xml):
        _check_size(name, sheet, int(corner[2]), column_number(corner[1]), config)
    rows = max(map(int, _ROW_NUMBER.findall(xml)), default=0)
    # One scan settles a sheet whose every cell starts with its reference, within the rows and
    # columns allowed (what Excel, WPS and openpyxl write); any other is measured cell by cell.
    if rows > config.max_rows or _outlying_cell(config.max_rows, config.max_columns).search(xml):
        references = _CELL_COLUMN.findall(xml)
        columns = max(map(column_number, set(references)), default=0)
        _check_size(name, sheet, rows, columns, config)
        if len(_CELL.findall(xml)) != len(references):  # cells placed by their order, not by a reference
            corner = _walk(xml)
            _check_size(name, sheet, *corner, config)
    text = 0
    if lengths and b't="s"' in xml:
        indexes = map(int, _SHARED_CELL.findall(xml))
        text = sum(lengths[i] for i in indexes if i < len(lengths))
    if text > config.max_shared_string_chars:
        raise _too_much_text(name, text, config)


_CELL = re.compile(rb"<c[\s>/]")


@functools.cache
def _outlying_cell(max_rows: int, max_columns: int) -> re.Pattern[bytes]:
    """A cell that does not start with a reference (`<c r="B12"`) within row `max_rows` and column
    `max_columns`."""
    column = _at_most(column_name(max_columns), "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    row = _at_most(str(max_rows), "0123456789")
    return re.compile(rb'<c(?:[>/\t\n\r]| (?!r="(?:' + column + rb")(?:" + row + rb')"))')


def _at_most(limit: str, digits: str) -> bytes:
    """A regular expression for the numerals from the first to `limit`, written with `digits` in
    order, lowest first ('0' first: decimals, without leading zeros; else letters counting from
    'A' as Excel's columns do): a shorter one, or one as long and lower at its first difference."""

    def one_of(chars: str) -> str:
        return f"[{chars[0]}-{chars[-1]}]" if len(chars) > 1 else chars

    first = digits[1:] if digits[0] == "0" else digits  # what a numeral may start with
    options = [limit]
    if len(limit) > 1:
        options.append(f"{one_of(first)}{one_of(digits)}{{0,{len(limit) - 2}}}")
    for i, char in enumerate(limit):
        lower = (first if i == 0 else digits)[: max(0, (first if i == 0 else digits).index(char))]
        if lower:
            options.append(limit[:i] + one_of(lower) + f"{one_of(digits)}{{{len(limit) - i - 1}}}")
    return "|".join(options).encode()


def column_name(number: int) -> str:
    """'A' for 1, 'AA' for 27, 'XFD' for 16 384."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _walk(xml: bytes) -> tuple[int, int]:
    """The far corner counting cells without a reference, from one walk through the sheet's rows
    and cells in order (slower: only for sheets that need it)."""
    rows = columns = row = column = 0
    for token in _SHEET_TOKEN.finditer(xml):
        row_attrs, cell_attrs = token.groups()
        if row_attrs is not None:
            ref = _REFERENCE.search(row_attrs)
            row = int(ref[2]) if ref and ref[2] else row + 1
            rows, column = max(rows, row), 0
        else:
            ref = _REFERENCE.search(cell_attrs)
            if ref and ref[1]:
                column = column_number(ref[1])
                row = int(ref[2]) if ref[2] else row
                rows = max(rows, row)
            else:
                column += 1
            columns = max(columns, column)
    return rows, columns


def _formula_rows(xml: bytes) -> set[int]:
    """The rows holding formulas: each formula belongs to the last row that starts before it
    (a binary search among the rows' positions, so the scan stays linear whatever the file holds)."""
    starts: list[int] = []
    numbers: list[int] = []
    row = 0
    for match in _ROW.finditer(xml):
        ref = _REFERENCE.search(match[1])
        row = int(ref[2]) if ref and ref[2] else row + 1
        starts.append(match.start())
        numbers.append(row)
    found = set()
    for formula in _FORMULA.finditer(xml):
        if index := bisect.bisect(starts, formula.start()):
            found.add(numbers[index - 1])
    return found


def _shared_strings(archive: zipfile.ZipFile) -> bytes:
    """The workbook's shared-strings part (b"" without one)."""
    try:
        return archive.read("xl/sharedStrings.xml")
    except KeyError:
        return b""


def _shared_lengths(name: str, xml: bytes, config: EventConfig) -> list[int]:
    """The length in characters of each shared string (a table past the cap is refused)."""
    lengths: list[int] = []
    for token in _SHARED_TOKEN.finditer(xml):
        if token[1] is None:
            lengths.append(0)
        elif lengths:
            lengths[-1] += len(html.unescape(token[1].decode("utf-8", "replace")))
    total = sum(lengths)
    if total > config.max_shared_string_chars:
        raise _too_much_text(name, total, config)
    return lengths


def _too_much_text(name: str, chars: int, config: EventConfig) -> DelegationError:
    cap = config.max_shared_string_chars
    return refuse(
        name,
        f"its cells hold {chars:,} characters of text, more than the {cap:,} a form may hold.",
        f"单元格中的文字共 {chars:,} 个字符，超过报名表 {cap:,} 个字符的上限。",
    )


def _check_size(name: str, sheet: str, rows: int, columns: int, config: EventConfig) -> None:
    if rows > config.max_rows or columns > config.max_columns:
        raise refuse(
            name,
            f"sheet '{sheet}' reaches row {rows:,} and column {columns:,}; a form may have at most "
            f"{config.max_rows:,} rows and {config.max_columns:,} columns.",
            f"工作表“{sheet}”延伸到第 {rows:,} 行、第 {columns:,} 列；报名表最多 {config.max_rows:,} 行、"
            f"{config.max_columns:,} 列。",
        )


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
        target = rels.get(rel, b"").decode("utf-8", "replace").lstrip("/")
        path = target if target.startswith("xl/") else f"xl/{target}"
        try:
            xml = archive.read(path)
        except KeyError:
            continue
        yield html.unescape(raw_name.decode("utf-8", "replace")), xml


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


def _read_csv(name: str, data: bytes, config: EventConfig) -> list[list[object]]:
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
    # Rows and columns are counted before the text is split into cells: 19 MB of newlines or of
    # commas became millions of empty cells. (A quoted line break or delimiter counts here too: a
    # form never holds hundreds of them in a row.)
    lines = text.count("\n") + 1
    if lines > config.max_rows:
        _check_size(name, "csv", lines, 0, config)
    sample = "\n".join(text[:20_000].splitlines()[:50])
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    widest = max(line.count(delimiter) + 1 for line in text.split("\n"))
    if widest > config.max_columns:
        _check_size(name, "csv", lines, widest, config)
    csv.field_size_limit(10 * 1024 * 1024)  # a cell may be long; the file size limit bounds it
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise refuse(name, f"the CSV cannot be read ({exc}).", f"CSV 无法读取（{exc}）。") from None
