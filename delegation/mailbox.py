"""Registration e-mails into the desk: each message once, its forms imported with the message's
date as the day received, its scans filed as the folder scan files them, under the unit the
subject, an attached form or the sender names (the CLI, the IMAP reader and the Mail page build on
`import_messages`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from delegation import crypto, documents
from delegation.backups import snapshot_beside
from delegation.config import EventConfig
from delegation.db import append_audit, fetch_one, transaction
from delegation.errors import DelegationError
from delegation.i18n import Both, Words, said, text
from delegation.ingest import import_uploads
from delegation.keys import keyring
from delegation.mail import Attachment, Message, read_message, split_mbox, unit_from_subject
from delegation.private import private_folder, write_private
from delegation.sheets import FORM_SUFFIXES
from delegation.text import match_key, safe_name

if TYPE_CHECKING:
    import pandas as pd

    from delegation.paging import Page


@dataclass
class MailReport:
    """What one message became."""

    name: str  # the file (or mailbox message) it came from
    message_key: str
    subject: str
    unit_id: int | None = None
    matched_by: str | None = None  # subject | form | sender | staff; None: unmatched
    unit_name: str | None = None
    already: bool = False  # imported before: nothing changed
    outcomes: list[tuple[str, str, str]] = field(default_factory=list)  # (attachment, en, zh)

    def lines(self, lang: str) -> list[str]:
        """What the message became, for the CLI: a line for it, then one per attachment."""
        if self.already:
            return [text("mail.report.already", lang, name=self.name)]
        if self.unit_id is None:
            unit = Words("mail.report.unmatched")
        else:
            by = Words(f"mail.matched_by.{self.matched_by or 'staff'}")
            unit = Words("mail.report.unit_by", {"unit": self.unit_name, "by": by})
        out = [text("mail.report.unit", lang, name=self.name, unit=unit)]
        out += [f"  {name} — {zh if lang == 'zh' else en}" for name, en, zh in self.outcomes]
        return out


MAIL_SUFFIXES = (".eml", ".mbox")  # saved messages, as mail clients save them


def is_saved_mail(name: str) -> bool:
    return Path(name).suffix.lower() in MAIL_SUFFIXES


def saved_messages(name: str, data: bytes, config: EventConfig) -> list[tuple[str, bytes]]:
    """The messages a saved file holds: one .eml, or each of an mbox's (named "file #2"); a file
    over `limits.max_mail_file_mb` is refused in one sentence."""
    if len(data) > config.max_mail_file_mb * 1024 * 1024:
        raise documents.too_large(safe_name(name), len(data), config.max_mail_file_mb)
    if data.startswith(b"From "):
        found = split_mbox(data)
        return [(f"{name} #{n}", raw) for n, raw in enumerate(found, start=1)]
    return [(name, data)]


def message_key(message: Message) -> str:
    return message.message_id or f"sha256:{message.sha256}"


def import_messages(
    con: duckdb.DuckDBPyConnection,
    config: EventConfig,
    files: list[tuple[str, bytes]],
    *,
    actor: str,
    documents_dir: Path,
) -> list[MailReport | DelegationError]:
    """Import raw messages (`files`: (name, bytes) of one .eml each), each once."""
    reports: list[MailReport | DelegationError] = []
    for name, raw in files:
        try:
            message = read_message(raw, config, name)
        except DelegationError as exc:
            reports.append(exc)
            continue
        reports.append(_import_one(con, config, name, raw, message, actor=actor, documents_dir=documents_dir))
    return reports


def _import_one(
    con: duckdb.DuckDBPyConnection,
    config: EventConfig,
    name: str,
    raw: bytes,
    message: Message,
    *,
    actor: str,
    documents_dir: Path,
) -> MailReport:
    key = message_key(message)
    report = MailReport(name, key, message.subject)
    if fetch_one(con, "select count(*) from mail_messages where message_key = ?", [key])[0]:
        report.already = True
        return report
    if any(_is_form(a) for a in message.attachments):
        snapshot_beside(con, "before-mail-import")  # its forms may change many people at once
    with transaction(con):  # all of the message or none of it, even if the desk is killed midway
        _store_message(con, config, raw, message, report, actor=actor, documents_dir=documents_dir)
    report.unit_name = unit_name(con, report.unit_id)
    return report


def _is_form(attachment: Attachment) -> bool:
    return attachment.problem is None and Path(attachment.name).suffix.lower() in FORM_SUFFIXES


def _store_message(
    con: duckdb.DuckDBPyConnection,
    config: EventConfig,
    raw: bytes,
    message: Message,
    report: MailReport,
    *,
    actor: str,
    documents_dir: Path,
) -> None:
    key = report.message_key
    units = dict(con.execute("select name_key, unit_id from units").fetchall())
    named = unit_from_subject(message.subject, [config.subject_zh, config.subject_en])
    if named and (unit_id := units.get(match_key(named))) is not None:
        report.unit_id, report.matched_by = unit_id, "subject"
    received = message.date.date() if message.date else None
    forms = [a for a in message.attachments if _is_form(a)]
    for attachment in forms:
        (result,) = [
            r
            for _, r in import_uploads(
                con, config, [(attachment.name, attachment.data)], actor=actor, received_on=received
            )
        ]
        if isinstance(result, DelegationError):
            report.outcomes.append((attachment.name, result.en, result.zh))
            continue
        count = result.added + result.updated
        report.outcomes.append(
            (
                attachment.name,
                *said("mail.outcome.form_row" if count == 1 else "mail.outcome.form_rows", count=count),
            )
        )
        if report.unit_id is None and result.import_id is not None:
            found = con.execute(
                "select distinct unit_id from participants where source_import_id = ?", [result.import_id]
            ).fetchall()
            if len(found) == 1:
                report.unit_id, report.matched_by = found[0][0], "form"
    if report.unit_id is None and message.sender:
        found = con.execute(
            "select unit_id from units where lower(contact_email) = ?", [message.sender]
        ).fetchall()
        if len(found) == 1:
            report.unit_id, report.matched_by = found[0][0], "sender"
    _file_scans(con, config, message, forms, report, actor=actor, documents_dir=documents_dir)
    # The desk's own clock, as every other time it keeps (a Beijing desk shows 10:20 for 10:20+08:00).
    sent_at = message.date.astimezone().replace(tzinfo=None) if message.date else None
    stored = _keep_raw(con, raw, documents_dir)
    con.execute(
        "insert into mail_messages (message_key, sha256, sender, subject, sent_at, unit_id, matched_by, "
        "body, imported_by, stored_name) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            key,
            message.sha256,
            message.sender,
            message.subject,
            sent_at,
            report.unit_id,
            report.matched_by,
            message.body,
            actor,
            stored,
        ],
    )
    for position, (attachment, en, zh) in enumerate(report.outcomes):
        con.execute(
            "insert into mail_attachments values (?, ?, ?, ?, ?)", [key, position, attachment, en, zh]
        )
    append_audit(
        con,
        actor,
        "mail.import",
        f"mail:{key}",
        {"unit_id": report.unit_id, "matched_by": report.matched_by, "attachments": len(report.outcomes)},
    )


def _file_scans(
    con, config, message: Message, forms: list, report: MailReport, *, actor: str, documents_dir: Path
) -> None:
    """Every attachment that is not a form: filed for the message's unit as the folder scan files
    a file, or listed with why not."""
    keywords, levels = documents.document_words(config)
    people = documents.unit_people(con, report.unit_id)
    for attachment in message.attachments:
        if attachment in forms:
            continue
        if attachment.problem is not None:
            report.outcomes.append((attachment.name, *attachment.problem))
            continue
        key = match_key(Path(attachment.name).stem)
        names_document = any(w and w in key for words in keywords.values() for w in words)
        if attachment.inline and not names_document:  # a signature's logo: not worth a line
            continue
        if report.unit_id is None and names_document:  # whose it is waits for staff to assign it
            report.outcomes.append((attachment.name, *said("mail.outcome.no_unit")))
            continue
        try:
            kind, participant_id = documents.match_document(attachment.name, people, keywords, levels)
        except documents.Skipped as skipped:
            why = Both(skipped.en, skipped.zh)
            report.outcomes.append((attachment.name, *said("mail.outcome.not_matched", why=why)))
            continue
        filed = documents.ScanReport()
        documents.file_scan(
            con,
            config,
            attachment.data,
            attachment.name,
            attachment.name,
            unit_id=report.unit_id,
            participant_id=participant_id,
            kind=kind,
            report=filed,
            actor=actor,
            source=f"e-mail: {message.subject}",
            documents_dir=documents_dir,
        )
        if filed.recorded:
            rule = config.document(kind)
            whose = next((p[1] for p in people if p[0] == participant_id), None)
            document = Both(rule.en, rule.zh)
            what = said("mail.outcome.filed_for", document=document, whose=whose) if whose else document
            report.outcomes.append((attachment.name, *what))
        elif filed.already:
            report.outcomes.append((attachment.name, *said("mail.outcome.already")))
        else:
            _, en, zh = filed.unmatched[0]
            report.outcomes.append((attachment.name, en, zh))


MAIL_FOLDER = "mail"  # under documents/: each message's raw bytes, encrypted, for a later assignment


def _keep_raw(con: duckdb.DuckDBPyConnection, raw: bytes, documents_dir: Path) -> str:
    """The raw message written encrypted under a random name in documents/mail/ (as a scan is)."""
    keys = keyring(con, create=True)
    folder = private_folder(documents_dir / MAIL_FOLDER)
    stored = f"{secrets.token_hex(16)}.enc"
    write_private(folder / stored, crypto.encrypt_bytes(raw, keys.current_id, keys.current_key))
    return f"{MAIL_FOLDER}/{stored}"


def assign(
    con: duckdb.DuckDBPyConnection,
    config: EventConfig,
    message_key: str,
    unit_id: int,
    *,
    actor: str,
    documents_dir: Path,
) -> MailReport:
    """Staff say which unit a message is from: it is filed under that unit and its scans are
    filed again for it (its forms name their own units and stay as they were imported)."""
    row = fetch_one(
        con, "select stored_name, subject, unit_id from mail_messages where message_key = ?", [message_key]
    )
    if not row:
        raise DelegationError("error.mail.no_message")
    stored, subject, before = row
    unit = fetch_one(con, "select name from units where unit_id = ?", [unit_id])
    if not unit:
        raise DelegationError("error.mail.no_unit")
    if not stored:
        raise DelegationError("error.mail.purged")
    raw = documents.read_stored(documents_dir, stored, keyring(con), subject or message_key)
    message = read_message(raw, config, subject or message_key)
    forms = [a for a in message.attachments if _is_form(a)]
    report = MailReport(message_key, message_key, message.subject, unit_id, "staff", unit[0])
    with transaction(con):
        _file_scans(con, config, message, forms, report, actor=actor, documents_dir=documents_dir)
        con.execute(
            "update mail_messages set unit_id = ?, matched_by = 'staff' where message_key = ?",
            [unit_id, message_key],
        )
        con.execute(
            "delete from mail_attachments where message_key = ? and position >= ?", [message_key, len(forms)]
        )  # the scans' lines, replaced by what they became now; the forms' lines stay
        for position, (attachment, en, zh) in enumerate(report.outcomes, start=len(forms)):
            con.execute(
                "insert into mail_attachments values (?, ?, ?, ?, ?)",
                [message_key, position, attachment, en, zh],
            )
        append_audit(
            con,
            actor,
            "mail.assign",
            f"mail:{message_key}",
            {"unit_id": unit_id, "before": before, "attachments": len(report.outcomes)},
        )
    return report


def unit_name(con: duckdb.DuckDBPyConnection, unit_id: int | None) -> str | None:
    found = fetch_one(con, "select name from units where unit_id = ?", [unit_id]) if unit_id else None
    return found[0] if found else None


# ---- for the Mail page ---------------------------------------------------------------------------


def messages_page(
    con: duckdb.DuckDBPyConnection, lang: str, page: int, page_size: int, *, unmatched: bool = False
) -> Page:
    """One page of the messages, newest first (DuckDB cuts it): received, from (masked), subject,
    the unit or "unmatched", how many attachments; and how many messages the list holds."""
    from delegation.paging import paged
    from delegation.privacy import mask_email

    found = paged(con, "mail_messages", page, page_size, unmatched=unmatched)
    rows = found.rows
    nobody = text("mail.unmatched", lang)
    shown = rows.assign(
        sender=[mask_email(s) for s in rows["sender"]],
        subject=[s if isinstance(s, str) else None for s in rows["subject"]],  # missing: None, not NaN
        unit_id=rows["unit_id"].astype("Int64"),
        unit_name=rows["unit_name"].fillna(nobody),
    )
    return replace(found, rows=shown)


def attachments_frame(con: duckdb.DuckDBPyConnection, message_key: str, lang: str) -> pd.DataFrame:
    """Each attachment of a message with what it became."""
    import pandas as pd

    rows = con.execute(
        "select name, outcome_en, outcome_zh from mail_attachments where message_key = ? order by position",
        [message_key],
    ).fetchall()
    return pd.DataFrame(
        {"attachment": [r[0] for r in rows], "outcome": [r[2] if lang == "zh" else r[1] for r in rows]}
    )


def body(con: duckdb.DuckDBPyConnection, message_key: str) -> str:
    """A message's body as plain text ("" once purged)."""
    found = fetch_one(con, "select body from mail_messages where message_key = ?", [message_key])
    return (found[0] if found else None) or ""
