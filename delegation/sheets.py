"""Read a form file into sheets of raw cell values, whatever its extension claims.

Free of DuckDB and of the database: it runs in the reader worker (`delegation.sandbox`), which
hands plain rows back to the desk. What a file must pass before a reader allocates for it is in
`zip_checks` (the zip's directory) and `form_checks` (the XML's size); a CSV's text in `csv_forms`.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import python_calamine

from delegation import worker
from delegation.csv_forms import read_csv
from delegation.form_checks import check_document, check_workbook_parts
from delegation.grid import Sheet, refuse
from delegation.text import megabytes
from delegation.zip_checks import SAVE_AS, damaged_refused, kind_words

if TYPE_CHECKING:
    from delegation.config import EventConfig

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


FORM_SUFFIXES = (".xlsx", ".xls", ".docx", ".csv", ".txt", ".tsv")  # in the order the upload box names them
# Files people send for a form that cannot be read as one: each gets a sentence saying what to do
# (the upload box takes them for that reason).
REFUSED_SUFFIXES = (".doc", ".wps", ".et", ".pdf")
_PICTURES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*")


def read_sheets(
    path: Path,
    config: EventConfig,
    *,
    formulas: Callable[[], dict[str, set[int]]] | None = None,
    data: bytes | None = None,
) -> list[Sheet]:
    """The sheets of an xlsx, xls or csv file, told apart by content rather than by name.

    Runs in a reader worker (`delegation.sandbox`). Cheap checks come first — size, then for a
    workbook `check_workbook`'s — so that a file that would make the reader allocate gigabytes is
    refused with a sentence naming why. `formulas`: another worker runs `check_workbook` on the
    file meanwhile, and this gives the formula rows it found (its verdict is awaited before these
    sheets are used: see `sandbox.begin_read_form`). `data`: the file's bytes when the caller has
    read them already (through `form_bytes`), so that the file is read once.
    """
    name = path.name
    if data is None:
        data = form_bytes(path, config)
    kind = form_kind(name, data)
    if kind == "docx":
        if formulas is None:
            check_document(name, data, config)
        with damaged_refused(name, "document"):
            return _told(_read_docx(data))
    if kind == "xlsx":
        found = check_workbook_parts(name, data, config) if formulas is None else None
        sheets = _read_excel(name, data)
        found = formulas() if formulas is not None else found
        for sheet in sheets:
            sheet.formula_rows = frozenset(found.get(sheet.name, ()))
        return _told(sheets)
    if kind == "xls":
        return _told(_read_excel(name, data))
    return _told([Sheet("csv", read_csv(name, data, config))])


def form_kind(name: str, data: bytes) -> str:
    """What a form file is by its content — "xlsx", "docx", "xls" or "csv" (text) — whatever its
    name says; a kind that cannot be read as a form (a legacy .doc, WPS's own formats, a PDF, a
    picture, a password-protected file, another zip) is refused saying what to do."""
    suffix = Path(name).suffix.lower()
    word = suffix in (".doc", ".docx", ".wps")
    if data.startswith(ZIP_MAGIC):
        with damaged_refused(name, "document" if word else "workbook"):
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        raise refuse(name, "forms.zip_not_a_form")
    if data.startswith(OLE_MAGIC):
        if _ole_stream("EncryptionInfo", data):
            raise refuse(name, "forms.password", what=kind_words("document" if word else "workbook"))
        if _ole_stream("WordDocument", data) or suffix in (".doc", ".wps"):
            raise refuse(name, "forms.old_word", save_as=SAVE_AS)
        if suffix == ".et":
            raise refuse(name, "forms.wps_sheet", save_as=SAVE_AS)
        return "xls"
    if data.startswith(b"%PDF") or data.startswith(_PICTURES) or data[8:12] in (b"WEBP", b"ftyp"):
        raise refuse(name, "forms.pdf_or_picture", save_as=SAVE_AS)
    if suffix in (".xlsx", ".docx") and b"\x00" in data[:4096]:  # neither a zip nor text (a CSV named .xlsx)
        raise refuse(name, "forms.damaged", what=kind_words("document" if suffix == ".docx" else "workbook"))
    if suffix in REFUSED_SUFFIXES:
        raise refuse(name, "forms.not_a_form", save_as=SAVE_AS)
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
        check_document(path.name, data, config)
    return check_workbook_parts(path.name, data, config) if kind == "xlsx" else {}


def form_bytes(path: Path, config: EventConfig) -> bytes:
    """A form file's bytes, once its name and size are acceptable."""
    name = path.name
    if path.suffix.lower() not in (*FORM_SUFFIXES, *REFUSED_SUFFIXES):
        raise refuse(name, "forms.suffix", suffixes=list(FORM_SUFFIXES[:-1]), last=FORM_SUFFIXES[-1])
    size = path.stat().st_size
    max_bytes = config.max_import_bytes
    if size == 0:
        raise refuse(name, "forms.empty")
    if size > max_bytes:
        raise refuse(name, "forms.too_large", size=megabytes(size), limit=megabytes(max_bytes))
    return path.read_bytes()


def _read_docx(data: bytes) -> list[Sheet]:
    from delegation.word import read_docx  # python-docx, only for a Word form

    return read_docx(data)


def _told(sheets: list[Sheet]) -> list[Sheet]:
    """`sheets`, once their distinct texts past ASCII (what search text is made of, pinyin and
    all) are told to the desk (`worker.tell`), which works on them while the rows are checked."""
    texts = dict.fromkeys(
        v for sheet in sheets for row in sheet.rows for v in row if type(v) is str and not v.isascii()
    )
    worker.tell("texts", list(texts)[:TEXTS_TOLD])
    return sheets


TEXTS_TOLD = 50_000  # within the search text's caches (`search._pinyin_forms` keeps 65 536)


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
        raise refuse(name, "forms.password", what=kind_words("workbook")) from None
    except (python_calamine.CalamineError, ValueError, OSError) as exc:
        raise refuse(name, "forms.not_a_spreadsheet", kind=type(exc).__name__) from None


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
