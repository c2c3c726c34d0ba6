"""The command line's grammar: every command, its options, and the handler that runs it.

Each command names its handler as a module of `delegation.cli` and a function there (`Handler`); the
module is imported only when the command runs, so building the parser loads no DuckDB, and `import`
starts its reader worker before DuckDB is imported (see `forms`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple, NoReturn

from delegation import __version__, lists
from delegation.errors import DelegationError, cli_language
from delegation.filters import STATUSES
from delegation.i18n import text

if TYPE_CHECKING:
    from delegation.config import EventConfig

PROG = "python -m delegation"
FORMATS = ("csv", "xlsx")  # what `export` writes


class Handler(NamedTuple):
    """A command's handler: `function` of the module `delegation.cli.<module>`, called with the
    parsed arguments, the event configuration and the language; returns the exit status.
    `starts_worker`: it starts a reader worker before DuckDB loads, and warns about exposed private
    files itself once the worker runs."""

    module: str
    function: str
    starts_worker: bool = False

    def __call__(self, args: argparse.Namespace, config: EventConfig, lang: str) -> int:
        handle = getattr(importlib.import_module(f"delegation.cli.{self.module}"), self.function)
        return handle(args, config, lang)


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistyped command gets one sentence on stderr and status 1, as bad input
    does, instead of argparse's usage lines and status 2 (its subcommands are parsed by this class
    too). `--help` shows the usage."""

    def error(self, message: str) -> NoReturn:
        mistyped = DelegationError("cli.error.mistyped", prog=self.prog, message=message)
        print(mistyped.message(cli_language()), file=sys.stderr)
        sys.exit(1)


class _AccountRoles(Sequence[str]):
    """`access.ROLES`, read when argparse first checks or lists a role: importing `access` (and
    DuckDB with it) while the parser is built would slow every command, `import` most. Its options
    name a `metavar` and list the roles through `%(choices)s` in their help, both read only when
    help is shown (argparse reads the choices for a usage line as the option is added)."""

    def __getitem__(self, index):  # type: ignore[override]
        return _roles()[index]

    def __len__(self) -> int:
        return len(_roles())


_ROLE_HELP = "one of %(choices)s (least to most)"


def _roles() -> tuple[str, ...]:
    from delegation.access import ROLES  # here, not at the top: see _AccountRoles

    return ROLES


def _date(given: str) -> dt.date:
    try:
        return dt.date.fromisoformat(given)
    except ValueError:
        raise argparse.ArgumentTypeError(text("cli.error.not_a_date", cli_language(), given=given)) from None


def _positive(given: str) -> int:
    try:
        value = int(given)
    except ValueError:
        value = 0
    if value <= 0:
        raise argparse.ArgumentTypeError(text("cli.error.not_positive", cli_language(), given=given))
    return value


def _days(given: str) -> int:
    """A positive number of days that still gives a date (at most a hundred years)."""
    value = _positive(given)
    if value > 36_500:
        raise argparse.ArgumentTypeError(text("cli.error.too_many_days", cli_language(), given=given))
    return value


def build_parser() -> argparse.ArgumentParser:
    """Every command of `python -m delegation`, each with its `handler` default."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="database file (default: $DELEGATION_DB, else data/delegation.duckdb)")
    filters = argparse.ArgumentParser(add_help=False)
    filters.add_argument("--as-of", type=_date, help="count registrations up to this day (default today)")
    filters.add_argument("--province", action="append", default=[], help="e.g. Jiangsu (repeatable)")
    filters.add_argument("--sector", action="append", default=[], help="a sector key (repeatable)")
    filters.add_argument("--theme", action="append", default=[], help="a forum theme key (repeatable)")
    filters.add_argument("--city", action="append", default=[], help="a visit city key (repeatable)")
    filters.add_argument("--unit", action="append", default=[], type=int, help="a unit id (repeatable)")
    filters.add_argument(
        "--status", action="append", default=[], choices=STATUSES, help="registration status (repeatable)"
    )
    parser = _Parser(prog=PROG, description="Delegation Desk: registrations into DuckDB.")
    parser.add_argument("--version", action="version", version=__version__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    init = sub.add_parser(
        "init", parents=[common], help="create an empty database and its encryption key file"
    )
    init.set_defaults(handler=Handler("database", "init"))

    demo = sub.add_parser("demo", parents=[common], help="fill a new database with synthetic registrations")
    demo.add_argument("--participants", type=_positive, default=600, help="how many (default 600)")
    demo.add_argument("--seed", type=int, default=2023, help="random seed (default 2023)")
    demo.add_argument("--replace", action="store_true", help="delete the existing registrations first")
    demo.set_defaults(handler=Handler("database", "demo"))

    imp = sub.add_parser("import", parents=[common], help="import registration forms (xlsx, xls, docx, csv)")
    imp.add_argument("files", nargs="+", metavar="FILE")
    imp.add_argument("--dry-run", action="store_true", help="report what would change, change nothing")
    imp.add_argument(
        "--strict", action="store_true", help="refuse a whole file if any row cannot be imported"
    )
    imp.add_argument(
        "--force", action="store_true", help="import a file even if the same content was imported before"
    )
    imp.add_argument("--quiet", action="store_true", help="print only the one-line summary per file")
    imp.add_argument(
        "--received-on",
        type=_date,
        metavar="YYYY-MM-DD",
        help="the day the files came in: rows the form gives no registration day register on it (default: today)",
    )
    imp.set_defaults(handler=Handler("forms", "import_forms", starts_worker=True))

    documents = sub.add_parser("documents", help="documents owed by units and participants")
    documents_sub = documents.add_subparsers(dest="documents_command", required=True, metavar="ACTION")
    scan = documents_sub.add_parser(
        "scan", parents=[common], help="record the scans saved in a folder per unit (e-mail attachments)"
    )
    scan.add_argument("folder", metavar="DIR")
    scan.set_defaults(handler=Handler("intake", "documents_scan"))

    mail = sub.add_parser("mail", help="registration e-mails: saved messages, or the mailbox itself")
    mail_sub = mail.add_subparsers(dest="mail_command", required=True, metavar="ACTION")
    mail_import = mail_sub.add_parser(
        "import", parents=[common], help="import saved messages (.eml files, or mbox files holding many)"
    )
    mail_import.add_argument("files", nargs="+", metavar="FILE")
    mail_import.set_defaults(handler=Handler("intake", "mail_import"))
    mail_fetch = mail_sub.add_parser(
        "fetch", parents=[common], help="read the mailbox (IMAP, set in secrets) and import what is new"
    )
    mail_fetch.add_argument("--once", action="store_true", help="read it once, then stop")
    mail_fetch.set_defaults(handler=Handler("intake", "mail_fetch"))

    export = sub.add_parser(
        "export", parents=[common, filters], help="write a list or the leadership workbook"
    )
    export.add_argument("list", choices=(*lists.REGISTRY, "summary"))
    export.add_argument(
        "--format", choices=FORMATS, help="default: from --out's ending (.csv or .xlsx), else xlsx"
    )
    export.add_argument("--out", required=True, metavar="FILE")
    export.add_argument(
        "--lang", choices=("zh", "en", "both"), default="zh", help="column headers (default zh)"
    )
    export.add_argument("--search", default="", help="the registrations page's search text")
    export.add_argument("--owner", default="", help="one secretariat member's units (documents, chase)")
    export.add_argument(
        "--not-chased-days",
        type=_positive,
        default=0,
        metavar="N",
        help="the chase list: only units not chased in the last N days",
    )
    export.add_argument(
        "--show-full", action="store_true", help="unmasked passport numbers, phones, e-mails and birth dates"
    )
    export.set_defaults(handler=Handler("outputs", "export"))

    template = sub.add_parser("template", help="write the Annex 2 form template (xlsx, or docx for Word)")
    template.add_argument("--out", required=True, metavar="FILE")
    template.add_argument("--format", choices=("xlsx", "docx"), default="xlsx", help="xlsx (default) or docx")
    template.set_defaults(handler=Handler("outputs", "template"))

    check = sub.add_parser(
        "check", parents=[common], help="read every block of the database, so damage is found (read-only)"
    )
    check.set_defaults(handler=Handler("database", "check"))
    backup = sub.add_parser("backup", parents=[common], help="write a consistent snapshot of the database")
    backup.add_argument("--to", metavar="DIR", help="folder (default: backups/ beside the database)")
    backup.set_defaults(handler=Handler("database", "backup"))
    restore = sub.add_parser(
        "restore", parents=[common], help="put a snapshot back (the current state is kept)"
    )
    restore.add_argument("snapshot", metavar="FILE")
    restore.add_argument("--yes", action="store_true", help="really replace the database")
    restore.add_argument(
        "--key", metavar="KEYFILE", help="the backup's key file (default: this database's key file)"
    )
    restore.set_defaults(handler=Handler("database", "restore"))
    keys = sub.add_parser("keys", help="the key that encrypts the stored scans and the backups")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    rotate = keys_sub.add_parser(
        "rotate", parents=[common], help="re-encrypt every scan and backup with a new key"
    )
    rotate.set_defaults(handler=Handler("database", "keys_rotate"))
    audit = sub.add_parser("audit", help="the audit log's hash chain")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    audit_verify = audit_sub.add_parser(
        "verify", parents=[common], help="check that no audit row was changed, removed or inserted"
    )
    audit_verify.add_argument(
        "--backup",
        metavar="FILE",
        help="also check that the log still holds every row it held when this backup was made",
    )
    audit_verify.set_defaults(handler=Handler("database", "audit_verify"))

    watch = sub.add_parser("watch", parents=[common], help="import forms dropped into the inbox folder")
    watch.add_argument(
        "--inbox", metavar="DIR", help="folder (default: $DELEGATION_INBOX, else inbox/ beside the database)"
    )
    watch.add_argument("--once", action="store_true", help="process what is there now, then stop")
    watch.set_defaults(handler=Handler("intake", "watch"))

    purge = sub.add_parser("purge", parents=[common], help="clear personal data once the trip is long over")
    purge.add_argument("--after-days", type=_days, required=True, metavar="N")
    purge.add_argument("--yes", action="store_true", help="really clear (without it: only report)")
    purge.add_argument("--today", type=_date, help=argparse.SUPPRESS)  # rehearsals and tests
    purge.set_defaults(handler=Handler("database", "purge"))

    users = sub.add_parser("users", help="local accounts (data/users.toml, or $DELEGATION_USERS)")
    users_sub = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    users_add = users_sub.add_parser("add", help="add an account (asks for the password twice)")
    users_add.add_argument("name")
    users_add.add_argument("--role", required=True, choices=_AccountRoles(), metavar="ROLE", help=_ROLE_HELP)
    users_add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    users_add.set_defaults(handler=Handler("app", "users_add"))
    users_list = users_sub.add_parser("list", help="the accounts and their roles")
    users_list.set_defaults(handler=Handler("app", "users_list"))
    users_remove = users_sub.add_parser("remove", help="remove an account")
    users_remove.add_argument("name")
    users_remove.set_defaults(handler=Handler("app", "users_remove"))
    users_role = users_sub.add_parser("set-role", help="change an account's role")
    users_role.add_argument("name")
    users_role.add_argument("role", choices=_AccountRoles(), metavar="role", help=_ROLE_HELP)
    users_role.set_defaults(handler=Handler("app", "users_set_role"))

    serve = sub.add_parser("serve", parents=[common], help="start the app (what `make run` does)")
    serve.add_argument("--port", type=_positive, help="port (default 8501)")
    serve.add_argument("--headless", action="store_true", help="do not open a browser")
    serve.add_argument(
        "--address", help="listen on this address (default localhost; others only once accounts exist)"
    )
    serve.set_defaults(handler=Handler("app", "serve"))

    summary = sub.add_parser("summary", parents=[common, filters], help="headline figures")
    summary.add_argument("--json", action="store_true", help="print JSON on one line (default: indented)")
    summary.set_defaults(handler=Handler("outputs", "summary"))
    return parser
