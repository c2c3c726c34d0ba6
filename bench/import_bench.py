"""The import against its floor: `python -m delegation import` of the 50 000-row Annex 2, whole
process, against python-calamine's bare read of the same workbook (open it, every sheet to Python
values, nothing else) and against `pandas.read_excel(engine="calamine")`, each a subprocess.

Both files of issue 27: the workbook as the app's template writes it (openpyxl: texts inline) and as
Excel saves it (one shared string table). The three are run in turn within each run, so that what
the shared machine does meanwhile falls on all three alike; ours imports into a new database each
time. `python bench/import_bench.py --rows 50000 --runs 5` prints the medians and the ratios.
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

from bench.common import timed  # noqa: E402
from bench.forms import annex2_workbook, saved_as_excel  # noqa: E402

BARE_READ = (
    "import sys; from python_calamine import CalamineWorkbook; "
    "wb = CalamineWorkbook.from_path(sys.argv[1]); "
    "[wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names]"
)
PANDAS_CALAMINE = (
    "import sys, pandas as pd; "
    "pd.read_excel(sys.argv[1], sheet_name='报名信息采集表 Annex 2', header=1, engine='calamine')"
)
KINDS = ("ours", "calamine", "pandas_calamine")


def annex2_form(folder: str, rows: int, as_excel_saves: bool) -> str:
    """The `rows`-row Annex 2 in `folder` as the template writes it, or as Excel saves it; written
    the first time it is asked for."""
    form = os.path.join(folder, f"annex2_{rows}.xlsx")
    if not os.path.exists(form):
        annex2_workbook(form, rows)
    if not as_excel_saves:
        return form
    saved = os.path.join(folder, f"annex2_{rows}_saved.xlsx")
    if not os.path.exists(saved):
        saved_as_excel(form, saved)
    return saved


def import_times(folder: str, rows: int, runs: int, as_excel_saves: bool) -> dict[str, list[float]]:
    """Seconds per run of our import (into a new database file each run), calamine's bare read and
    pandas' calamine read of the same workbook, the three in turn each run."""
    form = annex2_form(folder, rows, as_excel_saves)
    tag = "saved" if as_excel_saves else "template"
    times: dict[str, list[float]] = {kind: [] for kind in KINDS}
    for i in range(runs):
        db = os.path.join(folder, f"floor_{tag}_{rows}_{i}.duckdb")
        for stale in (db, db + ".wal"):  # a folder kept from an earlier run: the database is new
            if os.path.exists(stale):
                os.remove(stale)
        times["ours"].append(
            timed([sys.executable, "-m", "delegation", "import", form, "--db", db, "--quiet"])
        )
        times["calamine"].append(timed([sys.executable, "-c", BARE_READ, form]))
        times["pandas_calamine"].append(timed([sys.executable, "-c", PANDAS_CALAMINE, form]))
    return times


def table(results: dict[str, dict[str, list[float]]]) -> str:
    """A markdown table: per file, the median seconds of each and our ratio to the two reads."""
    lines = [
        "| file | ours | calamine bare read | pandas calamine | ours / bare read | ours / pandas |",
        "|---|---|---|---|---|---|",
    ]
    for name, times in results.items():
        ours, bare, pandas = (statistics.median(times[kind]) for kind in KINDS)
        lines.append(
            f"| {name} | {ours:.2f} s | {bare:.2f} s | {pandas:.2f} s | {ours / bare:.2f}× | {ours / pandas:.2f}× |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--folder", help="where to write the workbooks and databases (default: a temporary one)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="delegation-import-bench-") as temporary:
        folder = args.folder or temporary
        results = {
            f"{args.rows} rows as the template writes it": import_times(folder, args.rows, args.runs, False),
            f"{args.rows} rows as Excel saves it": import_times(folder, args.rows, args.runs, True),
        }
    print(table(results))


if __name__ == "__main__":
    main()
