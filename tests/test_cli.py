"""`python -m delegation …` as a user runs it: exit codes, stdout, one sentence on stderr."""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from delegation import ROOT
from tests.conftest import run_cli as cli
from tests.conftest import write_csv
from tests.fixtures import EXPECTED_SUMMARY, WITHDRAWN, fixture_form


def test_init_import_summary(tmp_path):
    db = str(tmp_path / "d.duckdb")
    assert cli("init", "--db", db).returncode == 0
    done = cli("import", str(fixture_form(tmp_path)), "--db", db)
    assert done.returncode == 0, done.stderr
    assert "11 added" not in done.stdout and "12 added" in done.stdout
    con = duckdb.connect(db)
    con.execute("update participants set status = 'withdrawn' where name = ?", [WITHDRAWN])
    con.close()
    out = cli("summary", "--as-of", "2023-03-20", "--json", "--db", db)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == EXPECTED_SUMMARY
    assert list(json.loads(out.stdout)) == list(EXPECTED_SUMMARY)  # key order as documented


def test_import_starts_its_reader_worker_before_duckdb_is_imported(tmp_path):
    """The worker process starts (and imports the readers) while DuckDB loads: nothing imported
    before the worker starts may import DuckDB."""
    db = str(tmp_path / "d.duckdb")
    done = cli("import", str(fixture_form(tmp_path)), "--db", db, python=("-X", "importtime"))
    assert done.returncode == 0 and "12 added" in done.stdout
    modules = [line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line]
    assert modules.index("delegation.sandbox") < modules.index("duckdb")


def test_database_from_environment(tmp_path):
    db = tmp_path / "env.duckdb"
    assert cli("init", env={"DELEGATION_DB": str(db)}).returncode == 0
    assert db.exists()


def test_bad_file_is_one_sentence_and_status_1(tmp_path):
    db = str(tmp_path / "d.duckdb")
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"this is not a workbook at all")
    good = fixture_form(tmp_path)
    done = cli("import", str(bad), str(good), "--db", db)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("broken.xlsx:")
    assert "Traceback" not in done.stderr
    assert "12 added" in done.stdout  # the good file is still imported


def test_chinese_messages(tmp_path):
    bad = tmp_path / "empty.csv"
    bad.write_bytes(b"")
    done = cli("import", str(bad), "--db", str(tmp_path / "d.duckdb"), env={"DELEGATION_LANG": "zh"})
    assert done.returncode == 1
    assert done.stderr.strip() == "empty.csv：文件是空的。"


def test_missing_file_and_usage_errors(tmp_path):
    missing = cli("import", str(tmp_path / "nope.xlsx"), "--db", str(tmp_path / "d.duckdb"))
    assert missing.returncode == 1 and "no such file" in missing.stderr
    os.mkfifo(tmp_path / "pipe.csv")
    for given, said in (
        ("forms", "forms: this is a folder; give a form file."),
        ("pipe.csv", "pipe.csv: this is not a file; give a form file."),
    ):
        (tmp_path / "forms").mkdir(exist_ok=True)
        refused = cli("import", str(tmp_path / given), "--db", str(tmp_path / "d.duckdb"))
        assert refused.returncode == 1 and refused.stderr.strip() == said  # it said "there is no such file"
    header = cli(
        "import",
        str(write_csv(tmp_path / "notes.csv", [["备注"], ["无"]])),
        "--db",
        str(tmp_path / "d.duckdb"),
    )
    assert "no sheet has a recognisable header row in its first 30 rows" in header.stderr


def test_a_mistyped_command_gets_one_sentence_and_status_1():
    # argparse printed its usage lines and "error: …" with status 2; bad input is status 1
    one_sentence(cli("summary", "--as-of", "20 March"), "'20 March' is not a date in the form YYYY-MM-DD")
    one_sentence(cli("frobnicate"), "invalid choice: 'frobnicate'", "python -m delegation --help")
    one_sentence(cli("demo", "--participants", "-5"), "'-5' is not a positive whole number")
    one_sentence(cli("import"), "python -m delegation import:", "FILE", "python -m delegation import --help")
    one_sentence(cli("serve", "--bogus"), "unrecognized arguments: --bogus")
    zh = cli("import", env={"DELEGATION_LANG": "zh"})
    one_sentence(zh, "命令有误", "python -m delegation import --help")
    assert cli("import", "--help").returncode == 0


def test_dry_run_and_strict(tmp_path):
    db = str(tmp_path / "d.duckdb")
    form = fixture_form(tmp_path)
    dry = cli("import", str(form), "--dry-run", "--db", db)
    assert dry.returncode == 0 and dry.stdout.startswith("[dry run]")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fixture.xlsx"]  # no database was left behind
    from tests.conftest import write_xlsx

    partial = write_xlsx(
        tmp_path / "partial.xlsx", {"S": [["单位", "姓名"], ["某公司", "张伟"], ["某公司", ""]]}
    )
    nested = tmp_path / "new" / "forms" / "d.duckdb"
    strict = cli("import", str(partial), "--strict", "--db", str(nested))
    assert strict.returncode == 1 and "strict" in strict.stderr
    assert not (tmp_path / "new").exists()  # neither the refused database nor the folders made for it
    lenient = cli("import", str(partial), "--db", str(nested))
    assert lenient.returncode == 0 and "1 skipped" in lenient.stdout and "row 3" in lenient.stdout
    out = cli("summary", "--json", "--db", str(nested))
    assert json.loads(out.stdout)["participants"] == 1
    strict = cli("import", str(form), str(partial), "--strict", "--dry-run", "--db", str(nested))
    assert strict.returncode == 1 and nested.exists()  # a database that was there stays


def test_a_database_that_fails_to_open_leaves_no_folders_behind(tmp_path, monkeypatch, capsys):
    # DuckDB cannot be made to fail here after the folders are made, so the opening is replaced by
    # one that makes them and the file, then refuses, as a failed migration would.
    from delegation import cli, db
    from delegation.errors import DelegationError

    def failing(config, path=None, **options):
        Path(path).parent.mkdir(parents=True)
        Path(path).write_bytes(b"")
        raise DelegationError("error.db.cannot_open", target="d.duckdb", reason="a migration failed")

    monkeypatch.setenv("DELEGATION_LANG", "en")
    monkeypatch.setattr(db, "connect", failing)
    form = fixture_form(tmp_path)
    assert cli.main(["import", str(form), "--db", str(tmp_path / "new" / "d.duckdb")]) == 1
    assert capsys.readouterr().err.strip() == "The database d.duckdb cannot be opened: a migration failed."
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fixture.xlsx"]


def test_demo_is_deterministic_and_guards_existing_data(tmp_path):
    a, b = str(tmp_path / "a.duckdb"), str(tmp_path / "b.duckdb")
    assert cli("demo", "--participants", "300", "--seed", "7", "--db", a).returncode == 0
    assert cli("demo", "--participants", "300", "--seed", "7", "--db", b).returncode == 0
    sa = cli("summary", "--as-of", "2023-03-31", "--json", "--db", a).stdout
    sb = cli("summary", "--as-of", "2023-03-31", "--json", "--db", b).stdout
    assert sa == sb and json.loads(sa)["participants"] == 300
    again = cli("demo", "--db", a)
    assert again.returncode == 1 and "--replace" in again.stderr
    assert cli("demo", "--participants", "50", "--replace", "--db", a).returncode == 0
    assert (
        json.loads(cli("summary", "--as-of", "2023-03-31", "--json", "--db", a).stdout)["participants"] == 50
    )


def test_database_held_by_another_process(tmp_path):
    db = tmp_path / "held.duckdb"
    assert cli("init", "--db", str(db)).returncode == 0
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,time; c=duckdb.connect({str(db)!r}); print('ready', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        done = cli("import", str(fixture_form(tmp_path)), "--db", str(db))
        assert done.returncode == 1
        assert "in use by another program" in done.stderr and "Traceback" not in done.stderr
        assert "inbox folder" in done.stderr
        backup = cli("backup", "--db", str(db))  # a second process cannot open it: the app's button can
        assert backup.returncode == 1 and "the button on its Audit log page" in backup.stderr
        assert len(backup.stderr.strip().splitlines()) == 1
    finally:
        holder.kill()
        holder.wait()


def test_sample_forms_import(tmp_path):
    db = str(tmp_path / "d.duckdb")
    samples = sorted(str(p) for p in Path(ROOT, "data", "sample").iterdir())
    done = cli("import", *samples, "--db", db)
    assert done.returncode == 0, done.stderr
    figures = json.loads(cli("summary", "--as-of", "2099-01-01", "--json", "--db", db).stdout)
    assert (figures["units"], figures["participants"]) == (5, 8)
    assert figures["by_province"] == {"Jiangsu": 2, "Shaanxi": 2, "Shandong": 2, "Guangdong": 1, "Shanxi": 1}


def test_summary_with_filters(tmp_path):
    db = str(tmp_path / "d.duckdb")
    assert cli("import", str(fixture_form(tmp_path)), "--db", db).returncode == 0
    out = cli(
        "summary",
        "--as-of",
        "2023-03-20",
        "--province",
        "江苏",
        "--theme",
        "green_development",
        "--json",
        "--db",
        db,
    )
    assert out.returncode == 0, out.stderr
    figures = json.loads(out.stdout)
    assert (figures["units"], figures["participants"], figures["by_province"]) == (1, 3, {"Jiangsu": 3})
    bad = cli("summary", "--theme", "space_travel", "--db", db)
    assert bad.returncode == 1 and "--theme space_travel is not known" in bad.stderr


def test_serve_warm_up_draws_the_charts_it_preloads():
    """The warm-up thread of `serve` must keep working when the chart functions change (a failure
    there would only be printed by a background thread, and the first page would be slower)."""
    import json

    from delegation.serve import _warm_up

    bars, shares = (json.loads(drawn)["data"][0] for drawn in _warm_up())
    assert (bars["type"], bars["orientation"], bars["y"]) == ("bar", "h", ["a"])  # provinces, sectors
    assert (shares["type"], shares["orientation"], shares["y"], shares["text"]) == (
        "bar",
        "h",
        ["a"],
        ["1 (100%)"],
    )  # themes, cities


def test_purge_reports_first_and_clears_only_with_yes(tmp_path):
    db = str(tmp_path / "d.duckdb")
    assert cli("import", str(fixture_form(tmp_path)), "--db", db).returncode == 0

    def with_passports() -> int:
        con = duckdb.connect(db, read_only=True)
        try:
            return con.execute(
                "select count(*) from participants where passport_number is not null"
            ).fetchone()[0]
        finally:
            con.close()

    stored = with_passports()
    early = cli("purge", "--after-days", "90", "--today", "2023-06-01", "--db", db)
    assert early.returncode == 1 and len(early.stderr.strip().splitlines()) == 1
    assert "2023-08-27" in early.stderr and with_passports() == stored  # 90 days after the trip ends
    report = cli("purge", "--after-days", "90", "--today", "2023-09-01", "--db", db)
    assert report.returncode == 0, report.stderr
    assert (
        f"Would clear passport, visa, birth-date, mobile and e-mail data of {stored} participants"
        in report.stdout
    )
    assert "Nothing was changed; add --yes to clear." in report.stdout and with_passports() == stored
    done = cli("purge", "--after-days", "90", "--today", "2023-09-01", "--yes", "--db", db)
    assert (
        done.returncode == 0
        and f"Cleared passport, visa, birth-date, mobile and e-mail data of {stored}" in done.stdout
    )
    assert with_passports() == 0 and stored > 0


def one_sentence(done: subprocess.CompletedProcess, *words: str) -> None:
    """Refused with status 1 and one line on stderr holding `words`, no traceback."""
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1 and len(lines) == 1, done.stderr
    assert all(word in lines[0] for word in words), lines[0]


def test_a_file_that_is_not_a_database_is_refused_not_opened_as_an_empty_one(tmp_path):
    sheet = tmp_path / "forms.csv"
    sheet.write_text("a,b\n1,2\n", encoding="utf-8")
    sheet.chmod(
        0o600
    )  # as a database file is kept: no exposure warning beside the refusal, whatever the umask
    # DuckDB opened a CSV given as --db as an empty database in memory: "2 added", nothing kept.
    done = cli("import", str(fixture_form(tmp_path)), "--db", str(sheet))
    one_sentence(done, str(sheet), "not a Delegation Desk database")
    assert sheet.read_text(encoding="utf-8") == "a,b\n1,2\n"


def test_reading_commands_never_create_a_database_at_a_mistyped_path(tmp_path):
    missing = tmp_path / "typo" / "d.duckdb"
    for command in (
        ["summary"],
        ["export", "participants", "--format", "csv", "--out", str(tmp_path / "x.csv")],
        ["backup"],
        ["purge", "--after-days", "30"],
    ):
        one_sentence(cli(*command, "--db", str(missing)), str(missing), "does not exist")
    assert not missing.parent.exists() and not (tmp_path / "x.csv").exists()


def test_an_output_path_the_system_refuses_is_one_sentence_and_leaves_nothing(tmp_path):
    import os

    db = str(tmp_path / "d.duckdb")
    assert cli("import", str(fixture_form(tmp_path)), "--db", db).returncode == 0
    export = ("export", "participants", "--format", "xlsx", "--db", db, "--out")
    one_sentence(cli(*export, "/proc/x.xlsx"), "Cannot write /proc/x.xlsx")
    one_sentence(cli("template", "--out", "/proc/t.xlsx"), "Cannot write /proc/t.xlsx")
    one_sentence(cli(*export, str(tmp_path)), "Give a file name for --out")
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)  # a device or pipe: renaming the export over it replaced it by a file
    one_sentence(cli(*export, str(pipe)), "is not a file")
    assert pipe.is_fifo()
    assert not list(tmp_path.glob("*.partial"))
    one_sentence(cli("backup", "--to", "/proc/bk", "--db", db), "Cannot use /proc/bk")
    one_sentence(cli("purge", "--after-days", "99999999999", "--db", db), "more than a hundred years")


def test_success_lines_are_in_the_language_asked_for(tmp_path):
    """Every line a command prints on success comes from i18n: Chinese under DELEGATION_LANG=zh,
    English under en."""
    db = tmp_path / "d.duckdb"
    users = {"DELEGATION_USERS": str(tmp_path / "users.toml")}
    zh, en = {"DELEGATION_LANG": "zh", **users}, {"DELEGATION_LANG": "en", **users}
    made = cli("init", "--db", str(db), env=zh)
    assert made.returncode == 0 and made.stdout.splitlines()[0] == f"已创建 {db}"
    assert cli("init", "--db", str(db), env=en).stdout.splitlines()[0] == f"Checked {db}"
    out = tmp_path / "form.xlsx"
    assert cli("template", "--out", str(out), env=zh).stdout == f"已写入 {out}\n"
    assert cli("template", "--out", str(out), env=en).stdout == f"Wrote {out}\n"
    password = "a long enough password\n"
    added = cli("users", "add", "lee", "--role", "staff", "--password-stdin", stdin=password, env=zh)
    assert added.stdout == f"已将 lee（staff）添加到 {tmp_path / 'users.toml'}\n"
    assert cli("users", "set-role", "lee", "admin", env=zh).stdout == "lee 的角色现为 admin\n"
    assert cli("users", "set-role", "lee", "admin", env=en).stdout == "lee is now admin\n"
    assert cli("users", "remove", "lee", env=zh).stdout == "已删除 lee\n"
    assert cli("import", str(fixture_form(tmp_path)), "--db", str(db), env=en).returncode == 0
    purge = ("purge", "--after-days", "90", "--today", "2023-09-01", "--db", str(db))
    assert cli(*purge, env=zh).stdout.splitlines()[-1] == "未作任何更改；加 --yes 执行清除。"
    assert cli(*purge, env=en).stdout.splitlines()[-1] == "Nothing was changed; add --yes to clear."
    refused = cli("users", "remove", "nobody", env=zh)
    assert refused.returncode == 1 and refused.stderr.strip() == "没有用户“nobody”。"


def _handlers(parser: argparse.ArgumentParser):
    """Every command's parser below `parser` (subcommands included), with its handler default."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, command in action.choices.items():
                if command._subparsers is None:
                    yield name, command
                else:
                    yield from _handlers(command)


def test_every_command_names_a_handler_that_exists():
    from delegation.cli import build_parser

    commands = list(_handlers(build_parser()))
    assert len(commands) == 21  # every leaf command of `python -m delegation`
    for name, command in commands:
        handler = command.get_default("handler")
        function = getattr(importlib.import_module(f"delegation.cli.{handler.module}"), handler.function)
        assert callable(function), name
        assert list(inspect.signature(function).parameters) == ["args", "config", "lang"], name
    starting = [name for name, command in commands if command.get_default("handler").starts_worker]
    assert starting == ["import"]  # the one handler that warns for itself, once its worker runs


def test_the_users_roles_are_access_roles(monkeypatch):
    from delegation import access
    from delegation.cli import build_parser

    parsed = build_parser().parse_args(["users", "add", "lee", "--role", "staff"])
    assert parsed.role == "staff"
    monkeypatch.setattr(access, "ROLES", ("guest", "staff"))  # read when checked, not copied
    parser = build_parser()
    assert parser.parse_args(["users", "set-role", "lee", "guest"]).role == "guest"
    with pytest.raises(SystemExit):
        parser.parse_args(["users", "add", "lee", "--role", "admin"])
    help_text = next(c for n, c in _handlers(parser) if n == "set-role").format_help()
    assert "one of guest, staff (least to most)" in help_text


def test_building_the_parser_and_reading_an_import_loads_no_duckdb():
    """The handlers' modules load only when their command runs: `import` must reach its reader
    worker before DuckDB is imported, and `--help` needs none of it."""
    probe = (
        "import sys; from delegation.cli import build_parser; "
        "build_parser().parse_args(['import', 'x.xlsx']); "
        "print(sorted(m for m in sys.modules if m == 'duckdb' or m.startswith('delegation.cli.')))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['delegation.cli.parser']"


def test_every_sentence_the_cli_and_its_modules_raise_is_an_i18n_key():
    """No `DelegationError(en, zh)` pair is left in the CLI, access, keys, crypto or private, and
    every key they name is in the table."""
    from delegation.i18n import TEXT

    sources = [*ROOT.joinpath("delegation", "cli").glob("*.py")]
    sources += [ROOT / "delegation" / f"{name}.py" for name in ("access", "keys", "crypto", "private")]
    named = set()
    for path in sources:
        source = path.read_text(encoding="utf-8")
        calls = re.findall(r"DelegationError\(\s*(f?[\"'][^\"']*[\"'])", source)
        for literal in calls:
            assert not literal.startswith("f") and re.fullmatch(r"[\"'][a-z_.]+[\"']", literal), (
                path,
                literal,
            )
            named.add(literal.strip("\"'"))
        said = re.findall(r"\b(?:say|text)\(\s*[\"']([a-z_.]+)[\"']", source)
        named |= set(said)
    assert len(named) > 40 and sorted(named - set(TEXT)) == []
