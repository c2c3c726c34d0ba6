"""Registration e-mails into the desk: each message once, its forms imported with the message's
date as the day received, its scans filed as the folder scan files them, under the unit the
subject, an attached form or the sender names (issue 25; the CLI, the IMAP reader and the Mail page
build on `import_messages`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from delegation import documents
from delegation.config import EventConfig
from delegation.db import append_audit, fetch_one
from delegation.errors import DelegationError
from delegation.ingest import import_uploads
from delegation.mail import Message, read_message, unit_from_subject
from delegation.sheets import FORM_SUFFIXES
from delegation.text import match_key


@dataclass
class MailReport:
    """What one message became."""

    name: str  # the file (or mailbox message) it came from
    message_key: str
    subject: str
    unit_id: int | None = None
    matched_by: str | None = None  # subject | form | sender; None: unmatched
    already: bool = False  # imported before: nothing changed
    outcomes: list[tuple[str, str, str]] = field(default_factory=list)  # (attachment, en, zh)


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
        reports.append(_import_one(con, config, name, message, actor=actor, documents_dir=documents_dir))
    return reports


def _import_one(
    con: duckdb.DuckDBPyConnection,
    config: EventConfig,
    name: str,
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
    units = dict(con.execute("select name_key, unit_id from units").fetchall())
    named = unit_from_subject(message.subject, [config.subject_zh, config.subject_en])
    if named and (unit_id := units.get(match_key(named))) is not None:
        report.unit_id, report.matched_by = unit_id, "subject"
    received = message.date.date() if message.date else None
    forms = [
        a for a in message.attachments if a.problem is None and Path(a.name).suffix.lower() in FORM_SUFFIXES
    ]
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
        report.outcomes.append(
            (
                attachment.name,
                f"form: {result.added + result.updated} rows imported",
                f"报名表：导入 {result.added + result.updated} 行",
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
    sent_at = message.date.astimezone(dt.UTC).replace(tzinfo=None) if message.date else None
    con.execute(
        "insert into mail_messages (message_key, sha256, sender, subject, sent_at, unit_id, matched_by, body, imported_by) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
    return report


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
        try:
            kind, participant_id = documents.match_document(attachment.name, people, keywords, levels)
        except documents.Skipped as skipped:
            if attachment.inline:  # a signature's logo: not a document, not worth a line
                continue
            report.outcomes.append((attachment.name, f"not matched: {skipped.en}", f"未匹配：{skipped.zh}"))
            continue
        if report.unit_id is None:
            report.outcomes.append(
                (attachment.name, "not filed: the message names no unit", "未归档：邮件未对应任何单位")
            )
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
            report.outcomes.append((attachment.name, f"filed as {kind}", f"已归档：{kind}"))
        elif filed.already:
            report.outcomes.append((attachment.name, "already on file", "已有相同文件"))
        else:
            _, en, zh = filed.unmatched[0]
            report.outcomes.append((attachment.name, en, zh))
