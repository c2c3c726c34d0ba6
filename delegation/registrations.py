"""Changing a registration by hand: withdrawing (and restoring) a unit or a participant, editing one."""

from __future__ import annotations

import hashlib
import json

import duckdb

from delegation.db import append_audit, fetch_one, transaction
from delegation.errors import DelegationError
from delegation.ingest.rows import as_stored
from delegation.privacy import masked_changes
from delegation.search import participant_search_text, unit_search_text


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


def editable(con: duckdb.DuckDBPyConnection, participant_id: int) -> tuple[dict, str]:
    """A participant's editable fields and a token for them as they are now (for a later save)."""
    row = fetch_one(
        con, f"select {', '.join(EDITABLE)} from participants where participant_id = ?", [participant_id]
    )
    if not row:
        raise DelegationError("This participant no longer exists.", "该参团人员已不存在。")
    values = dict(zip(EDITABLE, row, strict=True))
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


def save_edit(
    con: duckdb.DuckDBPyConnection, participant_id: int, changes: dict, token: str, actor: str
) -> bool:
    """Save changed fields unless someone else changed the participant since `token` was read.

    Returns whether anything changed; raises a one-sentence error on a conflicting change, so the
    second of two people editing the same person is asked to reload instead of overwriting.
    """
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(unknown)
    with transaction(con):
        current, now_token = editable(con, participant_id)
        if now_token != token:
            raise DelegationError(
                "Someone changed this participant after you opened it; reload to see their change, then edit again.",
                "在您打开之后，他人修改了该参团人员的信息；请刷新查看后再修改。",
            )
        changed = _typed_over(changes, current)
        if not changed:
            return False
        sets = ", ".join(f"{column} = ?" for column in changed)  # names checked against EDITABLE above
        con.execute(
            f"update participants set {sets}, updated_at = current_timestamp where participant_id = ?",
            [*changed.values(), participant_id],
        )
        name, pinyin, position, email, passport = fetch_one(
            con,
            "select name, pinyin_name, position, email, passport_number from participants where participant_id = ?",
            [participant_id],
        )
        con.execute(
            "update participants set search_text = ? where participant_id = ?",
            [participant_search_text(name, pinyin, position, email, passport), participant_id],
        )
        append_audit(
            con,
            actor,
            "participant.edit",
            f"participant:{participant_id}",
            masked_changes({k: (current[k], v) for k, v in changed.items()}),
        )
    return True


CONTACT = ("contact_name", "contact_mobile", "contact_email")  # a unit's contact, as staff may edit it


def unit_contact(con: duckdb.DuckDBPyConnection, unit_id: int) -> tuple[dict, str]:
    """A unit's contact (name, mobile, e-mail) and a token for it as it is now (for a later save)."""
    row = fetch_one(con, f"select {', '.join(CONTACT)} from units where unit_id = ?", [unit_id])
    if not row:
        raise DelegationError("This unit no longer exists.", "该单位已不存在。")
    values = dict(zip(CONTACT, row, strict=True))
    return values, _token(values)


def save_unit_contact(
    con: duckdb.DuckDBPyConnection, unit_id: int, changes: dict, token: str, actor: str
) -> bool:
    """Save a unit's contact as typed, unless someone changed it since `token` was read; logged as
    a participant's edit is (before and after, personal values masked). Returns whether it changed."""
    unknown = set(changes) - set(CONTACT)
    if unknown:
        raise ValueError(unknown)
    with transaction(con):
        current, now_token = unit_contact(con, unit_id)
        if now_token != token:
            raise DelegationError(
                "Someone changed this unit's contact after you opened it; reload to see their change, then edit again.",
                "在您打开之后，他人修改了该单位的联系人；请刷新查看后再修改。",
            )
        changed = _typed_over(changes, current)
        if not changed:
            return False
        sets = ", ".join(f"{column} = ?" for column in changed)  # names checked against CONTACT above
        con.execute(
            f"update units set {sets}, updated_at = current_timestamp where unit_id = ?",
            [*changed.values(), unit_id],
        )
        name, contact = fetch_one(con, "select name, contact_name from units where unit_id = ?", [unit_id])
        con.execute(
            "update units set search_text = ? where unit_id = ?", [unit_search_text(name, contact), unit_id]
        )
        append_audit(
            con,
            actor,
            "unit.edit",
            f"unit:{unit_id}",
            masked_changes({k: (current[k], v) for k, v in changed.items()}),
        )
    return True
