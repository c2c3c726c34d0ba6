"""The database: connecting (migrations, macros, reference tables), transactions and the audit
log's hash chain. Named queries are `delegation.named_queries`; opening the file and its faults'
sentences are `delegation.integrity`."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb

from delegation.config import EventConfig, database_path
from delegation.database_file import file_of, refuse_foreign
from delegation.errors import DelegationError
from delegation.integrity import check, open_file, raise_storage_fault
from delegation.named_queries import QUERIES
from delegation.open_transactions import CHAIN_LOCK, Open, open_transactions
from delegation.plaintext import seal_plaintext
from delegation.reference import sync_reference

MIGRATIONS = Path(__file__).parent / "migrations"
MACROS = QUERIES / "_macros.sql"  # the filtering macros every query uses, defined once
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def connect(
    config: EventConfig,
    path: str | Path | None = None,
    *,
    read_only: bool = False,
    create: bool = True,
    verify: bool = False,
) -> duckdb.DuckDBPyConnection:
    """Open the database (creating it if needed and `create`), apply pending migrations and the
    macros, and refresh reference tables. With `verify`, an existing file is first read in full,
    read-only (`integrity.check`), so a damaged one is refused before anything writes to it. A
    damaged file, a full disk or a read-only folder is one sentence (`integrity.storage_fault`);
    `config` gives the reference tables a writing connection refreshes."""
    target = database_path(path)
    refuse_foreign(target, read_only=read_only, create=create)
    if verify and target.is_file() and target.stat().st_size:
        check(target)
    con = open_file(target, read_only=read_only)
    if not read_only:
        try:
            migrate(con)
            with transaction(con):
                apply_macros(con)
                sync_reference(con, config)
            seal_plaintext(con)  # an older desk's plaintext scans and backups: encrypted once, in place
        except (duckdb.Error, OSError) as exc:  # each step is its own transaction: rolled back
            con.close()
            raise_storage_fault(exc, target)
            raise
    return con


def apply_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Define (or replace) the filtering macros of `queries/_macros.sql` in the database. They are
    stored, not TEMP: a TEMP macro is seen only by the connection that made it, not by the cursors
    the app's sessions use; a read-only connection reads what the last writing one stored.

    Each macro carries the file's hash as its comment (a macro replaced since has none), so a
    database that holds these very macros is not written to at all on connecting."""
    source = MACROS.read_text(encoding="utf-8")
    mark = "sha256:" + hashlib.sha256(source.encode("utf-8")).hexdigest()
    names = re.findall(r"create or replace macro (\w+)\(", source)
    stored = dict(
        con.execute(
            "select function_name, comment from duckdb_functions() "
            "where database_name = current_database() and schema_name = 'main' and function_type = 'table_macro'"
        ).fetchall()
    )
    if all(stored.get(name) == mark for name in names):
        return
    con.execute(source)
    for name in names:
        con.execute(f"comment on macro table {name} is '{mark}'")


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply every migration not yet applied, each in its own transaction; returns their numbers."""
    con.execute(
        "create table if not exists schema_migrations "
        "(version integer primary key, name varchar not null, applied_at timestamp not null)"
    )
    done = {row[0] for row in con.execute("select version from schema_migrations").fetchall()}
    applied = []
    for path in sorted(MIGRATIONS.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if not match or int(match.group(1)) in done:
            continue
        with transaction(con):
            con.execute(path.read_text(encoding="utf-8"))
            if int(match.group(1)) in AFTER_MIGRATION:  # what its SQL cannot do, in the same transaction
                AFTER_MIGRATION[int(match.group(1))](con)
            con.execute(
                "insert into schema_migrations values (?, ?, current_timestamp)",
                [int(match.group(1)), path.name],
            )
        applied.append(int(match.group(1)))
    return applied


@contextlib.contextmanager
def transaction(
    con: duckdb.DuckDBPyConnection, *, commit: bool = True
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Run the block in one transaction: all of it is committed, or none of it (`commit=False`: a
    rehearsal, always rolled back). Inside another on the same connection it is part of that one
    (a part that fails spoils the whole, which is then rolled back).

    Two sessions changing the same row at once: DuckDB refuses the second, which then gets one
    sentence asking to reload instead of a database error.

    A transaction that appends to the audit log holds the chain's lock from its first append until
    it ends (`append_audits`), so no other session chains a row to a head this one is replacing.
    """
    outer = next((f for f in open_transactions() if f.con is con), None)
    if outer is not None:  # inside a larger change (a message's forms and scans): part of it
        try:
            yield con
        except BaseException:
            outer.spoiled = True  # what this part half-wrote must not be committed with the rest
            raise
        return
    frame = Open(con)
    open_transactions().append(frame)
    try:
        con.execute("begin transaction")
        try:
            yield con
            if frame.spoiled:
                raise DelegationError("error.db.part_not_stored")
            con.execute("commit" if commit else "rollback")
        except BaseException as exc:
            with contextlib.suppress(duckdb.Error):  # a refused commit has ended the transaction already
                con.execute("rollback")
            if isinstance(exc, duckdb.TransactionException) and "conflict" in str(exc).lower():
                raise DelegationError("error.db.changed_meanwhile") from None
            if isinstance(exc, duckdb.Error):  # a full disk at the commit, a damaged block read
                raise_storage_fault(exc, file_of(con))
            raise
    finally:
        open_transactions().remove(frame)
        if frame.holds_chain:
            CHAIN_LOCK.release()


def append_audit(
    con: duckdb.DuckDBPyConnection,
    actor: str,
    action: str,
    target: str | None,
    details: dict,
    *,
    at: dt.datetime | None = None,
) -> None:
    """Append one row to the audit log."""
    append_audits(con, actor, [(action, target, details)], at=at)


def append_audits(
    con: duckdb.DuckDBPyConnection,
    actor: str,
    entries: list[tuple[str, str | None, dict]],
    *,
    at: dt.datetime | None = None,
) -> None:
    """Append rows (action, target, details) to the audit log in one statement, in order: the only
    code that writes it (nothing updates or deletes it). An import that changes thousands of
    people writes their rows at once (a statement each took ≈ 0.7 ms).

    Each row is chained to the one before it (`audit_row_hash`), the hashes computed here over
    exactly what is stored: the time is set in Python, the details serialised once. Under the
    chain's lock the head is read and the new rows inserted; inside a `transaction` the lock stays
    held until it ends (its rows are invisible to other sessions until then), and the head is the
    newest row this transaction or the latest committed state knows (its snapshot may be older)."""
    if not entries:
        return
    at = _stored_time(at or dt.datetime.now())
    actions, targets, details = zip(*entries, strict=True)
    texts = [json.dumps(d, ensure_ascii=False, default=_json_default) for d in details]
    opened = open_transactions()
    frame = next((f for f in opened if f.con is con), None)
    if frame is None and any(f.holds_chain for f in opened):
        raise RuntimeError("audit rows appended beside a transaction holding the chain would fork it")
    with CHAIN_LOCK:
        if frame is not None and not frame.holds_chain:
            CHAIN_LOCK.acquire()  # released by `transaction` once the rows are committed or gone
            frame.holds_chain = True
        prev = chain_head(con, latest=frame is not None)[1]
        ids = sorted(
            row[0]
            for row in con.execute("select nextval('audit_id_seq') from range(?)", [len(entries)]).fetchall()
        )
        prevs, hashes = [], []
        for audit_id, action, target, text in zip(ids, actions, targets, texts, strict=True):
            prevs.append(prev)
            prev = audit_row_hash(prev, audit_id, at, actor, action, target, text)
            hashes.append(prev)
        con.execute(
            "insert into audit_log (audit_id, logged_at, actor, action, target, details, prev_hash, row_hash) "
            "select unnest($ids::bigint[]), $at::timestamp, $actor, unnest($actions::varchar[]), "
            "unnest($targets::varchar[]), unnest($details::varchar[]), unnest($prevs::varchar[]), "
            "unnest($hashes::varchar[])",
            {
                "ids": ids,
                "at": at,
                "actor": actor,
                "actions": list(actions),
                "targets": list(targets),
                "details": texts,
                "prevs": prevs,
                "hashes": hashes,
            },
        )


# ---- the audit chain -----------------------------------------------------------------------------

GENESIS = "0" * 64  # the prev_hash of the first row


def in_transaction(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether this thread has a `transaction` open on the connection."""
    return any(f.con is con for f in open_transactions())


def _stored_time(at: dt.datetime) -> dt.datetime:
    """The timestamp as the log stores it: local time, no time zone (a zoned one is converted)."""
    return at.astimezone().replace(tzinfo=None) if at.tzinfo else at


def audit_content(
    audit_id: int, logged_at: dt.datetime, actor: str, action: str, target: str | None, details: str | None
) -> str:
    """One row's content as the chain hashes it: its stored values as a compact JSON array, the
    time to the microsecond (what a TIMESTAMP keeps), the details as their stored JSON text."""
    when = logged_at.isoformat(sep=" ", timespec="microseconds")
    return _CANONICAL.encode([audit_id, when, actor, action, target, details])


# One encoder for every row (json.dumps with options builds a new one per call: a third of a
# 100 000-row verify).
_CANONICAL = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def audit_row_hash(
    prev_hash: str,
    audit_id: int,
    logged_at: dt.datetime,
    actor: str,
    action: str,
    target: str | None,
    details: str | None,
) -> str:
    """SHA-256 (hex) of the previous row's hash followed by this row's content."""
    content = audit_content(audit_id, logged_at, actor, action, target, details)
    return hashlib.sha256((prev_hash + content).encode("utf-8")).hexdigest()


# The newest row (max() scans one column: 2 ms for 500 000 rows, a sort's top row took 7 ms).
_HEAD = "select audit_id, row_hash from audit_log where audit_id = (select max(audit_id) from audit_log)"


def chain_head(con: duckdb.DuckDBPyConnection, *, latest: bool = False) -> tuple[int | None, str]:
    """The newest row's id and hash as `con` sees it ((None, GENESIS) for an empty log). With
    `latest`, also as the latest committed state sees it, the newer of the two: a transaction's
    snapshot may predate rows another session committed since."""
    rows = con.execute(_HEAD).fetchall()
    if latest:
        fresh = con.cursor()
        try:
            rows += fresh.execute(_HEAD).fetchall()
        finally:
            fresh.close()
    if not rows:
        return None, GENESIS
    audit_id, row_hash = max(rows)
    return audit_id, row_hash or GENESIS


def chain_unchained(con: duckdb.DuckDBPyConnection) -> int:
    """Chain the rows written before the log was a chain (migration 0008), in audit_id order; returns
    how many. Filling in their two new columns is the one change ever made to rows already in the
    log, once, inside the migration's transaction."""
    rows = con.execute(
        "select audit_id, logged_at, actor, action, target, details::varchar from audit_log order by audit_id"
    ).fetchall()
    ids, prevs, hashes = [], [], []
    prev = GENESIS
    for row in rows:
        ids.append(row[0])
        prevs.append(prev)
        prev = audit_row_hash(prev, *row)
        hashes.append(prev)
    if ids:
        con.execute(
            "update audit_log set prev_hash = chained.prev_hash, row_hash = chained.row_hash "
            "from (select unnest($ids::bigint[]) as audit_id, unnest($prevs::varchar[]) as prev_hash, "
            "unnest($hashes::varchar[]) as row_hash) chained "
            "where audit_log.audit_id = chained.audit_id and audit_log.row_hash is null",
            {"ids": ids, "prevs": prevs, "hashes": hashes},
        )
    return len(ids)


AFTER_MIGRATION: dict[int, Callable[[duckdb.DuckDBPyConnection], object]] = {8: chain_unchained}


def _json_default(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def fetch_one(con: duckdb.DuckDBPyConnection, sql: str, params: list | dict | None = None) -> tuple:
    """The first row of a statement, reading the result to its end.

    DuckDB 2.0 keeps a partly fetched result open and refuses other work on the connection
    (`register`, for one) until it is finished, so `fetchone()` is not used here.
    """
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else ()
