"""Hostile files (tests/hostile.py) imported as an attacker would send them: each is imported or
refused in one sentence, the process never aborts, hangs or grows past 1 GiB, and a refusal
leaves the database as it was."""

from __future__ import annotations

import time

import duckdb
import pytest

from tests import hostile
from tests.conftest import run_cli, table_snapshot

# Runs the desk's command as a child and writes the largest resident size of it and the workers
# it reaped (RUSAGE_CHILDREN counts every descendant waited for) to the file named first.
MEASURED = (
    "-c",
    "import resource, subprocess, sys; "
    "done = subprocess.run([sys.executable, *sys.argv[2:]]); "
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)); "
    "sys.exit(done.returncode if done.returncode >= 0 else 128 - done.returncode)",
)
GIB_KB = 1024 * 1024


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    return {label: make(folder) for label, make in hostile.FORMS.items()}


@pytest.fixture
def loaded_db(tmp_path):
    """A database holding one valid form already, so that 'unchanged' has something to keep."""
    db = tmp_path / "desk.duckdb"
    done = run_cli("import", str(hostile.valid_csv(tmp_path)), "--db", str(db), "--quiet")
    assert done.returncode == 0, done.stderr
    return db


def _snapshot(db) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return table_snapshot(con)
    finally:
        con.close()


def _import(path, db, tmp_path, *options: str, env: dict | None = None):
    rss = tmp_path / "rss.txt"
    started = time.monotonic()
    done = run_cli(
        "import",
        str(path),
        "--db",
        str(db),
        "--quiet",
        *options,
        python=(*MEASURED, str(rss)),
        env=env,
        timeout=60,
    )
    return done, time.monotonic() - started, int(rss.read_text())


@pytest.mark.parametrize("label", list(hostile.FORMS))
def test_a_hostile_form_is_imported_or_refused_in_one_sentence(label, corpus, loaded_db, tmp_path):
    before = _snapshot(loaded_db)
    done, seconds, rss_kb = _import(corpus[label], loaded_db, tmp_path)
    assert done.returncode in (0, 1), (label, done.returncode)
    assert "Traceback" not in done.stderr
    assert seconds < 10, (label, seconds)
    assert rss_kb < GIB_KB, (label, rss_kb // 1024)
    if done.returncode == 1:
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(corpus[label].name), (label, done.stderr[:300])
        assert _snapshot(loaded_db) == before
    else:
        assert done.stderr == ""


@pytest.mark.parametrize(
    ("label", "reason"),
    [
        ("far cell", "it needed more memory than the 1024 MB allowed"),
        ("only the far cell", "the reader failed (PanicException)"),
    ],
)
def test_past_the_cheap_checks_the_worker_takes_the_crash(label, reason, corpus, loaded_db, tmp_path):
    # With the rows × columns cap lifted the far cell reaches the reader, which tries to allocate
    # 512 GB (an abort) or panics: the worker dies or fails instead of the desk, and says why.
    opened = hostile.open_config(tmp_path)
    before = _snapshot(loaded_db)
    done, seconds, rss_kb = _import(
        corpus[label], loaded_db, tmp_path, env={"DELEGATION_CONFIG": str(opened)}
    )
    assert done.returncode == 1
    name = corpus[label].name
    assert done.stderr == f"{name}: the file could not be read safely: {reason}.\n"
    assert seconds < 10 and rss_kb < GIB_KB
    assert _snapshot(loaded_db) == before


@pytest.mark.parametrize(
    ("label", "name", "row"),
    [
        ("far cell", "far-cell", "1,048,576"),
        ("far column after a line break", "far-column-line-break", "100"),
        ("far column after its style", "far-column-style-first", "100"),
    ],
)
def test_the_caps_refuse_a_far_cell_before_it_is_parsed(label, name, row, corpus, loaded_db, tmp_path):
    # The checking worker's sentence, whatever the reading worker beside it did with the file.
    done, _, _ = _import(corpus[label], loaded_db, tmp_path)
    assert done.returncode == 1
    assert done.stderr == (
        f"{name}.xlsx: sheet '报名信息采集表' reaches row {row} and column 16,384; "
        "a form may have at most 200,000 rows and 300 columns.\n"
    )


def test_a_zip_with_two_parts_of_one_name_is_refused_whatever_the_caps(corpus, loaded_db, tmp_path):
    opened = hostile.open_config(tmp_path)
    done, _, _ = _import(
        corpus["duplicate sheet entry"], loaded_db, tmp_path, env={"DELEGATION_CONFIG": str(opened)}
    )
    assert done.stderr == (
        "duplicate-sheet.xlsx: the workbook holds two parts of the same name (a tampered file?); it was not opened.\n"
    )


@pytest.mark.parametrize(
    ("limit", "digits"), [("200000", "0123456789"), ("9", "0123456789"), ("10", "0123456789")]
)
def test_the_quick_scan_knows_which_rows_are_within_the_cap(limit, digits):
    import re

    from delegation.form_checks import _at_most

    within = re.compile(b"(?:" + _at_most(limit, digits) + b")")
    wrong = [
        n
        for n in range(0, int(limit) * 3 + 20)
        if bool(within.fullmatch(str(n).encode())) != (1 <= n <= int(limit))
    ]
    assert wrong == [] and not within.fullmatch(b"01")  # a leading zero is measured exactly


@pytest.mark.parametrize("limit", ["A", "Z", "KN", "XFD"])
def test_the_quick_scan_knows_which_columns_are_within_the_cap(limit):
    import re

    from delegation.form_checks import _at_most, column_name, column_number

    within = re.compile(b"(?:" + _at_most(limit, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") + b")")
    cap = column_number(limit.encode())
    wrong = [n for n in range(1, 16_385) if bool(within.fullmatch(column_name(n).encode())) != (n <= cap)]
    assert wrong == []


@pytest.mark.parametrize(
    ("label", "sentence"),
    [
        (
            "Word: a cell merged across a million columns",
            "wide-merge.docx: its tables have 3 rows and reach column 1,000,000; "
            "a form may have at most 200,000 rows and 300 columns.",
        ),
        (
            "Word: 300 000 table rows",
            "many-rows.docx: its tables have 300,003 rows and reach column 3; "
            "a form may have at most 200,000 rows and 300 columns.",
        ),
        (
            "Word: XML entities",
            "entities.docx: the Word document declares XML entities (an XML bomb?) and was not opened.",
        ),
    ],
)
def test_a_hostile_word_form_is_refused_before_python_docx_reads_it(
    label, sentence, corpus, loaded_db, tmp_path
):
    before = _snapshot(loaded_db)
    done, _, _ = _import(corpus[label], loaded_db, tmp_path)
    assert (done.returncode, done.stderr) == (1, sentence + "\n")
    assert _snapshot(loaded_db) == before
