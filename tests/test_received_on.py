"""The day a registration arrived: the form's own date, else the day the file was received (given
with the import), else the import day; the report says which, and a day never moves later."""

from __future__ import annotations

import datetime as dt
import json

import duckdb

from tests.conftest import run_cli, write_xlsx

HEADER = ["单位名称", "姓名", "护照号码", "报名日期"]


def _form(tmp_path, name, rows):
    return write_xlsx(tmp_path / name, {"S": [HEADER, *rows]})


def _days(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select name, registered_on from participants order by name").fetchall()
    finally:
        con.close()


def test_a_form_without_dates_registers_on_the_day_received(tmp_path):
    db = tmp_path / "d.duckdb"
    form = _form(
        tmp_path, "甲.xlsx", [["甲公司", "张伟", "E12345678", None], ["甲公司", "李娜", "E22345678", None]]
    )
    done = run_cli("import", str(form), "--received-on", "2023-03-10", "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1] == (
        "  Registration day: 2023-03-10, the day the file was received (the form gives none)."
    )
    assert _days(db) == [("张伟", dt.date(2023, 3, 10)), ("李娜", dt.date(2023, 3, 10))]
    summary = run_cli("summary", "--as-of", "2023-03-09", "--json", "--db", str(db))
    assert json.loads(summary.stdout)["participants"] == 0  # the as-of figures follow the day
    summary = run_cli("summary", "--as-of", "2023-03-10", "--json", "--db", str(db))
    assert json.loads(summary.stdout)["participants"] == 2


def test_the_forms_own_date_comes_first_then_the_day_received(tmp_path):
    db = tmp_path / "d.duckdb"
    form = _form(
        tmp_path,
        "乙.xlsx",
        [["乙公司", "赵一", "E32345678", "2023-03-05"], ["乙公司", "钱二", "E42345678", None]],
    )
    done = run_cli("import", str(form), "--received-on", "2023-03-12", "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1] == (
        "  Registration days: the form's own for 1 rows; 2023-03-12, the day the file was received, for the other 1."
    )
    assert _days(db) == [("赵一", dt.date(2023, 3, 5)), ("钱二", dt.date(2023, 3, 12))]


def test_without_a_day_received_the_import_day_counts_and_the_report_says_so(tmp_path):
    db = tmp_path / "d.duckdb"
    form = _form(tmp_path, "丙.xlsx", [["丙公司", "孙三", "E52345678", None]])
    done = run_cli("import", str(form), "--db", str(db))
    today = dt.date.today()
    assert done.returncode == 0, done.stderr
    assert _days(db) == [("孙三", today)]
    assert f"  Registration day: {today.isoformat()}, the import day (the form gives none)." in done.stdout


def test_a_later_file_never_moves_a_registration_day_later(tmp_path):
    db = tmp_path / "d.duckdb"
    first = _form(tmp_path, "first.xlsx", [["丁公司", "周五", "E62345678", None]])
    again = _form(
        tmp_path, "again.xlsx", [["丁公司", "周五", "E62345678", None], ["丁公司", "吴六", "E72345678", None]]
    )
    assert run_cli("import", str(first), "--received-on", "2023-03-01", "--db", str(db)).returncode == 0
    assert run_cli("import", str(again), "--received-on", "2023-03-15", "--db", str(db)).returncode == 0
    assert _days(db) == [("吴六", dt.date(2023, 3, 15)), ("周五", dt.date(2023, 3, 1))]


def test_a_day_received_in_the_future_is_refused_and_writes_nothing(tmp_path):
    db = tmp_path / "new" / "d.duckdb"
    form = _form(tmp_path, "戊.xlsx", [["戊公司", "郑七", "E82345678", None]])
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    done = run_cli("import", str(form), "--received-on", tomorrow.isoformat(), "--db", str(db))
    assert done.returncode == 1
    assert done.stderr == (
        f"The day the files were received, {tomorrow.isoformat()}, is after today; "
        f"give a day up to {dt.date.today().isoformat()}.\n"
    )
    assert not db.exists() and not db.parent.exists()  # no new, empty database left behind


def test_a_form_named_relative_to_the_users_folder_is_found(tmp_path):
    # The reader workers run in the package's folder: a path typed relative to the user's folder
    # reached them as it was typed, and the form "did not exist".
    _form(tmp_path, "己.xlsx", [["己公司", "冯九", "E92345678", "2023-03-03"]])
    done = run_cli("import", "己.xlsx", "--db", "d.duckdb", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert _days(tmp_path / "d.duckdb") == [("冯九", dt.date(2023, 3, 3))]
