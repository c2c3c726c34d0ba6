"""Export benchmark: `python -m delegation export participants --format xlsx` against pandas'
`DataFrame.to_excel(engine="openpyxl")` on the same rows, whole process each, median of N runs.

    .venv/bin/python bench/export_bench.py [--participants 100000] [--runs 5]

Prints a Markdown table with the ratio; absolute times on a shared machine are noise, ratios are not.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import demo, timed  # noqa: E402

PANDAS = """
import sys, datetime as dt
import pandas as pd
from delegation.config import load_config
from delegation.db import connect
from delegation.filters import Filters
from delegation.lists import REGISTRY
config = load_config()
con = connect(config, sys.argv[1])
(table,) = REGISTRY["participants"].tables(con, config, Filters(dt.date(2099, 1, 1)), "zh", show_full=True)
pd.DataFrame(list(table.rows), columns=table.headers("zh")).to_excel(sys.argv[2], engine="openpyxl", index=False)
"""


def export_times(db: str, runs: int, folder: str) -> tuple[list[float], list[float]]:
    """Seconds per run: our CLI export of every participant to xlsx, and pandas' to_excel."""
    ours = [
        timed(
            [
                sys.executable,
                "-m",
                "delegation",
                "export",
                "participants",
                "--format",
                "xlsx",
                "--show-full",
                "--as-of",
                "2099-01-01",
                "--db",
                db,
                "--out",
                os.path.join(folder, "ours.xlsx"),
            ]
        )
        for _ in range(runs)
    ]
    theirs = [
        timed([sys.executable, "-c", PANDAS, db, os.path.join(folder, "pandas.xlsx")]) for _ in range(runs)
    ]
    return ours, theirs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = demo(folder, args.participants)
        ours, theirs = export_times(db, args.runs, folder)
    o, t = statistics.median(ours), statistics.median(theirs)
    print(f"| export of {args.participants} participants to xlsx | median s (min–max) |")
    print("|---|---|")
    print(f"| ours (write-only openpyxl, streamed) | {o:.2f} ({min(ours):.2f}–{max(ours):.2f}) |")
    print(f"| pandas to_excel(engine='openpyxl') | {t:.2f} ({min(theirs):.2f}–{max(theirs):.2f}) |")
    print(f"| ratio | **{t / o:.2f}×** faster (target ≥ 2×) |")


if __name__ == "__main__":
    main()
