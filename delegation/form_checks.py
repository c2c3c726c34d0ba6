"""A workbook's and a Word form's XML, checked before any reader allocates for it: how far each
sheet reaches (rows × columns), the shared text its cells take, a Word form's table size, and the
rows of a workbook that hold formulas. Each scan is one regular expression over the XML, linear
whatever the file holds."""

from __future__ import annotations

import bisect
import functools
import html
import re
import zipfile
from collections.abc import Iterator
from typing import TYPE_CHECKING

from delegation.errors import DelegationError
from delegation.grid import refuse
from delegation.zip_checks import check_zip, damaged_refused

if TYPE_CHECKING:
    from delegation.config import EventConfig


def check_workbook_parts(name: str, data: bytes, config: EventConfig) -> dict[str, set[int]]:
    """The zip's directory, each sheet's far corner and the text its cells take from the shared
    strings, before any reader allocates for them; then the sheets' formula rows."""
    formulas = {}
    with damaged_refused(name, "workbook"):
        archive = check_zip(name, data, "workbook")
        lengths = _shared_lengths(name, _shared_strings(archive), config)
        for sheet, xml in _sheet_parts(archive):
            _check_sheet(name, sheet, xml, lengths, config)
            if _FORMULA.search(xml):
                formulas[sheet] = _formula_rows(xml)
    return formulas


_WORD_ROW = re.compile(rb"<w:tr[\s>/]")
_WORD_SPAN = re.compile(rb'<w:(?:gridSpan|gridBefore|gridAfter)\b[^<>]*?w:val="(\d{1,9})"')
_WORD_GRID = re.compile(rb"<w:tblGrid\b|<w:gridCol\b")  # a table's grid, then its columns


def check_document(name: str, data: bytes, config: EventConfig) -> None:
    """A Word form's zip directory, then its tables' rows and the columns any row reaches (a cell
    merged across a million columns), before python-docx builds them."""
    with damaged_refused(name, "document"):
        archive = check_zip(name, data, "document")
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
            "forms.document_size",
            rows=rows,
            columns=columns,
            max_rows=config.max_rows,
            max_columns=config.max_columns,
        )


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
        check_size(name, sheet, int(corner[2]), column_number(corner[1]), config)
    rows = max(map(int, _ROW_NUMBER.findall(xml)), default=0)
    # One scan settles a sheet whose every cell starts with its reference, within the rows and
    # columns allowed (what Excel, WPS and openpyxl write); any other is measured cell by cell.
    if rows > config.max_rows or _outlying_cell(config.max_rows, config.max_columns).search(xml):
        references = _CELL_COLUMN.findall(xml)
        columns = max(map(column_number, set(references)), default=0)
        check_size(name, sheet, rows, columns, config)
        if len(_CELL.findall(xml)) != len(references):  # cells placed by their order, not by a reference
            corner = _walk(xml)
            check_size(name, sheet, *corner, config)
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
    return refuse(name, "forms.too_much_text", chars=chars, cap=config.max_shared_string_chars)


def check_size(name: str, sheet: str, rows: int, columns: int, config: EventConfig) -> None:
    if rows > config.max_rows or columns > config.max_columns:
        raise refuse(
            name,
            "forms.sheet_size",
            sheet=sheet,
            rows=rows,
            columns=columns,
            max_rows=config.max_rows,
            max_columns=config.max_columns,
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
