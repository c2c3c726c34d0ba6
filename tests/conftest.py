"""Shared fixtures: the event config, a fresh database file, and form files written by code."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import openpyxl
import pytest

from delegation import ROOT
from delegation.config import EventConfig, load_config
from delegation.db import connect

AS_OF = dt.date(2023, 3, 20)


BROWSER_MODULES = {"test_browser", "test_browser_mail", "test_chart_render", "test_hostile_server"}
SERVER_FIXTURES = {"dovecot", "smtp_server", "smtps_server"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slow kinds marked, for `make test-fast` (`-m "not browser and not server and not bench"`):
    a test in Chromium, one with a real mail server, the benchmark's small run."""
    for item in items:
        module = item.module.__name__.rpartition(".")[2]
        if module in BROWSER_MODULES:
            item.add_marker(pytest.mark.browser)
        if module in ("test_mailservers", "test_browser_mail") or SERVER_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.server)
        if module == "test_bench":
            item.add_marker(pytest.mark.bench)


@pytest.fixture(autouse=True)
def no_accounts(tmp_path, monkeypatch) -> Path:
    """Every test starts without local accounts (a developer's data/users.toml never leaks in)."""
    path = tmp_path / "users.toml"
    monkeypatch.setenv("DELEGATION_USERS", str(path))
    return path


@pytest.fixture(autouse=True)
def key_file(tmp_path, monkeypatch) -> Path:
    """Every test has its own encryption key file (never one in the developer's ~/.config)."""
    path = tmp_path / "keys" / "desk.key"
    monkeypatch.setenv("DELEGATION_KEY_FILE", str(path))
    return path


@pytest.fixture(autouse=True)
def no_mail_account(tmp_path, monkeypatch) -> None:
    """Every test starts without a mail account (a developer's secrets or DELEGATION_IMAP_* never leak in)."""
    monkeypatch.setenv("DELEGATION_SECRETS", str(tmp_path / "no-secrets.toml"))
    for name in list(os.environ):
        if name.startswith(("DELEGATION_IMAP_", "DELEGATION_SMTP_")):
            monkeypatch.delenv(name)


def run_cli(
    *args: str,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
    python: tuple[str, ...] = (),
    timeout: float = 120,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess:
    """`python [PYTHON] -m delegation ARGS` as its own process from the repository root (or `cwd`,
    the package found through PYTHONPATH), in a bare
    environment (no DELEGATION_* setting of the shell running the tests reaches the CLI), with
    English messages and this test's accounts and key files unless `env` says otherwise."""
    no_users = Path(tempfile.gettempdir()) / "delegation-tests-no-users.toml"  # outside a test
    no_key = Path(tempfile.gettempdir()) / "delegation-tests-keys" / "desk.key"
    base = {
        "PATH": "/usr/bin:/bin",
        "DELEGATION_LANG": "en",
        "DELEGATION_USERS": os.environ.get("DELEGATION_USERS", str(no_users)),
        "DELEGATION_KEY_FILE": os.environ.get("DELEGATION_KEY_FILE", str(no_key)),
        "DELEGATION_SECRETS": os.environ.get(
            "DELEGATION_SECRETS", str(no_users.with_name("no-secrets.toml"))
        ),
    }
    return subprocess.run(
        [sys.executable, *python, "-m", "delegation", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env={**base, **({"PYTHONPATH": str(ROOT)} if cwd else {}), **(env or {})},
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def config() -> EventConfig:
    return load_config()


@pytest.fixture
def fixture_db(config, tmp_path) -> Path:
    """A database holding the hand-counted registration set (tests/fixtures.py)."""
    from tests.fixtures import load_fixture

    db = tmp_path / "fixture.duckdb"
    con = connect(config, db)
    load_fixture(con, config, tmp_path)
    con.close()
    return db


@pytest.fixture(scope="module")
def demo_db(config: EventConfig, tmp_path_factory) -> Path:
    """A demo database of 800 participants (seed 11), shared by a test module's tests."""
    from delegation.demo import load_demo

    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    con = connect(config, db)
    load_demo(con, config, 800, seed=11)
    con.close()
    return db


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.duckdb"


@pytest.fixture
def con(config: EventConfig, db_path: Path) -> duckdb.DuckDBPyConnection:
    connection = connect(config, db_path)
    yield connection
    connection.close()


def write_xlsx(
    path: Path, sheets: dict[str, list[list[object]]], merges: dict[str, list[str]] | None = None
) -> Path:
    """A workbook with one sheet per entry; `merges` lists ranges such as 'A3:A4' per sheet."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        for cell_range in (merges or {}).get(title, []):
            ws.merge_cells(cell_range)
    wb.save(path)
    return path


def write_csv(path: Path, rows: list[list[object]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(rows)
    return path


@pytest.fixture
def xlsx(tmp_path: Path) -> Callable[..., Path]:
    """Write rows to `<name>.xlsx` in the test's folder: xlsx(rows) or xlsx({'Sheet': rows}, name=…)."""

    def make(rows, name: str = "form.xlsx", merges: list[str] | None = None) -> Path:
        sheets = rows if isinstance(rows, dict) else {"Sheet1": rows}
        first = next(iter(sheets))
        return write_xlsx(tmp_path / name, sheets, {first: merges or []})

    return make


@contextlib.contextmanager
def opened_backup(path: Path, key_file: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to an encrypted backup's plaintext (in a private temporary folder
    beside it, removed afterwards), decrypted with this test's key file unless `key_file` is given."""
    from delegation.backups import decrypted, workspace
    from delegation.keys import load_keyring

    ring = load_keyring(Path(key_file or os.environ["DELEGATION_KEY_FILE"]))
    with workspace(Path(path).parent, "test") as work, decrypted(Path(path), ring, work) as (plain, _):
        con = duckdb.connect(str(plain), read_only=True)
        try:
            yield con
        finally:
            con.close()


def table_snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """Every row of every table, sorted, to compare a database before and after."""
    tables = [
        r[0] for r in con.execute("select table_name from information_schema.tables order by 1").fetchall()
    ]
    return {t: sorted(con.execute(f'select * from "{t}"').fetchall(), key=repr) for t in tables}
