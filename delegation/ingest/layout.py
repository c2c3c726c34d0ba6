"""Find the header in a sheet (below title and note rows) and turn the rows under it into raw records."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from delegation.config import EventConfig
from delegation.ingest.fields import FIELDS_BY_KEY, flag_label, map_header, question
from delegation.ingest.normalise import ticked
from delegation.sheets import Sheet
from delegation.text import clean, match_key

# A row whose first filled cell starts like this is a footer or a note, not a participant: the
# words alone, or a contact's label followed by a colon ("联系人：王敏", "Tel: …").
_FOOTER = re.compile(
    r"^(填表人|填报人|制表人|制表|审核人|负责人|单位负责人|单位盖章|盖章|签字|填表日期|填报日期|注|备注|说明|附注"
    r"|notes?\b|remarks?\b|prepared by|filled (in )?by|signature|seal"
    r"|(联系人|联系电话|联系方式|联系手机|联系邮箱|经办人|联络人|电话|手机|邮箱|电子邮箱|日期"
    r"|contact( person| name)?|tel|telephone|phone|mobile|e-?mail|date)\s*[:：])",
    re.IGNORECASE,
)
_EXAMPLE = re.compile(r"^(示例|样例|例|范例|example|e\.g\.|sample)\b", re.IGNORECASE)
_COLON = re.compile(r"\s*[:：]\s*")
_SEAL = re.compile(r"\s*[（(](?:盖章|公章|签字|签章|seal|stamp|signature)[)）]\s*$", re.IGNORECASE)
# What a label in the lines above or below the table means, where it differs from a column header
# of the same words ("电话" above the table is the unit's contact, not a participant's phone).
_LINE_LABELS = {
    "contact_name": (
        "联系人", "联系人姓名", "单位联系人", "填表人", "填报人", "经办人", "联络人",
        "Contact", "Contact person", "Contact name", "Prepared by", "Filled in by", "Filled by",
    ),
    "contact_mobile": (
        "联系电话", "电话", "手机", "手机号", "手机号码", "联系方式", "联系手机", "联系人电话", "联系人手机",
        "移动电话", "Tel", "Telephone", "Phone", "Mobile", "Mobile phone", "Contact tel", "Contact phone",
    ),
    "contact_email": ("邮箱", "电子邮箱", "电子邮件", "联系邮箱", "E-mail", "Email", "Mail", "Contact e-mail"),
    # the day the form was filled in: the registration day of every row that gives none
    "registration_date": (
        "填表日期", "填报日期", "报名日期", "日期", "Date", "Registration date", "Date of registration",
    ),
}  # fmt: skip
_LINE_LABEL_KEYS = {match_key(label): key for key, labels in _LINE_LABELS.items() for label in labels}


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
    # A sign-up naming several people in numbered groups of columns ("参团人员1姓名 … 参团人员2姓名"):
    # group number → {column: field}; each filled group is a participant of the row's unit.
    groups: dict[int, dict[int, str]] = field(default_factory=dict)
    platform: str | None = None  # "wjx" for a 问卷星 export (its own columns in the header)


def _row_mapping(row: list[object], config: EventConfig) -> dict[int, str]:
    mapping: dict[int, str] = {}
    seen: set[str] = set()
    for c, cell in enumerate(row):
        meaning = map_header(cell, config) or _group_meaning(cell, config)[0]
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
    groups = _groups(sheet.rows[header_row], config)
    for group in groups.values():
        for c in group:
            columns.pop(c, None)
    repeated = _repeated(sheet, header_row, columns, config)
    grouped = {c for group in groups.values() for c in group}
    repeated = {c: read for c, read in repeated.items() if c not in grouped}
    header = [clean(cell) for cell in sheet.rows[header_row]]
    platform = "wjx" if {"提交答卷时间", "来自IP"} <= set(header) else None
    if platform == "wjx" and "来源详情" in header:  # where a per-unit link's sojumpparm lands
        columns[header.index("来源详情")] = "unit_code"
    return SheetLayout(header_row, data_start, columns, defaults, repeated, groups, platform)


_GROUP = re.compile(r"^(\D*?)(\d{1,2})(\D*)$")  # "参团人员1姓名", "姓名1", "护照号2"


def _group_meaning(cell: object, config: EventConfig) -> tuple[str | None, int]:
    """A participant field headed with a group number ("参团人员2姓名" → name, 2), or (None, 0)."""
    m = _GROUP.match(clean(question(cell)))
    if not m:
        return None, 0
    # "参团人员1职务": the words around the number, else those after it, else those before it
    meaning = next((found for part in (m[1] + m[3], m[3], m[1]) if (found := map_header(part, config))), None)
    if meaning and (meaning.startswith(("theme:", "city:")) or FIELDS_BY_KEY[meaning].level == "participant"):
        return meaning, int(m[2])
    return None, 0


def _groups(header: list[object], config: EventConfig) -> dict[int, dict[int, str]]:
    """The numbered groups of participant columns in a header, when there are two or more groups
    with a name each (else none: "电话1" alone is a second phone, not a second person)."""
    groups: dict[int, dict[int, str]] = {}
    for c, cell in enumerate(header):
        meaning, group = _group_meaning(cell, config)
        if meaning:
            groups.setdefault(group, {})
            if meaning not in groups[group].values():
                groups[group][c] = meaning
    named = {g: cols for g, cols in groups.items() if "name" in cols.values()}
    return dict(sorted(named.items())) if len(named) >= 2 else {}


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


def line_field(label: str, config: EventConfig) -> str | None:
    """What a label written above or below the table fills: a unit field ('单位名称（盖章）',
    '所在省份', '联系人', 'Tel') or the form's date ('填表日期'); None for any other label."""
    label = _SEAL.sub("", label)
    key = _LINE_LABEL_KEYS.get(match_key(label))
    if key:
        return key
    meaning = map_header(label, config)
    return meaning if meaning in FIELDS_BY_KEY and FIELDS_BY_KEY[meaning].level == "unit" else None


def _label_and_value(segment: str, config: EventConfig) -> tuple[str, str]:
    """A text between two colons, "王敏　联系电话", as the first pair's value and the next pair's
    label: at the longest known label it ends with ("Li Lei Contact tel" → "Li Lei", "Contact
    tel"), else at its last space, else at a known label its characters end with ("王敏电话")."""
    spaces = [m.end() for m in re.finditer(r"\s+", segment)]
    for at in spaces:
        if line_field(segment[at:], config):
            return segment[:at].strip(), segment[at:]
    if spaces:
        return segment[: spaces[-1]].strip(), segment[spaces[-1] :]
    for size in range(len(segment) - 1, 0, -1):
        if match_key(segment[-size:]) in _LINE_LABEL_KEYS:
            return segment[:-size], segment[-size:]
    return "", segment


def labelled_pairs(text: str, config: EventConfig) -> list[tuple[str, str]]:
    """Every "label：value" in one line of text, several on a line allowed:
    "填表人：王敏　联系电话：025-88881234" → [("填表人", "王敏"), ("联系电话", "025-88881234")]."""
    parts = _COLON.split(text)
    pairs: list[tuple[str, str]] = []
    label = parts[0]
    for i, part in enumerate(parts[1:], start=1):
        value, after = (part, "") if i == len(parts) - 1 else _label_and_value(part, config)
        pairs.append((label.strip(), value.strip()))
        label = after
    return pairs


def _labelled_values(rows: list[list[object]], config: EventConfig) -> dict[str, object]:
    """Unit values (and the form's date) written as 'label: value' in the lines above or below the
    table, several to a cell or a label's value in the next filled cell; the first of each wins."""
    found: dict[str, object] = {}
    for row in rows:
        cells = [clean(c) for c in row]
        for c, text in enumerate(cells):
            if not text:
                continue
            pairs = labelled_pairs(text, config) or [(text, "")]
            for label, value in pairs:
                meaning = line_field(label, config)
                if meaning is None:
                    continue
                if not value and len(pairs) == 1:  # the value may sit in the next filled cell
                    value = next((v for v in cells[c + 1 :] if v), "")
                    if line_field(_COLON.split(value)[0], config) or map_header(value, config):
                        value = ""
                if value and meaning not in found:
                    found[meaning] = value
    return found


def _may_be_data(row: list[object]) -> bool:
    """Whether a row is neither blank nor a footer, note or example row (told by its first filled
    cell: a number or a date there is data). A row holding only its number is an empty line of
    the form (Word forms come with ten numbered rows, their tick boxes all empty)."""
    filled = (v for v in row if v is not None and (type(v) is not str or clean(v)))
    first = next(filled, None)
    if first is None:
        return False
    if _is_row_number(first) and all(ticked(v) == [] for v in filled):  # stops at a filled cell
        return False
    if type(first) is str:
        text = clean(first)
        return not (_FOOTER.match(text) or _EXAMPLE.match(text))
    return True


def _is_row_number(value: object) -> bool:
    if type(value) in (int, float):
        return float(value).is_integer() and 0 < value < 10_000
    return type(value) is str and clean(value).rstrip(".、").isdigit() and len(clean(value)) <= 5


def _is_footer(row: list[object]) -> bool:
    """Whether a row's first filled cell is a footer's or a note's (not a blank or example row)."""
    first = next((clean(v) for v in row if type(v) is str and clean(v)), "")
    return bool(first) and bool(_FOOTER.match(first))


def _one_per_group(
    rows: list[list[object]], numbers: list[int], layout: SheetLayout
) -> tuple[list[list[object]], list[int], dict[int, str]]:
    """A grouped sign-up's rows as one row per filled group (a group without a name is not a
    person), each holding the row's own columns and its group's cells in columns of their own
    after the sheet's (as `layout.columns` would map them)."""
    meanings = list(dict.fromkeys(m for group in layout.groups.values() for m in group.values()))
    start = max([*layout.columns, *(c for g in layout.groups.values() for c in g)], default=-1) + 1
    columns = {**layout.columns, **{start + i: m for i, m in enumerate(meanings)}}
    out_rows: list[list[object]] = []
    out_numbers: list[int] = []
    for row, number in zip(rows, numbers, strict=True):
        for group in layout.groups.values():
            by_meaning = {m: (row[c] if c < len(row) else None) for c, m in group.items()}
            if not clean(by_meaning.get("name")):
                continue
            padded = [*row, *[None] * (start - len(row))][:start]
            out_rows.append([*padded, *(by_meaning.get(m) for m in meanings)])
            out_numbers.append(number)
    return out_rows, out_numbers, columns


def records(sheet: Sheet, layout: SheetLayout, config: EventConfig) -> RawTable:
    """Every row under the header that might be a participant (blank, footer and example rows left
    out), as columns."""
    first = next(iter(layout.groups.values()), layout.columns)  # a grouped sign-up: its first group
    name_col = next(c for c, m in {**layout.columns, **first}.items() if m == "name")
    header_name = clean(sheet.rows[layout.header_row][name_col])
    kept: list[list[object]] = []
    numbers: list[int] = []
    footer: list[list[object]] = []  # lines below the table: a contact, the date it was filled in
    names: dict[object, str] = {}  # the name column's cells cleaned, once per distinct value
    for r in range(layout.data_start, len(sheet.rows)):
        row = sheet.rows[r]
        if not _may_be_data(row):
            if _is_footer(row):
                footer.append(row)
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
        numbers.append(r + 1 - sheet.lines_above)  # a Word table's rows count from its own first
    columns = layout.columns
    if layout.groups:
        kept, numbers, columns = _one_per_group(kept, numbers, layout)
    width = max(columns, default=-1) + 1
    cells = list(itertools.zip_longest(*kept, [None] * width)) if kept else [()] * width  # transposed
    values: dict[str, list[object]] = {}
    flags: dict[str, list[object]] = {}
    for c, meaning in columns.items():
        column = list(cells[c][: len(kept)])
        if meaning.startswith(("theme:", "city:")):
            flags[meaning] = column
        else:
            values[meaning] = column
    defaults = {**_labelled_values(footer, config), **layout.defaults}  # the lines above first
    for key, value in defaults.items():  # 'label: value' above or below the table fills blank cells
        column = values.get(key, [None] * len(kept))
        values[key] = [cell if clean(cell) else value for cell in column]
    formulas = [n in sheet.formula_rows for n in numbers]
    return RawTable(sheet.name, numbers, values, flags, formulas)
