"""Import registration forms: read (`delegation.sheets`) → find header → map columns → normalise →
validate → store.

`import_files` imports the forms of one upload or one command, in the order of their dates (the CLI
and the app); `import_file` one form alone (the inbox watcher); both read with `read_form` and
store with `store_form`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from delegation import sandbox, worker
from delegation.backups import BULK_ROWS, snapshot_beside
from delegation.config import EventConfig
from delegation.db import append_audit, append_audits, fetch_one, in_transaction, transaction
from delegation.errors import DelegationError
from delegation.i18n import text as label
from delegation.i18n import value_words
from delegation.ingest.fields import FIELDS_BY_KEY
from delegation.ingest.layout import SheetLayout, column_letter, find_layout, records
from delegation.ingest.rows import (
    BOOLEAN_FIELDS,
    FIELD_LABELS,
    PARTICIPANT_FIELDS,
    UNIT_FIELDS,
    Issue,
    Rows,
    normalise_records,
    registration_days,
)
from delegation.privacy import masked, masked_changes
from delegation.search import (
    PARTICIPANT_SEARCH_COLUMNS,
    UNIT_SEARCH_COLUMNS,
    search_texts,
)
from delegation.sheets import Sheet, form_bytes, read_sheets, refuse
from delegation.text import clean, safe_name

if TYPE_CHECKING:
    import pandas as pd

UNIT_COLUMNS = UNIT_FIELDS[2:]  # what a row may say about its unit besides the name
PARTICIPANT_COLUMNS = ("unit_id", *PARTICIPANT_FIELDS)
SQL_TYPES = {  # columns that are not text, as DuckDB types (rows are sent as typed lists)
    "participant_id": "integer",
    "unit_id": "integer",
    "date_of_birth": "date",
    "passport_expiry": "date",
    "us_visa_expiry": "date",
    "registered_on": "date",
    "applies_via_chamber": "boolean",
    "holds_us_visa": "boolean",
    "wants_arrangements": "boolean",
    "themes": "varchar[]",
    "cities": "varchar[]",
    "source_import_id": "integer",
    "source_row": "integer",
    "row_number": "integer",
}


def _unnest(values: dict[str, list], columns: tuple[str, ...]) -> tuple[str, dict[str, object]]:
    """A select list turning one typed list parameter per column back into rows, and its parameters.

    Thousands of rows go to DuckDB in one statement without Arrow or pandas (whose imports alone
    cost a small import more than its work). DuckDB converts Python values one by one, lists of
    lists slowest, so a column holding one value throughout (the import, the sheet, the day) is
    sent once, and lists (themes, cities: a few combinations) as their distinct lists and a number
    per row. The first column is always sent whole: it gives the row count.
    """
    parts, params = [], {}
    for i, c in enumerate(columns):
        column, sql_type = values[c], SQL_TYPES.get(c, "varchar")
        if sql_type.endswith("[]"):
            distinct: dict = {}  # lists are never missing: empty when nothing is chosen
            params[f"c{i}"] = [distinct.setdefault(k, len(distinct) + 1) for k in map(tuple, column)]
            params[f"d{i}"] = list(map(list, distinct))
            parts.append(f"list_extract($d{i}::{sql_type}[], unnest($c{i}::integer[])) as {c}")
        elif i and column and column.count(column[0]) == len(column):
            params[f"c{i}"] = column[0]
            parts.append(f"$c{i}::{sql_type} as {c}")
        else:
            params[f"c{i}"] = column
            parts.append(f"unnest($c{i}::{sql_type}[]) as {c}")
    return ", ".join(parts), params


def _rows(records: list[dict], columns: tuple[str, ...]) -> tuple[str, dict[str, list]]:
    """`_unnest` of records (dicts by column)."""
    return _unnest({c: [r.get(c) for r in records] for c in columns}, columns)


@dataclass(frozen=True)
class Change:
    """One field a file changed: of a participant (`person`) or of the unit itself (`person` None),
    before and after as shown (personal values masked, as in the audit log)."""

    unit: str
    person: str | None
    field: str
    before: object
    after: object

    def line(self, lang: str, config: EventConfig | None = None) -> str:
        """王强（苏州甲机械有限公司）：职务 工程师 → 总工程师"""
        name = FIELD_LABELS.get(self.field, (self.field, self.field))[0 if lang == "zh" else 1]
        before = value_words(self.before, lang, self.field, config)
        after = value_words(self.after, lang, self.field, config)
        who = self.person or (self.unit if lang == "en" else f"单位 {self.unit}")
        if lang == "zh":
            where = f"{who}（{self.unit}）" if self.person else who
            return f"{where}：{name} {before} → {after}"
        where = f"{who} ({self.unit})" if self.person else f"unit {who}"
        return f"{where}: {name} {before} → {after}"


@dataclass
class ImportReport:
    """What one import did, or would do on a dry run."""

    file_name: str
    sha256: str
    size_bytes: int
    rows_read: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    issues: list[Issue] = field(default_factory=list)
    import_id: int | None = None
    dry_run: bool = False
    already_imported_at: dt.datetime | None = None
    form_day: dt.date | None = None  # the form's own date (its latest registration day), if it has one
    changes: list[Change] = field(default_factory=list)  # every person's and unit's field it changed
    dated_rows: int = 0  # rows whose registration day the form gives (报名日期, a submission time)
    fallback_day: dt.date | None = None  # the registration day of every other row …
    fallback_source: str = "import"  # … and where it came from: "received" (given) or "import"

    def day_line(self, lang: str = "en") -> str:
        """Which registration day the rows got: the form's own, the day the file was received, or
        the import day."""
        day = self.fallback_day.isoformat() if self.fallback_day else ""
        other = self.rows_read - self.skipped - self.dated_rows
        if lang == "zh":
            source = "收到文件的日期" if self.fallback_source == "received" else "导入当天"
            if not other:
                return "报名日期：取自报名表本身（报名日期或提交时间）。"
            if not self.dated_rows:
                return f"报名日期：{day}（{source}；报名表未写报名日期）。"
            return f"报名日期：{self.dated_rows} 行取自报名表本身，其余 {other} 行为 {day}（{source}）。"
        source = "the day the file was received" if self.fallback_source == "received" else "the import day"
        if not other:
            return "Registration days: the form's own (its registration date or submission time)."
        if not self.dated_rows:
            return f"Registration day: {day}, {source} (the form gives none)."
        return f"Registration days: the form's own for {self.dated_rows} rows; {day}, {source}, for the other {other}."

    @property
    def warnings(self) -> int:
        return sum(1 for i in self.issues if i.severity == "warning")

    def summary(self, lang: str = "en", *, app: bool = False) -> str:
        """One line: what was imported, updated, skipped. `app`: how to import the same file again
        is said as the app's switch, not the command line's option."""
        if self.already_imported_at:
            when = f"{self.already_imported_at:%Y-%m-%d %H:%M}"
            if lang == "zh":
                again = "打开“重新导入相同文件”开关" if app else "加 --force"
                return (
                    f"{self.file_name}：相同内容已于 {when} 导入，未作任何更改（如需重新导入，请{again}）。"
                )
            again = "turn on 'Import the same file again'" if app else "use --force"
            return (
                f"{self.file_name}: the same content was imported on {when}; nothing changed "
                f"({again} to import it again)."
            )
        prefix = ("[试运行] " if lang == "zh" else "[dry run] ") if self.dry_run else ""
        if lang == "zh":
            return (
                f"{prefix}{self.file_name}：读取 {self.rows_read} 行，新增 {self.added} 人，更新 {self.updated} 人，"
                f"无变化 {self.unchanged} 人，跳过 {self.skipped} 行，警告 {self.warnings} 条。"
            )
        return (
            f"{prefix}{self.file_name}: {self.rows_read} rows read, {self.added} added, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.skipped} skipped, {self.warnings} warnings."
        )


@dataclass
class Form:
    """A form file read and checked, not yet stored: its clean rows and what the reading found."""

    name: str
    sha256: str
    size_bytes: int
    rows: Rows
    issues: list[Issue]
    rows_read: int
    day: dt.date | None  # the form's own date: its latest registration day, if it gives any


# What the earlier files of one upload or one CLI call set, so that a later file changing the same
# value again is flagged as a conflict for staff to settle: (table, id, field) → (file, day, value shown).
SetBy = dict[tuple[str, int, str], tuple[str, dt.date | None, object]]


def read_form(
    config: EventConfig,
    path: str | Path,
    *,
    today: dt.date,
    file_name: str | None = None,
    begun: sandbox.CheckedRead | None = None,
) -> Form:
    """Read one form file into clean rows, in a worker process (`delegation.sandbox`): a form that
    crashes its reader or passes a limit is refused like any bad file, with DelegationError.
    `begun`: this file's reading started earlier by `sandbox.begin_read_form`."""
    path = Path(path)
    name = file_name or path.name
    if begun is not None:
        return begun.result()
    _check_path(path, name)
    return sandbox.begin_read_form(config, path, today=today, file_name=name).result()


def read_form_here(
    config: EventConfig, path: Path, *, today: dt.date, file_name: str, checked: bool = False
) -> Form:
    """`read_form` in this process: what the worker runs. Never call it on a file from outside
    anywhere else. `checked`: another worker checks the file meanwhile (`sandbox.begin_read_form`)."""
    _check_path(path, file_name)
    data_hash = hashlib.sha256(form_bytes(path, config)).hexdigest()  # its name and size checked first
    rows, issues, rows_read = _parse(path, file_name, config, today, checked)
    days = [d for d in rows.participant["registered_on"] if isinstance(d, dt.date)]
    return Form(file_name, data_hash, path.stat().st_size, rows, issues, rows_read, max(days, default=None))


def _check_path(path: Path, name: str) -> None:
    if path.is_dir():
        raise DelegationError(
            f"{name}: this is a folder; give a form file.", f"{name}：这是文件夹；请给出报名表文件。"
        )
    if path.exists() and not path.is_file():  # a pipe or a device
        raise DelegationError(
            f"{name}: this is not a file; give a form file.", f"{name}：这不是文件；请给出报名表文件。"
        )
    if not path.is_file():
        raise DelegationError(f"{name}: there is no such file.", f"{name}：文件不存在。")


def import_file(
    con: duckdb.DuckDBPyConnection,
    config: EventConfig,
    path: str | Path,
    *,
    dry_run: bool = False,
    strict: bool = False,
    force: bool = False,
    actor: str = "cli",
    today: dt.date | None = None,
    file_name: str | None = None,
    received_on: dt.date | None = None,
) -> ImportReport:
    """Import one form file in one transaction; a refused file raises DelegationError and changes
    nothing. `received_on`: as `store_form` takes it."""
    today = today or dt.date.today()
    check_received_on(received_on, today)
    form = read_form(config, path, today=today, file_name=file_name)
    return store_form(
        con,
        config,
        form,
        dry_run=dry_run,
        strict=strict,
        force=force,
        actor=actor,
        today=today,
        received_on=received_on,
    )


def check_received_on(received_on: dt.date | None, today: dt.date) -> None:
    """A day a file was received cannot be after today."""
    if received_on is not None and received_on > today:
        raise DelegationError(
            f"The day the files were received, {received_on.isoformat()}, is after today; give a day up to {today.isoformat()}.",
            f"收到文件的日期 {received_on.isoformat()} 晚于今天；请填写 {today.isoformat()} 或更早的日期。",
        )


def import_files(
    con: duckdb.DuckDBPyConnection,
    config: EventConfig,
    files: list[tuple[str | Path, str]],
    *,
    dry_run: bool = False,
    strict: bool = False,
    force: bool = False,
    actor: str = "cli",
    today: dt.date | None = None,
    begun: sandbox.CheckedRead | None = None,
    received_on: dt.date | None = None,
) -> list[tuple[str, ImportReport | DelegationError]]:
    """Import several forms — one upload, or one command — each in its own transaction, in the order
    of their registration days (a form's own date, else as given: a form without one registers on
    the import day), so that a correction dated after its original is applied after it whatever
    the order the files came in. `files`: (path, name) pairs. Returns each file's name and its
    report or its refusal, in the order applied (refused files first, as they were read).
    `begun`: the first file's reading, started by `sandbox.begin_read_form` with the same `today`.
    `received_on`: the day the files came in (rows without a day of their own register on it)."""
    today = today or dt.date.today()
    check_received_on(received_on, today)
    refused: list[tuple[str, ImportReport | DelegationError]] = []
    forms: list[Form] = []
    for i, (path, name) in enumerate(files):
        try:
            job = begun if i == 0 else None
            forms.append(read_form(config, path, today=today, file_name=name, begun=job))
        except DelegationError as exc:
            refused.append((name, exc))
        except Exception as exc:  # a fault of ours must not end the upload's run
            refused.append((name, unexpected(name, exc)))
    forms.sort(key=lambda f: f.day or received_on or today)  # stable: undated ones keep the order given
    seen: SetBy = {}
    done: list[tuple[str, ImportReport | DelegationError]] = []
    for form in forms:
        try:
            report = store_form(
                con,
                config,
                form,
                dry_run=dry_run,
                strict=strict,
                force=force,
                actor=actor,
                today=today,
                seen=seen,
                received_on=received_on,
            )
        except DelegationError as exc:
            done.append((form.name, exc))
            continue
        except Exception as exc:  # rolled back: the next form goes on
            done.append((form.name, unexpected(form.name, exc)))
            continue
        done.append((form.name, report))
    return refused + done


def unexpected(name: str, exc: BaseException) -> DelegationError:
    """A file's import that failed in a way no check foresaw (a fault of the desk, not of the
    file's sender): one sentence for the user; for the maintainers the log gets where it failed,
    without the exception's message, which may quote the file's contents."""
    where = "".join(traceback.format_tb(exc.__traceback__)[-3:])
    logging.getLogger("delegation.ingest").error("import failed: %s\n%s", type(exc).__name__, where)
    kind = type(exc).__name__
    return DelegationError(
        f"{name}: the file could not be imported ({kind}); nothing was changed.",
        f"{name}：文件无法导入（{kind}），未做任何更改。",
    )


def store_form(
    con: duckdb.DuckDBPyConnection,
    config: EventConfig,
    form: Form,
    *,
    dry_run: bool = False,
    strict: bool = False,
    force: bool = False,
    actor: str = "cli",
    today: dt.date,
    seen: SetBy | None = None,
    received_on: dt.date | None = None,
) -> ImportReport:
    """Store a form read by `read_form` in one transaction (rolled back on a dry run). A row the
    form gives no registration day registers on `received_on` (the day the file came in, when
    known), else on `today`."""
    name, rows, issues = form.name, form.rows, list(form.issues)
    report = ImportReport(name, form.sha256, form.size_bytes, dry_run=dry_run, form_day=form.day)
    report.dated_rows = sum(isinstance(d, dt.date) for d in rows.participant["registered_on"])
    report.fallback_day = received_on or today
    report.fallback_source = "received" if received_on else "import"
    report.issues, report.rows_read = issues, form.rows_read
    report.skipped = report.rows_read - len(rows)
    if strict and report.skipped:
        first = next(i for i in issues if i.severity == "error")
        raise DelegationError(
            f"{name}: refused in strict mode because {report.skipped} row(s) cannot be imported (first: {first.en})",
            f"{name}：严格模式下拒绝导入，因为有 {report.skipped} 行无法导入（第一处：{first.zh}）",
        )
    if not force and not dry_run:
        previous = fetch_one(con, "select max(imported_at) from imports where sha256 = ?", [form.sha256])[0]
        if previous is not None:
            report.already_imported_at = previous
            report.issues = []
            return report

    if not dry_run and len(rows) >= BULK_ROWS and not in_transaction(con):
        snapshot_beside(con, "before-import")  # a bulk change: keep the state before it (a mail
        # import takes its snapshot before the message it is part of)
    memory = dict(seen) if seen is not None else None  # what this file sets, kept once it is committed
    with transaction(con, commit=not dry_run):
        _store(con, config, report, rows, actor=actor, undated_day=received_on or today, seen=memory)
    if dry_run:
        report.import_id = None
    elif seen is not None and memory is not None:
        seen.update(memory)
    return report


def applied_order(results: list[tuple[str, ImportReport | DelegationError]], lang: str) -> str:
    """One sentence naming the order the files of a set were applied in, with their dates."""
    named = []
    for name, result in results:
        if isinstance(result, DelegationError):
            continue
        day = result.form_day.isoformat() if result.form_day else ("无日期" if lang == "zh" else "no date")
        named.append(f"{name}（{day}）" if lang == "zh" else f"{name} ({day})")
    if lang == "zh":
        return f"按报名表日期先后导入：{'、'.join(named)}。"
    return f"Applied in the order of the forms' dates: {', '.join(named)}."


def import_uploads(
    con: duckdb.DuckDBPyConnection, config: EventConfig, uploads: list[tuple[str, bytes]], **options: object
) -> list[tuple[str, ImportReport | DelegationError]]:
    """Import files received together as bytes (one upload in the app), as `import_files` does."""
    with tempfile.TemporaryDirectory(prefix="delegation-upload-") as folder:
        files = []
        for n, (file_name, data) in enumerate(uploads):
            shown = safe_name(file_name)
            place = Path(folder) / str(n)  # two uploads may share a name
            try:
                place.mkdir()
                (place / shown).write_bytes(data)
            except OSError as exc:  # a full or read-only temporary disk
                raise DelegationError(
                    f"{shown}: the upload could not be saved for reading ({exc.strerror}); nothing was imported.",
                    f"{shown}：上传的文件无法保存以供读取（{exc.strerror}），未导入任何内容。",
                ) from None
            files.append((place / shown, shown))
        return import_files(con, config, files, **options)


def issues_frame(report: ImportReport, lang: str) -> pd.DataFrame:
    """The report's skipped rows and warnings as a table in `lang`."""
    import pandas as pd

    return pd.DataFrame(
        {
            "sheet": [i.sheet for i in report.issues],
            "row_number": [i.row_number for i in report.issues],
            "severity": [i.severity for i in report.issues],
            "reason": [i.zh if lang == "zh" else i.en for i in report.issues],
        }
    )


def changes_frame(report: ImportReport, lang: str, config: EventConfig) -> pd.DataFrame:
    """Every field the file changed, as a table in `lang`: who, what, from, to."""
    import pandas as pd

    return pd.DataFrame(
        {
            "unit_name": [c.unit for c in report.changes],
            "participant_name": [c.person or label("documents.unit_itself", lang) for c in report.changes],
            "field": [FIELD_LABELS.get(c.field, (c.field, c.field))[lang != "zh"] for c in report.changes],
            "before": [value_words(c.before, lang, c.field, config) for c in report.changes],
            "after": [value_words(c.after, lang, c.field, config) for c in report.changes],
        }
    )


def _parse(
    path: Path, name: str, config: EventConfig, today: dt.date, checked: bool
) -> tuple[Rows, list[Issue], int]:
    """The clean rows of every sheet with a header, the issues found, and how many rows were read
    (`checked`: as `read_sheets` takes it)."""
    sheets = read_sheets(path, config, formulas=worker.receive if checked else None)
    rows = Rows()
    issues: list[Issue] = []
    found_header = False
    hidden: list[str] = []
    unitless: list[str] = []
    forms = index = 0
    for sheet in sheets:
        for en, zh in sheet.notes:  # what the reader saw and could not read (a Word form's text box)
            issues.append(_sheet_warning(sheet.name, None, "not_read", en, zh))
        layout = find_layout(sheet, config)
        if layout is None:
            continue
        if sheet.hidden:  # perhaps an old copy kept out of sight: staff see and check only what shows
            hidden.append(sheet.name)
            issues.append(
                _sheet_warning(
                    sheet.name,
                    None,
                    "hidden_sheet",
                    "is hidden in the workbook and was not imported; "
                    "unhide it in Excel and import again if it belongs to the form.",
                    "在工作簿中被隐藏，未导入；如属报名表内容，请在 Excel 中取消隐藏后重新导入。",
                )
            )
            continue
        found_header = True
        if "unit_name" not in layout.columns.values() and "unit_name" not in layout.defaults:
            unitless.append(sheet.name)  # a list of contacts beside the form, or a form without units
            continue
        forms += 1
        raws = records(sheet, layout, config)
        if layout.platform == "wjx" and _option_numbers(raws):
            raise refuse(
                name,
                "this is 问卷星's download by option numbers (按序号下载), where answers are numbers; "
                "download the answers as text (按文本下载) and import that file.",
                "这是问卷星“按序号下载”的文件，答案为选项序号；请改用“按文本下载”，再导入该文件。",
            )
        issues.extend(_repeated_issues(sheet, layout, raws.row_numbers))
        sheet_rows, sheet_issues = normalise_records(raws, config, index, today)
        rows.extend(sheet_rows)
        issues.extend(sheet_issues)
        index += len(raws)
    if hidden and not forms:
        raise refuse(
            name,
            f"the form is on a hidden sheet ('{hidden[0]}'); unhide it in Excel and import again.",
            f"报名表位于隐藏的工作表（“{hidden[0]}”）；请在 Excel 中取消隐藏后重新导入。",
        )
    if unitless and not forms:
        raise refuse(
            name,
            f"sheet '{unitless[0]}' has no column for the unit (单位名称 / Unit name), which every row needs.",
            f"工作表“{unitless[0]}”缺少必填列：单位名称（Unit name）。",
        )
    for sheet_name in unitless:
        issues.append(
            _sheet_warning(
                sheet_name,
                None,
                "no_unit_column",
                "names people but has no column for the unit (单位名称 / Unit name); it was not imported.",
                "列有人员但缺少单位名称（Unit name）列，未导入。",
            )
        )
    if not found_header:
        if all(not any(str(c).strip() for r in s.rows for c in r) for s in sheets):
            raise refuse(name, "the file has no data in it.", "文件中没有数据。")
        raise refuse(
            name,
            f"no sheet has a recognisable header row in its first {config.header_search_rows} rows "
            "(a row naming at least the participant's name, e.g. 姓名 or Name, and one more field).",
            f"各工作表前 {config.header_search_rows} 行中没有可识别的表头行（至少需要“姓名/Name”及另一个字段）。",
        )
    if not len(rows) and not issues:
        raise refuse(
            name,
            "the header was found but there are no participant rows under it.",
            "找到了表头，但表头下没有参团人员数据。",
        )
    return rows, issues, index


def _units_by_code(con: duckdb.DuckDBPyConnection, config: EventConfig, rows: Rows) -> None:
    """Rows whose per-unit link named a known unit (`links.unit_code`) are filed under that unit,
    whatever name was typed in the form."""
    if not any(rows.unit_code):
        return
    from delegation.links import unit_code

    known = {
        unit_code(config, key): (name, key)
        for name, key in con.execute("select name, name_key from units").fetchall()
    }
    for i, code in enumerate(rows.unit_code):
        if code in known:
            rows.unit["name"][i], rows.unit["name_key"][i] = known[code]


def _option_numbers(raws) -> bool:
    """Whether a 问卷星 export's choice answers are option numbers: a gender or yes/no column
    holding nothing but whole numbers, one of them 2 or more (yes/no as 1/0 is still yes/no)."""
    for key, cells in raws.values.items():
        field = FIELDS_BY_KEY.get(key)
        if field is None or field.kind not in ("gender", "yes_no"):
            continue
        filled = [clean(c) for c in cells if clean(c)]
        if filled and all(v.isdigit() for v in filled) and any(int(v) >= 2 for v in filled):
            return True
    return False


def _repeated_issues(sheet: Sheet, layout: SheetLayout, data_rows: list[int]) -> list[Issue]:
    """A warning for each column left out because another has the same heading, when it holds
    values in the sheet's data rows (`data_rows`, 1-based; not a header repeated on a printed page)."""
    issues = []
    row = sheet.rows[layout.header_row]
    for left_out, read in layout.repeated.items():
        cells = (sheet.rows[n - 1] for n in data_rows)
        if not any(clean(r[left_out]) for r in cells if left_out < len(r)):
            continue
        heading = " ".join(clean(row[left_out]).split())
        number, left, used = layout.header_row + 1, column_letter(left_out), column_letter(read)
        issues.append(
            _sheet_warning(
                sheet.name,
                number,
                "repeated_column",
                f"column {left} ('{heading}') is the same field as column {used}; only column {used} was imported.",
                f"第 {left} 列（“{heading}”）与第 {used} 列是同一字段；只导入了第 {used} 列。",
            )
        )
    return issues


def _store(
    con: duckdb.DuckDBPyConnection,
    config: EventConfig,
    report: ImportReport,
    rows: Rows,
    *,
    actor: str,
    undated_day: dt.date,  # the registration day of a row the form gives none
    seen: SetBy | None = None,
) -> None:
    now = dt.datetime.now().replace(microsecond=0)
    import_id = fetch_one(con, "select nextval('import_id_seq')")[0]
    report.import_id = import_id
    days = registration_days(rows, undated_day)
    _units_by_code(con, config, rows)
    units, new_unit_ids, changed_units, unit_audit = _merge_units(con, rows, days)
    unit_ids = [units[key]["unit_id"] for key in rows.unit["name_key"]]

    values = rows.participant
    passports, name_keys, names = values["passport_number"], values["name_key"], values["name"]
    as_added = _as_added(rows, unit_ids, days, import_id)
    by_id, by_passport, by_name = _load_participants(con, rows, unit_ids)
    unit_names = {u["unit_id"]: u["name"] for u in units.values()}  # for moved-passport warnings
    added: dict[int, int] = {}  # a new participant's temporary id → the row that adds it
    updated: dict[int, dict] = {}
    before_update: dict[int, dict] = {}
    issue_participant: list[int] = []  # the participant each row became
    last_row: dict[int, int] = {}  # the row that last changed a participant

    def passport_of(pid: int) -> str | None:
        record = by_id.get(pid)
        return record.get("passport_number") if record is not None else passports[added[pid]]

    for i, passport in enumerate(passports):
        unit_id = unit_ids[i]
        name_key = (unit_id, name_keys[i])
        pid = by_passport.get(passport) if passport else None
        if pid is None:
            candidate = by_name.get(name_key)
            if candidate is not None:
                existing_passport = passport_of(candidate)
                if not passport or not existing_passport or existing_passport == passport:
                    pid = candidate
        if pid is None:
            pid = -1 - len(added)  # a real id is allocated in bulk when the rows are written
            added[pid] = i
            report.added += 1
        else:  # a stored participant, or one an earlier row of this file added
            record = by_id.get(pid)
            if record is None:
                record = by_id[pid] = {c: v[added[pid]] for c, v in as_added.items()}
            before = {c: record.get(c) for c in PARTICIPANT_COLUMNS}
            if record["unit_id"] != unit_id:
                report.issues.append(_moved_issue(rows, i, unit_names[record["unit_id"]]))
            if record.get("name_key") != name_keys[i]:  # the same passport under another name
                report.issues.append(_renamed_issue(rows, i, record["name"], names[i]))
                record["name_key"] = name_keys[i]
                record["pinyin_name"] = None  # the old name's pinyin; the row's own, if any, follows
            record["unit_id"] = unit_id
            for column in rows.present[i]:
                value = values[column][i]
                if (
                    column == "registered_on"
                    and record.get(column)
                    and (value is None or value > record[column])
                ):
                    continue  # a person registered once: a later form (a correction) keeps that day
                if column in BOOLEAN_FIELDS or value not in (None, "", []):
                    record[column] = value
            record["name"] = names[i]
            after = {c: record.get(c) for c in PARTICIPANT_COLUMNS}
            if after != before:
                record.update(
                    source_import_id=import_id, source_sheet=rows.sheet[i], source_row=rows.row_number[i]
                )
                if pid not in added:
                    updated[pid] = record
                    before_update.setdefault(pid, before)
                    last_row[pid] = i
                report.updated += 1
        if passport:
            by_passport[passport] = pid
        by_name[name_key] = pid
        issue_participant.append(pid)

    new_participants = None
    if added:
        ids = [
            r[0]
            for r in con.execute(
                "select nextval('participant_id_seq') from range(?)", [len(added)]
            ).fetchall()
        ]
        real = dict(zip(added, ids, strict=True))
        issue_participant = [real.get(pid, pid) for pid in issue_participant]
        new_participants = _added_columns(as_added, added, by_id, ids)
    changes = []
    changed_columns: set[str] = set()  # what any stored participant's update changes
    by_unit_id = {u["unit_id"]: u for u in units.values()}
    unit_rows = {key: i for i, key in enumerate(rows.unit["name_key"])}  # each unit's last row
    for pid, before in before_update.items():
        after = {c: updated[pid].get(c) for c in PARTICIPANT_COLUMNS}
        changed = {c: (before[c], after[c]) for c in PARTICIPANT_COLUMNS if before[c] != after[c]}
        changed_columns.update(changed)
        changes.append(("participant.update", f"participant:{pid}", _changes(import_id, changed)))
        unit_name = by_unit_id[after["unit_id"]]["name"]
        _report_changes(
            report,
            rows,
            last_row[pid],
            ("participants", pid),
            unit_name,
            after["name"],
            changed,
            seen,
            config,
        )
    for unit_id, before in unit_audit.items():
        after = changed_units[unit_id]
        changed = {
            c: (before.get(c), after.get(c))
            for c in (*UNIT_COLUMNS, "registered_on")
            if before.get(c) != after.get(c)
        }
        changes.append(("unit.update", f"unit:{unit_id}", _changes(import_id, changed)))
        row = unit_rows[after["name_key"]]
        conflicts = _report_changes(
            report, rows, row, ("units", unit_id), after["name"], None, changed, seen, config
        )
        for column in CONTACT_COLUMNS:  # two forms disagree on the contact (a conflict says so already)
            if before.get(column) not in (None, "") and column in changed and column not in conflicts:
                report.issues.append(_contact_issue(rows, row, column, after["name"]))
    if seen is not None:  # what this file set, for the files of the same set after it
        day = report.form_day
        for unit in units.values():
            if unit["unit_id"] in new_unit_ids:
                for c in UNIT_COLUMNS:
                    if unit.get(c) not in (None, ""):
                        seen[("units", unit["unit_id"], c)] = (
                            report.file_name,
                            day,
                            _masked(c, unit[c]),
                        )
        if new_participants:
            for c in REMEMBERED:
                for pid, value in zip(new_participants["participant_id"], new_participants[c], strict=True):
                    if value not in (None, "", []) and not (c in BOOLEAN_FIELDS and not value):
                        seen[("participants", pid, c)] = (report.file_name, day, _masked(c, value))
    _write_units(con, units, new_unit_ids, changed_units, now)
    _write_participants(con, new_participants, updated, changed_columns, now)
    append_audits(con, actor, changes, at=now)

    report.unchanged = len(rows) - report.added - report.updated
    _write_import(con, report, import_id, now, actor, issue_participant, rows)


CONTACT_COLUMNS = ("contact_name", "contact_mobile", "contact_email")
# What a later file of the same set may be told it changed (not the name, its key, or the day:
# a correction keeps the first registration day).
REMEMBERED = tuple(c for c in PARTICIPANT_FIELDS if c not in ("name", "name_key", "registered_on"))


def _masked(column: str, value: object) -> object:
    """A value as the report and the audit log show it: personal ones masked, lists as lists."""
    shown = masked(column, value)
    return list(shown) if isinstance(shown, tuple) else shown


def _report_changes(
    report: ImportReport,
    rows: Rows,
    row: int,
    target: tuple[str, int],
    unit: str,
    person: str | None,
    changed: dict[str, tuple[object, object]],
    seen: SetBy | None,
    config: EventConfig,
) -> set[str]:
    """Name every field the file changed in its report, from → to; a value an earlier file of the
    same set had just set is a conflict, reported for staff to settle (this file's value is kept).
    Returns the fields in conflict."""
    conflicts = set()
    for column, (before, after) in changed.items():
        if column in ("name_key", "unit_id"):
            continue
        shown_before, shown_after = _masked(column, before), _masked(column, after)
        report.changes.append(Change(unit, person, column, shown_before, shown_after))
        if seen is None or column == "registered_on":
            continue
        key = (*target, column)
        earlier = seen.get(key)
        if earlier is not None and earlier[0] != report.file_name and earlier[2] != shown_after:
            report.issues.append(
                _conflict_issue(rows, row, column, unit, person, earlier, report, shown_after, config)
            )
            conflicts.add(column)
        seen[key] = (report.file_name, report.form_day, shown_after)
    return conflicts


def _conflict_issue(
    rows: Rows,
    i: int,
    column: str,
    unit: str,
    person: str | None,
    earlier: tuple[str, dt.date | None, object],
    report: ImportReport,
    value: object,
    config: EventConfig,
) -> Issue:
    zh_label, en_label = FIELD_LABELS.get(column, (column, column))
    file, day, before = earlier

    def dated(name: str, when: dt.date | None, lang: str) -> str:
        if when is None:
            return f"“{name}”" if lang == "zh" else f"'{name}'"
        return f"“{name}”（{when.isoformat()}）" if lang == "zh" else f"'{name}' ({when.isoformat()})"

    who_zh = f"{person}的" if person else f"单位“{unit}”的"
    what_en = f"{person}'s {en_label}" if person else f"the {en_label} of the unit '{unit}'"
    this_zh, this_en = (
        dated(report.file_name, report.form_day, "zh"),
        dated(report.file_name, report.form_day, "en"),
    )
    return _row_warning(
        rows,
        i,
        column,
        "conflict",
        f"{what_en} was set to '{value_words(before, 'en', column, config)}' by {dated(file, day, 'en')} and is "
        f"'{value_words(value, 'en', column, config)}' in {this_en}; the later form's is kept — check which is right.",
        f"{who_zh}{zh_label}在{dated(file, day, 'zh')}中为“{value_words(before, 'zh', column, config)}”，在{this_zh}中为"
        f"“{value_words(value, 'zh', column, config)}”；已采用较晚的报名表，请核对哪个正确。",
    )


def _contact_issue(rows: Rows, i: int, column: str, unit: str) -> Issue:
    zh_label, en_label = FIELD_LABELS[column]
    return _row_warning(
        rows,
        i,
        column,
        "contact_changed",
        f"the unit '{unit}' had another {en_label} from an earlier form; this form's is kept — check which is right.",
        f"单位“{unit}”此前的报名表填写了不同的{zh_label}；已采用本表的，请核对哪个正确。",
    )


def _merge_units(
    con: duckdb.DuckDBPyConnection, rows: Rows, days: list[dt.date]
) -> tuple[dict[str, dict], set[int], dict[int, dict], dict[int, dict]]:
    """Every unit by name key with the rows' values merged in (a later non-empty value wins, the
    earliest registration day stays), the ids of new units, the stored units that changed, and
    those as they were before."""
    units = _load_units(con)
    keys = rows.unit["name_key"]
    new_keys = list(dict.fromkeys(k for k in keys if k not in units))
    fresh_ids = iter(
        [r[0] for r in con.execute("select nextval('unit_id_seq') from range(?)", [len(new_keys)]).fetchall()]
    )  # one round trip for every new unit's id
    new_unit_ids: set[int] = set()
    changed_units: dict[int, dict] = {}
    unit_audit: dict[int, dict] = {}
    names = rows.unit["name"]
    said = list(zip(*(rows.unit[c] for c in UNIT_COLUMNS), days, strict=True))
    last: dict[str, tuple] = {}  # what the unit's previous row said: saying it again changes nothing
    for i, key in enumerate(keys):
        values = said[i]
        if last.get(key) == values:
            continue
        last[key] = values
        *fields, day = values
        unit = units.get(key)
        if unit is None:
            unit_id = next(fresh_ids)
            unit = {"unit_id": unit_id, "name": names[i], "name_key": key, "registered_on": day}
            unit.update(zip(UNIT_COLUMNS, fields, strict=True))
            units[key] = unit
            new_unit_ids.add(unit_id)
            continue
        before = dict(unit)
        for column, value in zip(UNIT_COLUMNS, fields, strict=True):
            if value not in (None, "") and unit.get(column) != value:
                unit[column] = value
        if unit.get("registered_on") is None or day < unit["registered_on"]:
            unit["registered_on"] = day
        if unit != before and unit["unit_id"] not in new_unit_ids:
            changed_units[unit["unit_id"]] = unit
            unit_audit.setdefault(unit["unit_id"], before)
    return units, new_unit_ids, changed_units, unit_audit


def _as_added(rows: Rows, unit_ids: list[int], days: list[dt.date], import_id: int) -> dict[str, list]:
    """Every row as the participant it would add, column by column (no id yet)."""
    return {
        **rows.participant,
        "unit_id": unit_ids,
        "registered_on": days,
        "source_import_id": [import_id] * len(rows),
        "source_sheet": rows.sheet,
        "source_row": rows.row_number,
    }


def _added_columns(
    as_added: dict[str, list], added: dict[int, int], records: dict[int, dict], ids: list[int]
) -> dict[str, list]:
    """The new participants as columns, taken from the rows they come from; those a later row of
    the file changed come from their records."""
    at = list(added.values())
    columns = {c: list(map(values.__getitem__, at)) for c, values in as_added.items()}
    for position, temp in enumerate(added):
        record = records.get(temp)
        if record is not None:
            for c, values in columns.items():
                values[position] = record[c]
    columns["participant_id"] = ids
    return columns


def _row_warning(rows: Rows, i: int, column: str, code: str, en: str, zh: str) -> Issue:
    """A warning about kept row `i`, its sentence prefixed with the sheet and row."""
    return _sheet_warning(rows.sheet[i], rows.row_number[i], code, en, zh, column)


def _sheet_warning(
    sheet: str, number: int | None, code: str, en: str, zh: str, column: str | None = None
) -> Issue:
    """A warning about a sheet, or one of its rows when `number` is given: the sentence is
    prefixed with "sheet 'S', row N: " (or "sheet 'S' ", which the sentence goes on from)."""
    if number is None:
        return Issue(sheet, None, column, "warning", code, f"sheet '{sheet}' {en}", f"工作表“{sheet}”{zh}")
    return Issue(
        sheet,
        number,
        column,
        "warning",
        code,
        f"sheet '{sheet}', row {number}: {en}",
        f"工作表“{sheet}”第 {number} 行：{zh}",
    )


def _moved_issue(rows: Rows, i: int, old: str) -> Issue:
    new = rows.unit["name"][i]
    return _row_warning(
        rows,
        i,
        "passport_number",
        "passport_moved_unit",
        f"this passport number was registered under '{old}' and is now under '{new}'.",
        f"该护照号码原登记在“{old}”，现改为“{new}”。",
    )


def _renamed_issue(rows: Rows, i: int, old: str, new: str) -> Issue:
    return _row_warning(
        rows,
        i,
        "name",
        "passport_renamed",
        f"this passport number belongs to '{old}', who is now named '{new}'.",
        f"该护照号码属于“{old}”，现改名为“{new}”。",
    )


def _load_units(con: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    columns = ("unit_id", "name", "name_key", *UNIT_COLUMNS, "registered_on")
    result = con.execute(f"select {', '.join(columns)} from units").fetchall()
    return {r[2]: dict(zip(columns, r, strict=True)) for r in result}


def _load_participants(
    con: duckdb.DuckDBPyConnection, rows: Rows, unit_ids: list[int]
) -> tuple[dict[int, dict], dict[str, int], dict[tuple[int, str], int]]:
    """The existing participants any row might name, indexed by passport and by (unit, name).

    The smaller side crosses over: a form's keys go to DuckDB, or, when fewer participants are
    stored than the file has rows (a first bulk load), their keys come to Python.
    """
    passports = set(filter(None, rows.participant["passport_number"]))
    names = set(zip(unit_ids, rows.participant["name_key"], strict=True))
    columns = ("participant_id", *PARTICIPANT_COLUMNS)
    select = f"select {', '.join('p.' + c for c in columns)} from participants p "
    if fetch_one(con, "select count(*) from participants")[0] <= len(rows):
        keys = con.execute("select participant_id, passport_number, unit_id, name_key from participants")
        wanted = [
            pid for pid, passport, *name in keys.fetchall() if passport in passports or tuple(name) in names
        ]
        result = con.execute(
            f"{select} where p.participant_id in (select unnest($ids::integer[])) order by p.participant_id",
            {"ids": wanted},
        ).fetchall()
    else:
        names = sorted(names)
        result = con.execute(
            f"{select} where p.passport_number in (select unnest($passports::varchar[])) "
            "or (p.unit_id, p.name_key) in (select (u, k) from "
            "(select unnest($unit_ids::integer[]) as u, unnest($name_keys::varchar[]) as k)) "
            "order by p.participant_id",
            {
                "passports": sorted(passports),
                "unit_ids": [n[0] for n in names],
                "name_keys": [n[1] for n in names],
            },
        ).fetchall()
    by_id: dict[int, dict] = {}
    by_passport: dict[str, int] = {}
    by_name: dict[tuple[int, str], int] = {}
    for r in result:
        record = dict(zip(columns, r, strict=True))
        record["themes"] = list(record["themes"] or [])
        record["cities"] = list(record["cities"] or [])
        by_id[record["participant_id"]] = record
        if record["passport_number"]:
            by_passport.setdefault(record["passport_number"], record["participant_id"])
        by_name.setdefault((record["unit_id"], record["name_key"]), record["participant_id"])
    return by_id, by_passport, by_name


def _write_units(
    con: duckdb.DuckDBPyConnection,
    units: dict[str, dict],
    new_ids: set[int],
    changed: dict[int, dict],
    now: dt.datetime,
) -> None:
    touched = [u for u in units.values() if u["unit_id"] in new_ids or u["unit_id"] in changed]
    texts = search_texts(*([u.get(c) for u in touched] for c in UNIT_SEARCH_COLUMNS))
    for unit, text in zip(touched, texts, strict=True):
        unit["search_text"] = text
    columns = ("unit_id", "name", "name_key", *UNIT_COLUMNS, "registered_on", "search_text")
    new = [u for u in units.values() if u["unit_id"] in new_ids]
    if new:  # thousands of new units in one statement
        select, params = _rows(new, columns)
        con.execute(
            f"insert into units ({', '.join(columns)}, created_at) select *, $now::timestamp from (select {select})",
            {**params, "now": now},
        )
    if changed:
        select, params = _rows(list(changed.values()), columns)
        sets = ", ".join(f"{c} = u.{c}" for c in columns[3:])
        con.execute(
            f"update units set {sets}, updated_at = $now::timestamp from (select {select}) u "
            "where units.unit_id = u.unit_id",
            {**params, "now": now},
        )


def _write_participants(
    con: duckdb.DuckDBPyConnection,
    added: dict[str, list] | None,
    updated: dict[int, dict],
    changed_columns: set[str],
    now: dt.datetime,
) -> None:
    """Insert the new participants (columns) and update the changed ones (records: the columns
    `changed_columns` names, their source and search text), search text worked out for both."""
    columns = (
        "participant_id",
        *PARTICIPANT_COLUMNS,
        "source_import_id",
        "source_sheet",
        "source_row",
        "search_text",
    )
    records = list(updated.values())
    texts = search_texts(
        *([*(added[c] if added else ()), *(r[c] for r in records)] for c in PARTICIPANT_SEARCH_COLUMNS)
    )
    count = len(texts) - len(records)
    for record, text in zip(records, texts[count:], strict=True):
        record["search_text"] = text
    if added:
        added["search_text"] = texts[:count]
        select, params = _unnest(added, columns)
        con.execute(
            f"insert into participants ({', '.join(columns)}, created_at) "
            f"select *, $now::timestamp from (select {select})",
            {**params, "now": now},
        )
    if updated:  # DuckDB rewrites each updated column: only those that changed (lists are slow)
        written = tuple(c for c in columns if c not in PARTICIPANT_COLUMNS or c in changed_columns)
        select, params = _rows(records, written)
        sets = ", ".join(f"{c} = u.{c}" for c in written[1:])
        con.execute(
            f"update participants set {sets}, updated_at = $now::timestamp "
            f"from (select {select}) u where participants.participant_id = u.participant_id",
            {**params, "now": now},
        )


def _changes(import_id: int, changed: dict[str, tuple[object, object]]) -> dict:
    return {"import_id": import_id, **masked_changes(changed)}


def _write_import(
    con: duckdb.DuckDBPyConnection,
    report: ImportReport,
    import_id: int,
    now: dt.datetime,
    actor: str,
    issue_participant: list[int],
    rows: Rows,
) -> None:
    con.execute(
        "insert into imports values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            import_id,
            report.file_name,
            report.sha256,
            report.size_bytes,
            report.rows_read,
            report.added,
            report.updated,
            report.unchanged,
            report.skipped,
            report.warnings,
            now,
            actor,
        ],
    )
    # Row indexes in issues count every parsed row; map the kept ones to their stored participant.
    kept_row_numbers = {at: i for i, at in enumerate(zip(rows.sheet, rows.row_number, strict=True))}
    issues = report.issues
    participants = []
    for issue in issues:
        kept = kept_row_numbers.get((issue.sheet, issue.row_number))
        participants.append(
            issue_participant[kept] if kept is not None and issue.severity == "warning" else None
        )
    if issues:  # one statement for all of them (executemany costs a round trip per row)
        columns = {
            "sheet": [i.sheet for i in issues],
            "row_number": [i.row_number for i in issues],
            "column_name": [i.column for i in issues],
            "severity": [i.severity for i in issues],
            "code": [i.code for i in issues],
            "message_en": [i.en for i in issues],
            "message_zh": [i.zh for i in issues],
            "participant_id": participants,
        }
        select, params = _unnest(columns, tuple(columns))
        con.execute(
            f"insert into import_issues (import_id, file_name, {', '.join(columns)}) "
            f"select $import_id::integer, $file_name::varchar, * from (select {select})",
            {**params, "import_id": import_id, "file_name": report.file_name},
        )
    details = {
        "import_id": import_id,
        "file": report.file_name,
        "sha256": report.sha256,
        "rows_read": report.rows_read,
        "added": report.added,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "skipped": report.skipped,
    }
    append_audit(con, actor, "import", f"import:{import_id}", at=now, details=details)
