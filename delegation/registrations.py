"""Changing a registration by hand: withdrawing (and restoring) a unit or a participant, editing one."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import duckdb

from delegation.db import append_audit, fetch_one, transaction
from delegation.errors import DelegationError
from delegation.ingest.rows import as_stored
from delegation.privacy import masked_changes
from delegation.search import PARTICIPANT_SEARCH_COLUMNS, UNIT_SEARCH_COLUMNS, search_text


def set_withdrawn(
    con: duckdb.DuckDBPyConnection, *, table: str, key: int, withdrawn: bool, actor: str
) -> bool:
    """Withdraw or restore a unit (`table="units"`) or participant; kept, but out of every count.

    Returns whether anything changed; the change is appended to the audit log.
    """
    id_column = {"units": "unit_id", "participants": "participant_id"}[table]
    with transaction(con):
        row = fetch_one(con, f"select status from {table} where {id_column} = ?", [key])
        if not row:
            return False
        after = "withdrawn" if withdrawn else "registered"
        if row[0] == after or (not withdrawn and row[0] != "withdrawn"):
            return False
        con.execute(
            f"update {table} set status = ?, updated_at = current_timestamp where {id_column} = ?",
            [after, key],
        )
        append_audit(
            con,
            actor,
            f"{table[:-1]}.update",
            f"{table[:-1]}:{key}",
            {"before": {"status": row[0]}, "after": {"status": after}},
        )
    return True


EDITABLE = (
    "position",
    "mobile",
    "email",
    "passport_number",
    "passport_expiry",
    "applies_via_chamber",
    "holds_us_visa",
    "us_visa_expiry",
)
CONTACT = ("contact_name", "contact_mobile", "contact_email")  # a unit's contact, as staff may edit it


@dataclass(frozen=True)
class _Editable:
    """What a hand edit of one kind of record touches: its table and key, the fields it may change,
    the columns its search text is made of, the action it is logged as, and its two refusals."""

    table: str
    id_column: str
    fields: tuple[str, ...]
    search_columns: tuple[str, ...]
    action: str
    gone: str  # the sentence's key: the record was deleted meanwhile
    changed: str  # the sentence's key: someone else changed it since it was read


_PARTICIPANT = _Editable(
    "participants",
    "participant_id",
    EDITABLE,
    PARTICIPANT_SEARCH_COLUMNS,
    "participant.edit",
    "error.edit.participant_gone",
    "error.edit.participant_changed",
)
_UNIT_CONTACT = _Editable(
    "units",
    "unit_id",
    CONTACT,
    UNIT_SEARCH_COLUMNS,
    "unit.edit",
    "error.edit.unit_gone",
    "error.edit.unit_changed",
)


def _read(con: duckdb.DuckDBPyConnection, kind: _Editable, key: int) -> tuple[dict, str]:
    """A record's editable fields and a token for them as they are now (for a later save)."""
    row = fetch_one(
        con, f"select {', '.join(kind.fields)} from {kind.table} where {kind.id_column} = ?", [key]
    )  # table and column names are constants of this module
    if not row:
        raise DelegationError(kind.gone)
    values = dict(zip(kind.fields, row, strict=True))
    return values, _token(values)


def _token(values: dict) -> str:
    return hashlib.sha256(json.dumps(values, default=str, sort_keys=True).encode()).hexdigest()


def _typed_over(changes: dict, current: dict) -> dict:
    """The fields whose new value differs from the stored one, as the importer stores a cell.

    Only what was typed over is read: a box left as shown (an empty box for nothing stored) stays
    as stored, even a value the importer would not store today (a mobile "见上" from an older import).
    A value is stored as the importer stores it, so that the next form still finds the person by
    passport number (upper case, no spaces); what it could not read is refused in one sentence.
    """
    typed = {
        k: v for k, v in changes.items() if v != current.get(k) and not (v == "" and current.get(k) is None)
    }
    stored = {k: as_stored(k, v) for k, v in typed.items()}
    return {k: v for k, v in stored.items() if current.get(k) != v}


def _save(
    con: duckdb.DuckDBPyConnection, kind: _Editable, key: int, changes: dict, token: str, actor: str
) -> bool:
    """Save the fields typed over unless someone else changed the record since `token` was read;
    its search text follows, and the change is logged with before and after (personal values
    masked). Returns whether anything changed; a conflicting change is refused in one sentence,
    so the second of two people editing the same record is asked to reload, not overwriting."""
    unknown = set(changes) - set(kind.fields)
    if unknown:
        raise ValueError(unknown)
    with transaction(con):
        current, now_token = _read(con, kind, key)
        if now_token != token:
            raise DelegationError(kind.changed)
        changed = _typed_over(changes, current)
        if not changed:
            return False
        sets = ", ".join(f"{column} = ?" for column in changed)  # names checked against the fields
        where = f"where {kind.id_column} = ?"
        con.execute(
            f"update {kind.table} set {sets}, updated_at = current_timestamp {where}",
            [*changed.values(), key],
        )
        parts = fetch_one(con, f"select {', '.join(kind.search_columns)} from {kind.table} {where}", [key])
        con.execute(f"update {kind.table} set search_text = ? {where}", [search_text(*parts), key])
        append_audit(
            con,
            actor,
            kind.action,
            f"{kind.table[:-1]}:{key}",
            masked_changes({k: (current[k], v) for k, v in changed.items()}),
        )
    return True


def editable(con: duckdb.DuckDBPyConnection, participant_id: int) -> tuple[dict, str]:
    """A participant's editable fields and a token for them as they are now (for a later save)."""
    return _read(con, _PARTICIPANT, participant_id)


def save_edit(
    con: duckdb.DuckDBPyConnection, participant_id: int, changes: dict, token: str, actor: str
) -> bool:
    """Save a participant's changed fields unless someone else changed them since `token` was read."""
    return _save(con, _PARTICIPANT, participant_id, changes, token, actor)


def unit_contact(con: duckdb.DuckDBPyConnection, unit_id: int) -> tuple[dict, str]:
    """A unit's contact (name, mobile, e-mail) and a token for it as it is now (for a later save)."""
    return _read(con, _UNIT_CONTACT, unit_id)


def save_unit_contact(
    con: duckdb.DuckDBPyConnection, unit_id: int, changes: dict, token: str, actor: str
) -> bool:
    """Save a unit's contact as typed, unless someone changed it since `token` was read."""
    return _save(con, _UNIT_CONTACT, unit_id, changes, token, actor)
