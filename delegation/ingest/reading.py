"""Reading one form file into clean rows: in a worker process (`delegation.sandbox`), its sheets
read (`delegation.sheets`), each header found and its columns mapped, the rows normalised and
checked."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from delegation import sandbox, worker
from delegation.config import EventConfig
from delegation.errors import DelegationError
from delegation.grid import Sheet
from delegation.i18n import Both, said
from delegation.ingest.fields import FIELDS_BY_KEY
from delegation.ingest.layout import SheetLayout, column_letter, find_layout, records
from delegation.ingest.rows import Issue, Rows, normalise_records, place_issue
from delegation.sheets import form_bytes, read_sheets
from delegation.text import clean


@dataclass
class Form:
    """A form file read and checked, not yet stored: its clean rows and what the reading found."""

    name: str
    sha256: str
    size_bytes: int
    rows: Rows
    issues: list[Issue]
    rows_read: int
    day: dt.date | None  # the form's own date: its latest registration day, if it gives any


def read_form(
    config: EventConfig,
    path: str | Path,
    *,
    today: dt.date,
    file_name: str | None = None,
    begun: sandbox.CheckedRead | None = None,
) -> Form:
    """Read one form file into clean rows, in a worker process (`delegation.sandbox`): a form that
    crashes its reader or passes a limit is refused like any bad file, with DelegationError.
    `begun`: this file's reading started earlier by `sandbox.begin_read_form`."""
    path = Path(path)
    name = file_name or path.name
    if begun is not None:
        return begun.result()
    _check_path(path, name)
    return sandbox.begin_read_form(config, path, today=today, file_name=name).result()


def read_form_here(
    config: EventConfig, path: Path, *, today: dt.date, file_name: str, checked: bool = False
) -> Form:
    """`read_form` in this process: what the worker runs. Never call it on a file from outside
    anywhere else. `checked`: another worker checks the file meanwhile (`sandbox.begin_read_form`)."""
    _check_path(path, file_name)
    data = form_bytes(path, config)  # read once, its name and size checked first
    rows, issues, rows_read = parse_sheets(path, data, file_name, config, today, checked)
    days = [d for d in rows.participant["registered_on"] if isinstance(d, dt.date)]
    digest = hashlib.sha256(data).hexdigest()
    return Form(file_name, digest, len(data), rows, issues, rows_read, max(days, default=None))


def _check_path(path: Path, name: str) -> None:
    if path.is_dir():
        raise DelegationError("ingest.is_folder", name=name)
    if path.exists() and not path.is_file():  # a pipe or a device
        raise DelegationError("ingest.not_a_file", name=name)
    if not path.is_file():
        raise DelegationError("ingest.no_such_file", name=name)


def parse_sheets(
    path: Path, data: bytes, name: str, config: EventConfig, today: dt.date, checked: bool
) -> tuple[Rows, list[Issue], int]:
    """The clean rows of every sheet with a header in the file's `data`, the issues found, and how
    many rows were read (`checked`: as `read_sheets` takes it)."""
    sheets = read_sheets(path, config, formulas=worker.receive if checked else None, data=data)
    rows = Rows()
    issues: list[Issue] = []
    found_header = False
    hidden: list[str] = []
    unitless: list[str] = []
    forms = index = 0
    for sheet in sheets:
        for note in sheet.notes:  # what the reader saw and could not read (a Word form's text box)
            issues.append(_sheet_warning(sheet.name, None, "not_read", said(note)))
        layout = find_layout(sheet, config)
        if layout is None:
            continue
        if sheet.hidden:  # perhaps an old copy kept out of sight: staff see and check only what shows
            hidden.append(sheet.name)
            issues.append(
                _sheet_warning(
                    sheet.name,
                    None,
                    "hidden_sheet",
                    said("ingest.hidden_sheet"),
                )
            )
            continue
        found_header = True
        if "unit_name" not in layout.columns.values() and "unit_name" not in layout.defaults:
            unitless.append(sheet.name)  # a list of contacts beside the form, or a form without units
            continue
        forms += 1
        raws = records(sheet, layout, config)
        if layout.platform == "wjx" and _option_numbers(raws):
            raise DelegationError("ingest.option_numbers", name=name)
        issues.extend(_repeated_issues(sheet, layout, raws.row_numbers))
        sheet_rows, sheet_issues = normalise_records(raws, config, index, today)
        rows.extend(sheet_rows)
        issues.extend(sheet_issues)
        index += len(raws)
    if hidden and not forms:
        raise DelegationError("ingest.form_on_hidden_sheet", name=name, sheet=hidden[0])
    if unitless and not forms:
        raise DelegationError("ingest.no_unit_column_in_form", name=name, sheet=unitless[0])
    for sheet_name in unitless:
        issues.append(
            _sheet_warning(
                sheet_name,
                None,
                "no_unit_column",
                said("ingest.no_unit_column"),
            )
        )
    if not found_header:
        if all(not any(str(c).strip() for r in s.rows for c in r) for s in sheets):
            raise DelegationError("ingest.no_data", name=name)
        raise DelegationError("ingest.no_header", name=name, rows=config.header_search_rows)
    if not len(rows) and not issues:
        raise DelegationError("ingest.no_rows", name=name)
    return rows, issues, index


def _option_numbers(raws) -> bool:
    """Whether a 问卷星 export's choice answers are option numbers: a gender or yes/no column
    holding nothing but whole numbers, one of them 2 or more (yes/no as 1/0 is still yes/no)."""
    for key, cells in raws.values.items():
        field = FIELDS_BY_KEY.get(key)
        if field is None or field.kind not in ("gender", "yes_no"):
            continue
        filled = [clean(c) for c in cells if clean(c)]
        if filled and all(v.isdigit() for v in filled) and any(int(v) >= 2 for v in filled):
            return True
    return False


def _repeated_issues(sheet: Sheet, layout: SheetLayout, data_rows: list[int]) -> list[Issue]:
    """A warning for each column left out because another has the same heading, when it holds
    values in the sheet's data rows (`data_rows`, 1-based; not a header repeated on a printed page)."""
    issues = []
    row = sheet.rows[layout.header_row]
    for left_out, read in layout.repeated.items():
        cells = (sheet.rows[n - 1] for n in data_rows)
        if not any(clean(r[left_out]) for r in cells if left_out < len(r)):
            continue
        heading = " ".join(clean(row[left_out]).split())
        number, left, used = layout.header_row + 1, column_letter(left_out), column_letter(read)
        issues.append(
            _sheet_warning(
                sheet.name,
                number,
                "repeated_column",
                said("ingest.repeated_column", left=left, heading=heading, used=used),
            )
        )
    return issues


def _sheet_warning(sheet: str, number: int | None, code: str, sentence: Both) -> Issue:
    """A warning about a sheet, or one of its rows when `number` is given."""
    return place_issue(sheet, number, None, "warning", code, sentence)
