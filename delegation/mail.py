"""Registration e-mails read into plain data: headers decoded whatever the client did, the body as
plain text, the attachments (ZIPs opened safely), and the unit the subject names.

A message is parsed in a reader worker (`delegation.sandbox`, job "parse_message"), as any file from
outside is; what comes back is `Message`, plain data, on which reading the mailbox, filing the
attachments and the Mail page build.
"""

from __future__ import annotations

import datetime as dt
import email
import email.header
import email.utils
import hashlib
import html.parser
import io
import re
import zipfile
from dataclasses import dataclass, field
from email.message import Message as EmailMessage

from delegation.errors import DelegationError
from delegation.i18n import said
from delegation.text import safe_name

# What Chinese mail clients label their text with, read by the codec that reads all of it:
# GB18030 is a superset of GB2312 and GBK (a "GB2312" header often holds GBK characters).
_CHARSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "big5": "big5hkscs",
}
MAX_ATTACHMENTS = 200  # a registration mail with more parts than this is not read further
MAX_ZIP_MEMBERS = 500
MAX_ZIP_UNPACKED = 200 * 1024 * 1024
MAX_ZIP_RATIO = 200


@dataclass
class Attachment:
    """One file the message carried (a ZIP's members each as their own), or why it is not one."""

    name: str  # its safe name (`text.safe_name`)
    data: bytes
    content_type: str
    inline: bool = False  # shown in the message's body (a signature's logo), not attached
    problem: tuple[str, str] | None = None  # (en, zh) when it cannot be used: an encrypted ZIP …


@dataclass
class Message:
    """A registration e-mail as plain data."""

    message_id: str | None
    sha256: str  # of the raw message: its identity when it has no Message-ID
    sender: str  # the sender's address, lower case
    sender_name: str
    subject: str
    date: dt.datetime | None
    body: str  # plain text (an HTML body reduced to its text, never kept as HTML)
    attachments: list[Attachment] = field(default_factory=list)


def _codec(charset: str | None) -> str:
    charset = (charset or "utf-8").lower()
    return _CHARSETS.get(charset, charset)


def _text_of(raw: bytes, charset: str | None = None) -> str:
    """Bytes as text: in the charset they say, else UTF-8, else GB18030 (raw 8-bit headers)."""
    for codec in dict.fromkeys([_codec(charset), "utf-8", "gb18030"]):
        try:
            return raw.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
    return raw.decode("utf-8", "replace")


def decode_header(value: object) -> str:
    """A header as text: RFC 2047 encoded words in any charset (also where clients put them against
    the standard, inside quoted attachment names), and raw 8-bit bytes in UTF-8 or GBK."""
    if value is None:
        return ""
    if isinstance(value, email.header.Header):
        value = str(value)
    text = str(value)
    if _has_raw_bytes(text):  # raw 8-bit bytes, kept by the parser as surrogates
        text = _text_of(text.encode("ascii", "surrogateescape"))
    parts = []
    for chunk, charset in email.header.decode_header(text):
        parts.append(_text_of(chunk, charset) if isinstance(chunk, bytes) else chunk)
    return "".join(parts).strip()


class _Text(html.parser.HTMLParser):
    """An HTML body's text: paragraphs and line breaks as new lines, scripts and styles dropped."""

    _BREAKS = frozenset({"br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "table"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in self._BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data) -> None:
        if not self._skip:
            self.parts.append(data)


def html_text(markup: str) -> str:
    """An HTML body reduced to plain text."""
    parser = _Text()
    parser.feed(markup)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).splitlines()]
    return "\n".join(line for line in lines if line).strip()


def _raw_header(message: EmailMessage, name: str) -> str:
    """A header as it came (raw 8-bit bytes kept as surrogates, which `decode_header` reads)."""
    return next((str(v) for k, v in message.raw_items() if k.lower() == name.lower()), "")


def _has_raw_bytes(text: str) -> bool:
    return any("\udc80" <= c <= "\udcff" for c in text)


def _filename(part: EmailMessage) -> str | None:
    """An attachment's name, from RFC 2231 parameters, RFC 2047 words or raw 8-bit GBK bytes."""
    headers = {name: _raw_header(part, name) for name in ("Content-Disposition", "Content-Type")}
    if any(_has_raw_bytes(v) for v in headers.values()):  # decoded first, then read as parameters
        decoded = EmailMessage()
        for name, value in headers.items():
            if value:
                decoded[name] = decode_header(value)
        found = decoded.get_filename()
    else:
        found = part.get_filename()
    return decode_header(found) if found else None


def _payload_text(part: EmailMessage) -> str:
    data = part.get_payload(decode=True) or b""
    return _text_of(data, part.get_content_charset())


def parse_message(raw: bytes) -> Message:
    """A raw RFC 5322 message as a `Message` (what the worker's "parse_message" job runs)."""
    message = email.message_from_bytes(raw)
    name, address = email.utils.parseaddr(decode_header(_raw_header(message, "From")))
    try:
        date = email.utils.parsedate_to_datetime(_raw_header(message, "Date"))
    except (TypeError, ValueError):
        date = None
    plain, markup, attachments = [], [], []
    for part in message.walk():
        if part.is_multipart():
            continue
        disposition = _raw_header(part, "Content-Disposition").split(";")[0].strip().lower()
        filename = _filename(part)
        content_type = part.get_content_type()
        if filename is None and disposition != "attachment" and content_type in ("text/plain", "text/html"):
            (plain if content_type == "text/plain" else markup).append(_payload_text(part))
            continue
        if len(attachments) >= MAX_ATTACHMENTS:
            break
        shown = safe_name(filename if filename else f"attachment.{content_type.split('/')[-1]}")
        data = part.get_payload(decode=True) or b""
        inline = disposition == "inline" or (
            part.get("Content-ID") is not None and disposition != "attachment"
        )
        attachments.extend(unpacked(Attachment(shown, data, content_type, inline)))
    body = "\n".join(plain).strip() or html_text("\n".join(markup))
    return Message(
        message_id=_raw_header(message, "Message-ID").strip() or None,
        sha256=hashlib.sha256(raw).hexdigest(),
        sender=address.lower(),
        sender_name=name,
        subject=decode_header(_raw_header(message, "Subject")),
        date=date,
        body=body,
        attachments=attachments,
    )


def read_message(raw: bytes, config, name: str) -> Message:
    """`parse_message` in a reader worker: a message that makes the parser hang or grow past the
    limits is refused in one sentence naming it (`name`: the file or the mailbox's message)."""
    from delegation import sandbox

    message = sandbox.run("parse_message", raw, limits=sandbox.Limits.of(config), name=name)
    if not message.sender and message.date is None:  # no From, no Date: a form or a scan, not a message
        raise DelegationError("error.mail.not_a_message", name=name)
    return message


def split_mbox(raw: bytes) -> list[bytes]:
    """The messages of an mbox file (each after its "From " line; ">From " unquoted), or the one
    message of an .eml."""
    if not raw.startswith(b"From "):
        return [raw]
    messages, current = [], []
    for line in raw.splitlines(keepends=True):
        if line.startswith(b"From ") and current is not None:
            if current:
                messages.append(b"".join(current))
            current = []
            continue
        current.append(line[1:] if re.match(rb"^>+From ", line) else line)
    if current:
        messages.append(b"".join(current))
    return messages


_RAR_7Z = (b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c")


def unpacked(attachment: Attachment, depth: int = 0) -> list[Attachment]:
    """An attachment, or a ZIP's members in its place (a ZIP inside it opened too, one level
    deep): names read as GBK where Windows' compressor wrote them so, a member reaching outside
    the archive, a zip bomb or an encrypted ZIP listed with why, RAR and 7z listed as unopenable."""
    data = attachment.data
    if data.startswith(_RAR_7Z):
        return [_problem(attachment, "mail.problem.rar_7z")]
    if not data.startswith(b"PK\x03\x04") or not attachment.name.lower().endswith(".zip"):
        return [attachment]
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = [e for e in archive.infolist() if not e.is_dir()]
    except (zipfile.BadZipFile, ValueError, EOFError):
        return [_problem(attachment, "mail.problem.zip_damaged")]
    unpacked_size = sum(e.file_size for e in entries)
    if (
        len(entries) > MAX_ZIP_MEMBERS
        or unpacked_size > MAX_ZIP_UNPACKED
        or unpacked_size / max(1, sum(e.compress_size for e in entries)) > MAX_ZIP_RATIO
    ):
        return [_problem(attachment, "mail.problem.zip_bomb")]
    if any(e.flag_bits & 0x1 for e in entries):
        return [_problem(attachment, "mail.problem.zip_password")]
    out: list[Attachment] = []
    for entry in entries:
        name = _member_name(entry)
        if name.startswith(("/", "\\")) or ".." in re.split(r"[\\/]", name) or re.match(r"^[A-Za-z]:", name):
            out.append(_problem(Attachment(safe_name(name), b"", ""), "mail.problem.outside_zip"))
            continue
        try:
            member = Attachment(safe_name(name), archive.read(entry), "application/octet-stream")
        except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError, OSError):
            out.append(_problem(Attachment(safe_name(name), b"", ""), "mail.problem.member_damaged"))
            continue
        if member.name.lower().endswith(".zip") and depth == 0:
            out.extend(unpacked(member, depth + 1))
        elif member.name.lower().endswith(".zip"):
            out.append(_problem(member, "mail.problem.nested_zip"))
        else:
            out.append(member)
    return out


def _member_name(entry: zipfile.ZipInfo) -> str:
    """A ZIP member's name: as UTF-8 when the archive says so, else the bytes Windows wrote (GBK,
    which zipfile reads as cp437) read as GBK."""
    if entry.flag_bits & 0x800:
        return entry.filename
    raw = entry.filename.encode("cp437", "replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030", "replace")


def _problem(attachment: Attachment, key: str) -> Attachment:
    """The attachment emptied, with why it was not opened: the sentence `key` as an (en, zh) pair."""
    return Attachment(attachment.name, b"", attachment.content_type, attachment.inline, tuple(said(key)))


# Reply and forward prefixes in any number, with half- or full-width colons.
_PREFIXES = re.compile(r"^(?:\s*(?:re|fw|fwd|aw|回复|答复|转发)\s*[:：]\s*)+", re.IGNORECASE)
_DASHES = "-—–－―‐"


def unit_from_subject(subject: str, patterns: list[str]) -> str | None:
    """The unit a subject names by one of the notice's subject patterns ("赴美访问-{unit}"): reply
    and forward prefixes left out, any dash or spaces around it; None when no pattern fits."""
    text = _PREFIXES.sub("", subject or "").strip()
    for pattern in patterns:
        before, _, after = pattern.partition("{unit}")
        lead = re.escape(before.rstrip(_DASHES + " ")).replace(r"\ ", r"\s*")
        regex = rf"^{lead}\s*[{_DASHES}]\s*(.+?)\s*{re.escape(after.strip())}$"
        if m := re.match(regex, text, re.IGNORECASE):
            return m[1].strip() or None
    return None
