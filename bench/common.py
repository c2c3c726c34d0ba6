"""What the bench scripts share: a demo database of a given size, and one timed subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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
