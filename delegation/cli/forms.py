"""`import FILE…`: registration forms into the database, a report per file.

The first form starts reading in a worker process (which imports the readers) while DuckDB and the
importer are imported and the database opens: so this module imports nothing that loads DuckDB at
its top, and the handler imports the database side once the worker has started.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from delegation import sandbox
from delegation.config import EventConfig, database_path
from delegation.errors import DelegationError
from delegation.i18n import text


def import_forms(args: argparse.Namespace, config: EventConfig, lang: str) -> int:
    """Import each form; its summary, registration day, changes and issues on stdout, a refused
    form's sentence on stderr (status 1). A database this command made is removed again when
    nothing was kept in it (a dry run, every form refused)."""
    files = [(Path(name), Path(name).name) for name in args.files]
    today = dt.date.today()
    first = sandbox.begin_read_form(config, files[0][0], today=today, file_name=files[0][1])
    # Imported here, once the worker above has started: these load DuckDB and the importer.
    from delegation.cli.common import warn_exposed
    from delegation.db import connect
    from delegation.ingest import applied_order, import_files

    warn_exposed(args, lang)
    target = database_path(args.db)
    made = [folder for folder in (target, *target.parents) if not folder.exists()]  # what connect creates
    try:
        con = connect(config, args.db, verify=True)  # a damaged file is refused before anything writes to it
    except BaseException:
        first.cancel()
        if made:
            _unmake(made)
        raise
    status = 0
    kept = False
    try:
        results = import_files(
            con,
            config,
            files,
            dry_run=args.dry_run,
            strict=args.strict,
            force=args.force,
            today=today,
            begun=first,
            received_on=args.received_on,
        )
        applied = [name for name, result in results if not isinstance(result, DelegationError)]
        if len(applied) > 1 and applied != [Path(n).name for n in args.files if Path(n).name in applied]:
            print(applied_order(results, lang))
        for _name, result in results:
            if isinstance(result, DelegationError):
                print(result.message(lang), file=sys.stderr)
                status = 1
                continue
            report = result
            kept = kept or not args.dry_run
            print(report.summary(lang))
            if not report.already_imported_at:
                print(f"  {report.day_line(lang)}")
            if not args.quiet:
                for change in report.changes:
                    print(f"  {text('cli.import.changed', lang, change=change.line(lang, config))}")
                for issue in report.issues:
                    said = issue.zh if lang == "zh" else issue.en
                    marker = "cli.import.skipped" if issue.severity == "error" else "cli.import.warning"
                    print(f"  {text(marker, lang, issue=said)}")
    finally:
        con.close()
        if made and not kept:  # a dry run or refused forms leave no new, empty database behind
            _unmake(made)
    return status


def _unmake(made: list[Path]) -> None:
    """Remove a database file this command created, its write-ahead log and the folders made for it."""
    database, *folders = made
    database.with_name(database.name + ".wal").unlink(missing_ok=True)
    database.unlink(missing_ok=True)
    for folder in folders:
        if any(folder.iterdir()):
            break
        folder.rmdir()
