"""Retention: once the trip is over plus N days, clear passport and contact data and delete scans.

Names, units, themes, cities and every aggregate keep working; the document states stay, their files go.
The purge reaches the backups: after it commits, every backup made before it is rewritten without the
cleared fields (or, if that fails, deleted), and the snapshot the purge takes first is deleted (no undo
window). The CLI then rewrites the database file itself, whose freed blocks still hold the old values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

from delegation.backup_places import known_backups
from delegation.backups import rewrite_backup, snapshot_beside
from delegation.config import EventConfig
from delegation.db import append_audit, fetch_one, transaction
from delegation.errors import DelegationError
from delegation.keys import database_file, keyring
from delegation.search import participant_search_text

# What is cleared on every participant. Dates of birth, passport and visa details, phones, e-mails.
CLEARED = ("passport_number", "passport_expiry", "us_visa_expiry", "date_of_birth", "mobile", "email")


@dataclass(frozen=True)
class PurgeReport:
    due: dt.date
    participants: int  # participants holding any of the cleared values
    files: int  # scan files to delete
    applied: bool
    backups: tuple[tuple[str, str], ...] = ()  # (file, what happened: "rewritten" | "deleted" | "snapshot")
    found: int = 0  # backups the purge reaches (a report before it)

    def backup_lines(self, lang: str) -> list[str]:
        """One line per backup: what the purge did to it."""
        if not self.applied:
            if lang == "zh":
                return [f"另有 {self.found} 个备份将改写为不含这些信息的版本。"] if self.found else []
            return [f"{self.found} backups would be rewritten without them."] if self.found else []
        said = {
            "rewritten": ("已改写，不再含被清除的信息", "rewritten without the purged data"),
            "deleted": ("无法改写，已删除", "could not be rewritten, so deleted"),
            "snapshot": (
                "已删除（清除前快照只在清除进行时需要；不设撤销期）",
                "deleted (the before-purge snapshot was needed only while the purge ran; there is no undo window)",
            ),
        }
        return [f"  {name}: {said[outcome][0 if lang == 'zh' else 1]}" for name, outcome in self.backups]

    def summary(self, lang: str) -> str:
        verb = (
            ("已清除" if self.applied else "将清除")
            if lang == "zh"
            else ("Cleared" if self.applied else "Would clear")
        )
        if lang == "zh":
            return f"{verb} {self.participants} 名参团人员的护照、签证、出生日期、手机和邮箱，以及 {self.files} 个扫描件。"
        return (
            f"{verb} passport, visa, birth-date, mobile and e-mail data of {self.participants} participants "
            f"and {self.files} scan files."
        )


def purge(
    con: duckdb.DuckDBPyConnection,
    config: EventConfig,
    *,
    after_days: int,
    today: dt.date,
    apply: bool,
    documents_dir: Path,
    actor: str,
) -> PurgeReport:
    """Report (and with `apply`, carry out) the purge; refused before the trip's end plus `after_days`."""
    due = config.travel_end + dt.timedelta(days=after_days)
    if today <= due:
        raise DelegationError(
            f"Personal data may be purged only after {due.isoformat()} (the trip's end plus {after_days} days).",
            f"个人信息须在 {due.isoformat()}（行程结束后 {after_days} 天）之后才能清除。",
        )
    holding = " or ".join(f"{c} is not null" for c in CLEARED)
    people = fetch_one(con, f"select count(*) from participants where {holding}")[0]
    files = [
        r[0]
        for r in con.execute(
            "select stored_name from documents where stored_name is not null "
            "union all select stored_name from mail_messages where stored_name is not null"
        ).fetchall()
    ]  # the scans, and the registration e-mails kept whole (documents/mail/)
    db = database_file(con)
    older = known_backups(con, db) if db else []
    report = PurgeReport(due, int(people), len(files), apply, found=len(older))
    if not apply:
        return report
    ring = keyring(con, create=True)  # before anything changes: a missing key stops the purge here
    first = snapshot_beside(con, "before-purge")
    with transaction(con):
        clear_personal_data(con)
        append_audit(
            con,
            actor,
            "purge",
            None,
            {"due": due.isoformat(), "participants": report.participants, "files": report.files},
        )
    for name in files:  # after the commit: a crash here leaves orphan files, never dangling rows
        (documents_dir / name).unlink(missing_ok=True)
    outcomes = []
    for path in older:
        try:
            rewrite_backup(path, ring, clear_personal_data)
            outcomes.append((path.name, "rewritten"))
        except (DelegationError, duckdb.Error, OSError):  # damaged, another key, an old schema
            path.unlink(missing_ok=True)
            outcomes.append((path.name, "deleted"))
    if first is not None:
        first.unlink(missing_ok=True)
        outcomes.append((first.name, "snapshot"))
    append_audit(con, actor, "purge.backups", None, {"backups": [dict(file=f, done=o) for f, o in outcomes]})
    return PurgeReport(due, report.participants, report.files, True, tuple(outcomes), len(older))


def clear_personal_data(con: duckdb.DuckDBPyConnection) -> None:
    """The purge's clearing, for the database and, after it, for each backup's copy."""
    holding = " or ".join(f"{c} is not null" for c in CLEARED)
    sets = ", ".join(f"{c} = null" for c in CLEARED)
    con.execute(f"update participants set {sets}, updated_at = current_timestamp where {holding}")
    con.execute("update units set contact_mobile = null, contact_email = null")
    rows = con.execute("select participant_id, name, pinyin_name, position from participants").fetchall()
    con.executemany(
        "update participants set search_text = ? where participant_id = ?",
        [
            [participant_search_text(name, pinyin, position, None, None), pid]
            for pid, name, pinyin, position in rows
        ],
    )
    con.execute("update documents set stored_name = null, sha256 = null where stored_name is not null")
    mail = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
    if "mail_messages" in mail:  # a backup from before the mailbox has none
        con.execute("update mail_messages set body = null, sender = null, stored_name = null")
    if "mail_sent" in mail:
        con.execute("update mail_sent set body = null, recipient = null")
