"""A hostile corpus, written by code: the files an attacker would send the desk (issue 23).

Each maker writes one file into a folder and returns its path. Most start from a valid form
(tests/sample_forms.py's Chinese Annex 2) and change its zip or its sheet XML, so that a reader
that ignores the change would import the form. Every value in them is synthetic.
"""

from __future__ import annotations

import io
import random
import re
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

from tests.sample_forms import chinese_xlsx, gbk_csv

FAR_CELL = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"


def valid_xlsx(folder: Path, name: str = "valid.xlsx") -> Path:
    path = folder / name
    chinese_xlsx(path)
    return path


def valid_csv(folder: Path, name: str = "valid.csv") -> Path:
    path = folder / name
    gbk_csv(path)
    return path


def _parts(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def _zip(path: Path, parts: list[tuple[str, bytes]]) -> Path:
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        warnings.simplefilter("ignore", UserWarning)  # a duplicate name is the point of one case
        for name, data in parts:
            archive.writestr(zipfile.ZipInfo(name, (2023, 3, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    path.write_bytes(buffer.getvalue())
    return path


def _with_sheet(folder: Path, name: str, change: Callable[[bytes], bytes]) -> Path:
    parts = _parts(valid_xlsx(folder, f".base-{name}"))
    return _zip(folder / name, [(n, change(d) if n == SHEET else d) for n, d in parts])


def _before_end(xml: bytes, extra: bytes) -> bytes:
    return xml.replace(b"</sheetData>", extra + b"</sheetData>", 1)


def _strings(count: int, texts: Callable[[int], str]) -> bytes:
    items = "".join(f"<si><t>{texts(i)}</t></si>" for i in range(count))
    return (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{count}" uniqueCount="{count}">{items}</sst>'
    ).encode()


def _with_strings(folder: Path, name: str, strings: bytes, cells: bytes) -> Path:
    """The valid form (openpyxl writes its texts inline) given the shared strings table `strings`
    and `cells` that use it at the end of its sheet."""
    parts = dict(_parts(valid_xlsx(folder, f".base-{name}")))
    parts[STRINGS] = strings
    parts[SHEET] = _before_end(parts[SHEET], cells)
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    rels = "xl/_rels/workbook.xml.rels"
    parts[rels] = parts[rels].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    return _zip(folder / name, list(parts.items()))


def far_cell(folder: Path) -> Path:
    """A valid form plus one cell at XFD1048576 (the reader allocated 512 GB and aborted)."""
    return _with_sheet(folder, "far-cell.xlsx", lambda xml: _before_end(xml, FAR_CELL))


def far_column_after_a_line_break(folder: Path) -> Path:
    """A cell in column XFD of row 100 written `<c\nr="XFD100"`, which a scan for ` r="` misses."""
    cell = b'<row r="100"><c\nr="XFD100" t="inlineStr"><is><t>x</t></is></c></row>'
    return _with_sheet(folder, "far-column-line-break.xlsx", lambda xml: _before_end(xml, cell))


def far_column_after_its_style(folder: Path) -> Path:
    """A cell in column XFD of row 100 with its style before its reference (`<c s="0" r=…`)."""
    cell = b'<row r="100"><c s="0" r="XFD100" t="inlineStr"><is><t>x</t></is></c></row>'
    return _with_sheet(folder, "far-column-style-first.xlsx", lambda xml: _before_end(xml, cell))


def duplicate_sheet(folder: Path) -> Path:
    """The far cell in a second zip entry named like the form's sheet."""
    parts = _parts(valid_xlsx(folder, ".base-duplicate"))
    sheet = dict(parts)[SHEET]
    return _zip(folder / "duplicate-sheet.xlsx", [*parts, (SHEET, _before_end(sheet, FAR_CELL))])


def only_far_cell(folder: Path) -> Path:
    """A sheet holding nothing but the far cell (the reader panicked)."""
    return _with_sheet(
        folder,
        "only-far-cell.xlsx",
        lambda xml: xml[: xml.index(b"<sheetData")] + b"<sheetData>" + FAR_CELL + b"</sheetData></worksheet>",
    )


def huge_dimension(folder: Path) -> Path:
    """A sheet declaring A1:XFD1048576 as its dimension (a few cells really used)."""
    return _with_sheet(
        folder,
        "huge-dimension.xlsx",
        lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml, count=1),
    )


def wide_row(folder: Path) -> Path:
    """One row of 16 384 cells, A to XFD."""
    from openpyxl.utils import get_column_letter

    cells = "".join(f'<c r="{get_column_letter(i)}9000"><v>1</v></c>' for i in range(1, 16385))
    return _with_sheet(
        folder, "wide-row.xlsx", lambda xml: _before_end(xml, f'<row r="9000">{cells}</row>'.encode())
    )


def shared_string_bomb(folder: Path) -> Path:
    """One 100 000-character shared string used by 10 000 cells (2.1 GB of memory before)."""
    cells = "".join(f'<row r="{5000 + i}"><c r="B{5000 + i}" t="s"><v>0</v></c></row>' for i in range(10_000))
    return _with_strings(
        folder, "shared-string-bomb.xlsx", _strings(1, lambda i: "报" * 100_000), cells.encode()
    )


def million_strings(folder: Path) -> Path:
    """A million distinct shared strings (25 s, 3.8 GB and 2 million report lines before)."""
    cells = "".join(
        f'<row r="{5000 + n}"><c r="B{5000 + n}" t="s"><v>{i}</v></c></row>'
        for n, i in enumerate(range(0, 1_000_000, 10))
    )
    return _with_strings(
        folder, "million-strings.xlsx", _strings(1_000_000, lambda i: f"s{i}"), cells.encode()
    )


def formula_tags(folder: Path) -> Path:
    """200 000 `<f/>` tags before the first cell (the formula scan looked back quadratically)."""
    return _with_sheet(
        folder,
        "formula-tags.xlsx",
        lambda xml: xml.replace(b"<sheetData>", b"<sheetData>" + b"<f/>" * 200_000, 1),
    )


def unclosed_text(folder: Path) -> Path:
    """A `<t>` of 20 000 CJK characters with no closing tag (the text regex backtracked)."""
    return _with_sheet(
        folder,
        "unclosed-text.xlsx",
        lambda xml: _before_end(
            xml, ('<row r="9000"><c r="A9000" t="inlineStr"><is><t>' + "中" * 20_000).encode()
        ),
    )


def nested_xml(folder: Path) -> Path:
    """100 000 nested elements inside a cell."""
    noise = random.Random(23)  # attributes that do not compress: the zip-bomb check lets it through
    deep = b"".join(b'<a x="%08x">' % noise.getrandbits(32) for _ in range(100_000)) + b"</a>" * 100_000
    return _with_sheet(
        folder,
        "nested.xlsx",
        lambda xml: _before_end(xml, b'<row r="9000"><c r="A9000"><v>1</v>' + deep + b"</c></row>"),
    )


def parent_entries(folder: Path) -> Path:
    """A valid form whose zip also holds `../../evil.txt` and an absolute path."""
    parts = _parts(valid_xlsx(folder, ".base-parent"))
    return _zip(folder / "parent-entries.xlsx", [*parts, ("../../evil.txt", b"x"), ("/etc/evil", b"x")])


def nul_bytes(folder: Path) -> Path:
    """A form whose cell texts carry NUL bytes."""
    return _with_sheet(
        folder,
        "nul.xlsx",
        lambda xml: _before_end(
            xml, b'<row r="9000"><c r="B9000" t="inlineStr"><is><t>a\x00b\x00</t></is></c></row>'
        ),
    )


def commas_csv(folder: Path) -> Path:
    """A CSV form followed by 19 MB of commas (35 s before)."""
    path = valid_csv(folder, "commas.csv")
    path.write_bytes(path.read_bytes() + b"," * 19_000_000)
    return path


def newlines_csv(folder: Path) -> Path:
    """A CSV form followed by 19 MB of newlines (1.6 GB before)."""
    path = valid_csv(folder, "newlines.csv")
    path.write_bytes(path.read_bytes() + b"\n" * 19_000_000)
    return path


def utf16_csv(folder: Path) -> Path:
    """The CSV form as UTF-16 (a reader may see NULs between every byte)."""
    path = valid_csv(folder, "utf16.csv")
    path.write_bytes(path.read_bytes().decode("gbk").encode("utf-16"))
    return path


def single_line_csv(folder: Path) -> Path:
    """A CSV of one 5 MB line and no newline."""
    path = folder / "single-line.csv"
    path.write_bytes(("单位,姓名," + "护照号," * 700_000).encode())
    return path


def nul_csv(folder: Path) -> Path:
    """A CSV holding NUL bytes."""
    path = valid_csv(folder, "nul.csv")
    path.write_bytes(path.read_bytes().replace(b",", b",\x00", 40))
    return path


def _word_form(folder: Path, name: str) -> Path:
    """A valid Word form: the unit's line and a table of two people (python-docx)."""
    import docx

    document = docx.Document()
    document.add_paragraph("单位名称（盖章）：测试机械有限公司")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([["序号", "姓名", "职务"], ["1", "张伟", "经理"], ["2", "李娜", "工程师"]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    path = folder / name
    document.save(path)
    return path


def _with_document(folder: Path, name: str, change: Callable[[bytes], bytes]) -> Path:
    parts = _parts(_word_form(folder, f".base-{name}"))
    return _zip(folder / name, [(n, change(d) if n == "word/document.xml" else d) for n, d in parts])


def word_wide_merge(folder: Path) -> Path:
    """A Word table whose first cell is merged across a million grid columns."""
    return _with_document(
        folder,
        "wide-merge.docx",
        lambda xml: xml.replace(b"<w:tc>", b'<w:tc><w:tcPr><w:gridSpan w:val="1000000"/></w:tcPr>', 1),
    )


def word_many_rows(folder: Path) -> Path:
    """A Word table of 300 000 empty rows (7 MB of XML packed small)."""
    rows = b"<w:tr><w:tc><w:p/></w:tc></w:tr>" * 300_000
    return _with_document(
        folder, "many-rows.docx", lambda xml: xml.replace(b"</w:tbl>", rows + b"</w:tbl>", 1)
    )


def word_entities(folder: Path) -> Path:
    """A Word document declaring an XML entity (a billion laughs in waiting)."""
    return _with_document(
        folder,
        "entities.docx",
        lambda xml: b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]>' + xml.split(b"?>", 1)[1],
    )


FORMS: dict[str, Callable[[Path], Path]] = {
    "far cell": far_cell,
    "far column after a line break": far_column_after_a_line_break,
    "far column after its style": far_column_after_its_style,
    "duplicate sheet entry": duplicate_sheet,
    "only the far cell": only_far_cell,
    "huge dimension": huge_dimension,
    "16 384 columns": wide_row,
    "shared-string bomb": shared_string_bomb,
    "a million shared strings": million_strings,
    "200 000 formula tags": formula_tags,
    "unclosed text": unclosed_text,
    "nested XML": nested_xml,
    "../ zip entries": parent_entries,
    "NUL bytes in cells": nul_bytes,
    "CSV + commas": commas_csv,
    "CSV + newlines": newlines_csv,
    "UTF-16 CSV": utf16_csv,
    "single-line CSV": single_line_csv,
    "NUL bytes in a CSV": nul_csv,
    "Word: a cell merged across a million columns": word_wide_merge,
    "Word: 300 000 table rows": word_many_rows,
    "Word: XML entities": word_entities,
}


def open_config(folder: Path) -> Path:
    """The event's config with the rows × columns caps lifted, so that a far cell reaches the reader
    itself and the worker's own limits (memory, a crash) are what stop it."""
    from delegation.config import DEFAULT_CONFIG

    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    opened = re.sub(r"(?m)^max_rows = \d+$", "max_rows = 2000000", text)
    opened = re.sub(r"(?m)^max_columns = \d+$", "max_columns = 20000", opened)
    assert opened.count("2000000") >= 1 and "max_columns = 20000" in opened
    path = folder / "open-event.toml"
    path.write_text(opened, encoding="utf-8")
    return path
