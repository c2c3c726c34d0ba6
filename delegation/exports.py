"""The export writers: a list's sheets to CSV and Excel, safely (no formulas, no hyperlinks, text
stays text). Which lists exist and what is in them is `delegation.lists`' job.

A sheet is a `Table`: column keys (labels come from the label table), and rows streamed from DuckDB,
so a 100 000-row export never holds more than one copy of the rows. Workbooks are written with
openpyxl's write-only mode; every workbook ends with a sheet that says what is in it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

import duckdb

from delegation.config import EventConfig
from delegation.filters import Filters
from delegation.formulas import is_dangerous
from delegation.i18n import TEXT, text


def header(key: str, lang: str) -> str:
    """A column title in zh, en, or both ('姓名 / Name'); a key that is no label is already a title."""
    if key not in TEXT:
        return key
    if lang == "both":
        return f"{text(key, 'zh')} / {text(key, 'en')}"
    return text(key, lang)


@dataclass
class Table:
    """One list to export: a sheet name, column label keys and the rows (any iterable of tuples)."""

    name: str
    columns: list[str]  # label keys, e.g. "column.name"
    rows: Iterable[tuple]

    def headers(self, lang: str) -> list[str]:
        return [header(c, lang) for c in self.columns]


def write_csv(out: IO[bytes], table: Table, lang: str) -> int:
    """CSV with a BOM (Excel shows Chinese), RFC 4180 quoting, formula-like text prefixed with '."""
    stream = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(table.headers(lang))
    count = 0
    for row in table.rows:
        writer.writerow([_csv_value(v) for v in row])
        count += 1
    stream.flush()
    stream.detach()
    return count


def _csv_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if is_dangerous(value):
        return "'" + value
    return value


def write_xlsx(
    out: IO[bytes], tables: list[Table], lang: str, about: Callable[[list[int]], list[tuple[str, str]]]
) -> list[int]:
    """One sheet per table plus an 'about' sheet (given the row counts); bold frozen header, autofilter,
    column widths, dates as dates, passport numbers and phones as text."""
    import openpyxl  # when a workbook is written: every page imports this module, few write one

    wb = openpyxl.Workbook(write_only=True)
    counts = []
    for table in tables:
        ws = wb.create_sheet(_sheet_title(table.name))
        headers = table.headers(lang)
        widths = [min(50, max(8, _width(h))) for h in headers]
        ws.freeze_panes = "A2"
        # Widths must be known before rows are written in write-only mode: take them from the header
        # and the first rows, which are buffered (a few thousand rows at most).
        rows = iter(table.rows)
        head = [r for _, r in zip(range(200), rows, strict=False)]
        for r in head:
            for i, v in enumerate(r):
                widths[i] = min(50, max(widths[i], _width(v)))
        for i, w in enumerate(widths):
            ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width = w + 2
        ws.append([_header_cell(ws, h) for h in headers])
        count = 0
        for row in _chain(head, rows):
            ws.append(_cells(ws, row))
            count += 1
        ws.auto_filter.ref = f"A1:{openpyxl.utils.get_column_letter(max(1, len(headers)))}{count + 1}"
        counts.append(count)
    info = wb.create_sheet(_sheet_title(text("export.about", "zh" if lang == "zh" else "en")))
    for key, value in about(counts):
        info.append([_header_cell(info, key), _text_cell(info, value)])
    wb.save(out)
    return counts


def _chain(first: list, rest: Iterator) -> Iterator:
    yield from first
    yield from rest


def _width(value: object) -> int:
    if value is None:
        return 0
    s = str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s[:60])  # CJK characters are twice as wide


def _sheet_title(name: str) -> str:
    return "".join(ch for ch in name if ch not in "[]:*?/\\")[:31] or "Sheet"


def _text_cell(ws: Any, value: str) -> Any:
    """A cell that is text whatever it starts with (filters and names on the 'about' sheet)."""
    from openpyxl.cell import WriteOnlyCell  # a lookup in sys.modules once openpyxl is loaded

    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    if is_dangerous(value):
        cell.quotePrefix = True
    return cell


def _header_cell(ws: Any, value: str) -> Any:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    cell.font = Font(bold=True)
    return cell


_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # characters an xlsx cannot hold


def _cells(ws: Any, row: tuple) -> list:
    """A data row as the write-only sheet takes it: text that would start a formula as a quoted
    text cell, control characters (which no xlsx may hold) left out, empty text as no cell."""
    out = []
    for value in row:
        if isinstance(value, str):
            value = _ILLEGAL_XML.sub("", value) or None
            if value is not None and is_dangerous(value):
                value = _text_cell(ws, value)
        out.append(value)
    return out


def about_rows(
    config: EventConfig,
    filters: Filters,
    lang: str,
    user: str,
    kind: str,
    count: int,
    unit_names: dict[int, str] | None = None,
) -> list[tuple[str, str]]:
    """What the export holds: event, list, filters, as-of day, time, who, rows — all in words, in
    the header language (both: each value in Chinese and English)."""
    lg = "zh" if lang == "zh" else "en"

    def said(zh: str, en: str) -> str:
        return f"{zh} / {en}" if lang == "both" and zh != en else (zh if lang == "zh" else en)

    list_key = f"list.{kind}" if f"list.{kind}" in TEXT else None
    return [
        (header("export.event", lang), said(config.name("zh"), config.name("en"))),
        (header("export.list", lang), said(text(list_key, "zh"), text(list_key, "en")) if list_key else kind),
        (
            header("export.filters", lang),
            said(filters.in_words(config, "zh", unit_names), filters.in_words(config, "en", unit_names)),
        ),
        (header("export.as_of", lang), filters.as_of.isoformat()),
        (header("export.exported_at", lang), dt.datetime.now().strftime("%Y-%m-%d %H:%M")),
        (header("export.user", lang), user or text("value.unknown", lg)),
        (header("export.rows", lang), str(count)),
    ]


def unit_names(con: duckdb.DuckDBPyConnection, filters: Filters) -> dict[int, str]:
    """The names of the units a filter names, for saying it in words."""
    if not filters.unit_ids:
        return {}
    rows = con.execute(
        "select unit_id, name from units where unit_id in (select unnest(?::integer[]))",
        [[int(u) for u in filters.unit_ids]],
    ).fetchall()
    return dict(rows)


def file_name(kind: str, filters: Filters, ext: str) -> str:
    """What the file holds, in its name: participants_Jiangsu_green-development_2023-03-20.xlsx."""
    return f"{kind}_{filters.slug()}.{ext}"
