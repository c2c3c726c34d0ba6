"""Read a Word form (.docx): each table as a sheet of cell texts, with python-docx.

Runs in the reader worker, like the spreadsheet readers (`delegation.sheets`), and gives the same
`Sheet`s, so the header search, column mapping and normalising are one path for every kind of file.
People type Annex 2 into the table of the notice's Word annex: a unit's name merged down its
people, a header over two rows, a table continued on the next page as a second table (with its
header repeated or not), and the unit's details written above the table ("单位名称（盖章）：…").
"""

from __future__ import annotations

import io

import docx
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from delegation.grid import Sheet

_PARAGRAPH, _TABLE = qn("w:p"), qn("w:tbl")
_ROW, _CELL = qn("w:tr"), qn("w:tc")
_TEXT_BOX = qn("w:txbxContent")
_LABEL_COLON = ("：", ":")


def read_docx(data: bytes) -> list[Sheet]:
    """The document's tables as sheets, in order; a table continuing the one before (as many
    columns, no labelled line between them) is added to it, its repeated header rows left
    out. The lines with a label and a colon above a table ("单位名称：…  联系人：…") come first in
    its sheet, where the importer reads labelled lines (`Sheet.lines_above` of them); those below
    the last table follow it. Nested tables and text boxes are noted, not read."""
    body = docx.Document(io.BytesIO(data)).element.body
    sheets: list[Sheet] = []
    lines: list[list[object]] = []  # labelled lines since the last table
    for block in body.iterchildren():
        if block.tag == _PARAGRAPH:
            text = Paragraph(block, None).text.strip()
            if any(colon in text for colon in _LABEL_COLON):
                lines.append([text])
        elif block.tag == _TABLE:
            rows, nested = _table_rows(block)
            last = sheets[-1] if sheets else None
            if last is not None and not lines and _continues(last, rows):
                last.rows.extend(rows[_repeated_header(last, rows) :])
            else:
                sheets.append(Sheet(f"表格{len(sheets) + 1}", [*lines, *rows], lines_above=len(lines)))
                lines = []
            if nested:
                sheets[-1].notes.append("word.note.nested_table")
    if lines and sheets:  # a contact or a date below the table: read with the lines above it
        last = sheets[-1]
        last.rows[last.lines_above : last.lines_above] = lines
        last.lines_above += len(lines)
    if sheets and next(body.iter(_TEXT_BOX), None) is not None:
        sheets[0].notes.append("word.note.text_boxes")
    return sheets


def _table_rows(table) -> tuple[list[list[object]], bool]:
    """The table's rows as cell texts on its grid: a cell merged across columns repeats its text
    in each, one merged down repeats the text of its first row (as a spreadsheet's merged cells
    are filled in); and whether a cell holds a table of its own."""
    rows: list[list[object]] = []
    nested = False
    above: dict[int, str] = {}  # grid column → text of the cell a vertical merge continues
    for tr in table.iterchildren(_ROW):
        row: list[object] = [""] * _grid_before(tr)
        for tc in tr.iterchildren(_CELL):
            span = tc.grid_span
            if tc.vMerge == "continue":
                text = above.get(len(row), "")
            else:
                text = "\n".join(Paragraph(p, None).text for p in tc.iterchildren(_PARAGRAPH)).strip()
                nested = nested or next(tc.iterchildren(_TABLE), None) is not None
            for offset in range(span):
                above[len(row) + offset] = text
            row.extend([text] * span)
        rows.append(row)
    return rows, nested


def _grid_before(tr) -> int:
    """Grid columns a row skips before its first cell (Word's `w:gridBefore`)."""
    pr = tr.trPr
    before = pr.find(qn("w:gridBefore")) if pr is not None else None
    return int(before.get(qn("w:val"), "0")) if before is not None else 0


def _width(rows: list[list[object]]) -> int:
    return max((len(r) for r in rows), default=0)


def _table_rows_of(sheet: Sheet) -> list[list[object]]:
    return sheet.rows[sheet.lines_above :]


def _continues(sheet: Sheet, rows: list[list[object]]) -> bool:
    """Whether a table (with no labelled line before it) continues the sheet before it: as wide."""
    first = _table_rows_of(sheet)
    return bool(rows and first) and _width(rows) == _width(first)


def _repeated_header(sheet: Sheet, rows: list[list[object]]) -> int:
    """How many of a continuing table's first rows repeat the first table's first rows (a header
    of one or two rows, repeated on the next page)."""
    first = _table_rows_of(sheet)
    count = 0
    while count < min(2, len(rows), len(first)) and rows[count] == first[count]:
        count += 1
    return count
