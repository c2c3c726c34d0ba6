"""Valid forms mutated at random (Hypothesis, a bounded and repeatable number of examples): every
mutant is either imported or refused with one sentence, and a refusal changes nothing.

The mutants are read as the desk reads any file: in the worker (delegation.sandbox), imported in
one transaction each."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import MergedCell

from delegation.db import connect
from delegation.errors import DelegationError
from delegation.ingest import ImportReport, import_uploads
from tests import hostile
from tests.conftest import table_snapshot

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI cannot pass by luck
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TODAY = dt.date(2023, 3, 20)


@pytest.fixture(scope="module")
def valid(tmp_path_factory):
    folder = tmp_path_factory.mktemp("valid")
    return {
        "xlsx": hostile.valid_xlsx(folder).read_bytes(),
        "csv": hostile.valid_csv(folder).read_bytes(),
    }


@pytest.fixture
def desk(config, tmp_path):
    con = connect(config, tmp_path / "mutants.duckdb")
    yield con
    con.close()


def _check(con, config, name: str, data: bytes) -> None:
    before = table_snapshot(con)
    [(_, result)] = import_uploads(con, config, [(name, data)], actor="test", today=TODAY)
    if isinstance(result, DelegationError):
        for sentence in (result.en, result.zh):
            assert sentence and "\n" not in sentence and "Traceback" not in sentence
            assert sentence.startswith(name)
        assert result.en.endswith("."), result.en
        assert "could not be imported (" not in result.en  # a refusal foreseen, not a fault of ours
        assert "the reader failed" not in result.en  # a damaged file is named as damaged
        assert table_snapshot(con) == before
    else:
        assert isinstance(result, ImportReport)


def _mutate(data: bytes, edits: list[tuple[float, bytes, int]], keep: int = 0) -> bytes:
    """Each edit: at a relative position (after the first `keep` bytes), drop `cut` bytes and put
    `put` in their place."""
    out = bytearray(data)
    for where, put, cut in edits:
        at = keep + int(where * (len(out) - keep))
        out[at : at + cut] = put
    return bytes(out)


EDITS = st.lists(
    st.tuples(st.floats(0, 1), st.binary(max_size=8), st.integers(0, 64)), min_size=1, max_size=6
)


@SETTINGS
@given(edits=EDITS)
def test_an_xlsx_with_bytes_changed_is_imported_or_refused(desk, config, valid, edits):
    # The zip's signature is kept, so that the mutant is read as a workbook, not tried as text.
    _check(desk, config, "mutant.xlsx", _mutate(valid["xlsx"], edits, keep=4))


@SETTINGS
@given(edits=EDITS)
def test_an_xlsx_whose_sheet_xml_is_changed_is_imported_or_refused(desk, config, valid, edits):
    # Inside a well-formed zip: the reader gets past the archive to mangled XML.
    source = zipfile.ZipFile(io.BytesIO(valid["xlsx"]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            out.writestr(info.filename, _mutate(data, edits) if info.filename == hostile.SHEET else data)
    _check(desk, config, "mutant-xml.xlsx", buffer.getvalue())


@SETTINGS
@given(edits=EDITS)
def test_a_csv_with_bytes_changed_is_imported_or_refused(desk, config, valid, edits):
    _check(desk, config, "mutant.csv", _mutate(valid["csv"], edits))


CELL_VALUES = st.one_of(
    st.text(max_size=300),  # any code point: controls, surrogates escaped by openpyxl's writer
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
    st.none(),
)


@SETTINGS
@given(
    cells=st.lists(st.tuples(st.integers(1, 12), st.integers(1, 18), CELL_VALUES), min_size=1, max_size=12)
)
def test_an_xlsx_with_cells_changed_is_imported_or_refused(desk, config, valid, cells):
    book = openpyxl.load_workbook(io.BytesIO(valid["xlsx"]))
    sheet = book.active
    for row, column, value in cells:
        if isinstance(value, str):
            value = openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE.sub("", value)  # what Excel can hold
        cell = sheet.cell(row, column)
        if not isinstance(cell, MergedCell):  # only a merged range's first cell holds a value
            cell.value = value
    buffer = io.BytesIO()
    book.save(buffer)
    _check(desk, config, "mutant-cells.xlsx", buffer.getvalue())


@SETTINGS
@given(
    edits=st.lists(
        st.tuples(
            st.floats(0, 1),
            st.text(st.sampled_from(',"\n\r\t\x00；，、\u202e\ufeff 张E9') | st.characters(), max_size=12),
            st.integers(0, 40),
        ),
        min_size=1,
        max_size=6,
    ),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]),
)
def test_a_csv_with_text_changed_is_imported_or_refused(desk, config, valid, edits, encoding):
    # Text-level edits (separators, quotes, line breaks, NUL, any character) of a well-encoded CSV.
    text = valid["csv"].decode("gbk")
    for where, put, cut in edits:
        at = int(where * len(text))
        text = text[:at] + put + text[at + cut :]
    _check(desk, config, "mutant-text.csv", text.encode(encoding, errors="replace"))
