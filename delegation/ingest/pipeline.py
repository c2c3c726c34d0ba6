"""Importing forms: each read (`reading`), matched to what is stored (`matching`) and written
(`storing`) in one transaction, with a report of what it did (`report`).

`import_files` imports the forms of one upload or one command, in the order of their dates (the CLI
and the app); `import_file` one form alone (the inbox watcher); both read with `read_form` and
store with `store_form`.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
import traceback
from pathlib import Path

import duckdb

from delegation import sandbox
from delegation.backups import BULK_ROWS, snapshot_beside
from delegation.config import EventConfig
from delegation.db import append_audits, fetch_one, in_transaction, transaction
from delegation.errors import DelegationError
from delegation.i18n import Both
from delegation.ingest import matching, storing
from delegation.ingest.matching import SetBy
from delegation.ingest.reading import Form, read_form
from delegation.ingest.report import ImportReport
from delegation.ingest.rows import Rows, registration_days
from delegation.text import safe_name


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
            "ingest.received_after_today", received=received_on.isoformat(), today=today.isoformat()
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
    for position, form in enumerate(forms, start=1):
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
                more_follow=position < len(forms),
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
    return DelegationError("ingest.unexpected", name=name, kind=type(exc).__name__)


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
    more_follow: bool = True,
) -> ImportReport:
    """Store a form read by `read_form` in one transaction (rolled back on a dry run). A row the
    form gives no registration day registers on `received_on` (the day the file came in, when
    known), else on `today`. `seen`: what the earlier files of the same set set, checked for
    conflicts and added to; `more_follow`: whether files of the set come after this one (the
    last one's new units and participants need not be remembered: 50 000 new people took 0.6–0.8 s)."""
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
            "ingest.strict", name=name, skipped=report.skipped, first=Both(first.en, first.zh)
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
        _store(
            con,
            config,
            report,
            rows,
            actor=actor,
            undated_day=received_on or today,
            seen=memory,
            remember=more_follow,
        )
    if dry_run:
        report.import_id = None
    elif seen is not None and memory is not None:
        seen.update(memory)
    return report


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
                raise DelegationError("ingest.upload_not_saved", name=shown, reason=exc.strerror) from None
            files.append((place / shown, shown))
        return import_files(con, config, files, **options)


def _store(
    con: duckdb.DuckDBPyConnection,
    config: EventConfig,
    report: ImportReport,
    rows: Rows,
    *,
    actor: str,
    undated_day: dt.date,  # the registration day of a row the form gives none
    seen: SetBy | None = None,
    remember: bool = True,  # what this file adds goes into `seen`, for the files after it
) -> None:
    now = dt.datetime.now().replace(microsecond=0)
    import_id = fetch_one(con, "select nextval('import_id_seq')")[0]
    report.import_id = import_id
    days = registration_days(rows, undated_day)
    matching.units_by_code(con, config, rows)
    units, new_unit_ids, changed_units, unit_audit = matching.merge_units(con, rows, days)
    unit_ids = [units[key]["unit_id"] for key in rows.unit["name_key"]]
    as_added = storing.as_added(rows, unit_ids, days, import_id)
    m = matching.match_participants(con, report, rows, unit_ids, units, as_added, import_id)

    row_participant, new_participants = m.row_participant, None
    if m.added:
        ids = [
            r[0]
            for r in con.execute(
                "select nextval('participant_id_seq') from range(?)", [len(m.added)]
            ).fetchall()
        ]
        real = dict(zip(m.added, ids, strict=True))
        row_participant = [real.get(pid, pid) for pid in row_participant]
        new_participants = storing.added_columns(as_added, m.added, m.by_id, ids)
    changes, changed_columns = matching.changes_made(
        report, rows, import_id, units, changed_units, unit_audit, m, seen, config
    )
    if seen is not None and remember:  # what this file set, for the files of the same set after it
        matching.remember_new(report, units, new_unit_ids, new_participants, seen)
    storing.write_units(con, units, new_unit_ids, changed_units, now)
    storing.write_participants(con, new_participants, m.updated, changed_columns, now)
    append_audits(con, actor, changes, at=now)

    report.unchanged = len(rows) - report.added - report.updated
    storing.write_import(con, report, import_id, now, actor, row_participant, rows)
