"""Scanning the folders the secretariat saves e-mail attachments into: a folder per unit, each file
matched by its name to a required document (`documents.match_document`) and recorded
(`documents.file_scan`). Links are never followed and every file is read at most to the size limit."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import duckdb

from delegation.config import EventConfig
from delegation.documents.filing import (
    ScanReport,
    Skipped,
    document_words,
    file_scan,
    match_document,
    unit_people,
)
from delegation.errors import DelegationError
from delegation.i18n import said
from delegation.text import match_key, megabytes, safe_name


def unit_for_folder(name: str, units: dict[str, int], config: EventConfig) -> int | None:
    """The unit a folder belongs to: named after the unit, or after the e-mail subject convention."""
    from delegation.mail import unit_from_subject  # the mail intake reads subjects the same way

    candidates = [name, unit_from_subject(name, [config.subject_en, config.subject_zh]) or ""]
    for candidate in candidates:
        unit_id = units.get(match_key(candidate))
        if unit_id is not None:
            return unit_id
    return None


def scan_folder(
    con: duckdb.DuckDBPyConnection, config: EventConfig, folder: Path, *, actor: str, documents_dir: Path
) -> ScanReport:
    """Record every file in per-unit folders that can be matched to a required document."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DelegationError("error.documents.not_a_folder", folder=folder)
    report = ScanReport()
    units = {r[0]: r[1] for r in con.execute("select name_key, unit_id from units").fetchall()}
    keywords, levels = document_words(config)
    for unit_dir, info in sorted(_entries(folder, descend=False), key=lambda e: e[0]):
        if info is not None and not stat.S_ISLNK(info.st_mode) and not stat.S_ISDIR(info.st_mode):
            continue  # a file beside the unit folders is no unit's
        if info is None or not stat.S_ISDIR(info.st_mode):  # unreadable, or a link (never followed)
            report.unmatched.append((_shown(unit_dir, folder), *said(_why_not_read(info))))
            continue
        unit_id = unit_for_folder(unit_dir.name, units, config)
        people = unit_people(con, unit_id)
        for path, info in sorted(_entries(unit_dir), key=lambda e: e[0]):
            shown = _shown(path, folder)
            if info is None or not stat.S_ISREG(info.st_mode):
                report.unmatched.append((shown, *said(_why_not_read(info))))
            elif unit_id is None:
                report.unmatched.append((shown, *said("scan.no_unit_folder")))
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


def _why_not_read(info: os.stat_result | None) -> str:
    """Why an entry of a scanned folder was left unopened: the sentence's key."""
    if info is None:
        return "scan.folder_unreadable"
    if stat.S_ISLNK(info.st_mode):
        return "scan.symlink"
    return "scan.not_regular"


def _too_large_reason(size: int, max_mb: int) -> Skipped:
    return Skipped("scan.too_large", size=megabytes(size), max_mb=max_mb)


def _read_scan_file(path: Path, max_mb: int) -> bytes:
    """A file of a scanned folder's bytes, at most `max_mb` MB read: opened without following a
    link and without waiting for a writer (a FIFO), and checked again once open, since the file
    may have been swapped between the listing and the opening."""
    limit = max_mb * 1024 * 1024
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:  # ELOOP: it became a link since the listing; EACCES: not ours to read
        raise Skipped("scan.cannot_open") from None
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise Skipped(_why_not_read(info))
        if info.st_size > limit:
            raise _too_large_reason(info.st_size, max_mb)
        data = file.read(limit + 1)
    if len(data) > limit:  # it grew after the listing
        raise _too_large_reason(len(data), max_mb)
    return data


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
