"""Messages out through the registration mailbox: an acknowledgement for each message received and
the chase list's messages, sent by SMTP to the unit's contact e-mail only.

A message is sent at most once a day: it is kept under the hash of its recipient, subject, text and
day (`mail_sent.send_key`), claimed before the server is spoken to, so a second click (or a second
session) on the same message sends nothing. At most `mail.max_per_minute` go out in any minute;
the rest of a set waits for the next. Passport numbers are masked in every text that leaves.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import re
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import duckdb

from delegation.chase import chase_list, chase_message, named
from delegation.config import EventConfig
from delegation.db import append_audit, fetch_one, transaction
from delegation.errors import DelegationError
from delegation.filters import Filters
from delegation.i18n import Both, said, text
from delegation.imap import TIMEOUT_SECONDS, Account
from delegation.privacy import mask_passport

# A passport number as Chinese and most other passports write it: one or two letters, 7–8 digits.
PASSPORT = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{1,2}[0-9]{7,8}(?![A-Za-z0-9])")


def masked_text(body: str, known: list[str] = ()) -> str:
    """The text with every passport number masked: those of the unit's people, and any that looks like one."""
    for number in sorted(filter(None, known), key=len, reverse=True):
        body = body.replace(number, mask_passport(number) or "")
    return PASSPORT.sub(lambda m: mask_passport(m.group()) or "", body)


@dataclass(frozen=True)
class Draft:
    """A message ready to send (or to copy): to the unit's contact, in one language."""

    kind: str  # acknowledgement | chase
    unit_id: int
    unit_name: str
    to: str | None  # the unit's contact e-mail; None: the unit gave none
    subject: str
    body: str
    in_reply_to: str | None = None  # the Message-ID an acknowledgement answers
    items: int = 0  # a chase message: the items it asks for

    def key(self, day: dt.date) -> str:
        words = "\n".join([self.to or "", self.subject, self.body, day.isoformat()])
        return hashlib.sha256(words.encode()).hexdigest()


def _unit(con: duckdb.DuckDBPyConnection, unit_id: int) -> tuple[str, str | None, str | None, list[str]]:
    name, contact, email = fetch_one(
        con, "select name, contact_name, contact_email from units where unit_id = ?", [unit_id]
    )
    passports = [
        r[0]
        for r in con.execute(
            "select passport_number from participants where unit_id = ? and passport_number is not null",
            [unit_id],
        ).fetchall()
    ]
    return name, contact, (email or None), passports


def acknowledgement(
    con: duckdb.DuckDBPyConnection, config: EventConfig, message_key: str, lang: str, today: dt.date
) -> Draft:
    """The reply to a received message: what it brought, what the unit still owes, and the subject
    the notice asks for."""
    row = fetch_one(
        con, "select unit_id, subject, sent_at from mail_messages where message_key = ?", [message_key]
    )
    if not row:
        raise DelegationError("error.mail.no_message")
    unit_id, subject, sent_at = row
    if unit_id is None:
        raise DelegationError("error.mail.assign_first")
    unit_name, contact, email, passports = _unit(con, unit_id)
    column = "outcome_zh" if lang == "zh" else "outcome_en"
    received = con.execute(
        f"select name, {column} from mail_attachments where message_key = ? order by position", [message_key]
    ).fetchall()  # constant column name
    (entry,) = chase_list(con, config, Filters(as_of=today, unit_ids=(unit_id,)), today=today) or [None]
    colon = "：" if lang == "zh" else ": "
    lines = [
        text("chase.greeting_named", lang).format(name=named(contact, None, lang))
        if contact
        else text("chase.greeting", lang),
        "",
        text("mail.ack.received", lang).format(
            day=sent_at.date().isoformat() if sent_at else "—", subject=subject or "—"
        ),
    ]
    lines += [f"- {name}{colon}{outcome}" for name, outcome in received] or [text("mail.ack.nothing", lang)]
    lines.append("")
    if entry is None:
        lines.append(text("mail.ack.complete", lang))
    else:
        lines.append(text("mail.ack.missing", lang))
        from delegation.chase import person_named

        lines += [
            f"- {person_named(item, lang)}{colon}{line}"
            for item, line in zip(entry["items"], entry["lines"][lang], strict=True)
        ]
    convention = config.email_subject(unit_name, lang)
    lines += [
        "",
        text("chase.send_to", lang).format(address=config.secretariat_email, subject=convention),
        "",
        text("chase.signature", lang).format(
            organiser=config.organiser_zh if lang == "zh" else config.organiser_en
        ),
    ]
    prefix = text("outbox.reply_prefix", lang)
    return Draft(
        "acknowledgement",
        unit_id,
        unit_name,
        email,
        f"{prefix}{subject or convention}",
        masked_text("\n".join(lines), passports),
        message_key if message_key.startswith("<") else None,
    )


def chase_draft(
    config: EventConfig, entry: dict, lang: str, as_of: dt.date, passports: list[str] = ()
) -> Draft:
    """The chase list's message for a unit as a Draft: its subject line becomes the subject."""
    first, _, body = chase_message(config, entry, lang, as_of).partition("\n")
    subject = first.split("：" if lang == "zh" else ": ", 1)[-1]
    return Draft(
        "chase",
        entry["unit_id"],
        entry["unit_name"],
        entry["contact_email"] or None,
        subject,
        masked_text(body.strip("\n"), passports),
        items=len(entry["items"]),
    )


def unit_passports(con: duckdb.DuckDBPyConnection, unit_id: int) -> list[str]:
    return _unit(con, unit_id)[3]


@dataclass(frozen=True)
class Sent:
    """What became of one draft: sent, or why not (en, zh)."""

    draft: Draft
    sent: bool
    en: str
    zh: str

    def message(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


def _claim(con, draft: Draft, key: str, actor: str) -> Sent | None:
    """Take the draft's row before sending; a Sent saying why not when it was sent (or is being sent)."""
    found = fetch_one(con, "select sent_at, failure from mail_sent where send_key = ?", [key])
    if found and found[1] is None:
        when = found[0].strftime("%H:%M") if found[0] else "—"
        return Sent(draft, False, *said("outbox.sent_today", unit=draft.unit_name, when=when))
    try:
        with transaction(con):
            con.execute("delete from mail_sent where send_key = ? and failure is not null", [key])  # a retry
            con.execute(
                "insert into mail_sent (send_key, unit_id, kind, recipient, subject, body, sent_by) "
                "values (?, ?, ?, ?, ?, ?, ?)",
                [key, draft.unit_id, draft.kind, draft.to, draft.subject, draft.body, actor],
            )
    except (duckdb.ConstraintException, DelegationError):  # another click took it a moment ago
        return Sent(draft, False, *said("outbox.being_sent", unit=draft.unit_name))
    return None


def _connect(account: Account) -> smtplib.SMTP:
    context = account.tls()
    if account.security == "ssl":
        client = smtplib.SMTP_SSL(account.host, account.port, context=context, timeout=TIMEOUT_SECONDS)
    else:
        client = smtplib.SMTP(account.host, account.port, timeout=TIMEOUT_SECONDS)
        client.starttls(context=context)
    client.login(account.user, account.password)
    return client


def _failure(account: Account, exc: BaseException) -> Both:
    """Why the server could not send, in both languages (the English is stored with the message)."""
    server = f"{account.host}:{account.port}"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return said("error.mail.why.login", server=server)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return said("error.mail.why.certificate", server=server)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return said("outbox.failure.recipient")
    if isinstance(exc, TimeoutError):
        return said("error.mail.why.timeout", server=server)
    return said("outbox.failure.other", server=server, error=type(exc).__name__)


def send(
    con: duckdb.DuckDBPyConnection,
    config: EventConfig,
    account: Account,
    drafts: list[Draft],
    *,
    actor: str,
    now: dt.datetime | None = None,
) -> list[Sent]:
    """Send the drafts (one confirmation in the app), each once, at most `mail.max_per_minute` in
    any minute; the rest wait. Each sent message is in the audit log."""
    now = now or dt.datetime.now().replace(microsecond=0)
    out: list[Sent] = []
    client: smtplib.SMTP | None = None
    try:
        for draft in drafts:
            if not draft.to:
                out.append(Sent(draft, False, *said("outbox.no_email", unit=draft.unit_name)))
                continue
            recent = fetch_one(
                con, "select count(*) from mail_sent where sent_at > ?", [now - dt.timedelta(minutes=1)]
            )[0]
            if recent >= config.mail_max_per_minute:
                limit = config.mail_max_per_minute
                out.append(
                    Sent(draft, False, *said("outbox.rate_limited", unit=draft.unit_name, limit=limit))
                )
                continue
            # Masked again as it leaves, whatever the text went through since it was drafted.
            draft = dataclasses.replace(
                draft, body=masked_text(draft.body, unit_passports(con, draft.unit_id))
            )
            key = draft.key(now.date())
            refused = _claim(con, draft, key, actor)
            if refused is not None:
                out.append(refused)
                continue
            message = EmailMessage()
            message["From"] = account.sender
            message["To"] = draft.to
            message["Reply-To"] = config.secretariat_email
            message["Subject"] = draft.subject
            message["Date"] = format_datetime(now.astimezone())
            message["Message-ID"] = make_msgid(domain=account.sender.rpartition("@")[2] or None)
            if draft.in_reply_to:
                message["In-Reply-To"] = message["References"] = draft.in_reply_to
            message.set_content(draft.body)
            try:
                client = client or _connect(account)
                client.send_message(message)
            except (OSError, smtplib.SMTPException, ssl.SSLError) as exc:
                why = _failure(account, exc)
                con.execute("update mail_sent set failure = ? where send_key = ?", [why.en, key])
                out.append(Sent(draft, False, *said("outbox.not_sent", unit=draft.unit_name, why=why)))
                if client is not None:
                    with contextlib.suppress(OSError, smtplib.SMTPException):
                        client.close()
                client = None
                continue
            with transaction(con):
                con.execute(
                    "update mail_sent set sent_at = ?, message_id = ? where send_key = ?",
                    [now, message["Message-ID"], key],
                )
                append_audit(
                    con,
                    actor,
                    "mail.sent",
                    f"unit:{draft.unit_id}",
                    {"kind": draft.kind, "to": draft.to, "subject": draft.subject, "text": draft.body},
                    at=now,
                )
                if draft.kind == "chase":
                    con.execute(
                        "insert into chases values (?, ?, ?, ?, ?)",
                        [draft.unit_id, now, actor, "e-mail", draft.items],
                    )
            out.append(Sent(draft, True, *said("outbox.sent", unit=draft.unit_name, to=draft.to)))
    finally:
        if client is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                client.quit()
    return out
