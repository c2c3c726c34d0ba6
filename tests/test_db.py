"""Migrations, reference tables and every query file."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest

from delegation.db import MIGRATIONS, append_audits, connect
from delegation.filters import Filters
from delegation.ingest.normalise import PRC_PASSPORT_PATTERN
from delegation.named_queries import QUERIES, query_df, query_params
from tests.fixtures import load_fixture

QUERY_NAMES = sorted(
    p.stem for p in QUERIES.glob("*.sql") if not p.name.startswith("_")
)  # _macros: not a query
SAMPLE_PARAMS = {
    **Filters(as_of=dt.date(2023, 3, 20)).params(),
    "passport_valid_through": dt.date(2023, 11, 30),
    "top": 10,
    "search": "%%",
    "sort": "name",
    "descending": False,
    "limit": 50,
    "offset": 0,
    "passport_pattern": PRC_PASSPORT_PATTERN,
    "batch_id": 1,
    "unit_id": 1,
    "owner": "",
    "not_chased_since": None,
    "chosen": [],
    "actions": [],
    "actor": "",
    "since": dt.date(2000, 1, 1),
    "until": dt.date(2100, 1, 1),
    "unmatched": False,
    "page": 1,
    "page_units": 50,
    "ready_offset": 0,
    "blocked_offset": 0,
    "in_batch_offset": 0,
    "only_missing": True,
    "looks": ["export"],
}


def test_migrations_run_once(config, db_path):
    con = connect(config, db_path)
    versions = con.execute("select version from schema_migrations").fetchall()
    con.close()
    con = connect(config, db_path)
    expected = [(int(p.name[:4]),) for p in sorted(MIGRATIONS.glob("*.sql"))]
    assert con.execute("select version from schema_migrations order by 1").fetchall() == versions == expected
    con.close()


def test_an_older_database_is_brought_up_to_date(config, db_path):
    import duckdb

    old = duckdb.connect(str(db_path))
    old.execute(
        "create table schema_migrations (version integer primary key, name varchar not null, applied_at timestamp not null)"
    )
    old.execute((MIGRATIONS / "0001_initial.sql").read_text(encoding="utf-8"))
    old.execute("insert into schema_migrations values (1, '0001_initial.sql', current_timestamp)")
    old.execute("insert into units (name, name_key) values ('旧单位', '旧单位')")
    old.close()
    con = connect(config, db_path)
    assert con.execute("select name, search_text from units").fetchall() == [("旧单位", "")]
    assert con.execute("select max(version) from schema_migrations").fetchall()[0][0] >= 2
    con.close()


def test_audit_rows_are_appended_in_order_in_one_statement(con):
    at = dt.datetime(2023, 3, 25, 9, 30)
    append_audits(
        con, "cli", [("unit.update", "unit:7", {"province": ["Jiangsu", "Zhejiang"]}), ("x", None, {})], at=at
    )
    assert con.execute(
        "select logged_at, actor, action, target, details from audit_log order by audit_id"
    ).fetchall() == [
        (at, "cli", "unit.update", "unit:7", '{"province": ["Jiangsu", "Zhejiang"]}'),
        (at, "cli", "x", None, "{}"),
    ]
    append_audits(con, "cli", [])  # nothing to say: no row
    assert con.execute("select count(*) from audit_log").fetchone()[0] == 2


def test_no_progress_bar_on_the_connection(con):
    # DuckDB would draw one into the CLI's output for a statement over 2 s (a bulk update).
    assert con.execute("select current_setting('enable_progress_bar')").fetchone()[0] is False


def test_reference_tables(con, config):
    assert con.execute("select count(*) from provinces").fetchall()[0][0] == 34
    assert con.execute(
        "select name_zh, short_zh, code from provinces where province = 'Shaanxi'"
    ).fetchall() == [("陕西省", "陕西", "610000")]
    assert [r[0] for r in con.execute("select theme from themes order by position").fetchall()] == [
        t.key for t in config.themes
    ]
    assert con.execute("select count(*) from sectors").fetchall()[0][0] == len(config.sectors)


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_every_query_documents_itself_and_runs(con, config, tmp_path, name):
    load_fixture(con, config, tmp_path)
    text = (QUERIES / f"{name}.sql").read_text(encoding="utf-8")
    header = "\n".join(line for line in text.splitlines() if line.startswith("--"))
    assert text.startswith("-- ")
    assert "params:" in header and "columns:" in header
    for param in query_params(name):
        assert f"${param}" in header, f"{name}: ${param} is not described"
    documented = re.search(r"columns: (.+)", header)[1].split(", ")
    df = query_df(con, name, **{p: SAMPLE_PARAMS[p] for p in query_params(name)})
    assert list(df.columns) == [c.strip() for c in documented]


def test_province_query_exact_rows(con, config, tmp_path):
    load_fixture(con, config, tmp_path)
    df = query_df(con, "participants_by_province", **SAMPLE_PARAMS)
    assert df.values.tolist() == [
        ["Jiangsu", "江苏省", "Jiangsu", 4],
        ["Shaanxi", "陕西省", "Shaanxi", 3],
        ["Shanxi", "山西省", "Shanxi", 3],
    ]


def test_unknown_province_and_sector_rows(con, config, tmp_path):
    from delegation.ingest import import_file
    from tests.conftest import write_xlsx

    import_file(
        con,
        config,
        write_xlsx(
            tmp_path / "f.xlsx", {"S": [["单位", "姓名", "报名日期"], ["无省份公司", "某人", "2023-03-01"]]}
        ),
    )
    by_province = query_df(con, "participants_by_province", **SAMPLE_PARAMS).values.tolist()
    assert by_province == [["unknown", "未知", "Unknown", 1]]
    assert query_df(con, "participants_by_sector", **SAMPLE_PARAMS).values.tolist() == [
        ["unknown", "未知", "Unknown", 1]
    ]


MACRO_QUERIES = ("headline_figures", "missing_documents_by_kind", "participants_by_province")


def _macro_results(con) -> list:
    return [query_df(con, name, **SAMPLE_PARAMS).values.tolist() for name in MACRO_QUERIES]


def test_the_filtering_macros_are_defined_once_outside_the_migrations():
    for migration in MIGRATIONS.glob("*.sql"):
        assert "create or replace macro" not in migration.read_text(encoding="utf-8"), migration.name
    macros = (QUERIES / "_macros.sql").read_text(encoding="utf-8")
    assert macros.count("create or replace macro filtered_participants(") == 1
    assert macros.count("create or replace macro required_documents(") == 1


def test_a_database_with_older_macros_answers_as_a_new_one(config, tmp_path):
    # A database migrated by an older desk holds the macros its migrations stored: connecting
    # replaces them with queries/_macros.sql, so it answers exactly as a new database does.
    fresh = connect(config, tmp_path / "fresh.duckdb")
    load_fixture(fresh, config, tmp_path)
    expected = _macro_results(fresh)
    assert all(expected)
    fresh.close()
    old_path = tmp_path / "old.duckdb"
    old = connect(config, old_path)
    load_fixture(old, config, tmp_path)
    old.execute(  # a stale definition, as a migration of its time left it: no one passes the filters
        "create or replace macro filtered_participants("
        "f_as_of, f_provinces, f_sectors, f_themes, f_cities, f_unit_ids, f_statuses) as table "
        "select *, p.name as unit_name, null as province, null as sector, null as owner, "
        "'' as unit_search_text, 'registered' as registration_status from participants p where false"
    )
    assert _macro_results(old) != expected
    old.close()
    con = connect(config, old_path)
    assert _macro_results(con) == expected
    # every macro marked with the file's hash again, so the next connection writes none of them
    comments = con.execute(
        "select function_name, comment from duckdb_functions() where function_type = 'table_macro' "
        "and function_name in ('filtered_participants', 'required_documents', 'batch_applicants')"
    ).fetchall()
    digest = hashlib.sha256((QUERIES / "_macros.sql").read_bytes()).hexdigest()
    assert sorted(comments) == [
        ("batch_applicants", f"sha256:{digest}"),
        ("filtered_participants", f"sha256:{digest}"),
        ("required_documents", f"sha256:{digest}"),
    ]
    cursor = con.cursor()  # a session's cursor sees the stored macros too (a TEMP one it would not)
    assert _macro_results(cursor) == expected
    cursor.close()
    con.close()
    read_only = connect(config, old_path, read_only=True)
    assert _macro_results(read_only) == expected
    read_only.close()
