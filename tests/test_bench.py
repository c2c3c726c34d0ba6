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
        "import 300-row Annex 2",
        "import 1000-row Annex 2",
        "the overview's query",
        "the six queries it replaced",
        "AppTest run of the overview page",
        "AppTest run of the registrations page",
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
    assert len(ratios) == 7 and all(r > 0 for r in ratios)  # 2 imports, 2 query sets, 2 pages, export
    peak = float(re.search(r"peak resident memory.*?\| (\d+) MB", text)[1])
    assert 50 < peak < 2000  # a real Streamlit server's resident memory, in MB
