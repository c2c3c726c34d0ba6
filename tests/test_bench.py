"""The benchmark scripts run (tiny sizes, one run) so they cannot rot; their timings are not asserted."""

from __future__ import annotations

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
    assert "| import 1000-row Annex 2" in text and "| every overview query together |" in text
    assert f"on {__import__('os').cpu_count()} CPUs" in text
