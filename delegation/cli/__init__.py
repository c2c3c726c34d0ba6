"""`python -m delegation …`: the same functions as the app, from a shell.

The parser (`parser.py`) names each command's handler; the handlers live in modules by area
(`database`, `forms`, `intake`, `outputs`, `app`) and each module is imported only when one of its
commands runs. Exit status: 0 success, 1 bad input or a mistyped command (one sentence on stderr).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from delegation.cli.parser import build_parser
from delegation.config import database_path, load_config
from delegation.errors import DelegationError, cli_language
from delegation.private import private_umask

__all__ = ["build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status."""
    args = build_parser().parse_args(argv)
    lang = cli_language()
    private_umask()  # the database, its log, backups and scans this process makes are its owner's only
    try:
        return _run(args, lang)
    except DelegationError as exc:
        print(exc.message(lang), file=sys.stderr)
        return 1
    except OSError as exc:  # a path the system refuses (a folder, /proc, no permission): one sentence
        fault = _storage_fault(exc, args)
        if fault is None:
            reason = exc.strerror or str(exc)
            if exc.filename:
                fault = DelegationError("cli.error.cannot_use", path=exc.filename, reason=reason)
            else:
                fault = DelegationError("cli.error.system_refused", reason=reason)
        print(fault.message(lang), file=sys.stderr)  # a full disk, a read-only folder: said as such
        return 1
    except Exception as exc:  # DuckDB's words for a damaged file or a full disk, met past connect
        fault = _storage_fault(exc, args)
        if fault is None:
            raise  # a bug: its traceback
        print(fault.message(lang), file=sys.stderr)
        return 1
    finally:
        if "delegation.sandbox" in sys.modules:  # its idle readers end with the command
            sys.modules["delegation.sandbox"].stop_all()


def _run(args: argparse.Namespace, lang: str) -> int:
    """Load the configuration, warn about readable private files, then run the command's handler."""
    config = load_config()
    if not args.handler.starts_worker:  # `import` warns itself, once its reader worker has started
        # Imported here, not at the top: exposure loads DuckDB, which `import` must not wait for.
        from delegation.cli.common import warn_exposed

        warn_exposed(args, lang)
    return args.handler(args, config, lang)


def _storage_fault(exc: Exception, args: argparse.Namespace) -> DelegationError | None:
    """The one sentence for a fault of the disk under the database (damaged blocks, a full disk, a
    read-only folder, a file size limit), else None. DuckDB is only asked about if it was loaded."""
    if not isinstance(exc, OSError) and "duckdb" not in sys.modules:
        return None
    if not isinstance(exc, OSError) and not isinstance(exc, sys.modules["duckdb"].Error):
        return None
    # Imported here, not at the top: integrity loads DuckDB, which a command may never need.
    from delegation.integrity import storage_fault

    return storage_fault(exc, database_path(getattr(args, "db", None)))
