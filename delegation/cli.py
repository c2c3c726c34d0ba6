"""`python -m delegation …`: the same functions as the app, from a shell.

Exit status: 0 success, 1 bad input or a mistyped command (one sentence on stderr).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence

from delegation import __version__
from delegation.config import EventConfig, database_path, load_config
from delegation.errors import DelegationError, cli_language
from delegation.filters import STATUSES, Filters

FORMATS = ("csv", "xlsx")  # what `export` writes


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistyped command gets one sentence on stderr and status 1, as bad input
    does, instead of argparse's usage lines and status 2 (its subcommands are parsed by this class
    too). `--help` shows the usage."""

    def error(self, message: str):
        mistyped = DelegationError(
            f"{self.prog}: {message}; run '{self.prog} --help' to see how to use it.",
            f"{self.prog}：命令有误（{message}）；运行“{self.prog} --help”查看用法。",
        )
        print(mistyped.message(cli_language()), file=sys.stderr)
        sys.exit(1)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date in the form YYYY-MM-DD") from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a positive whole number")
    return value


def _days(text: str) -> int:
    """A positive number of days that still gives a date (at most a hundred years)."""
    value = _positive(text)
    if value > 36_500:
        raise argparse.ArgumentTypeError(f"'{text}' days is more than a hundred years")
    return value


def build_parser() -> argparse.ArgumentParser:
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
    parser = _Parser(prog="python -m delegation", description="Delegation Desk: registrations into DuckDB.")
    parser.add_argument("--version", action="version", version=__version__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub.add_parser("init", parents=[common], help="create an empty database and its encryption key file")

    demo = sub.add_parser("demo", parents=[common], help="fill a new database with synthetic registrations")
    demo.add_argument("--participants", type=_positive, default=600, help="how many (default 600)")
    demo.add_argument("--seed", type=int, default=2023, help="random seed (default 2023)")
    demo.add_argument("--replace", action="store_true", help="delete the existing registrations first")

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

    documents = sub.add_parser("documents", help="documents owed by units and participants")
    documents_sub = documents.add_subparsers(dest="documents_command", required=True, metavar="ACTION")
    scan = documents_sub.add_parser(
        "scan", parents=[common], help="record the scans saved in a folder per unit (e-mail attachments)"
    )
    scan.add_argument("folder", metavar="DIR")

    mail = sub.add_parser("mail", help="registration e-mails: saved messages, or the mailbox itself")
    mail_sub = mail.add_subparsers(dest="mail_command", required=True, metavar="ACTION")
    mail_import = mail_sub.add_parser(
        "import", parents=[common], help="import saved messages (.eml files, or mbox files holding many)"
    )
    mail_import.add_argument("files", nargs="+", metavar="FILE")
    mail_fetch = mail_sub.add_parser(
        "fetch", parents=[common], help="read the mailbox (IMAP, set in secrets) and import what is new"
    )
    mail_fetch.add_argument("--once", action="store_true", help="read it once, then stop")

    export = sub.add_parser(
        "export", parents=[common, filters], help="write a list or the leadership workbook"
    )
    export.add_argument(
        "list", choices=("participants", "units", "documents", "chase", "batch", "quality", "summary")
    )
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

    template = sub.add_parser("template", help="write the Annex 2 form template (xlsx, or docx for Word)")
    template.add_argument("--out", required=True, metavar="FILE")
    template.add_argument("--format", choices=("xlsx", "docx"), default="xlsx", help="xlsx (default) or docx")

    sub.add_parser(
        "check", parents=[common], help="read every block of the database, so damage is found (read-only)"
    )
    backup = sub.add_parser("backup", parents=[common], help="write a consistent snapshot of the database")
    backup.add_argument("--to", metavar="DIR", help="folder (default: backups/ beside the database)")
    restore = sub.add_parser(
        "restore", parents=[common], help="put a snapshot back (the current state is kept)"
    )
    restore.add_argument("snapshot", metavar="FILE")
    restore.add_argument("--yes", action="store_true", help="really replace the database")
    restore.add_argument(
        "--key", metavar="KEYFILE", help="the backup's key file (default: this database's key file)"
    )
    keys = sub.add_parser("keys", help="the key that encrypts the stored scans and the backups")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    keys_sub.add_parser("rotate", parents=[common], help="re-encrypt every scan and backup with a new key")
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

    watch = sub.add_parser("watch", parents=[common], help="import forms dropped into the inbox folder")
    watch.add_argument(
        "--inbox", metavar="DIR", help="folder (default: $DELEGATION_INBOX, else inbox/ beside the database)"
    )
    watch.add_argument("--once", action="store_true", help="process what is there now, then stop")

    purge = sub.add_parser("purge", parents=[common], help="clear personal data once the trip is long over")
    purge.add_argument("--after-days", type=_days, required=True, metavar="N")
    purge.add_argument("--yes", action="store_true", help="really clear (without it: only report)")
    purge.add_argument("--today", type=_date, help=argparse.SUPPRESS)  # rehearsals and tests

    users = sub.add_parser("users", help="local accounts (data/users.toml, or $DELEGATION_USERS)")
    users_sub = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    users_add = users_sub.add_parser("add", help="add an account (asks for the password twice)")
    users_add.add_argument("name")
    users_add.add_argument("--role", required=True, choices=("viewer", "staff", "admin"))
    users_add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    users_sub.add_parser("list", help="the accounts and their roles")
    users_remove = users_sub.add_parser("remove", help="remove an account")
    users_remove.add_argument("name")
    users_role = users_sub.add_parser("set-role", help="change an account's role")
    users_role.add_argument("name")
    users_role.add_argument("role", choices=("viewer", "staff", "admin"))

    serve = sub.add_parser("serve", parents=[common], help="start the app (what `make run` does)")
    serve.add_argument("--port", type=_positive, help="port (default 8501)")
    serve.add_argument("--headless", action="store_true", help="do not open a browser")
    serve.add_argument(
        "--address", help="listen on this address (default localhost; others only once accounts exist)"
    )

    summary = sub.add_parser("summary", parents=[common, filters], help="headline figures")
    summary.add_argument("--json", action="store_true", help="print JSON on one line (default: indented)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status."""
    args = build_parser().parse_args(argv)
    lang = cli_language()
    from delegation.private import private_umask

    private_umask()  # the database, its log, backups and scans this process makes are its owner's only
    try:
        return _run(args, lang)
    except DelegationError as exc:
        print(exc.message(lang), file=sys.stderr)
        return 1
    except OSError as exc:  # a path the system refuses (a folder, /proc, no permission): one sentence
        fault = _storage_fault(exc, args)
        if fault is not None:  # a full disk, a read-only folder: said as such
            print(fault.message(lang), file=sys.stderr)
            return 1
        reason = exc.strerror or str(exc)
        if exc.filename:
            en, zh = f"Cannot use {exc.filename}: {reason}.", f"无法使用 {exc.filename}：{reason}。"
        else:
            en, zh = f"The system refused: {reason}.", f"系统拒绝了操作：{reason}。"
        print(zh if lang == "zh" else en, file=sys.stderr)
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


def _storage_fault(exc: Exception, args: argparse.Namespace) -> DelegationError | None:
    """The one sentence for a fault of the disk under the database (damaged blocks, a full disk, a
    read-only folder, a file size limit), else None. DuckDB is only asked about if it was loaded."""
    if not isinstance(exc, OSError) and "duckdb" not in sys.modules:
        return None
    if not isinstance(exc, OSError) and not isinstance(exc, sys.modules["duckdb"].Error):
        return None
    from delegation.integrity import storage_fault

    return storage_fault(exc, database_path(getattr(args, "db", None)))


def _run(args: argparse.Namespace, lang: str) -> int:
    config = load_config()
    if args.command == "import":  # first: it starts reading its form before DuckDB is imported
        return _import(args, config, lang)
    from delegation.db import connect

    _warn_exposed(args, lang)
    if args.command == "init":
        from delegation.keys import keyring

        existed = database_path(args.db).exists()
        con = connect(config, args.db, verify=True)
        try:
            ring = keyring(con, create=True)
        finally:
            con.close()
        print(f"{'Checked' if existed else 'Created'} {database_path(args.db)}")
        print(_key_reminder(ring.path, lang, intro=True))
        return 0
    if args.command == "keys":
        return _keys_rotate(args, config, lang)
    if args.command == "check":
        return _check(args, config, lang)
    if args.command == "audit":
        return _audit_verify(args, config, lang)
    if args.command == "demo":
        return _demo(args, config)
    if args.command == "watch":
        from pathlib import Path

        from delegation import inbox

        folder = Path(args.inbox) if args.inbox else inbox.inbox_folder(args.db)
        con = connect(config, args.db, verify=True)

        def show(outcome: inbox.Outcome) -> None:
            text = outcome.message_zh if lang == "zh" else outcome.message_en
            print(text, file=sys.stdout if outcome.imported else sys.stderr, flush=True)

        try:
            if args.once:
                inbox.wait_to_settle(folder)
                outcomes = inbox.process(con, config, folder, actor="watch")
                for outcome in outcomes:
                    show(outcome)
                return 0 if all(o.imported for o in outcomes) else 1
            print(f"Watching {folder} (Ctrl+C to stop)", flush=True)
            try:
                inbox.watch(con, config, folder, report=show)
            except KeyboardInterrupt:
                return 0
        finally:
            con.close()
        return 0
    if args.command == "backup":
        from pathlib import Path

        from delegation.backup_places import backups_folder
        from delegation.backups import manual_backup
        from delegation.keys import keyring

        con = connect(config, args.db, create=False, verify=True)  # never a backup of a damaged file
        try:
            path = manual_backup(con, Path(args.to) if args.to else backups_folder(args.db), "cli")
            key = keyring(con).path
        finally:
            con.close()
        print(f"Wrote {path}")
        print(_key_reminder(key, lang))
        return 0
    if args.command == "restore":
        from pathlib import Path

        from delegation.backup_places import backups_folder
        from delegation.restore import restore

        if not args.yes:
            raise DelegationError(
                "Restoring replaces the database (a snapshot of it is kept first); add --yes to go ahead.",
                "恢复将替换当前数据库（会先保留一份快照）；确认请加 --yes。",
            )
        import contextlib

        from delegation.integrity import DamagedDatabase

        # Refuses in one sentence when the app holds the database. A damaged file is what restore
        # is for: it is not opened for writing, and is kept as it is in the before-restore backup.
        with contextlib.suppress(DamagedDatabase):
            connect(config, args.db, verify=True).close()
        done = restore(
            Path(args.snapshot),
            database_path(args.db),
            backups_folder(args.db),
            key_file=Path(args.key) if args.key else None,
        )
        said = f"Restored {args.snapshot}" + (
            f"; the previous state is in {done.safety}" if done.safety else ""
        )
        if done.key_file:
            said += f"; the backup's key was added to {done.key_file}"
        print(said)
        return 0
    if args.command == "users":
        return _users(args)
    if args.command == "purge":
        from delegation.documents import documents_folder
        from delegation.retention import purge

        con = connect(config, args.db, create=False, verify=True)
        try:
            report = purge(
                con,
                config,
                after_days=args.after_days,
                today=args.today or dt.date.today(),
                apply=args.yes,
                documents_dir=documents_folder(args.db),
                actor="cli",
            )
        finally:
            con.close()
        print(report.summary(lang))
        for line in report.backup_lines(lang):
            print(line)
        if args.yes:
            from delegation.backups import compact

            compact(database_path(args.db))  # the cleared values must not stay in the file's free blocks
        if not args.yes:
            print(
                "Nothing was changed; add --yes to clear."
                if lang != "zh"
                else "未作任何更改；加 --yes 执行清除。"
            )
        return 0
    if args.command == "export":
        return _export(args, config, lang)
    if args.command == "template":
        from pathlib import Path

        if args.format == "docx":
            from delegation.word_template import annex2_docx

            _write_file(Path(args.out), annex2_docx(config))
        else:
            from delegation.workbooks import annex2_template

            _write_file(Path(args.out), annex2_template(config))
        print(f"Wrote {args.out}")
        return 0
    if args.command == "documents":
        return _documents_scan(args, config, lang)
    if args.command == "mail":
        return _mail(args, config, lang)
    if args.command == "serve":
        from delegation import access
        from delegation.serve import check_at_start, serve

        check_at_start(config, args.db)  # a damaged file is refused before anything writes to it
        connect(config, args.db).close()  # create or migrate before the server holds the file
        extra = ["--server.headless", "true"] if args.headless else []
        public = args.address and args.address not in ("localhost", "127.0.0.1", "::1")
        if public and not access.load_accounts():
            raise DelegationError(
                "Without accounts the app serves this computer only; add users first (python -m delegation users add).",
                "未配置账户时应用只能在本机访问；请先添加账户（python -m delegation users add）。",
            )
        if args.address:
            extra += ["--server.address", args.address]
        return serve(args.port, args.db, extra)
    if args.command == "summary":
        from delegation.summary import summary

        con = connect(config, args.db, create=False, verify=True)
        try:
            figures = summary(con, config, _filters(args, config))
        finally:
            con.close()
        print(json.dumps(figures, ensure_ascii=False, indent=None if args.json else 2))
        return 0
    raise AssertionError(args.command)


def _filters(args: argparse.Namespace, config: EventConfig) -> Filters:
    """The filters given on the command line, each value checked against the configuration."""
    from delegation.provinces import PROVINCES, province_for

    known = {
        "--province": ({p.key for p in PROVINCES} | {"unknown"}, args.province),
        "--sector": ({s.key for s in config.sectors} | {"unknown"}, args.sector),
        "--theme": ({t.key for t in config.themes}, args.theme),
        "--city": ({c.key for c in config.cities}, args.city),
    }
    provinces = [province_for(p) or p for p in args.province]  # 江苏 and Jiangsu Province work too
    known["--province"] = (known["--province"][0], provinces)
    for flag, (allowed, values) in known.items():
        for value in values:
            if value not in allowed:
                raise DelegationError(
                    f"{flag} {value} is not known; use one of: {', '.join(sorted(allowed))}.",
                    f"{flag} {value} 无法识别；可选值：{', '.join(sorted(allowed))}。",
                )
    return Filters(
        as_of=args.as_of or dt.date.today(),
        provinces=tuple(provinces),
        sectors=tuple(args.sector),
        themes=tuple(args.theme),
        cities=tuple(args.city),
        unit_ids=tuple(args.unit),
        statuses=tuple(args.status),
    )


def _warn_exposed(args: argparse.Namespace, lang: str) -> None:
    """One sentence on stderr when other users of this computer can read a private file (at start)."""
    from delegation.exposure import exposure_warning

    warning = exposure_warning(database_path(getattr(args, "db", None)))
    if warning:
        print(warning.message(lang), file=sys.stderr, flush=True)


def _key_reminder(path, lang: str, *, intro: bool = False) -> str:
    """That a backup is unreadable without the key file (after `backup`); with `intro`, first what
    the key file is (after `init`)."""
    from delegation.i18n import text

    said = text("backup.key_reminder", lang).format(path=path)
    return f"{text('backup.key_file', lang).format(path=path)}\n{said}" if intro else said


def _keys_rotate(args: argparse.Namespace, config: EventConfig, lang: str) -> int:
    from delegation.atrest import rotate
    from delegation.db import connect

    con = connect(config, args.db, create=False, verify=True)
    try:
        report = rotate(con, "cli")
    finally:
        con.close()
    if lang == "zh":
        print(
            f"已用新密钥 {report.key_id} 重新加密 {len(report.scans)} 个扫描件和 {len(report.backups)} 个备份。"
        )
    else:
        print(
            f"Re-encrypted {len(report.scans)} scans and {len(report.backups)} backups with the new key "
            f"{report.key_id}."
        )
    for name in report.other_key:
        print(f"  {'未改动（用其他密钥加密）' if lang == 'zh' else 'left as it is (another key)'}: {name}")
    if report.failed:
        names = ", ".join(name for name, _ in report.failed)
        raise DelegationError(
            f"{len(report.failed)} files could not be re-encrypted ({names}: {report.failed[0][1]}); "
            "the old key stays in the key file until they are fixed and `keys rotate` runs again.",
            f"{len(report.failed)} 个文件无法重新加密（{names}：{report.failed[0][1]}）；"
            "在修复这些文件并再次运行 keys rotate 之前，旧密钥保留在密钥文件中。",
        )
    old = ", ".join(report.old_ids)
    print(
        f"旧密钥 {old} 已从密钥文件中删除。"
        if lang == "zh"
        else f"The old key {old} is gone from the key file."
    )
    return 0


def _audit_verify(args: argparse.Namespace, config: EventConfig, lang: str) -> int:
    """`audit verify`: "audit chain intact (N rows)" and 0, or one sentence naming the first bad row
    on stderr and 1. With --backup, the live log must still hold the newest row that backup's
    header recorded (the header is checked against the key first: it cannot be forged without it)."""
    from pathlib import Path

    from delegation import audit, crypto
    from delegation.db import connect
    from delegation.i18n import text
    from delegation.keys import keyring

    con = connect(config, args.db, create=False)
    try:
        head = None
        if args.backup:
            path = Path(args.backup)
            if not path.is_file():
                raise DelegationError(f"{path} does not exist.", f"{path} 不存在。")
            metadata = crypto.authenticate(path, keyring(con).key).metadata
            if not metadata.get("audit_head"):
                raise DelegationError(
                    f"{path.name} does not record the audit chain (it was made before the chain existed).",
                    f"{path.name} 未记录审计链（它早于审计链生成）。",
                )
            head = (metadata.get("audit_head_id"), metadata["audit_head"])
        broken = audit.verify_chain(con, head=head)
        rows = audit.chain_rows(con)
    finally:
        con.close()
    if broken is not None:
        print(broken.message(lang), file=sys.stderr)
        return 1
    print(text("audit.chain.intact", lang).format(rows=rows))
    return 0


def _check(args: argparse.Namespace, config: EventConfig, lang: str) -> int:
    """`check`: read every column of every table and every key of every index, read-only, so DuckDB
    verifies each block's checksum: "database intact: N tables, M rows" and 0, or the damaged-file
    sentence (newest backup, restore command) on stderr and 1."""
    from delegation.i18n import text
    from delegation.integrity import check

    target = database_path(args.db)
    if not target.exists():
        raise DelegationError(
            f"The database {target} does not exist; create it with 'python -m delegation init'.",
            f"数据库 {target} 不存在；请先运行 'python -m delegation init' 创建。",
        )
    found = check(target, config, every_key=True)
    print(text("check.intact", lang).format(tables=found.tables, rows=found.rows))
    return 0


def _users(args: argparse.Namespace) -> int:
    import getpass

    from delegation import access

    if args.users_command == "add":
        if args.password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
            if getpass.getpass("Again: ") != password:
                raise DelegationError("The two passwords differ.", "两次输入的密码不一致。")
        access.add_user(args.name, args.role, password)
        print(f"Added {args.name} ({args.role}) to {access.users_path()}")
    elif args.users_command == "list":
        for account in sorted(access.load_accounts().values(), key=lambda a: a.name):
            print(f"{account.name}\t{account.role}")
    elif args.users_command == "remove":
        access.remove_user(args.name)
        print(f"Removed {args.name}")
    else:
        access.set_role(args.name, args.role)
        print(f"{args.name} is now {args.role}")
    return 0


def _write_file(path, data: bytes) -> None:
    """Write a whole file at once, next to its place first, so a failure never leaves half a file."""
    from pathlib import Path

    path = Path(path)
    if not path.name or path.is_dir():
        raise DelegationError(
            f"Give a file name for --out, not '{path}'.", f"--out 需要文件名，而不是“{path}”。"
        )
    if path.exists() and not path.is_file():  # a device or a pipe: renaming over it would replace it
        raise DelegationError(
            f"{path} is not a file; give a file name for --out.", f"{path} 不是文件；--out 需要文件名。"
        )
    if not path.parent.is_dir():
        raise DelegationError(f"The folder {path.parent} does not exist.", f"文件夹 {path.parent} 不存在。")
    partial = path.with_name(path.name + ".partial")
    try:
        partial.write_bytes(data)
        partial.replace(path)
    except OSError as exc:
        raise DelegationError(
            f"Cannot write {path}: {exc.strerror or exc}.", f"无法写入 {path}：{exc.strerror or exc}。"
        ) from None
    finally:
        partial.unlink(missing_ok=True)  # after a failure: no half file left behind


def _export(args: argparse.Namespace, config: EventConfig, lang: str) -> int:
    import io

    from delegation import exports
    from delegation.db import append_audit, connect

    args.format = _export_format(args.format, args.out, workbook_only=args.list == "summary")
    filters = _filters(args, config)
    con = connect(config, args.db, create=False, verify=True)
    try:
        if args.list == "summary":
            from delegation.workbooks import leadership_workbook

            data = leadership_workbook(con, config, filters, args.lang)
            rows = None
        else:
            out = io.BytesIO()
            rows = exports.export(
                out,
                args.list,
                args.format,
                con,
                config,
                filters,
                args.lang,
                user="cli",
                search=args.search,
                show_full=args.show_full,
                owner=args.owner,
                not_chased_days=args.not_chased_days,
            )
            data = out.getvalue()
        _write_file(args.out, data)
        details = {"format": args.format, "filters": filters.to_url(), "show_full": args.show_full}
        if rows is not None:
            details["rows"] = rows
        append_audit(con, "cli", "export", f"list:{args.list}", details)  # as the app logs its exports
    finally:
        con.close()
    print(f"Wrote {args.out}" + (f" ({rows} rows)" if rows is not None else ""))
    return 0


def _export_format(given: str | None, out: str, *, workbook_only: bool = False) -> str:
    """The format asked for, else the one `out`'s ending names; refuses a CSV named .xlsx and the
    reverse, and any CSV of what is only a workbook (the leadership summary)."""
    from pathlib import Path

    named = Path(out).suffix.lower().lstrip(".")
    if workbook_only and "csv" in (given, named):
        raise DelegationError(
            "The leadership summary is a workbook: name --out ….xlsx, without --format csv.",
            "领导汇报只有 Excel 格式：请将 --out 命名为 ….xlsx，且不要用 --format csv。",
        )
    if given and named in FORMATS and named != given:
        raise DelegationError(
            f"--format {given} does not match the file name {out}; name it .{given} or leave --format out.",
            f"--format {given} 与文件名 {out} 不符；请将文件命名为 .{given}，或不写 --format。",
        )
    return given or (named if named in FORMATS else "xlsx")


def _documents_scan(args: argparse.Namespace, config: EventConfig, lang: str) -> int:
    from pathlib import Path

    from delegation.db import connect
    from delegation.documents import documents_folder, scan_folder

    folder = Path(args.folder)
    if not folder.is_dir():
        raise DelegationError(f"{folder} is not a folder.", f"{folder} 不是文件夹。")
    con = connect(config, args.db, create=False, verify=True)
    try:
        report = scan_folder(con, config, folder, actor="cli", documents_dir=documents_folder(args.db))
    finally:
        con.close()
    print(report.summary(lang))
    for name, kind in report.recorded:
        print(f"  {'记录' if lang == 'zh' else 'recorded'}: {name} → {config.document(kind).label(lang)}")
    for name, en, zh in report.unmatched:
        print(f"  {'未匹配' if lang == 'zh' else 'not matched'}: {name} — {zh if lang == 'zh' else en}")
    return 0


def _mail(args: argparse.Namespace, config: EventConfig, lang: str) -> int:
    from pathlib import Path

    from delegation import mailbox
    from delegation.db import connect
    from delegation.documents import documents_folder, too_large

    if args.mail_command == "fetch":
        return _mail_fetch(args, config, lang)
    files = []
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            raise DelegationError(f"{name} is not a file.", f"{name} 不是文件。")
        if (size := path.stat().st_size) > config.max_mail_file_mb * 1024 * 1024:  # before it is read
            raise too_large(path.name, size, config.max_mail_file_mb)
        files += mailbox.saved_messages(path.name, path.read_bytes(), config)
    con = connect(config, args.db, create=False, verify=True)
    refused = 0
    try:
        for result in mailbox.import_messages(
            con, config, files, actor="cli", documents_dir=documents_folder(args.db)
        ):
            if isinstance(result, DelegationError):
                refused += 1
                print(result.message(lang), file=sys.stderr)
                continue
            print("\n".join(result.lines(lang)))
    finally:
        con.close()
    return 1 if refused else 0


def _mail_fetch(args: argparse.Namespace, config: EventConfig, lang: str) -> int:
    from delegation import imap
    from delegation.db import connect
    from delegation.documents import documents_folder

    account = imap.account()  # before the database: an unset account is one sentence
    con = connect(config, args.db, create=False, verify=True)
    try:
        if args.once:
            fetched = imap.fetch(con, config, account, documents_dir=documents_folder(args.db))
            for line in fetched.lines(lang):
                print(line)
            return 1 if fetched.failure else 0
        print(f"Reading {account.user} at {account.host} every {config.mail_poll_seconds} s (Ctrl+C to stop)")
        try:
            imap.watch(
                con,
                config,
                account,
                documents_dir=documents_folder(args.db),
                report=lambda fetched: print("\n".join(fetched.lines(lang)), flush=True),
            )
        except KeyboardInterrupt:
            return 0
    finally:
        con.close()
    return 0


def _demo(args: argparse.Namespace, config) -> int:
    from delegation.db import connect, fetch_one
    from delegation.demo import load_demo

    con = connect(config, args.db, verify=True)
    try:
        existing = fetch_one(con, "select count(*) from participants")[0]
        if existing and not args.replace:
            raise DelegationError(
                f"{database_path(args.db)} already holds {existing} participants; "
                "use --replace to delete them and load demo data, or choose another --db.",
                f"{database_path(args.db)} 已有 {existing} 名参团人员；如需删除并载入演示数据请加 --replace，或用 --db 指定其他数据库。",
            )
        if args.replace:
            for table in ("import_issues", "imports", "documents", "participants", "units"):
                con.execute(f"delete from {table}")  # constant names
        load_demo(con, config, args.participants, args.seed)
        units = fetch_one(con, "select count(*) from units")[0]
    finally:
        con.close()
    print(f"Loaded {args.participants} demo participants in {units} units into {database_path(args.db)}")
    return 0


def _import(args: argparse.Namespace, config, lang: str) -> int:
    from pathlib import Path

    from delegation import sandbox

    # Worker processes start (and import the readers) and read the first file while DuckDB and the
    # importer are imported and the database opens.
    files = [(Path(name), Path(name).name) for name in args.files]
    today = dt.date.today()
    first = sandbox.begin_read_form(config, files[0][0], today=today, file_name=files[0][1])
    from delegation.config import database_path
    from delegation.db import connect
    from delegation.ingest import applied_order, import_files

    _warn_exposed(args, lang)  # here, not first: the worker above starts while DuckDB is imported
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
                    print(f"  {'更改' if lang == 'zh' else 'changed'}: {change.line(lang, config)}")
                for issue in report.issues:
                    marker = "skipped" if issue.severity == "error" else "warning"
                    if lang == "zh":
                        marker = "跳过" if issue.severity == "error" else "警告"
                    print(f"  {marker}: {issue.zh if lang == 'zh' else issue.en}")
    finally:
        con.close()
        if made and not kept:  # a dry run or refused forms leave no new, empty database behind
            _unmake(made)
    return status


def _unmake(made: list) -> None:
    """Remove a database file this command created, its write-ahead log and the folders made for it."""
    database, *folders = made
    database.with_name(database.name + ".wal").unlink(missing_ok=True)
    database.unlink(missing_ok=True)
    for folder in folders:
        if any(folder.iterdir()):
            break
        folder.rmdir()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
