"""The registration mailbox read over IMAP: each new message (by UID) imported once, as a saved one
is (`mailbox.import_messages`), every `mail.poll_seconds` by the app's background thread or by
`python -m delegation mail fetch`.

Nothing is deleted on the server, and nothing is marked read unless `mail.mark_seen` says so (the
folder is opened read-only). A changed UIDVALIDITY means the server renumbered the folder: its
messages are read again, and those the desk has (by Message-ID, else their hash) change nothing.
A server that is down, a refused login or a timeout is one sentence; the next round tries again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import imaplib
import logging
import os
import socket
import ssl
import threading
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from delegation.config import EventConfig
from delegation.db import fetch_one
from delegation.errors import DelegationError
from delegation.i18n import Words, text

LOG = logging.getLogger("delegation.mail")
SECURITIES = ("ssl", "starttls")  # implicit TLS (IMAPS 993, SMTPS 465), or STARTTLS (143, 587)
TIMEOUT_SECONDS = 30
BATCH = 200  # messages taken in one round at most; the rest come in the next


@dataclass(frozen=True)
class Account:
    """A mail server account (`[mail.imap]` or `[mail.smtp]` in secrets.toml, or the environment)."""

    kind: str  # imap | smtp
    host: str
    port: int
    security: str
    user: str
    password: str = field(repr=False)
    folder: str = "INBOX"
    ca_file: str | None = None  # trust this CA (an internal server) instead of the system's
    sender: str = ""  # smtp: the From address (default: the user)

    def tls(self) -> ssl.SSLContext:
        """Certificates verified, against the system's CAs or `ca_file` alone."""
        try:
            return (
                ssl.create_default_context(cafile=self.ca_file)
                if self.ca_file
                else ssl.create_default_context()
            )
        except (OSError, ssl.SSLError) as exc:
            raise DelegationError(
                "error.mail.ca_file", path=self.ca_file, kind=self.kind.upper(), reason=exc
            ) from None


ENV = "DELEGATION_{kind}_{name}"  # DELEGATION_IMAP_HOST, DELEGATION_SMTP_PASSWORD …
FIELDS = ("host", "port", "security", "user", "password", "folder", "ca_file", "sender")


def secrets_files() -> list[Path]:
    """Where the account settings are read from, first found first: $DELEGATION_SECRETS, else the
    files Streamlit reads its secrets from (the project's .streamlit/, then the user's)."""
    if named := os.environ.get("DELEGATION_SECRETS"):
        return [Path(named)]
    return [Path.cwd() / ".streamlit" / "secrets.toml", Path.home() / ".streamlit" / "secrets.toml"]


def configured(kind: str) -> bool:
    """Whether an account of this kind is set at all (the app then reads or sends through it)."""
    return bool(_settings(kind).get("host"))


def _settings(kind: str) -> dict:
    settings: dict = {}
    for path in secrets_files():
        try:
            tree = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            continue
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise DelegationError("error.mail.secrets_toml", path=path, reason=type(exc).__name__) from None
        found = tree.get("mail", {}).get(kind, {})
        if isinstance(found, dict) and found:
            settings = dict(found)
            break
    for name in FIELDS:
        if value := os.environ.get(ENV.format(kind=kind.upper(), name=name.upper())):
            settings[name] = value
    return settings


def account(kind: str = "imap") -> Account:
    """The account of this kind, checked; one sentence saying what is missing."""
    settings = _settings(kind)
    where = Words("error.mail.where", {"kind": kind, "kind_upper": kind.upper()})
    missing = [n for n in ("host", "user", "password") if not str(settings.get(n, "")).strip()]
    if missing:
        raise DelegationError("error.mail.not_set", kind=kind.upper(), missing=missing, where=where)
    security = str(settings.get("security", "ssl")).lower()
    if security not in SECURITIES:
        raise DelegationError("error.mail.security", where=where)
    default_port = {
        ("imap", "ssl"): 993,
        ("imap", "starttls"): 143,
        ("smtp", "ssl"): 465,
        ("smtp", "starttls"): 587,
    }
    try:
        port = int(settings.get("port") or default_port[kind, security])
    except ValueError:
        raise DelegationError("error.mail.port", where=where) from None
    return Account(
        kind,
        str(settings["host"]).strip(),
        port,
        security,
        str(settings["user"]).strip(),
        str(settings["password"]),
        str(settings.get("folder") or "INBOX"),
        str(settings["ca_file"]) if settings.get("ca_file") else None,
        str(settings.get("sender") or settings["user"]).strip(),
    )


def failure(account: Account, exc: BaseException) -> DelegationError:
    """What went wrong talking to the server, in one sentence (never the server's own words, which
    may quote the account)."""
    server = f"{account.host}:{account.port}"
    if isinstance(exc, DelegationError):
        return exc
    if isinstance(exc, ssl.SSLCertVerificationError):
        why = "certificate"
    elif isinstance(exc, TimeoutError | socket.timeout):
        why = "timeout"
    elif isinstance(exc, imaplib.IMAP4.error | _LoginRefused):
        why = "login"
    elif isinstance(exc, ssl.SSLError):
        why = "tls"
    else:
        why = "unreachable"
    return DelegationError("error.mail.unread", why=Words(f"error.mail.why.{why}", {"server": server}))


class _LoginRefused(Exception):
    pass


@dataclass
class Fetched:
    """One round's outcome: what was imported, and the sentence if the server could not be read."""

    at: dt.datetime
    reports: list = field(default_factory=list)  # MailReport | DelegationError, one per new message
    failure: DelegationError | None = None

    def lines(self, lang: str) -> list[str]:
        if self.failure is not None:
            return [self.failure.message(lang)]
        new = [r for r in self.reports if not getattr(r, "already", False)]
        out = [text("mail.fetched", lang, count=len(new))]
        for report in self.reports:
            if isinstance(report, DelegationError):
                out.append(report.message(lang))
            else:
                out += report.lines(lang)
        return out


_last: dict[str, Fetched] = {}  # the latest round in this process, for the Mail page


def last_round() -> Fetched | None:
    """The latest round of reading the mailbox in this process (None before the first)."""
    return _last.get("round")


def set_last_failure(exc: DelegationError) -> None:
    """An account set wrongly is said as a round that failed."""
    _last["round"] = Fetched(dt.datetime.now().replace(microsecond=0), failure=exc)


def _connect(account: Account) -> imaplib.IMAP4:
    context = account.tls()
    if account.security == "ssl":
        return imaplib.IMAP4_SSL(account.host, account.port, ssl_context=context, timeout=TIMEOUT_SECONDS)
    client = imaplib.IMAP4(account.host, account.port, timeout=TIMEOUT_SECONDS)
    try:
        client.starttls(ssl_context=context)
    except BaseException:
        client.shutdown()
        raise
    return client


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def fetch(
    con: duckdb.DuckDBPyConnection,
    config: EventConfig,
    account: Account,
    *,
    documents_dir: Path,
    actor: str = "mail",
) -> Fetched:
    """Import every message of the folder the desk has not taken yet (by UIDVALIDITY and UID)."""
    from delegation.mailbox import import_messages

    round_ = Fetched(dt.datetime.now().replace(microsecond=0))
    try:
        client = _connect(account)
        try:
            try:
                client.login(account.user, account.password)
            except imaplib.IMAP4.error:
                raise _LoginRefused from None
            status, _ = client.select(_quoted(account.folder), readonly=not config.mail_mark_seen)
            if status != "OK":
                raise DelegationError("error.mail.no_folder", folder=account.folder)
            validity = int(client.response("UIDVALIDITY")[1][0])
            last = fetch_one(
                con,
                "select coalesce(max(uid), 0) from mail_seen where folder = ? and uidvalidity = ?",
                [account.folder, validity],
            )[0]
            _, found = client.uid("search", None, f"UID {last + 1}:*")
            uids = sorted(int(u) for u in (found[0] or b"").split() if int(u) > last)[:BATCH]
            for uid in uids:
                _, parts = client.uid("fetch", str(uid), "(BODY.PEEK[])")
                raw = next((p[1] for p in parts if isinstance(p, tuple)), None)
                if raw is None:
                    continue  # expunged meanwhile
                (result,) = import_messages(
                    con,
                    config,
                    [(f"{account.folder} UID {uid}", raw)],
                    actor=actor,
                    documents_dir=documents_dir,
                )
                key = None if isinstance(result, DelegationError) else result.message_key
                con.execute(
                    "insert or ignore into mail_seen (folder, uidvalidity, uid, message_key) values (?, ?, ?, ?)",
                    [account.folder, validity, uid, key],
                )
                if config.mail_mark_seen:
                    client.uid("store", str(uid), "+FLAGS", "(\\Seen)")
                round_.reports.append(result)
            client.logout()
        finally:
            if client.state != "LOGOUT":
                with contextlib.suppress(OSError):
                    client.shutdown()
    except (OSError, imaplib.IMAP4.error, _LoginRefused, ssl.SSLError, DelegationError, ValueError) as exc:
        round_.failure = failure(account, exc)
        LOG.warning("mail: %s", round_.failure.en)
    _last["round"] = round_
    return round_


def watch(
    con: duckdb.DuckDBPyConnection,
    config: EventConfig,
    account: Account,
    *,
    documents_dir: Path,
    stop: threading.Event | None = None,
    report: Callable[[Fetched], object] = lambda fetched: None,
) -> None:
    """Read the mailbox every `mail.poll_seconds` until `stop` is set; a failed round never ends it."""
    stop = stop or threading.Event()
    while not stop.is_set():
        try:
            report(fetch(con, config, account, documents_dir=documents_dir))
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # a full disk, a damaged block: the next round tries again
            LOG.error("mail round failed: %s", type(exc).__name__)
        stop.wait(config.mail_poll_seconds)
