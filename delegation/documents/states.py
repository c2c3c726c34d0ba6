"""A document's state — missing, received, verified, rejected — changed in one transaction with its
history and audit row; a scan attached; the unit's confirmation day and owner kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from delegation.config import EventConfig
from delegation.db import append_audit, fetch_one, transaction
from delegation.documents.stored import StoredFile, store_file
from delegation.errors import DelegationError
from delegation.keys import keyring

STATES = ("missing", "received", "verified", "rejected")


def current_state(
    con: duckdb.DuckDBPyConnection, unit_id: int, participant_id: int | None, kind: str
) -> dict | None:
    """The document's row as it stands (id, state, reason, sha256, file name, arrival), or None."""
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
        raise DelegationError("error.documents.rejected_needs_reason")
    now = now or dt.datetime.now().replace(microsecond=0)
    with transaction(con):
        before = current_state(con, unit_id, participant_id, kind)
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
