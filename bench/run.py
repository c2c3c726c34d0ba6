"""The benchmark suite: `make bench` (or `python bench/run.py [--small]`) → bench/RESULTS.md.

Ratios in one run, side by side with what a user would otherwise reach for; absolute times on a
shared machine are noise. Each figure is the median of --runs runs (min–max beside it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

READ_EXCEL = "import sys, pandas as pd; pd.read_excel(sys.argv[1], sheet_name='报名信息采集表 Annex 2', header=1, engine='openpyxl')"


def demo(folder: str, participants: int) -> str:
    db = os.path.join(folder, f"demo{participants}.duckdb")
    subprocess.run(
        [sys.executable, "-m", "delegation", "demo", "--participants", str(participants), "--db", db],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    return db


def timed(command: list[str], env: dict | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, capture_output=True, env=env)
    return time.perf_counter() - start


def summary(values: list[float]) -> tuple[float, str]:
    return statistics.median(values), f"{min(values):.3f}–{max(values):.3f}"


def annex2_workbook(path: str, rows: int) -> None:
    """An Annex 2 workbook the way units fill it in: the template holding `rows` people of the demo
    generator (its names, units, provinces, sectors, themes and cities), yes/no as 是/否, dates as dates."""
    from delegation.config import load_config
    from delegation.demo import generate, province_zh
    from delegation.workbooks import annex2_template

    config = load_config()
    units, people = generate(config, rows, seed=2023)
    units = {u["unit_id"]: u for u in units.to_pylist()}
    sectors = {s.key: s.zh for s in config.sectors}
    yes_no = {True: "是", False: "否"}
    filled = []
    for p in people.to_pylist():
        unit = units[p["unit_id"]]
        filled.append(
            {
                "unit_name": unit["name"],
                "province": province_zh(unit["province"]),
                "sector": sectors[unit["sector"]],
                "contact_name": unit["contact_name"],
                "contact_mobile": unit["contact_mobile"],
                "name": p["name"],
                "pinyin_name": p["pinyin_name"],
                "gender": {"M": "男", "F": "女"}[p["gender"]],
                "position": p["position"],
                "mobile": p["mobile"],
                "email": p["email"],
                "date_of_birth": p["date_of_birth"],
                "passport_number": p["passport_number"],
                "passport_expiry": p["passport_expiry"],
                "applies_via_chamber": yes_no[p["applies_via_chamber"]],
                "holds_us_visa": yes_no[p["holds_us_visa"]],
                "us_visa_expiry": p["us_visa_expiry"],
                "wants_arrangements": yes_no[p["wants_arrangements"]],
                **{f"theme:{key}": "是" for key in p["themes"]},
                **{f"city:{key}": "是" for key in p["cities"]},
            }
        )
    Path(path).write_bytes(annex2_template(config, filled))


def bench_import(folder: str, rows: int, runs: int) -> list[str]:
    form = os.path.join(folder, f"annex2_{rows}.xlsx")
    annex2_workbook(form, rows)
    ours, theirs = [], []
    for i in range(runs):
        db = os.path.join(folder, f"import{i}.duckdb")
        ours.append(timed([sys.executable, "-m", "delegation", "import", form, "--db", db, "--quiet"]))
        theirs.append(timed([sys.executable, "-c", READ_EXCEL, form]))
    (o, orange), (t, trange) = summary(ours), summary(theirs)
    return [
        f"| import {rows}-row Annex 2 (whole process, incl. normalising and the DB write) | {o:.2f} s ({orange}) "
        f"| pandas.read_excel(openpyxl): {t:.2f} s ({trange}) | **{t / o:.1f}×** faster (target ≥ 5×) |"
    ]


def bench_queries(small_db: str, large_db: str, runs: int) -> list[str]:
    from delegation import dashboard
    from delegation.config import load_config
    from delegation.db import connect
    from delegation.filters import Filters

    config = load_config()
    f = Filters(dt.date(2023, 3, 31))

    def overview(con) -> None:
        dashboard.headline(con, config, f)
        for kind in ("province", "sector", "theme", "city"):
            dashboard.breakdown(con, kind, f, "zh", config.top_provinces)
        dashboard.signups(con, config, f)

    results = {}
    for label, db in (("small", small_db), ("large", large_db)):
        con = connect(config, db)
        overview(con)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            overview(con)
            times.append(time.perf_counter() - start)
        con.close()
        results[label] = summary(times)
    (s, srange), (large, lrange) = results["small"], results["large"]
    return [
        f"| every overview query together | small: {s * 1000:.0f} ms ({srange}) | large: {large * 1000:.0f} ms ({lrange}) "
        f"| large/small **{large / s:.1f}×** (targets: large < 50 ms, ratio ≤ 3×) |"
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", action="store_true", help="a quick run at small sizes (the tests use it)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    args = parser.parse_args()
    sizes = (300, 3_000, 1_000) if args.small else (1_000, 100_000, 50_000)
    runs = 1 if args.small else args.runs
    lines = []
    with tempfile.TemporaryDirectory() as folder:
        small_db, large_db = demo(folder, sizes[0]), demo(folder, sizes[1])
        lines += bench_import(folder, sizes[2], runs)
        lines += bench_queries(small_db, large_db, runs)
        export = (
            subprocess.run(
                [
                    sys.executable,
                    "bench/export_bench.py",
                    "--participants",
                    str(sizes[1]),
                    "--runs",
                    str(runs),
                ],
                check=True,
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
    import duckdb
    import openpyxl
    import pandas
    import streamlit

    report = [
        "# Benchmark results",
        "",
        f"Run {dt.datetime.now():%Y-%m-%d %H:%M} on {os.cpu_count()} CPUs ({platform.processor() or platform.machine()}), "
        f"Python {platform.python_version()}, DuckDB {duckdb.__version__}, pandas {pandas.__version__}, "
        f"openpyxl {openpyxl.__version__}, Streamlit {streamlit.__version__}. Sizes: {sizes[0]} and {sizes[1]} "
        f"participants, a {sizes[2]}-row workbook; median of {runs} run(s).",
        "",
        "| what | ours | compared with | ratio |",
        "|---|---|---|---|",
        *lines,
        f"| export {sizes[1]} participants to xlsx | see `bench/export_bench.py` | pandas to_excel(openpyxl) | {export.split('|')[2].strip()} |",
        "",
        "Not measured yet: page runs (AppTest) at both sizes, peak memory of the serving process, cold start.",
        "",
    ]
    Path(args.out).write_text("\n".join(report), encoding="utf-8")
    print("\n".join(report))


if __name__ == "__main__":
    main()
