"""Documents owed by units and participants: storing scans, changing states, scanning e-mail folders.

Scans are kept under `documents/` beside the database with random names, encrypted (AES-256-GCM,
`delegation.crypto`, with the key of `delegation.keys`); the database keeps the original name and the
plaintext's sha256 (duplicates are found by it). Every change is appended to the audit log with its
before and after.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from delegation import crypto
from delegation.access import at_least
from delegation.config import EventConfig, database_path
from delegation.db import append_audit, fetch_one, transaction
from delegation.errors import DelegationError
from delegation.keys import Keyring, keyring
from delegation.private import private_folder, write_private
from delegation.search import pinyin_key
from delegation.text import match_key, megabytes

STATES = ("missing", "received", "verified", "rejected")
# Content, not the file name, decides what a file is.
MAGIC = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)
SCAN_SUFFIXES = tuple(f".{ext}" for _, _, ext in MAGIC)  # what the upload box names


def documents_folder(db: str | Path | None = None) -> Path:
    """Where scans are stored: `documents/` beside the database file (git-ignored, never served)."""
    return database_path(db).resolve().parent / "documents"


def sniff(data: bytes, name: str) -> tuple[str, str]:
    """The content type and extension of a PDF, JPEG or PNG, judged by its first bytes."""
    for magic, content_type, ext in MAGIC:
        if data.startswith(magic):
            return content_type, ext
    raise DelegationError(
        f"{name}: only PDF, JPEG or PNG scans are accepted, and this file is none of them.",
        f"{name}：只接受 PDF、JPEG 或 PNG 格式的扫描件，该文件不是其中任何一种。",
    )


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    original_name: str
    sha256: str
    size_bytes: int
    content_type: str


def store_file(data: bytes, original_name: str, folder: Path, max_mb: int, *, ring: Keyring) -> StoredFile:
    """Check a scan and write it encrypted under a random name; nothing is written when it is refused."""
    name = Path(original_name).name
    if not data:
        raise DelegationError(f"{name}: the file is empty.", f"{name}：文件是空的。")
    if len(data) > max_mb * 1024 * 1024:
        raise DelegationError(
            f"{name}: the file is {megabytes(len(data))} MB, more than the limit of {max_mb} MB.",
            f"{name}：文件大小 {megabytes(len(data))} MB，超过 {max_mb} MB 的上限。",
        )
    content_type, _ = sniff(data, name)
    private_folder(folder)
    stored = f"{secrets.token_hex(16)}.enc"  # the kind is in the database, not in the name
    write_private(folder / stored, crypto.encrypt_bytes(data, ring.current_id, ring.current_key))
    return StoredFile(stored, name, hashlib.sha256(data).hexdigest(), len(data), content_type)


def read_stored(folder: Path, stored_name: str, ring: Keyring, original_name: str) -> bytes:
    """A stored scan's plaintext (every reader of scan files comes through here)."""
    try:
        blob = (folder / stored_name).read_bytes()
    except OSError:
        raise DelegationError(
            f"{original_name}: the stored scan cannot be read (it may have been purged).",
            f"{original_name}：存档的扫描件无法读取（可能已按规定清除）。",
        ) from None
    return crypto.decrypt_bytes(blob, ring.key, original_name)


@dataclass(frozen=True)
class Scan:
    """A stored scan as read back for staff: its original name, type and bytes."""

    document_id: int
    original_name: str
    content_type: str
    data: bytes


VIEW_PAGES = 5  # the pages of a PDF scan shown on the page (a passport's cover page is the first)
VIEW_SCALE = 1.5  # 108 dpi: a passport's machine-readable zone is legible


def read_scan(con: duckdb.DuckDBPyConnection, document_id: int, role: str, folder: Path) -> Scan:
    """A document's stored scan, for a role that may see scans (staff and admins; viewers never do)."""
    if not at_least(role, "staff"):
        raise DelegationError("Your role may not see scans.", "您的角色无权查看扫描件。")
    row = fetch_one(
        con,
        "select stored_name, original_name, content_type from documents where document_id = ?",
        [document_id],
    )
    if not row or not row[0]:
        raise DelegationError("No scan is stored for this document.", "这份材料没有存档的扫描件。")
    stored, original, content_type = row
    data = read_stored(folder, stored, keyring(con), original)
    return Scan(int(document_id), original, content_type, data)


def scan_pictures(scan: Scan) -> list[bytes]:
    """What the page shows of a scan: an image as it is; a PDF as its first pages, drawn as PNG."""
    if scan.content_type != "application/pdf":
        return [scan.data]
    import io

    import pypdfium2

    pictures = []
    try:
        pdf = pypdfium2.PdfDocument(scan.data)
        for index in range(min(len(pdf), VIEW_PAGES)):
            out = io.BytesIO()
            pdf[index].render(scale=VIEW_SCALE).to_pil().save(out, format="PNG")
            pictures.append(out.getvalue())
    except pypdfium2.PdfiumError:
        raise DelegationError(
            f"{scan.original_name}: this PDF cannot be shown; download it to open it.",
            f"{scan.original_name}：无法显示该 PDF，请下载后打开。",
        ) from None
    return pictures


def log_scan(con: duckdb.DuckDBPyConnection, actor: str, scan: Scan, how: str) -> None:
    """Record that someone looked at (`how`="view") or downloaded a scan."""
    append_audit(con, actor, f"document.{how}", f"document:{scan.document_id}", {"file": scan.original_name})


def download_scan(
    con: duckdb.DuckDBPyConnection, document_id: int, role: str, actor: str, folder: Path
) -> bytes:
    """A scan's bytes for a download button, the download logged."""
    scan = read_scan(con, document_id, role, folder)
    log_scan(con, actor, scan, "download")
    return scan.data


def _current(
    con: duckdb.DuckDBPyConnection, unit_id: int, participant_id: int | None, kind: str
) -> dict | None:
    columns = ("document_id", "status", "reason", "sha256", "original_name", "received_at")
    row = fetch_one(
        con,
        f"select {', '.join(columns)} from documents where unit_id = ? and kind = ? "
        "and participant_id is not distinct from ?",
        [unit_id, kind, participant_id],
    )
    return dict(zip(columns, row, strict=True)) if row else None


def set_state(
    con: duckdb.DuckDBPyConnection,
    *,
    unit_id: int,
    participant_id: int | None,
    kind: str,
    status: str,
    actor: str,
    source: str,
    reason: str | None = None,
    file: StoredFile | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Record a document's new state (and file), in one transaction with its audit row; returns its id."""
    if status not in STATES:
        raise ValueError(status)
    if status == "rejected" and not (reason or "").strip():
        raise DelegationError(
            "A rejected document needs a reason the unit can act on.", "退回材料时需填写原因，便于单位补交。"
        )
    now = now or dt.datetime.now().replace(microsecond=0)
    with transaction(con):
        before = _current(con, unit_id, participant_id, kind)
        received_at = before["received_at"] if before else None
        if status in ("received", "verified") and received_at is None:
            received_at = now
        values = {
            "status": status,
            "reason": reason if status == "rejected" else None,
            "source": source,
            "updated_by": actor,
            "updated_at": now,
            "received_at": received_at,
        }
        if file:
            values |= {
                "stored_name": file.stored_name,
                "original_name": file.original_name,
                "sha256": file.sha256,
                "size_bytes": file.size_bytes,
                "content_type": file.content_type,
            }
        if before is None:
            document_id = fetch_one(con, "select nextval('document_id_seq')")[0]
            columns = ["document_id", "unit_id", "participant_id", "kind", *values]
            con.execute(
                f"insert into documents ({', '.join(columns)}) values ({', '.join('?' * len(columns))})",
                [document_id, unit_id, participant_id, kind, *values.values()],
            )
        else:
            document_id = before["document_id"]
            sets = ", ".join(f"{c} = ?" for c in values)
            con.execute(f"update documents set {sets} where document_id = ?", [*values.values(), document_id])
        details = {
            "unit_id": unit_id,
            "participant_id": participant_id,
            "kind": kind,
            "source": source,
            "before": {
                "status": before["status"] if before else "missing",
                "reason": before["reason"] if before else None,
            },
            "after": {
                "status": status,
                "reason": values["reason"],
                "file": file.original_name if file else None,
            },
        }
        con.execute(
            "insert into document_history values (?, ?, ?, ?, ?)",
            [document_id, status, values["reason"], now, actor],
        )
        append_audit(con, actor, "document.change", f"document:{document_id}", details, at=now)
        if kind == CONFIRMATION and participant_id is None:
            sync_confirmations(con, unit_id)
    return int(document_id)


CONFIRMATION = "registration_confirmation"  # the unit's Annex 1: once in, its registration is confirmed


def sync_confirmations(con: duckdb.DuckDBPyConnection, unit_id: int | None = None) -> None:
    """Set `units.confirmed_on` — the day the unit's confirmation first arrived, while it is received
    or verified — from the documents, for one unit or (None) for all."""
    con.execute(
        "update units set confirmed_on = ("
        "    select min(received_at)::date from documents d"
        "    where d.unit_id = units.unit_id and d.kind = ? and d.participant_id is null"
        "      and d.status in ('received', 'verified'))"
        "where ?::integer is null or unit_id = ?",
        [CONFIRMATION, unit_id, unit_id],
    )


def attach(
    con: duckdb.DuckDBPyConnection,
    config: EventConfig,
    *,
    unit_id: int,
    participant_id: int | None,
    kind: str,
    data: bytes,
    original_name: str,
    actor: str,
    source: str,
    folder: Path,
    now: dt.datetime | None = None,
) -> int:
    """Store a scan (an upload or a file from the folder scan) and mark the document received."""
    stored = store_file(data, original_name, folder, config.max_document_mb, ring=keyring(con, create=True))
    return set_state(
        con,
        unit_id=unit_id,
        participant_id=participant_id,
        kind=kind,
        status="received",
        actor=actor,
        source=source,
        file=stored,
        now=now,
    )


def set_owner(con: duckdb.DuckDBPyConnection, unit_id: int, owner: str | None, actor: str) -> None:
    """Assign a unit to a secretariat member (or nobody) for chasing."""
    owner = (owner or "").strip() or None
    with transaction(con):
        before = fetch_one(con, "select owner from units where unit_id = ?", [unit_id])
        if not before or before[0] == owner:
            return
        con.execute(
            "update units set owner = ?, updated_at = current_timestamp where unit_id = ?", [owner, unit_id]
        )
        append_audit(
            con,
            actor,
            "unit.update",
            f"unit:{unit_id}",
            {"before": {"owner": before[0]}, "after": {"owner": owner}},
        )


# ---- scanning the folders the secretariat saves e-mail attachments into ----------------------


@dataclass
class ScanReport:
    """What a folder scan recorded, what it already had, and what it could not place (with why)."""

    recorded: list[tuple[str, str]] = field(default_factory=list)  # (file, what it became)
    already: list[str] = field(default_factory=list)
    unmatched: list[tuple[str, str, str]] = field(default_factory=list)  # (file, reason en, reason zh)

    def summary(self, lang: str) -> str:
        if lang == "zh":
            return f"新记录 {len(self.recorded)} 份材料，已有 {len(self.already)} 份，无法匹配 {len(self.unmatched)} 个文件。"
        return (
            f"{len(self.recorded)} documents recorded, {len(self.already)} already known, "
            f"{len(self.unmatched)} files not matched."
        )


def _subject_patterns(config: EventConfig) -> list[re.Pattern]:
    patterns = []
    for template in (config.subject_en, config.subject_zh):
        before, after = template.split("{unit}", 1)
        patterns.append(
            re.compile(
                rf"^\s*{re.escape(before.strip())}\s*(?P<unit>.+?)\s*{re.escape(after.strip())}\s*$", re.I
            )
        )
    return patterns


def unit_for_folder(name: str, units: dict[str, int], config: EventConfig) -> int | None:
    """The unit a folder belongs to: named after the unit, or after the e-mail subject convention."""
    candidates = [name]
    for pattern in _subject_patterns(config):
        if m := pattern.match(name):
            candidates.append(m["unit"])
    for candidate in candidates:
        unit_id = units.get(match_key(candidate))
        if unit_id is not None:
            return unit_id
    return None


def _person_keys(name: str, pinyin_name: str | None, passport: str | None) -> set[str]:
    """What a file name may call a person by: the name, its pinyin, the form's pinyin, the passport number."""
    keys = {match_key(name), pinyin_key(name), match_key(pinyin_name)}
    if passport:
        keys.add(match_key(passport))
    return {k for k in keys if len(k) >= 2}


def scan_folder(
    con: duckdb.DuckDBPyConnection, config: EventConfig, folder: Path, *, actor: str, documents_dir: Path
) -> ScanReport:
    """Record every file in per-unit folders that can be matched to a required document."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DelegationError(f"{folder} is not a folder.", f"{folder} 不是文件夹。")
    report = ScanReport()
    units = {r[0]: r[1] for r in con.execute("select name_key, unit_id from units").fetchall()}
    keywords = {d.kind: [match_key(k) for k in d.keywords] for d in config.documents}
    levels = {d.kind: d.level for d in config.documents}
    for unit_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
        unit_id = unit_for_folder(unit_dir.name, units, config)
        files = sorted(p for p in unit_dir.rglob("*") if p.is_file() and not p.name.startswith("."))
        if unit_id is None:
            for f in files:
                report.unmatched.append(
                    (
                        str(f.relative_to(folder)),
                        "the folder names no registered unit",
                        "文件夹名称与任何已报名单位都不对应",
                    )
                )
            continue
        people = con.execute(
            "select participant_id, name, pinyin_name, passport_number from participants where unit_id = ? and status <> 'withdrawn'",
            [unit_id],
        ).fetchall()
        for f in files:
            _scan_file(
                con, config, f, folder, unit_id, people, keywords, levels, report, actor, documents_dir
            )
    return report


def _scan_file(
    con, config, path, root, unit_id, people, keywords, levels, report, actor, documents_dir
) -> None:
    shown = str(path.relative_to(root))
    key = match_key(path.stem)
    kinds = [k for k, words in keywords.items() if any(w and w in key for w in words)]
    if not kinds:
        report.unmatched.append(
            (shown, "the file name names no known document", "文件名中没有可识别的材料类型")
        )
        return
    # A unit's own document wins when its keyword is there; otherwise a participant's.
    unit_kinds = [k for k in kinds if levels[k] == "unit"]
    kind = unit_kinds[0] if unit_kinds else kinds[0]
    participant_id = None
    if levels[kind] == "participant":
        matches = []
        for pid, name, pinyin_name, passport in people:
            found = [k for k in _person_keys(name, pinyin_name, passport) if k in key]
            if found:
                matches.append((max(len(k) for k in found), pid))
        if not matches:
            report.unmatched.append(
                (
                    shown,
                    "no participant of the unit is named in the file name",
                    "文件名中没有该单位任何参团人员的姓名或护照号",
                )
            )
            return
        matches.sort(reverse=True)
        if len(matches) > 1 and matches[0][0] == matches[1][0]:
            report.unmatched.append(
                (shown, "the file name fits more than one participant", "文件名可对应多名参团人员")
            )
            return
        participant_id = matches[0][1]
    data = path.read_bytes()
    try:
        sniff(data, path.name)
    except DelegationError:
        report.unmatched.append((shown, "not a PDF, JPEG or PNG file", "不是 PDF、JPEG 或 PNG 文件"))
        return
    current = _current(con, unit_id, participant_id, kind)
    if current and (current["sha256"] == hashlib.sha256(data).hexdigest() or current["status"] == "verified"):
        report.already.append(shown)
        return
    try:
        attach(
            con,
            config,
            unit_id=unit_id,
            participant_id=participant_id,
            kind=kind,
            data=data,
            original_name=path.name,
            actor=actor,
            source=f"folder scan: {shown}",
            folder=documents_dir,
        )
    except DelegationError as exc:  # too large, or not what its name says
        report.unmatched.append((shown, exc.en, exc.zh))
        return
    report.recorded.append((shown, kind))
