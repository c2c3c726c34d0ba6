"""What comes in besides `import`: the inbox folder (`watch`), saved scans (`documents scan`) and
registration e-mails (`mail import`, `mail fetch`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from delegation import imap, inbox, mailbox
from delegation.cli.common import say
from delegation.config import EventConfig
from delegation.db import connect
from delegation.documents import documents_folder, scan_folder, too_large
from delegation.errors import DelegationError
from delegation.i18n import text


def watch(args: argparse.Namespace, config: EventConfig, lang: str) -> int:
    """Import the forms dropped into the inbox folder: what is there now (`--once`, status 1 if
    any was refused), or until Ctrl+C."""
    folder = Path(args.inbox) if args.inbox else inbox.inbox_folder(args.db)
    con = connect(config, args.db, verify=True)

    def show(outcome: inbox.Outcome) -> None:
        said = outcome.message_zh if lang == "zh" else outcome.message_en
        print(said, file=sys.stdout if outcome.imported else sys.stderr, flush=True)

    try:
        if args.once:
            inbox.wait_to_settle(folder)
            outcomes = inbox.process(con, config, folder, actor="watch")
            for outcome in outcomes:
                show(outcome)
            return 0 if all(o.imported for o in outcomes) else 1
        say("cli.watching", lang, folder=folder)
        try:
            inbox.watch(con, config, folder, report=show)
        except KeyboardInterrupt:
            return 0
    finally:
        con.close()
    return 0


def documents_scan(args: argparse.Namespace, config: EventConfig, lang: str) -> int:
    """Record the scans saved in a folder per unit: each file recorded or not matched, and why."""
    folder = Path(args.folder)
    if not folder.is_dir():
        raise DelegationError("cli.error.not_a_folder", path=folder)
    con = connect(config, args.db, create=False, verify=True)
    try:
        report = scan_folder(con, config, folder, actor="cli", documents_dir=documents_folder(args.db))
    finally:
        con.close()
    print(report.summary(lang))
    for name, kind in report.recorded:
        print(f"  {text('cli.scan.recorded', lang, name=name, document=config.document(kind).label(lang))}")
    for name, en, zh in report.unmatched:
        print(f"  {text('cli.scan.unmatched', lang, name=name, reason=zh if lang == 'zh' else en)}")
    return 0


def mail_import(args: argparse.Namespace, config: EventConfig, lang: str) -> int:
    """Import saved messages (.eml, mbox): a line per message and attachment; status 1 if any was refused."""
    files = []
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            raise DelegationError("cli.error.not_a_file", path=name)
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


def mail_fetch(args: argparse.Namespace, config: EventConfig, lang: str) -> int:
    """Read the registration mailbox and import what is new: one round (`--once`, status 1 if the
    server could not be read), or every `mail.poll_seconds` until Ctrl+C."""
    account = imap.account()  # before the database: an unset account is one sentence
    con = connect(config, args.db, create=False, verify=True)
    try:
        if args.once:
            fetched = imap.fetch(con, config, account, documents_dir=documents_folder(args.db))
            for line in fetched.lines(lang):
                print(line)
            return 1 if fetched.failure else 0
        say("cli.mail.reading", lang, user=account.user, host=account.host, seconds=config.mail_poll_seconds)
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
