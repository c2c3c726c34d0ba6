"""Matching a form's rows to the units and participants already stored: who is new, who changed
and how, and what two forms of one set disagree on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb

from delegation.config import EventConfig
from delegation.db import fetch_one
from delegation.fields import BOOLEAN_FIELDS, PARTICIPANT_ROW_FIELDS
from delegation.i18n import Both, said, value_words
from delegation.ingest.report import Change, ImportReport
from delegation.ingest.rows import Issue, Rows, row_issue
from delegation.ingest.storing import PARTICIPANT_COLUMNS, UNIT_COLUMNS, audit_changes
from delegation.ingest.words import field_label
from delegation.privacy import masked

# What the earlier files of one upload or one CLI call set, so that a later file changing the same
# value again is flagged as a conflict for staff to settle: (table, id, field) → (file, day, value shown).
SetBy = dict[tuple[str, int, str], tuple[str, dt.date | None, object]]
CONTACT_COLUMNS = ("contact_name", "contact_mobile", "contact_email")
# What a later file of the same set may be told it changed (not the name, its key, or the day:
# a correction keeps the first registration day).
REMEMBERED = tuple(c for c in PARTICIPANT_ROW_FIELDS if c not in ("name", "name_key", "registered_on"))


@dataclass
class Matched:
    """Each row matched to a participant: stored ones by id, new ones by a temporary id (< 0)."""

    by_id: dict[int, dict]  # every participant a row named, as a record (new ones once repeated)
    added: dict[int, int] = field(default_factory=dict)  # a new participant's temporary id → its row
    updated: dict[int, dict] = field(default_factory=dict)  # the stored participants changed
    before_update: dict[int, dict] = field(default_factory=dict)  # … as they were
    row_participant: list[int] = field(default_factory=list)  # the participant each row became
    last_row: dict[int, int] = field(default_factory=dict)  # the row that last changed a participant


def units_by_code(con: duckdb.DuckDBPyConnection, config: EventConfig, rows: Rows) -> None:
    """Rows whose per-unit link named a known unit (`links.unit_code`) are filed under that unit,
    whatever name was typed in the form."""
    if not any(rows.unit_code):
        return
    from delegation.links import unit_code

    known = {
        unit_code(config, key): (name, key)
        for name, key in con.execute("select name, name_key from units").fetchall()
    }
    for i, code in enumerate(rows.unit_code):
        if code in known:
            rows.unit["name"][i], rows.unit["name_key"][i] = known[code]


def merge_units(
    con: duckdb.DuckDBPyConnection, rows: Rows, days: list[dt.date]
) -> tuple[dict[str, dict], set[int], dict[int, dict], dict[int, dict]]:
    """Every unit by name key with the rows' values merged in (a later non-empty value wins, the
    earliest registration day stays), the ids of new units, the stored units that changed, and
    those as they were before."""
    units = _load_units(con)
    keys = rows.unit["name_key"]
    new_keys = list(dict.fromkeys(k for k in keys if k not in units))
    fresh_ids = iter(
        [r[0] for r in con.execute("select nextval('unit_id_seq') from range(?)", [len(new_keys)]).fetchall()]
    )  # one round trip for every new unit's id
    new_unit_ids: set[int] = set()
    changed_units: dict[int, dict] = {}
    unit_audit: dict[int, dict] = {}
    names = rows.unit["name"]
    said = list(zip(*(rows.unit[c] for c in UNIT_COLUMNS), days, strict=True))
    last: dict[str, tuple] = {}  # what the unit's previous row said: saying it again changes nothing
    for i, key in enumerate(keys):
        values = said[i]
        if last.get(key) == values:
            continue
        last[key] = values
        *fields, day = values
        unit = units.get(key)
        if unit is None:
            unit_id = next(fresh_ids)
            unit = {"unit_id": unit_id, "name": names[i], "name_key": key, "registered_on": day}
            unit.update(zip(UNIT_COLUMNS, fields, strict=True))
            units[key] = unit
            new_unit_ids.add(unit_id)
            continue
        before = dict(unit)
        for column, value in zip(UNIT_COLUMNS, fields, strict=True):
            if value not in (None, "") and unit.get(column) != value:
                unit[column] = value
        if unit.get("registered_on") is None or day < unit["registered_on"]:
            unit["registered_on"] = day
        if unit != before and unit["unit_id"] not in new_unit_ids:
            changed_units[unit["unit_id"]] = unit
            unit_audit.setdefault(unit["unit_id"], before)
    return units, new_unit_ids, changed_units, unit_audit


def _load_units(con: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    columns = ("unit_id", "name", "name_key", *UNIT_COLUMNS, "registered_on")
    result = con.execute(f"select {', '.join(columns)} from units").fetchall()
    return {r[2]: dict(zip(columns, r, strict=True)) for r in result}


def _load_participants(
    con: duckdb.DuckDBPyConnection, rows: Rows, unit_ids: list[int]
) -> tuple[dict[int, dict], dict[str, int], dict[tuple[int, str], int]]:
    """The existing participants any row might name, indexed by passport and by (unit, name).

    The smaller side crosses over: a form's keys go to DuckDB, or, when fewer participants are
    stored than the file has rows (a first bulk load), their keys come to Python.
    """
    passports = set(filter(None, rows.participant["passport_number"]))
    names = set(zip(unit_ids, rows.participant["name_key"], strict=True))
    columns = ("participant_id", *PARTICIPANT_COLUMNS)
    select = f"select {', '.join('p.' + c for c in columns)} from participants p "
    if fetch_one(con, "select count(*) from participants")[0] <= len(rows):
        keys = con.execute("select participant_id, passport_number, unit_id, name_key from participants")
        wanted = [
            pid for pid, passport, *name in keys.fetchall() if passport in passports or tuple(name) in names
        ]
        result = con.execute(
            f"{select} where p.participant_id in (select unnest($ids::integer[])) order by p.participant_id",
            {"ids": wanted},
        ).fetchall()
    else:
        names = sorted(names)
        result = con.execute(
            f"{select} where p.passport_number in (select unnest($passports::varchar[])) "
            "or (p.unit_id, p.name_key) in (select (u, k) from "
            "(select unnest($unit_ids::integer[]) as u, unnest($name_keys::varchar[]) as k)) "
            "order by p.participant_id",
            {
                "passports": sorted(passports),
                "unit_ids": [n[0] for n in names],
                "name_keys": [n[1] for n in names],
            },
        ).fetchall()
    by_id: dict[int, dict] = {}
    by_passport: dict[str, int] = {}
    by_name: dict[tuple[int, str], int] = {}
    for r in result:
        record = dict(zip(columns, r, strict=True))
        record["themes"] = list(record["themes"] or [])
        record["cities"] = list(record["cities"] or [])
        by_id[record["participant_id"]] = record
        if record["passport_number"]:
            by_passport.setdefault(record["passport_number"], record["participant_id"])
        by_name.setdefault((record["unit_id"], record["name_key"]), record["participant_id"])
    return by_id, by_passport, by_name


def match_participants(
    con: duckdb.DuckDBPyConnection,
    report: ImportReport,
    rows: Rows,
    unit_ids: list[int],
    units: dict[str, dict],
    as_added: dict[str, list],
    import_id: int,
) -> Matched:
    """Each row matched to a stored participant (by passport, else by unit and name), to one an
    earlier row of the file added, or to a new one; the stored ones updated with what the row
    says (counted in `report`, with a warning when a passport moved unit or changed name)."""
    values = rows.participant
    passports, name_keys, names = values["passport_number"], values["name_key"], values["name"]
    by_id, by_passport, by_name = _load_participants(con, rows, unit_ids)
    unit_names = {u["unit_id"]: u["name"] for u in units.values()}  # for moved-passport warnings
    m = Matched(by_id)
    added = m.added

    def passport_of(pid: int) -> str | None:
        record = by_id.get(pid)
        return record.get("passport_number") if record is not None else passports[added[pid]]

    for i, passport in enumerate(passports):
        unit_id = unit_ids[i]
        name_key = (unit_id, name_keys[i])
        pid = by_passport.get(passport) if passport else None
        if pid is None:
            candidate = by_name.get(name_key)
            if candidate is not None:
                existing_passport = passport_of(candidate)
                if not passport or not existing_passport or existing_passport == passport:
                    pid = candidate
        if pid is None:
            pid = -1 - len(added)  # a real id is allocated in bulk when the rows are written
            added[pid] = i
            report.added += 1
        else:  # a stored participant, or one an earlier row of this file added
            record = by_id.get(pid)
            if record is None:
                record = by_id[pid] = {c: v[added[pid]] for c, v in as_added.items()}
            before = {c: record.get(c) for c in PARTICIPANT_COLUMNS}
            if record["unit_id"] != unit_id:
                report.issues.append(_moved_issue(rows, i, unit_names[record["unit_id"]]))
            if record.get("name_key") != name_keys[i]:  # the same passport under another name
                report.issues.append(_renamed_issue(rows, i, record["name"], names[i]))
                record["name_key"] = name_keys[i]
                record["pinyin_name"] = None  # the old name's pinyin; the row's own, if any, follows
            record["unit_id"] = unit_id
            for column in rows.present[i]:
                value = values[column][i]
                if (
                    column == "registered_on"
                    and record.get(column)
                    and (value is None or value > record[column])
                ):
                    continue  # a person registered once: a later form (a correction) keeps that day
                if column in BOOLEAN_FIELDS or value not in (None, "", []):
                    record[column] = value
            record["name"] = names[i]
            after = {c: record.get(c) for c in PARTICIPANT_COLUMNS}
            if after != before:
                record.update(
                    source_import_id=import_id, source_sheet=rows.sheet[i], source_row=rows.row_number[i]
                )
                if pid not in added:
                    m.updated[pid] = record
                    m.before_update.setdefault(pid, before)
                    m.last_row[pid] = i
                report.updated += 1
        if passport:
            by_passport[passport] = pid
        by_name[name_key] = pid
        m.row_participant.append(pid)
    return m


def changes_made(
    report: ImportReport,
    rows: Rows,
    import_id: int,
    units: dict[str, dict],
    changed_units: dict[int, dict],
    unit_audit: dict[int, dict],
    m: Matched,
    seen: SetBy | None,
    config: EventConfig,
) -> tuple[list[tuple[str, str, dict]], set[str]]:
    """The audit entries of every stored participant and unit the file changed (each change also
    named in `report`, conflicts and changed contacts warned of), and the participant columns
    any update changes."""
    changes = []
    changed_columns: set[str] = set()
    by_unit_id = {u["unit_id"]: u for u in units.values()}
    unit_rows = {key: i for i, key in enumerate(rows.unit["name_key"])}  # each unit's last row
    for pid, before in m.before_update.items():
        after = {c: m.updated[pid].get(c) for c in PARTICIPANT_COLUMNS}
        changed = {c: (before[c], after[c]) for c in PARTICIPANT_COLUMNS if before[c] != after[c]}
        changed_columns.update(changed)
        changes.append(("participant.update", f"participant:{pid}", audit_changes(import_id, changed)))
        unit_name = by_unit_id[after["unit_id"]]["name"]
        target = ("participants", pid)
        _report_changes(
            report, rows, m.last_row[pid], target, unit_name, after["name"], changed, seen, config
        )
    for unit_id, before in unit_audit.items():
        after = changed_units[unit_id]
        changed = {
            c: (before.get(c), after.get(c))
            for c in (*UNIT_COLUMNS, "registered_on")
            if before.get(c) != after.get(c)
        }
        changes.append(("unit.update", f"unit:{unit_id}", audit_changes(import_id, changed)))
        row = unit_rows[after["name_key"]]
        conflicts = _report_changes(
            report, rows, row, ("units", unit_id), after["name"], None, changed, seen, config
        )
        for column in CONTACT_COLUMNS:  # two forms disagree on the contact (a conflict says so already)
            if before.get(column) not in (None, "") and column in changed and column not in conflicts:
                report.issues.append(_contact_issue(rows, row, column, after["name"]))
    return changes, changed_columns


def remember_new(
    report: ImportReport,
    units: dict[str, dict],
    new_unit_ids: set[int],
    new_participants: dict[str, list] | None,
    seen: SetBy,
) -> None:
    """What this file set on the units and participants it added, for the files of the same set
    after it."""
    day = report.form_day
    for unit in units.values():
        if unit["unit_id"] in new_unit_ids:
            for c in UNIT_COLUMNS:
                if unit.get(c) not in (None, ""):
                    seen[("units", unit["unit_id"], c)] = (report.file_name, day, _masked(c, unit[c]))
    if new_participants:
        for c in REMEMBERED:
            for pid, value in zip(new_participants["participant_id"], new_participants[c], strict=True):
                if value not in (None, "", []) and not (c in BOOLEAN_FIELDS and not value):
                    seen[("participants", pid, c)] = (report.file_name, day, _masked(c, value))


def _masked(column: str, value: object) -> object:
    """A value as the report and the audit log show it: personal ones masked, lists as lists."""
    shown = masked(column, value)
    return list(shown) if isinstance(shown, tuple) else shown


def _report_changes(
    report: ImportReport,
    rows: Rows,
    row: int,
    target: tuple[str, int],
    unit: str,
    person: str | None,
    changed: dict[str, tuple[object, object]],
    seen: SetBy | None,
    config: EventConfig,
) -> set[str]:
    """Name every field the file changed in its report, from → to; a value an earlier file of the
    same set had just set is a conflict, reported for staff to settle (this file's value is kept).
    Returns the fields in conflict."""
    conflicts = set()
    for column, (before, after) in changed.items():
        if column in ("name_key", "unit_id"):
            continue
        shown_before, shown_after = _masked(column, before), _masked(column, after)
        report.changes.append(Change(unit, person, column, shown_before, shown_after))
        if seen is None or column == "registered_on":
            continue
        key = (*target, column)
        earlier = seen.get(key)
        if earlier is not None and earlier[0] != report.file_name and earlier[2] != shown_after:
            report.issues.append(
                _conflict_issue(rows, row, column, unit, person, earlier, report, shown_after, config)
            )
            conflicts.add(column)
        seen[key] = (report.file_name, report.form_day, shown_after)
    return conflicts


def _words(value: object, column: str, config: EventConfig) -> Both:
    return Both(value_words(value, "en", column, config), value_words(value, "zh", column, config))


def _dated(name: str, day: dt.date | None) -> Both:
    """A form named in a sentence, with its date when it has one."""
    if day is None:
        return said("ingest.form_named", name=name)
    return said("ingest.form_dated", name=name, day=day.isoformat())


def _conflict_issue(
    rows: Rows,
    i: int,
    column: str,
    unit: str,
    person: str | None,
    earlier: tuple[str, dt.date | None, object],
    report: ImportReport,
    value: object,
    config: EventConfig,
) -> Issue:
    file, day, before = earlier
    label = field_label(column)
    what = (
        said("ingest.conflict.person", person=person, field=label)
        if person
        else said("ingest.conflict.unit", unit=unit, field=label)
    )
    sentence = said(
        "ingest.conflict",
        what=what,
        before=_words(before, column, config),
        earlier=_dated(file, day),
        after=_words(value, column, config),
        this=_dated(report.file_name, report.form_day),
    )
    return row_issue(rows, i, column, "conflict", sentence)


def _contact_issue(rows: Rows, i: int, column: str, unit: str) -> Issue:
    sentence = said("ingest.contact_changed", unit=unit, field=field_label(column))
    return row_issue(rows, i, column, "contact_changed", sentence)


def _moved_issue(rows: Rows, i: int, old: str) -> Issue:
    sentence = said("ingest.passport_moved_unit", old=old, new=rows.unit["name"][i])
    return row_issue(rows, i, "passport_number", "passport_moved_unit", sentence)


def _renamed_issue(rows: Rows, i: int, old: str, new: str) -> Issue:
    sentence = said("ingest.passport_renamed", old=old, new=new)
    return row_issue(rows, i, "name", "passport_renamed", sentence)
