"""A stored scan read back for staff: its bytes (for a role that may see scans), its pictures for
the page (drawn in a worker), and the audit row each look or download leaves."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from delegation import sandbox
from delegation.access import at_least
from delegation.config import EventConfig
from delegation.db import append_audit, fetch_one
from delegation.documents.stored import pixel_limit, read_stored
from delegation.errors import DelegationError
from delegation.keys import keyring
from delegation.text import safe_name


@dataclass(frozen=True)
class Scan:
    """A stored scan as read back for staff: its original name, type and bytes."""

    document_id: int
    original_name: str
    content_type: str
    data: bytes


def read_scan(con: duckdb.DuckDBPyConnection, document_id: int, role: str, folder: Path) -> Scan:
    """A document's stored scan, for a role that may see scans (staff and admins; viewers never do)."""
    if not at_least(role, "staff"):
        raise DelegationError("error.documents.role_sees_no_scans")
    row = fetch_one(
        con,
        "select stored_name, original_name, content_type from documents where document_id = ?",
        [document_id],
    )
    if not row or not row[0]:
        raise DelegationError("error.documents.no_scan")
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
