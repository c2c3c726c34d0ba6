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
from delegation.fields import CLEARED, UNIT_CLEARED
from delegation.i18n import text
from delegation.keys import database_file, keyring
from delegation.search import participant_search_text


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
            return [text("retention.backups_found", lang, found=self.found)] if self.found else []
        return [f"  {name}: {text(f'retention.backup.{outcome}', lang)}" for name, outcome in self.backups]

    def summary(self, lang: str) -> str:
        key = "retention.summary.applied" if self.applied else "retention.summary.dry"
        return text(key, lang, participants=self.participants, files=self.files)


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
        raise DelegationError("retention.too_early", due=due.isoformat(), days=after_days)
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
    """The purge's clearing, for the database and, after it, for each backup's copy: the fields
    the field description marks purged (`fields.CLEARED`, `fields.UNIT_CLEARED`), the search text
    made without them, the scans and the registration e-mails."""
    holding = " or ".join(f"{c} is not null" for c in CLEARED)
    sets = ", ".join(f"{c} = null" for c in CLEARED)
    con.execute(f"update participants set {sets}, updated_at = current_timestamp where {holding}")
    con.execute(f"update units set {', '.join(f'{c} = null' for c in UNIT_CLEARED)}")
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
