"""The benchmark scripts run (tiny sizes, one run) so they cannot rot; their timings are not asserted."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from delegation import ROOT


def test_export_bench_runs():
    done = subprocess.run(
        [sys.executable, "bench/export_bench.py", "--participants", "200", "--runs", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "| ratio |" in done.stdout and "×" in done.stdout


def test_load_test_runs_small():
    # Two browser sessions against a real server for a few seconds: every page load is counted and
    # none failed (the script exits 1 on any error, and prints each).
    done = subprocess.run(
        [sys.executable, "bench/load_test.py", "--sessions", "2", "--seconds", "6", "--participants", "200"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    table = dict(re.findall(r"^\| ([a-z0-9 ]+) \| ([^|]+) \|$", done.stdout, re.M))
    assert table["errors"] == "0"
    assert int(table["page loads"]) >= 2  # pages were loaded (two sessions, six seconds)
    assert float(table["p50 page time"].removesuffix(" s")) > 0


def test_bench_suite_runs_small(tmp_path):
    out = tmp_path / "RESULTS.md"
    done = subprocess.run(
        [sys.executable, "bench/run.py", "--small", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert f"on {os.cpu_count()} CPUs" in text
    rows = {
        line.split("|")[1].strip(): line
        for line in text.splitlines()
        if line.startswith("| ") and "---" not in line
    }
    expected = [
        "import 300-row Annex 2 as openpyxl writes it",
        "import 1000-row Annex 2 as openpyxl writes it",
        "import 1000-row Annex 2 as Excel saves it",
        "import a 300-row Annex 2 Word table",
        "import the same 1000 people again",
        "the overview's query",
        "the six queries it replaced",
        "AppTest run of the overview page",
        "AppTest run of the registrations page",
        "AppTest run of the documents page",
        "AppTest run of the chase list page",
        "AppTest run of the invitation batch page",
        "AppTest run of the data quality page",
        "export 1000 participants to xlsx",
        "cold start",
        "peak resident memory",
    ]
    for start in expected:
        line = next((line for name, line in rows.items() if name.startswith(start)), None)
        assert line is not None, f"no row for {start}"
        figures = [float(x) for x in re.findall(r"(\d+(?:\.\d+)?) (?:s|ms|MB) \(", line)]
        assert figures and all(f > 0 for f in figures), line  # every measurement took time
    ratios = [float(r) for r in re.findall(r"\*\*(\d+(?:\.\d+)?)×\*\*", text)]
    assert len(ratios) == 14 and all(r > 0 for r in ratios)  # 5 imports, 2 query sets, 6 pages, export
    peak = float(re.search(r"peak resident memory.*?\| (\d+) MB", text)[1])
    assert 50 < peak < 2000  # a real Streamlit server's resident memory, in MB
    # Each target says whether this run met it, and says so rightly for the figure on its row.
    verdicts = [
        line for line in text.splitlines() if re.search(r"target [^|]*: (met|\*\*not met\*\*)\)? \|$", line)
    ]
    assert len(verdicts) == 8  # two 1000-row imports, the overview's query, two pages, export, start, memory
    for line in verdicts:
        ratio = float(re.findall(r"\*\*(\d+\.\d+)×\*\*", line)[0]) if "×**" in line else None
        figure = [float(x) for x in re.findall(r"(\d+(?:\.\d+)?) (?:s|ms|MB) \(", line)][-1]
        targets = re.findall(r"([<≤≥]) ([\d.]+) ?(×|ms|s|MB)", line.split("target ")[1])
        assert targets, line
        compared = [(ratio if unit == "×" else figure, op, float(limit)) for op, limit, unit in targets]
        if any(value == limit for value, _, limit in compared):
            continue  # printed rounded onto the limit: either verdict can be right
        met = all({"<": v < limit, "≤": v <= limit, "≥": v >= limit}[op] for v, op, limit in compared)
        assert bool(re.search(r": met\)? \|$", line)) == met, line


def test_the_workbook_as_excel_saves_it_holds_the_same_cells(tmp_path):
    import zipfile

    from python_calamine import CalamineWorkbook

    from bench.run import annex2_workbook, saved_as_excel

    written, saved = tmp_path / "written.xlsx", tmp_path / "saved.xlsx"
    annex2_workbook(str(written), 40)
    saved_as_excel(str(written), str(saved))
    with zipfile.ZipFile(written) as before, zipfile.ZipFile(saved) as after:
        assert "xl/sharedStrings.xml" not in before.namelist()
        assert b't="inlineStr"' in before.read("xl/worksheets/sheet2.xml")  # as openpyxl writes texts
        sheet = after.read("xl/worksheets/sheet2.xml")
        assert b"inlineStr" not in sheet and b't="s"' in sheet  # every text is a shared string now
        assert "有限公司".encode() in after.read("xl/sharedStrings.xml")  # UTF-8, not &#26377;
    books = [CalamineWorkbook.from_path(str(path)) for path in (written, saved)]
    assert books[0].sheet_names == books[1].sheet_names
    sizes = {}
    for name in books[0].sheet_names:
        rows = [book.get_sheet_by_name(name).to_python() for book in books]
        assert rows[0] == rows[1], name
        sizes[name] = len(rows[0])
    assert sizes["报名信息采集表 Annex 2"] >= 40  # the data sheet and its 40 people were compared


def test_import_bench_runs_small(tmp_path):
    # Our import, calamine's bare read and pandas' calamine read of a 300-row Annex 2, both files.
    done = subprocess.run(
        [sys.executable, "bench/import_bench.py", "--rows", "300", "--runs", "1", "--folder", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    rows = [line for line in done.stdout.splitlines() if line.startswith("| 300 rows")]
    assert [line.split("|")[1].strip() for line in rows] == [
        "300 rows as the template writes it",
        "300 rows as Excel saves it",
    ]
    for line in rows:
        cells = line.split("|")[2:-1]
        assert [float(c.strip().removesuffix(" s")) > 0 for c in cells[:3]] == [True] * 3
        assert all(c.strip().endswith("×") for c in cells[3:])
    assert sorted(p.name for p in tmp_path.glob("floor_*.duckdb")) == [
        "floor_saved_300_0.duckdb",
        "floor_template_300_0.duckdb",
    ]  # our import wrote each run into a database of its own
