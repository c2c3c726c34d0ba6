"""Find the header in a sheet (below title and note rows) and turn the rows under it into raw records."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from delegation.config import EventConfig
from delegation.ingest.fields import FIELDS_BY_KEY, flag_label, map_header
from delegation.sheets import Sheet
from delegation.text import clean

# A row whose first filled cell starts like this is a footer or a note, not a participant.
_FOOTER = re.compile(
    r"^(填表人|填报人|制表人|制表|审核人|负责人|单位负责人|单位盖章|盖章|签字|填表日期|注|备注|说明|附注"
    r"|notes?\b|remarks?\b|prepared by|filled (in )?by|signature|seal)",
    re.IGNORECASE,
)
_EXAMPLE = re.compile(r"^(示例|样例|例|范例|example|e\.g\.|sample)\b", re.IGNORECASE)
# "单位名称：某某公司" above the header gives the unit of every row that names none.
_LABELLED = re.compile(r"^(.{1,20}?)\s*(?:[（(](?:盖章|公章|seal|stamp)[)）])?\s*[:：]\s*(.*)$")


@dataclass
class RawTable:
    """A sheet's data rows column by column: raw cell values by field, and the yes/no columns that
    tick a theme or city ('theme:<key>' → cells). Every list has one entry per row."""

    sheet: str
    row_numbers: list[int]  # 1-based, as the spreadsheet shows them
    values: dict[str, list[object]]
    flags: dict[str, list[object]] = field(default_factory=dict)
    has_formula: list[bool] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.row_numbers)


@dataclass
class SheetLayout:
    """Where a sheet's header is and what each column means."""

    header_row: int
    data_start: int
    columns: dict[int, str]
    defaults: dict[str, object]
    repeated: dict[int, int] = field(default_factory=dict)  # a column left out → the one read instead


def _row_mapping(row: list[object], config: EventConfig) -> dict[int, str]:
    mapping: dict[int, str] = {}
    seen: set[str] = set()
    for c, cell in enumerate(row):
        meaning = map_header(cell, config)
        if meaning and meaning not in seen:
            mapping[c] = meaning
            seen.add(meaning)
    return mapping


def _is_header(mapping: dict[int, str]) -> bool:
    meanings = set(mapping.values())
    return "name" in meanings and len(meanings) >= 2


def find_layout(sheet: Sheet, config: EventConfig) -> SheetLayout | None:
    """The header row (the one naming most fields, and the participant's name among them), or None."""
    best: tuple[int, int, dict[int, str]] | None = None
    for r, row in enumerate(sheet.rows[: config.header_search_rows]):
        mapping = _row_mapping(row, config)
        if _is_header(mapping) and (best is None or len(mapping) > best[1]):
            best = (r, len(mapping), mapping)
    if best is None:
        return None
    header_row, _, columns = best
    data_start = header_row + 1

    # A group header one row up, over columns the header row leaves blank.
    if header_row > 0:
        header = sheet.rows[header_row]
        for c, cell in enumerate(sheet.rows[header_row - 1]):
            if c in columns or (c < len(header) and clean(header[c])) or ":" in clean(cell):
                continue
            meaning = map_header(cell, config)
            if meaning and meaning not in columns.values():
                columns[c] = meaning

    # A second header row of themes or cities under a group header ("论坛主题" over 绿色发展 | 电子商务 …).
    if data_start < len(sheet.rows):
        below = sheet.rows[data_start]
        flags = {c: flag_label(cell, config) for c, cell in enumerate(below)}
        flags = {c: f for c, f in flags.items() if f}
        name_col = next(c for c, m in columns.items() if m == "name")
        header_name = clean(sheet.rows[header_row][name_col])
        below_name = clean(below[name_col]) if name_col < len(below) else ""
        is_subheader = below_name in ("", header_name)  # a data row names a person here
        if (
            flags
            and is_subheader
            and all(columns.get(c) in (None, "themes", "cities", f) for c, f in flags.items())
        ):
            for c, f in flags.items():
                columns[c] = f
            data_start += 1

    defaults = _labelled_values(sheet.rows[:header_row], config)
    return SheetLayout(
        header_row, data_start, columns, defaults, _repeated(sheet, header_row, columns, config)
    )


def _repeated(sheet: Sheet, header_row: int, columns: dict[int, str], config: EventConfig) -> dict[int, int]:
    """Columns headed like one already read (two 手机 columns), which the import leaves out."""
    read = {meaning: c for c, meaning in columns.items()}
    repeated = {}
    for c, cell in enumerate(sheet.rows[header_row]):
        meaning = map_header(cell, config) if c not in columns else None
        if meaning in read:
            repeated[c] = read[meaning]
    return repeated


def column_letter(index: int) -> str:
    """A 0-based column index as the spreadsheet names it (0 → A, 27 → AB). Not openpyxl's, which
    costs an import of openpyxl in every import."""
    number, letters = index + 1, ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _labelled_values(rows: list[list[object]], config: EventConfig) -> dict[str, object]:
    """Unit-level values written as 'label: value' in the title area above the header."""
    found: dict[str, object] = {}
    for row in rows:
        cells = [clean(c) for c in row]
        for c, text in enumerate(cells):
            if not text:
                continue
            m = _LABELLED.match(text)
            label, value = (m[1], m[2].strip()) if m else (text, "")
            meaning = map_header(label, config)
            if meaning not in FIELDS_BY_KEY or FIELDS_BY_KEY[meaning].level != "unit":
                continue
            if not value:  # the value may sit in the next filled cell
                value = next((v for v in cells[c + 1 :] if v), "")
                if map_header(value, config):
                    value = ""
            if value and meaning not in found:
                found[meaning] = value
    return found


def _may_be_data(row: list[object]) -> bool:
    """Whether a row is neither blank nor a footer, note or example row (told by its first filled
    cell: a number or a date there is data)."""
    for value in row:
        if type(value) is str:
            text = clean(value)
            if text:
                return not (_FOOTER.match(text) or _EXAMPLE.match(text))
        elif value is not None:
            return True
    return False


def records(sheet: Sheet, layout: SheetLayout, config: EventConfig) -> RawTable:
    """Every row under the header that might be a participant (blank, footer and example rows left
    out), as columns."""
    name_col = next(c for c, m in layout.columns.items() if m == "name")
    header_name = clean(sheet.rows[layout.header_row][name_col])
    kept: list[list[object]] = []
    numbers: list[int] = []
    names: dict[object, str] = {}  # the name column's cells cleaned, once per distinct value
    for r in range(layout.data_start, len(sheet.rows)):
        row = sheet.rows[r]
        if not _may_be_data(row):
            continue
        cell = row[name_col] if name_col < len(row) else ""
        name_cell = names.get(cell)
        if name_cell is None:
            name_cell = names[cell] = clean(cell)
        if name_cell == header_name and _is_header(
            _row_mapping(row, config)
        ):  # a header repeated on a printed page
            continue
        kept.append(row)
        numbers.append(r + 1)
    width = max(layout.columns, default=-1) + 1
    cells = list(itertools.zip_longest(*kept, [None] * width)) if kept else [()] * width  # transposed
    values: dict[str, list[object]] = {}
    flags: dict[str, list[object]] = {}
    for c, meaning in layout.columns.items():
        column = list(cells[c][: len(kept)])
        if meaning.startswith(("theme:", "city:")):
            flags[meaning] = column
        else:
            values[meaning] = column
    for key, value in layout.defaults.items():  # 'label: value' above the header fills blank cells
        column = values.get(key, [None] * len(kept))
        values[key] = [cell if clean(cell) else value for cell in column]
    formulas = [n in sheet.formula_rows for n in numbers]
    return RawTable(sheet.name, numbers, values, flags, formulas)
