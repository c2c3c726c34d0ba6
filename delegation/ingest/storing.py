"""Writing one form's units, participants, import record and issues to DuckDB, in bulk."""

from __future__ import annotations

import datetime as dt

import duckdb

from delegation.db import append_audit
from delegation.fields import PARTICIPANT_ROW_FIELDS, SQL_TYPES, UNIT_ROW_FIELDS
from delegation.ingest.report import ImportReport
from delegation.ingest.rows import Rows
from delegation.privacy import masked_changes
from delegation.search import PARTICIPANT_SEARCH_COLUMNS, UNIT_SEARCH_COLUMNS, search_texts

UNIT_COLUMNS = UNIT_ROW_FIELDS[2:]  # what a row may say about its unit besides the name
PARTICIPANT_COLUMNS = ("unit_id", *PARTICIPANT_ROW_FIELDS)
ISSUE_TYPES = {"row_number": "integer", "participant_id": "integer"}  # import_issues' columns not text


def typed_select(
    values: dict[str, list], columns: tuple[str, ...], types: dict[str, str] = SQL_TYPES
) -> tuple[str, dict[str, object]]:
    """A select list turning one typed list parameter per column back into rows, and its parameters.

    Thousands of rows go to DuckDB in one statement without Arrow or pandas (whose imports alone
    cost a small import more than its work). DuckDB converts Python values one by one, lists of
    lists slowest, so a column holding one value throughout (the import, the sheet, the day) is
    sent once, and lists (themes, cities: a few combinations) as their distinct lists and a number
    per row. The first column is always sent whole: it gives the row count.
    """
    parts, params = [], {}
    for i, c in enumerate(columns):
        column, sql_type = values[c], types.get(c, "varchar")
        if sql_type.endswith("[]"):
            distinct: dict = {}  # lists are never missing: empty when nothing is chosen
            params[f"c{i}"] = [distinct.setdefault(k, len(distinct) + 1) for k in map(tuple, column)]
            params[f"d{i}"] = list(map(list, distinct))
            parts.append(f"list_extract($d{i}::{sql_type}[], unnest($c{i}::integer[])) as {c}")
        elif i and column and column.count(column[0]) == len(column):
            params[f"c{i}"] = column[0]
            parts.append(f"$c{i}::{sql_type} as {c}")
        else:
            params[f"c{i}"] = column
            parts.append(f"unnest($c{i}::{sql_type}[]) as {c}")
    return ", ".join(parts), params


def records_select(records: list[dict], columns: tuple[str, ...]) -> tuple[str, dict[str, list]]:
    """`typed_select` of records (dicts by column)."""
    return typed_select({c: [r.get(c) for r in records] for c in columns}, columns)


def as_added(rows: Rows, unit_ids: list[int], days: list[dt.date], import_id: int) -> dict[str, list]:
    """Every row as the participant it would add, column by column (no id yet)."""
    return {
        **rows.participant,
        "unit_id": unit_ids,
        "registered_on": days,
        "source_import_id": [import_id] * len(rows),
        "source_sheet": rows.sheet,
        "source_row": rows.row_number,
    }


def added_columns(
    as_added: dict[str, list], added: dict[int, int], records: dict[int, dict], ids: list[int]
) -> dict[str, list]:
    """The new participants as columns, taken from the rows they come from; those a later row of
    the file changed come from their records."""
    at = list(added.values())
    columns = {c: list(map(values.__getitem__, at)) for c, values in as_added.items()}
    for position, temp in enumerate(added):
        record = records.get(temp)
        if record is not None:
            for c, values in columns.items():
                values[position] = record[c]
    columns["participant_id"] = ids
    return columns


def write_units(
    con: duckdb.DuckDBPyConnection,
    units: dict[str, dict],
    new_ids: set[int],
    changed: dict[int, dict],
    now: dt.datetime,
) -> None:
    touched = [u for u in units.values() if u["unit_id"] in new_ids or u["unit_id"] in changed]
    texts = search_texts(*([u.get(c) for u in touched] for c in UNIT_SEARCH_COLUMNS))
    for unit, text in zip(touched, texts, strict=True):
        unit["search_text"] = text
    columns = ("unit_id", "name", "name_key", *UNIT_COLUMNS, "registered_on", "search_text")
    new = [u for u in units.values() if u["unit_id"] in new_ids]
    if new:  # thousands of new units in one statement
        select, params = records_select(new, columns)
        con.execute(
            f"insert into units ({', '.join(columns)}, created_at) select *, $now::timestamp from (select {select})",
            {**params, "now": now},
        )
    if changed:
        select, params = records_select(list(changed.values()), columns)
        sets = ", ".join(f"{c} = u.{c}" for c in columns[3:])
        con.execute(
            f"update units set {sets}, updated_at = $now::timestamp from (select {select}) u "
            "where units.unit_id = u.unit_id",
            {**params, "now": now},
        )


def write_participants(
    con: duckdb.DuckDBPyConnection,
    added: dict[str, list] | None,
    updated: dict[int, dict],
    changed_columns: set[str],
    now: dt.datetime,
) -> None:
    """Insert the new participants (columns) and update the changed ones (records: the columns
    `changed_columns` names, their source and search text), search text worked out for both."""
    columns = (
        "participant_id",
        *PARTICIPANT_COLUMNS,
        "source_import_id",
        "source_sheet",
        "source_row",
        "search_text",
    )
    records = list(updated.values())
    texts = search_texts(
        *([*(added[c] if added else ()), *(r[c] for r in records)] for c in PARTICIPANT_SEARCH_COLUMNS)
    )
    count = len(texts) - len(records)
    for record, text in zip(records, texts[count:], strict=True):
        record["search_text"] = text
    if added:
        added["search_text"] = texts[:count]
        select, params = typed_select(added, columns)
        con.execute(
            f"insert into participants ({', '.join(columns)}, created_at) "
            f"select *, $now::timestamp from (select {select})",
            {**params, "now": now},
        )
    if updated:  # DuckDB rewrites each updated column: only those that changed (lists are slow)
        written = tuple(c for c in columns if c not in PARTICIPANT_COLUMNS or c in changed_columns)
        select, params = records_select(records, written)
        sets = ", ".join(f"{c} = u.{c}" for c in written[1:])
        con.execute(
            f"update participants set {sets}, updated_at = $now::timestamp "
            f"from (select {select}) u where participants.participant_id = u.participant_id",
            {**params, "now": now},
        )


def audit_changes(import_id: int, changed: dict[str, tuple[object, object]]) -> dict:
    return {"import_id": import_id, **masked_changes(changed)}


def write_import(
    con: duckdb.DuckDBPyConnection,
    report: ImportReport,
    import_id: int,
    now: dt.datetime,
    actor: str,
    issue_participant: list[int],
    rows: Rows,
) -> None:
    con.execute(
        "insert into imports values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            import_id,
            report.file_name,
            report.sha256,
            report.size_bytes,
            report.rows_read,
            report.added,
            report.updated,
            report.unchanged,
            report.skipped,
            report.warnings,
            now,
            actor,
        ],
    )
    # Row indexes in issues count every parsed row; map the kept ones to their stored participant.
    kept_row_numbers = {at: i for i, at in enumerate(zip(rows.sheet, rows.row_number, strict=True))}
    issues = report.issues
    participants = []
    for issue in issues:
        kept = kept_row_numbers.get((issue.sheet, issue.row_number))
        participants.append(
            issue_participant[kept] if kept is not None and issue.severity == "warning" else None
        )
    if issues:  # one statement for all of them (executemany costs a round trip per row)
        columns = {
            "sheet": [i.sheet for i in issues],
            "row_number": [i.row_number for i in issues],
            "column_name": [i.column for i in issues],
            "severity": [i.severity for i in issues],
            "code": [i.code for i in issues],
            "message_en": [i.en for i in issues],
            "message_zh": [i.zh for i in issues],
            "participant_id": participants,
        }
        select, params = typed_select(columns, tuple(columns), ISSUE_TYPES)
        con.execute(
            f"insert into import_issues (import_id, file_name, {', '.join(columns)}) "
            f"select $import_id::integer, $file_name::varchar, * from (select {select})",
            {**params, "import_id": import_id, "file_name": report.file_name},
        )
    details = {
        "import_id": import_id,
        "file": report.file_name,
        "sha256": report.sha256,
        "rows_read": report.rows_read,
        "added": report.added,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "skipped": report.skipped,
    }
    append_audit(con, actor, "import", f"import:{import_id}", at=now, details=details)
