"""The database file and what keeps it: `init`, `demo`, `check`, `backup`, `restore`, `keys rotate`,
`audit verify` and `purge`."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import sys
from pathlib import Path

from delegation import audit, backups, crypto, integrity, retention
from delegation.atrest import rotate
from delegation.backup_places import backups_folder
from delegation.cli.common import key_reminder, say
from delegation.config import EventConfig, database_path
from delegation.db import connect, fetch_one
from delegation.demo import load_demo
from delegation.documents import documents_folder
from delegation.errors import DelegationError
from delegation.i18n import text
from delegation.keys import keyring
from delegation.restore import restore as restore_backup


def init(args: argparse.Namespace, config: EventConfig, lang: str) -> int:
    """Create the database (or bring it to the latest schema) and its key file; say where both are."""
    path = database_path(args.db)
    existed = path.exists()
    con = connect(config, args.db, verify=True)
    try:
        ring = keyring(con, create=True)
    finally:
        con.close()
    say("cli.init.checked" if existed else "cli.init.created", lang, path=path)
    print(key_reminder(ring.path, lang, intro=True))
    return 0


def demo(args: argparse.Namespace, config: EventConfig, lang: str) -> int:
    """Fill the database with synthetic registrations; one that holds some needs `--replace`."""
    con = connect(config, args.db, verify=True)
    try:
        existing = fetch_one(con, "select count(*) from participants")[0]
        if existing and not args.replace:
            raise DelegationError(
                "cli.error.demo_over_data", path=database_path(args.db), participants=existing
            )
        if args.replace:
            for table in (
                "mail_attachments",
                "mail_messages",
                "import_issues",
                "imports",
                "documents",
                "participants",
                "units",
            ):
                con.execute(f"delete from {table}")  # constant names
        load_demo(con, config, args.participants, args.seed)
        units = fetch_one(con, "select count(*) from units")[0]
    finally:
        con.close()
    say("cli.demo.loaded", lang, participants=args.participants, units=units, path=database_path(args.db))
    return 0


def check(args: argparse.Namespace, config: EventConfig, lang: str) -> int:
    """`check`: read every column of every table and every key of every index, read-only, so DuckDB
    verifies each block's checksum: "database intact: N tables, M rows" and 0, or the damaged-file
    sentence (newest backup, restore command) on stderr and 1."""
    target = database_path(args.db)
    if not target.exists():
        raise DelegationError("cli.error.no_database", path=target)
    found = integrity.check(target, every_key=True)
    say("check.intact", lang, tables=found.tables, rows=found.rows)
    return 0


def backup(args: argparse.Namespace, config: EventConfig, lang: str) -> int:
    """Write an encrypted snapshot; remind that it cannot be read without the key file."""
    con = connect(config, args.db, create=False, verify=True)  # never a backup of a damaged file
    try:
        path = backups.manual_backup(con, Path(args.to) if args.to else backups_folder(args.db), "cli")
        key = keyring(con).path
    finally:
        con.close()
    say("cli.wrote", lang, path=path)
    print(key_reminder(key, lang))
    return 0


def restore(args: argparse.Namespace, config: EventConfig, lang: str) -> int:
    """Put a snapshot back (only with `--yes`), the current state kept first."""
    if not args.yes:
        raise DelegationError("cli.error.restore_needs_yes")
    # Refuses in one sentence when the app holds the database. A damaged file is what restore
    # is for: it is not opened for writing, and is kept as it is in the before-restore backup.
    with contextlib.suppress(integrity.DamagedDatabase):
        connect(config, args.db, verify=True).close()
    done = restore_backup(
        Path(args.snapshot),
        database_path(args.db),
        backups_folder(args.db),
        key_file=Path(args.key) if args.key else None,
    )
    key = "cli.restored" + (".kept" if done.safety else "") + (".key" if done.key_file else "")
    say(key, lang, snapshot=args.snapshot, safety=done.safety, key_file=done.key_file)
    return 0


def keys_rotate(args: argparse.Namespace, config: EventConfig, lang: str) -> int:
    """Re-encrypt every scan and backup with a new key; the old key leaves the key file only when
    every file was re-encrypted (else one sentence naming those that were not, status 1)."""
    con = connect(config, args.db, create=False, verify=True)
    try:
        report = rotate(con, "cli")
    finally:
        con.close()
    say("cli.keys.rotated", lang, scans=len(report.scans), backups=len(report.backups), key_id=report.key_id)
    for name in report.other_key:
        print(f"  {text('cli.keys.other_key', lang, name=name)}")
    if report.failed:
        raise DelegationError(
            "cli.error.rotate_failed",
            count=len(report.failed),
            names=", ".join(name for name, _ in report.failed),
            reason=report.failed[0][1],
        )
    say("cli.keys.old_gone", lang, keys=", ".join(report.old_ids))
    return 0


def audit_verify(args: argparse.Namespace, config: EventConfig, lang: str) -> int:
    """`audit verify`: "audit chain intact (N rows)" and 0, or one sentence naming the first bad row
    on stderr and 1. With --backup, the live log must still hold the newest row that backup's
    header recorded (the header is checked against the key first: it cannot be forged without it)."""
    con = connect(config, args.db, create=False)
    try:
        head = None
        if args.backup:
            path = Path(args.backup)
            if not path.is_file():
                raise DelegationError("cli.error.no_such_file", path=path)
            metadata = crypto.authenticate(path, keyring(con).key).metadata
            if not metadata.get("audit_head"):
                raise DelegationError("cli.error.backup_without_chain", name=path.name)
            head = (metadata.get("audit_head_id"), metadata["audit_head"])
        broken = audit.verify_chain(con, head=head)
        rows = audit.chain_rows(con)
    finally:
        con.close()
    if broken is not None:
        print(broken.message(lang), file=sys.stderr)
        return 1
    say("audit.chain.intact", lang, rows=rows)
    return 0


def purge(args: argparse.Namespace, config: EventConfig, lang: str) -> int:
    """Clear personal data once the trip is `--after-days` over: a report first, the clearing (and
    compacting the file, so the values leave its free blocks) only with `--yes`."""
    con = connect(config, args.db, create=False, verify=True)
    try:
        report = retention.purge(
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
        backups.compact(database_path(args.db))  # the cleared values must not stay in the file's free blocks
    else:
        say("cli.purge.nothing_changed", lang)
    return 0
