"""Documents owed by units and participants: storing scans, changing states, scanning e-mail folders.

Scans are kept under `documents/` beside the database with random names, encrypted (AES-256-GCM,
`delegation.crypto`, with the key of `delegation.keys`); the database keeps the original name and the
plaintext's sha256 (duplicates are found by it). Every change is appended to the audit log with its
before and after.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from delegation import crypto, sandbox
from delegation.access import at_least
from delegation.config import EventConfig, database_path
from delegation.db import append_audit, fetch_one, transaction
from delegation.errors import DelegationError
from delegation.keys import Keyring, keyring
from delegation.private import private_folder, write_private
from delegation.scans import MAGIC, open_image, sniff
from delegation.search import pinyin_key
from delegation.text import match_key, megabytes, safe_name

STATES = ("missing", "received", "verified", "rejected")
SCAN_SUFFIXES = tuple(f".{ext}" for _, _, ext in MAGIC)  # what the upload box names


def pixel_limit(config: EventConfig) -> int:
    """A scan's largest number of pixels (`[security] max_image_megapixels`)."""
    return config.max_image_megapixels * 1_000_000


def documents_folder(db: str | Path | None = None) -> Path:
    """Where scans are stored: `documents/` beside the database file (git-ignored, never served)."""
    return database_path(db).resolve().parent / "documents"


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    original_name: str
    sha256: str
    size_bytes: int
    content_type: str


def too_large(name: str, size: int, max_mb: int) -> DelegationError:
    """'The file is 20.1 MB, more than the limit of 20 MB.'"""
    return DelegationError(
        f"{name}: the file is {megabytes(size)} MB, more than the limit of {max_mb} MB.",
        f"{name}：文件大小 {megabytes(size)} MB，超过 {max_mb} MB 的上限。",
    )


def store_file(
    data: bytes, original_name: str, folder: Path, config: EventConfig, *, ring: Callable[[], Keyring]
) -> StoredFile:
    """Check a scan and write it encrypted under a random name; nothing is written when it is refused.

    The scan is opened in a worker (`scans.check_scan`: its kind from its bytes, its pixels capped,
    decoded whole), so a hostile image cannot hurt this process. `ring` is asked for the key only
    once the scan has passed, so a refused file does not even record a key in the database."""
    name = safe_name(original_name)
    if not data:
        raise DelegationError(f"{name}: the file is empty.", f"{name}：文件是空的。")
    if len(data) > config.max_document_mb * 1024 * 1024:
        raise too_large(name, len(data), config.max_document_mb)
    _, content_type = sandbox.run(
        "check_scan", data, name, pixel_limit(config), limits=sandbox.Limits.of(config), name=name
    )
    keys = ring()
    private_folder(folder)
    stored = f"{secrets.token_hex(16)}.enc"  # the kind is in the database, not in the name
    write_private(folder / stored, crypto.encrypt_bytes(data, keys.current_id, keys.current_key))
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
# Streamlit's widest picture (image_utils.MAXIMUM_CONTENT_WIDTH): st.image resizes, so decodes, any
# wider one in the server's process; one drawn at most this wide is passed on as it is.
VIEW_WIDTH = 1460
VIEW_HEIGHT = 4 * VIEW_WIDTH


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
    original = safe_name(original)  # a name stored before names were made safe is shown safe too
    data = read_stored(folder, stored, keyring(con), original)
    return Scan(int(document_id), original, content_type, data)


def scan_pictures(scan: Scan, config: EventConfig) -> list[bytes]:
    """What the page shows of a scan, as PNG pictures drawn in a worker (`scan_pictures_here`): a
    scan stored before intake checked its pixels, or a PDF that draws a giant page, cannot hurt
    the server's process."""
    return sandbox.run(
        "scan_pictures",
        scan.data,
        scan.content_type,
        scan.original_name,
        pixel_limit(config),
        limits=sandbox.Limits.of(config),
        name=scan.original_name,
    )


def scan_pictures_here(data: bytes, content_type: str, name: str, max_pixels: int) -> list[bytes]:
    """In a worker: an image, or a PDF's first `VIEW_PAGES` pages, as PNGs at most `VIEW_WIDTH`
    wide, so that `st.image` shows them without decoding them again (an image turned upright as
    its EXIF orientation says, as a browser would show it)."""
    import io

    from PIL import ImageOps

    if content_type != "application/pdf":
        image = open_image(data, content_type, name, max_pixels)
        try:
            image = ImageOps.exif_transpose(image)
        except MemoryError:
            raise
        except Exception:  # a damaged EXIF block: the picture as it was stored
            pass
        image = image.convert("RGBA" if image.mode in ("RGBA", "LA", "PA", "P") else "RGB")
        image.thumbnail((VIEW_WIDTH, VIEW_HEIGHT))
        out = io.BytesIO()
        image.save(out, format="PNG", compress_level=1)  # for the page only: speed over size
        return [out.getvalue()]

    import pypdfium2

    pictures = []
    try:
        pdf = pypdfium2.PdfDocument(data)
        for index in range(min(len(pdf), VIEW_PAGES)):
            page = pdf[index]
            width, height = page.get_size()  # in points; a PDF may declare a page metres wide
            scale = min(VIEW_SCALE, VIEW_WIDTH / max(width, 1), VIEW_HEIGHT / max(height, 1))
            out = io.BytesIO()
            page.render(scale=scale).to_pil().save(out, format="PNG", compress_level=1)
            pictures.append(out.getvalue())
    except pypdfium2.PdfiumError:
        raise DelegationError(
            f"{name}: this PDF cannot be shown; download it to open it.",
            f"{name}：无法显示该 PDF，请下载后打开。",
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
    stored = store_file(data, original_name, folder, config, ring=lambda: keyring(con, create=True))
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


def unit_for_folder(name: str, units: dict[str, int], config: EventConfig) -> int | None:
    """The unit a folder belongs to: named after the unit, or after the e-mail subject convention."""
    from delegation.mail import unit_from_subject  # the mail intake reads subjects the same way

    candidates = [name, unit_from_subject(name, [config.subject_en, config.subject_zh]) or ""]
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
    keywords, levels = document_words(config)
    for unit_dir, info in sorted(_entries(folder, descend=False), key=lambda e: e[0]):
        if info is not None and not stat.S_ISLNK(info.st_mode) and not stat.S_ISDIR(info.st_mode):
            continue  # a file beside the unit folders is no unit's
        if info is None or not stat.S_ISDIR(info.st_mode):  # unreadable, or a link (never followed)
            report.unmatched.append((_shown(unit_dir, folder), *_why_not_read(info)))
            continue
        unit_id = unit_for_folder(unit_dir.name, units, config)
        people = unit_people(con, unit_id)
        for path, info in sorted(_entries(unit_dir), key=lambda e: e[0]):
            shown = _shown(path, folder)
            if info is None or not stat.S_ISREG(info.st_mode):
                report.unmatched.append((shown, *_why_not_read(info)))
            elif unit_id is None:
                report.unmatched.append(
                    (shown, "the folder names no registered unit", "文件夹名称与任何已报名单位都不对应")
                )
            else:
                _scan_file(
                    con,
                    config,
                    path,
                    shown,
                    info,
                    unit_id,
                    people,
                    keywords,
                    levels,
                    report,
                    actor,
                    documents_dir,
                )
    return report


def _entries(folder: Path, *, descend: bool = True) -> Iterator[tuple[Path, os.stat_result | None]]:
    """What is in `folder` (and, with `descend`, its real subfolders), dot-files left out, each
    with its own `lstat`: a symbolic link is listed as the link, never followed (a link to
    /etc/passwd or to another unit's scan stays outside), and a subfolder that cannot be read
    comes with None instead of stopping the whole scan."""
    folders = [folder]
    while folders:
        current = folders.pop()
        try:
            with os.scandir(current) as listing:
                found = [
                    (Path(e.path), e.stat(follow_symlinks=False))
                    for e in listing
                    if not e.name.startswith(".")
                ]
        except OSError:
            if current == folder and not descend:
                raise
            yield current, None
            continue
        for path, info in found:
            if descend and stat.S_ISDIR(info.st_mode):
                folders.append(path)
            else:
                yield path, info


def _shown(path: Path, root: Path) -> str:
    """A file's place under the scanned folder as the report shows it: each part a safe name
    (a folder name can hold a terminal's control sequences as well as a file name can)."""
    return "/".join(safe_name(part) for part in path.relative_to(root).parts)


def _why_not_read(info: os.stat_result | None) -> tuple[str, str]:
    """Why an entry of a scanned folder was left unopened."""
    if info is None:
        return "the folder cannot be read", "无法读取该文件夹"
    if stat.S_ISLNK(info.st_mode):
        return "a symbolic link, which the scan does not follow", "这是符号链接，扫描不会跟随"
    return "not a regular file", "不是普通文件"


class Skipped(Exception):
    """A file of a scanned folder left out, with why (en, zh), as the report's reasons read."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.en, self.zh = en, zh


def _too_large_reason(size: int, max_mb: int) -> Skipped:
    return Skipped(
        f"the file is {megabytes(size)} MB, more than the limit of {max_mb} MB",
        f"文件大小 {megabytes(size)} MB，超过 {max_mb} MB 的上限",
    )


def _read_scan_file(path: Path, max_mb: int) -> bytes:
    """A file of a scanned folder's bytes, at most `max_mb` MB read: opened without following a
    link and without waiting for a writer (a FIFO), and checked again once open, since the file
    may have been swapped between the listing and the opening."""
    limit = max_mb * 1024 * 1024
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:  # ELOOP: it became a link since the listing; EACCES: not ours to read
        raise Skipped("the file cannot be opened", "无法打开该文件") from None
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise Skipped(*_why_not_read(info))
        if info.st_size > limit:
            raise _too_large_reason(info.st_size, max_mb)
        data = file.read(limit + 1)
    if len(data) > limit:  # it grew after the listing
        raise _too_large_reason(len(data), max_mb)
    return data


def _reason(exc: DelegationError, name: str) -> tuple[str, str]:
    """A refusal's sentences as a report's reasons: without the file's name in front (the report
    names the file already) and without the full stop."""
    en = exc.en.removeprefix(f"{name}: ").removesuffix(".")
    zh = exc.zh.removeprefix(f"{name}：").removesuffix("。")
    return en, zh


def _scan_file(
    con, config, path, shown, info, unit_id, people, keywords, levels, report, actor, documents_dir
) -> None:
    try:
        kind, participant_id = match_document(path.name, people, keywords, levels)
    except Skipped as skipped:
        report.unmatched.append((shown, skipped.en, skipped.zh))
        return
    try:
        if info.st_size > config.max_document_mb * 1024 * 1024:  # known from the listing: never read
            raise _too_large_reason(info.st_size, config.max_document_mb)
        data = _read_scan_file(path, config.max_document_mb)
    except Skipped as skipped:
        report.unmatched.append((shown, skipped.en, skipped.zh))
        return
    file_scan(
        con,
        config,
        data,
        path.name,
        shown,
        unit_id=unit_id,
        participant_id=participant_id,
        kind=kind,
        report=report,
        actor=actor,
        source=f"folder scan: {shown}",
        documents_dir=documents_dir,
    )


def document_words(config: EventConfig) -> tuple[dict[str, list[str]], dict[str, str]]:
    """What a scan's file name is matched by: each document kind's keywords (match keys), and
    whether it is a unit's or a participant's."""
    keywords = {d.kind: [match_key(k) for k in d.keywords] for d in config.documents}
    return keywords, {d.kind: d.level for d in config.documents}


def unit_people(con: duckdb.DuckDBPyConnection, unit_id: int | None) -> list[tuple]:
    """Who a unit's scan may belong to: its participants not withdrawn (id, name, pinyin name,
    passport number); none for no unit."""
    if unit_id is None:
        return []
    return con.execute(
        "select participant_id, name, pinyin_name, passport_number from participants "
        "where unit_id = ? and status <> 'withdrawn'",
        [unit_id],
    ).fetchall()


def match_document(
    name: str, people: list[tuple], keywords: dict[str, list[str]], levels: dict[str, str]
) -> tuple[str, int | None]:
    """What a scan's file name says it is: (kind, participant id or None for a unit's document);
    `Skipped` says why it cannot be placed. `people`: the unit's (id, name, pinyin name, passport)."""
    key = match_key(Path(name).stem)
    kinds = [k for k, words in keywords.items() if any(w and w in key for w in words)]
    if not kinds:
        raise Skipped("the file name names no known document", "文件名中没有可识别的材料类型")
    # A unit's own document wins when its keyword is there; otherwise a participant's.
    unit_kinds = [k for k in kinds if levels[k] == "unit"]
    kind = unit_kinds[0] if unit_kinds else kinds[0]
    if levels[kind] != "participant":
        return kind, None
    matches = []
    for pid, person, pinyin_name, passport in people:
        found = [k for k in _person_keys(person, pinyin_name, passport) if k in key]
        if found:
            matches.append((max(len(k) for k in found), pid))
    if not matches:
        raise Skipped(
            "no participant of the unit is named in the file name",
            "文件名中没有该单位任何参团人员的姓名或护照号",
        )
    matches.sort(reverse=True)
    if len(matches) > 1 and matches[0][0] == matches[1][0]:
        raise Skipped("the file name fits more than one participant", "文件名可对应多名参团人员")
    return kind, matches[0][1]


def file_scan(
    con,
    config,
    data: bytes,
    name: str,
    shown: str,
    *,
    unit_id: int,
    participant_id: int | None,
    kind: str,
    report: ScanReport,
    actor: str,
    source: str,
    documents_dir: Path,
) -> None:
    """Record a scan's bytes as a unit's or participant's document (`attach`), unless it is not a
    PDF, JPEG or PNG, or the same file (or a verified one) is there already; `report` says which."""
    try:
        sniff(data, name)
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
            original_name=name,
            actor=actor,
            source=source,
            folder=documents_dir,
        )
    except DelegationError as exc:  # not what its first bytes say, a bomb, or a worker's refusal
        report.unmatched.append((shown, *_reason(exc, safe_name(name))))
        return
    report.recorded.append((shown, kind))
